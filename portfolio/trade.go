package portfolio

import (
	"time"

	"github.com/shopspring/decimal"
)

// Trade is one round trip in one symbol: it opens when the position leaves
// zero and closes when the position returns to zero or changes sign. A
// fill that flips the position closes one trade and opens the next; each
// part carries the share of the fill's commission that its quantity bears.
// Adding to a position or reducing it without closing keeps the trade open.
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

	entryValue decimal.Decimal // Σ quantity × price over entries
	exitValue  decimal.Decimal // Σ quantity × price over exits
	exitQty    decimal.Decimal
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
// price.
func (t *Trade) excursions() {
	entry := t.EntryPrice.InexactFloat64()
	if t.Short {
		t.MAE, t.MFE = 1-t.MaxPrice/entry, 1-t.MinPrice/entry
		return
	}
	t.MAE, t.MFE = t.MinPrice/entry-1, t.MaxPrice/entry-1
}

// addEntry books an entry fill. The mean entry price is worked out by
// settle, once, rather than divided again at every fill.
func (t *Trade) addEntry(qty, price, commission decimal.Decimal) {
	p := price.InexactFloat64()
	if t.Quantity.IsZero() {
		t.MinPrice, t.MaxPrice = p, p
		t.Quantity, t.entryValue, t.EntryPrice = qty, qty.Mul(price), price
	} else {
		t.see(p, p)
		t.Quantity = t.Quantity.Add(qty)
		t.entryValue = t.entryValue.Add(qty.Mul(price))
		t.dirty = true
	}
	t.Commission = t.Commission.Add(commission)
}

// addExit books an exit fill (or the closing part of one).
func (t *Trade) addExit(qty, price, gross, commission decimal.Decimal) {
	p := price.InexactFloat64()
	t.see(p, p)
	if t.exitQty.IsZero() {
		t.exitQty, t.exitValue, t.ExitPrice = qty, qty.Mul(price), price
	} else {
		t.exitQty = t.exitQty.Add(qty)
		t.exitValue = t.exitValue.Add(qty.Mul(price))
		t.dirty = true
	}
	t.PnLGross = t.PnLGross.Add(gross)
	t.Commission = t.Commission.Add(commission)
}

// settle works out the mean prices, the net P&L and the excursions.
func (t *Trade) settle() {
	if t.dirty {
		t.EntryPrice = t.entryValue.DivRound(t.Quantity, divPrecision)
		if !t.exitQty.IsZero() {
			t.ExitPrice = t.exitValue.DivRound(t.exitQty, divPrecision)
		}
		t.dirty = false
	}
	t.PnLNet = t.PnLGross.Sub(t.Commission)
	t.excursions()
}
