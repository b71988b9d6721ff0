package portfolio

import (
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

var t0 = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

// book is a portfolio driven by hand: mark sets closes, fill applies fills.
type book struct {
	t  *testing.T
	p  *Portfolio
	at int
}

func newBook(t *testing.T, cash string) *book {
	e := engine.New(testkit.EmptyFeed{})
	return &book{t: t, p: New(e, Options{Cash: testkit.MustDec(cash), Sizer: Sizer{Quantity: testkit.MustDec("1")}})}
}

// mark delivers a bar of sym closing at close and advances the day.
func (b *book) mark(sym, close string) {
	b.at++
	at := t0.AddDate(0, 0, b.at)
	m := &engine.MarketEvent{Time: at, Bars: []engine.Bar{{Symbol: sym, Time: at, Close: testkit.MustPrice(close)}}}
	if err := b.p.onMarket(m); err != nil {
		b.t.Fatal(err)
	}
}

func (b *book) fill(sym string, side engine.Side, qty, price, comm string) {
	f := &engine.FillEvent{Time: t0.AddDate(0, 0, b.at), Symbol: sym, Side: side, Quantity: testkit.MustDec(qty), Price: testkit.MustDec(price), Commission: testkit.MustDec(comm)}
	if err := b.p.onFill(f); err != nil {
		b.t.Fatal(err)
	}
}

func (b *book) wantCash(cash string) {
	b.t.Helper()
	if !b.p.Cash().Equal(testkit.MustDec(cash)) {
		b.t.Errorf("cash = %s, want %s", b.p.Cash(), cash)
	}
}

func (b *book) wantEquity(eq string) {
	b.t.Helper()
	if got := b.p.EquityDecimal(); !got.Equal(testkit.MustDec(eq)) {
		b.t.Errorf("equity = %s, want %s", got, eq)
	}
	if got, want := b.p.Equity(), testkit.MustDec(eq).InexactFloat64(); got != want {
		b.t.Errorf("float equity = %v, want %v", got, want)
	}
}

type tradeWant struct {
	short                              bool
	qty, entry, exit, comm, gross, net string
	bars                               int
	open                               bool
}

func (b *book) wantTrades(want ...tradeWant) {
	b.t.Helper()
	got := b.p.Trades()
	if len(got) != len(want) {
		b.t.Fatalf("%d trades, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		exit := g.ExitPrice.String()
		if g.Open && g.exitQty.IsZero() {
			exit = ""
		}
		if g.Short != w.short || !g.Quantity.Equal(testkit.MustDec(w.qty)) || !g.EntryPrice.Equal(testkit.MustDec(w.entry)) || exit != w.exit ||
			!g.Commission.Equal(testkit.MustDec(w.comm)) || !g.PnLGross.Equal(testkit.MustDec(w.gross)) || !g.PnLNet.Equal(testkit.MustDec(w.net)) ||
			g.Bars != w.bars || g.Open != w.open {
			b.t.Errorf("trade %d = short %v qty %s entry %s exit %q comm %s gross %s net %s bars %d open %v\nwant %+v",
				i, g.Short, g.Quantity, g.EntryPrice, exit, g.Commission, g.PnLGross, g.PnLNet, g.Bars, g.Open, w)
		}
	}
}

func TestLongRoundTrip(t *testing.T) {
	b := newBook(t, "100000")
	b.mark("A", "100")
	b.fill("A", engine.Buy, "10", "100", "1")
	b.wantCash("98999")
	b.mark("A", "105")
	b.wantEquity("100049") // 98999 + 10 × 105
	b.mark("A", "108")
	b.fill("A", engine.Sell, "10", "110", "1.1")
	b.wantCash("100097.9")
	b.wantEquity("100097.9")
	b.wantTrades(tradeWant{qty: "10", entry: "100", exit: "110", comm: "2.1", gross: "100", net: "97.9", bars: 2})
}

// A sell of 20 against a long of 10 closes the long and opens a short of
// 10; each part pays the commission on its own 10.
func TestReversalSplitsTradeAndCommission(t *testing.T) {
	b := newBook(t, "100000")
	b.mark("A", "100")
	b.fill("A", engine.Buy, "10", "100", "1")
	b.mark("A", "90")
	b.fill("A", engine.Sell, "20", "90", "1.8")
	b.wantCash("100797.2")  // 100000 - 1000 - 1 + 1800 - 1.8
	b.wantEquity("99897.2") // a short is a liability: 100797.2 - 10 × 90
	if q := b.p.Position("A"); !q.Equal(testkit.MustDec("-10")) {
		t.Fatalf("position %s, want -10", q)
	}
	b.wantTrades(
		tradeWant{qty: "10", entry: "100", exit: "90", comm: "1.9", gross: "-100", net: "-101.9", bars: 1},
		tradeWant{short: true, qty: "10", entry: "90", exit: "", comm: "0.9", gross: "0", net: "-0.9", open: true},
	)
	b.mark("A", "95")
	b.wantEquity("99847.2") // the short loses 50
}

func TestLosingShort(t *testing.T) {
	b := newBook(t, "1000")
	b.mark("B", "50")
	b.fill("B", engine.Sell, "5", "50", "0")
	b.wantCash("1250") // proceeds credited
	b.wantEquity("1000")
	b.mark("B", "60")
	b.wantEquity("950")
	b.fill("B", engine.Buy, "5", "60", "0.25")
	b.wantCash("949.75")
	b.wantTrades(tradeWant{short: true, qty: "5", entry: "50", exit: "60", comm: "0.25", gross: "-50", net: "-50.25", bars: 1})
}

// Scaling in keeps one trade; a partial close books P&L first in, first
// out and keeps it open.
func TestScaleInPartialCloseFIFO(t *testing.T) {
	b := newBook(t, "10000")
	b.mark("C", "100")
	b.fill("C", engine.Buy, "10", "100", "0")
	b.mark("C", "110")
	b.fill("C", engine.Buy, "10", "110", "0")
	b.mark("C", "120")
	b.fill("C", engine.Sell, "15", "120", "0")
	// 10 × (120 - 100) + 5 × (120 - 110)
	b.wantTrades(tradeWant{qty: "20", entry: "105", exit: "120", comm: "0", gross: "250", net: "250", open: true})
	b.mark("C", "100")
	b.fill("C", engine.Sell, "5", "100", "0")
	b.wantTrades(tradeWant{qty: "20", entry: "105", exit: "115", comm: "0", gross: "200", net: "200", bars: 3})
	b.wantCash("10200")
}

func TestSizer(t *testing.T) {
	eq := testkit.MustDec("100000")
	close := engine.PriceFromFloat(33)
	tests := []struct {
		sizer  Sizer
		target engine.Target
		weight float64
		want   string
	}{
		{Sizer{Quantity: testkit.MustDec("7")}, engine.TargetLong, 0, "7"},
		{Sizer{Quantity: testkit.MustDec("7")}, engine.TargetShort, 0, "-7"},
		{Sizer{Quantity: testkit.MustDec("7")}, engine.TargetFlat, 0, "0"},
		{Sizer{Percent: testkit.MustDec("10")}, engine.TargetLong, 0, "303"},   // 10000 / 33 = 303.03
		{Sizer{Percent: testkit.MustDec("10")}, engine.TargetShort, 0, "-303"}, // toward zero
		{Sizer{Percent: testkit.MustDec("33")}, engine.TargetLong, 0, "1000"},  // exactly 1000: no rounding down to 999
		{Sizer{Quantity: testkit.MustDec("1")}, engine.TargetWeight, 0.5, "1515"},
		{Sizer{Quantity: testkit.MustDec("1")}, engine.TargetWeight, -0.5, "-1515"},
		{Sizer{Percent: testkit.MustDec("10"), Places: 2}, engine.TargetLong, 0, "303.03"},   // 303.0303…
		{Sizer{Percent: testkit.MustDec("10"), Places: 2}, engine.TargetShort, 0, "-303.03"}, // toward zero
		{Sizer{Quantity: testkit.MustDec("7"), Places: 2}, engine.TargetLong, 0, "7"},
		{Sizer{Quantity: testkit.MustDec("1"), Places: 3}, engine.TargetWeight, 0.5, "1515.151"},
	}
	for _, tc := range tests {
		got, err := tc.sizer.Target(&engine.SignalEvent{Target: tc.target, Weight: tc.weight}, eq, close)
		if err != nil || !got.Equal(testkit.MustDec(tc.want)) {
			t.Errorf("%+v %v %v: got %s, %v; want %s", tc.sizer, tc.target, tc.weight, got, err, tc.want)
		}
	}
	for _, bad := range []Sizer{{}, {Quantity: testkit.MustDec("1"), Percent: testkit.MustDec("1")}, {Quantity: testkit.MustDec("-1")}, {Percent: testkit.MustDec("-5")},
		{Percent: testkit.MustDec("5"), Places: -1}} {
		if bad.Validate() == nil {
			t.Errorf("%+v: Validate passed", bad)
		}
	}
}

// MarketUnits works in integers when it can and says so when it cannot;
// EquityDecimal is exact either way.
func TestMarketValueFastPathAndFallback(t *testing.T) {
	b := newBook(t, "1000")
	b.mark("A", "12.5")
	b.fill("A", engine.Buy, "3", "12.5", "0")
	if units, ok := b.p.MarketUnits(); !ok || units != 3_750_000_000 { // 37.5
		t.Fatalf("MarketUnits = %d, %v", units, ok)
	}
	b.wantEquity("1000")
	b.fill("A", engine.Buy, "0.5", "12.5", "0") // a fractional quantity
	if _, ok := b.p.MarketUnits(); ok {
		t.Fatal("MarketUnits claims to be exact with a fractional quantity")
	}
	b.wantEquity("1000")
	b.mark("B", "90000000") // 9e7, near the top of Price's range
	b.fill("B", engine.Buy, "2000000000", "90000000", "0")
	if _, ok := b.p.marketUnits(); ok {
		t.Fatal("marketUnits claims to be exact past int64")
	}
	if got := b.p.EquityDecimal(); !got.Equal(testkit.MustDec("1000")) {
		t.Fatalf("equity %s, want 1000", got)
	}
}

// markRange delivers a bar of sym with the given low, high and close.
func (b *book) markRange(sym, low, high, close string) {
	b.at++
	tm := t0.AddDate(0, 0, b.at)
	bar := testkit.OHLC(sym, tm, close+" "+high+" "+low+" "+close)
	if err := b.p.onMarket(&engine.MarketEvent{Time: tm, Bars: []engine.Bar{bar}}); err != nil {
		b.t.Fatal(err)
	}
}

// TestExcursions checks MAE and MFE by hand: the range is the fill prices
// plus the bars at whose close the trade was open; the exit bar's range
// after an exit at its open does not count.
func TestExcursions(t *testing.T) {
	b := newBook(t, "1000")
	// Long 2 @ 8, held through bars [7,9] and [6,10], sold @ 9 at the open
	// of a bar ranging [1,20] that it no longer holds.
	b.markRange("L", "7", "9", "8")
	b.fill("L", engine.Buy, "2", "8", "0")
	b.markRange("L", "6", "10", "9")
	b.markRange("L", "1", "20", "9")
	b.fill("L", engine.Sell, "2", "9", "0")
	// Short 1 @ 16 on [15,17], then [12,20], still open at the end.
	b.markRange("S", "15", "17", "16")
	b.fill("S", engine.Sell, "1", "16", "0")
	b.markRange("S", "12", "20", "14")
	b.p.Finish()

	tr := b.p.Trades()
	tests := []struct {
		name               string
		min, max, mae, mfe float64
	}{
		{"long closed", 6, 10, 6.0/8 - 1, 10.0/8 - 1},    // -0.25, 0.25
		{"short open", 12, 20, 1 - 20.0/16, 1 - 12.0/16}, // -0.25, 0.25
	}
	for i, tc := range tests {
		g := tr[i]
		if g.MinPrice != tc.min || g.MaxPrice != tc.max || g.MAE != tc.mae || g.MFE != tc.mfe {
			t.Errorf("%s: range [%v,%v] MAE %v MFE %v, want [%v,%v] %v %v", tc.name, g.MinPrice, g.MaxPrice, g.MAE, g.MFE, tc.min, tc.max, tc.mae, tc.mfe)
		}
	}
}

// TestMarkWithWrongSymbolIndex checks that bars whose SymbolIndex is not
// the engine's (made by hand: swapped between symbols, all zero, out of
// range) mark the right positions: a SymbolCache miss falls back to the
// lookup by name.
func TestMarkWithWrongSymbolIndex(t *testing.T) {
	bk := newBook(t, "1000")
	mark := func(idxA, idxB int, a, b string) {
		bk.at++
		tm := t0.AddDate(0, 0, bk.at)
		m := &engine.MarketEvent{Time: tm, Bars: []engine.Bar{
			{Symbol: "A", SymbolIndex: idxA, Time: tm, Close: testkit.MustPrice(a)},
			{Symbol: "B", SymbolIndex: idxB, Time: tm, Close: testkit.MustPrice(b)},
		}}
		if err := bk.p.onMarket(m); err != nil {
			t.Fatal(err)
		}
	}
	mark(0, 1, "10", "20")
	bk.fill("A", engine.Buy, "2", "10", "0")
	bk.fill("B", engine.Buy, "1", "20", "0")
	bk.wantCash("960")
	mark(1, 0, "11", "25") // swapped
	bk.wantEquity("1007")
	mark(0, 0, "12", "30") // both zero
	bk.wantEquity("1014")
	mark(7, -3, "13", "31") // out of range
	bk.wantEquity("1017")
	mark(0, 1, "14", "32") // right again
	bk.wantEquity("1020")
	for _, pos := range bk.p.Positions() {
		if pos.Bars != 5 {
			t.Errorf("%s: %d bars seen, want 5", pos.Symbol, pos.Bars)
		}
	}
}

// TestExcursionsOffGrid: the excursions of a trade whose one entry price
// has more places than divPrecision are measured from the mean entry
// price that settle rounds to divPrecision places, not from the fill
// price. Long 2 @ 1.00000000000000014, whose float64 is 1 + 2^-52; the
// mean entry price is 1.0000000000000001, whose float64 is 1. Two exits,
// 1 @ 1.5 and 1 @ 0.75, make settle work the mean prices out again, so
// MFE = 1.5/1 - 1 = 0.5 and MAE = 0.75/1 - 1 = -0.25 exactly.
func TestExcursionsOffGrid(t *testing.T) {
	b := newBook(t, "1000")
	b.markRange("L", "1", "1", "1")
	b.fill("L", engine.Buy, "2", "1.00000000000000014", "0")
	b.fill("L", engine.Sell, "1", "1.5", "0")
	b.fill("L", engine.Sell, "1", "0.75", "0")
	b.p.Finish()
	g := b.p.Trades()[0]
	if want := "1.0000000000000001"; g.EntryPrice.String() != want {
		t.Fatalf("mean entry price %s, want %s", g.EntryPrice, want)
	}
	if g.MAE != -0.25 || g.MFE != 0.5 {
		t.Errorf("MAE %v MFE %v, want -0.25 0.5", g.MAE, g.MFE)
	}
}
