package portfolio

import (
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/internal/fixed"
)

// Trade is one round trip in one symbol: it opens when the position leaves
// zero and closes when the position returns to zero or changes sign. A
// fill that flips the position closes one trade and opens the next; each
// part carries the share of the fill's commission that its quantity bears.
// Adding to a position or reducing it without closing keeps the trade open.
//
// The mean prices, the commission and the P&L are worked out when the
// trade closes, by Portfolio.Finish, and for the open trades that
// Portfolio.Trades returns; a Trade handed to Options.OnClose is settled.
type Trade struct {
	Symbol string
	Short  bool
	// Quantity is the total quantity opened, over every entry fill.
	Quantity  decimal.Decimal
	EntryTime time.Time
	// EntryPrice is the quantity-weighted mean entry price.
	EntryPrice decimal.Decimal
	ExitTime   time.Time // zero while open
	// ExitPrice is the quantity-weighted mean exit price; zero while open
	// with nothing closed.
	ExitPrice decimal.Decimal
	// Commission is what the trade's own fills (or fill parts) paid.
	Commission decimal.Decimal
	// PnLGross is the realized profit before commission, lots matched first
	// in, first out.
	PnLGross decimal.Decimal
	// PnLNet is PnLGross minus Commission.
	PnLNet decimal.Decimal
	// Bars is the number of the symbol's bars from the entry fill's bar to
	// the exit fill's bar (to the last bar while open): 0 for a trade
	// opened and closed on one bar.
	Bars int
	// Open is true for a trade still open at the end of the data.
	Open bool

	// MaxPrice and MinPrice are the highest and lowest prices the trade saw
	// while open: its entry and exit fill prices and the high and low of
	// every bar of its symbol at whose close it was still open. For a trade
	// entered at the open of bar e and exited at the open of bar x, that is
	// the fills plus bars e..x-1. A market-on-close exit at bar x sees bar
	// x only through its exit price. Prices here are observations in
	// float64, not money.
	MaxPrice, MinPrice float64
	// MAE and MFE are the maximum adverse and favorable excursions as
	// fractions of the mean entry price: for a long, MinPrice/EntryPrice-1
	// and MaxPrice/EntryPrice-1; for a short, 1-MaxPrice/EntryPrice and
	// 1-MinPrice/EntryPrice. MAE <= 0 <= MFE. They are set when the trade
	// closes, and by Portfolio.Finish for a trade still open.
	MAE, MFE float64

	// commission and gross are Commission and PnLGross as the fills
	// add to them: settle makes the decimals.
	commission, gross amount

	entryValue decimal.Decimal // Σ quantity × price over entries, when entrySum
	exitValue  decimal.Decimal // Σ quantity × price over exits, when exitSum
	exitQty    decimal.Decimal
	entrySum   bool    // entryValue is summed: there was more than one entry
	entryF     float64 // the first entry's price as fixed.Float64 gives it, NaN off divPrecision's grid
	exitSum    bool    // exitValue is summed: there was more than one exit
	entryBar   int
	dirty      bool // the mean prices need settle
}

// Side returns "long" or "short".
func (t *Trade) Side() string {
	if t.Short {
		return "short"
	}
	return "long"
}

// Status returns "open" or "closed".
func (t *Trade) Status() string {
	if t.Open {
		return "open"
	}
	return "closed"
}

// divPrecision is the number of decimal places kept when a mean price or a
// commission share is not a whole division. Every such value that is a
// terminating decimal of at most this many places is exact.
const divPrecision = 16

// see widens the trade's price range to hold lo and hi.
func (t *Trade) see(lo, hi float64) {
	t.MinPrice = min(t.MinPrice, lo)
	t.MaxPrice = max(t.MaxPrice, hi)
}

// excursions sets MAE and MFE from the price range and the mean entry
// price: of one entry fill on divPrecision's grid, its price, which
// addEntry has as a float64.
func (t *Trade) excursions() {
	entry := t.entryF
	if t.entrySum || math.IsNaN(entry) {
		entry = fixed.Float64(t.EntryPrice)
	}
	if t.Short {
		t.MAE, t.MFE = 1-t.MaxPrice/entry, 1-t.MinPrice/entry
		return
	}
	t.MAE, t.MFE = t.MinPrice/entry-1, t.MaxPrice/entry-1
}

// addEntry books an entry fill at price, p its float64 as fixed.Float64
// gives it. The mean entry price is worked out by settle, once, rather
// than divided again at every fill; the entry value is summed only from
// a second entry on.
func (t *Trade) addEntry(qty, price decimal.Decimal, p float64, commission amount) {
	if t.Quantity.IsZero() {
		t.MinPrice, t.MaxPrice, t.entryF = p, p, p
		if price.Exponent() < -divPrecision {
			t.entryF = math.NaN() // settle rounds the mean price
		}
		t.Quantity, t.EntryPrice = qty, price
	} else {
		t.see(p, p)
		if !t.entrySum {
			t.entryValue, t.entrySum = fixed.Mul(t.Quantity, t.EntryPrice), true
		}
		t.Quantity = fixed.Add(t.Quantity, qty)
		t.entryValue = fixed.Add(t.entryValue, fixed.Mul(qty, price))
		t.dirty = true
	}
	t.commission = t.commission.add(commission)
}

// addExit books an exit fill (or the closing part of one) at price, p in
// float64, whose gross P&L is gross.
func (t *Trade) addExit(qty, price decimal.Decimal, p float64, gross, commission amount) {
	t.see(p, p)
	if t.exitQty.IsZero() {
		t.exitQty, t.ExitPrice = qty, price
	} else {
		if !t.exitSum {
			t.exitValue, t.exitSum = fixed.Mul(t.exitQty, t.ExitPrice), true
		}
		t.exitQty = fixed.Add(t.exitQty, qty)
		t.exitValue = fixed.Add(t.exitValue, fixed.Mul(qty, price))
		t.dirty = true
	}
	t.gross = t.gross.add(gross)
	t.commission = t.commission.add(commission)
}

// meanPrice returns value / qty rounded to divPrecision places when
// summed, else (one fill at price) price so rounded: the same division,
// as value would be qty × price.
func meanPrice(summed bool, value, qty, price decimal.Decimal) decimal.Decimal {
	if summed {
		return fixed.DivRound(value, qty, divPrecision)
	}
	if price.Exponent() >= -divPrecision {
		return price // already on the grid
	}
	return price.DivRound(decimal.NewFromInt(1), divPrecision)
}

// settle works out the mean prices, the commission, the gross and net
// P&L, and the excursions.
func (t *Trade) settle() {
	if t.dirty {
		t.EntryPrice = meanPrice(t.entrySum, t.entryValue, t.Quantity, t.EntryPrice)
		if !t.exitQty.IsZero() {
			t.ExitPrice = meanPrice(t.exitSum, t.exitValue, t.exitQty, t.ExitPrice)
		}
		t.dirty = false
	}
	t.Commission, t.PnLGross = t.commission.Decimal(), t.gross.Decimal()
	t.PnLNet = t.gross.sub(t.commission).Decimal()
	t.excursions()
}
