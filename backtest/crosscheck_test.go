package backtest_test

// An independent re-implementation of quantloop's trading conventions
// (next-bar-open market fills, smacross signals, sizing, costs, FIFO round
// trips), run on the real daily files in shared/data and compared item by
// item with backtest.Run. It deliberately shares no code with the engine:
// plain encoding/csv, math/big rationals and one loop over the dates.

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
	"github.com/quantloop/quantloop/strategy"
)

const xDataDir = "../../shared/data"

// ---------------------------------------------------------------- data

type xBar struct {
	t           time.Time
	open, close *big.Rat
	micro       int64 // close in millionths, for the averages
}

type xSeries struct {
	sym  string
	bars []xBar
}

// xLoad reads a layout-Y file: Date, Open and Close by header name.
func xLoad(path string) (xSeries, error) {
	f, err := os.Open(path)
	if err != nil {
		return xSeries{}, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return xSeries{}, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, need := range []string{"Date", "Open", "Close"} {
		if _, ok := col[need]; !ok {
			return xSeries{}, fmt.Errorf("%s: no %s column in %q", path, need, head)
		}
	}
	base := filepath.Base(path)
	s := xSeries{sym: strings.TrimSuffix(base, filepath.Ext(base))}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return xSeries{}, err
		}
		t, err := time.Parse("2006-01-02", rec[col["Date"]])
		if err != nil {
			return xSeries{}, err
		}
		o, ok1 := new(big.Rat).SetString(rec[col["Open"]])
		c, ok2 := new(big.Rat).SetString(rec[col["Close"]])
		if !ok1 || !ok2 {
			return xSeries{}, fmt.Errorf("%s: bad price in %q", path, rec)
		}
		if n := len(s.bars); n > 0 && !t.After(s.bars[n-1].t) {
			return xSeries{}, fmt.Errorf("%s: time %s not after %s", path, t, s.bars[n-1].t)
		}
		m := mul(c, rat(1000000))
		if !m.IsInt() || !m.Num().IsInt64() {
			return xSeries{}, fmt.Errorf("%s: close %s has more than 6 decimals", path, c.FloatString(10))
		}
		s.bars = append(s.bars, xBar{t: t, open: o, close: c, micro: m.Num().Int64()})
	}
	return s, nil
}

// ---------------------------------------------------------------- model

type xParams struct {
	fast, slow int
	longShort  bool
	size       *big.Rat // fixed quantity, or nil
	sizePct    *big.Rat // percent of equity, or nil
	commPct    *big.Rat
	perShare   *big.Rat
	commMin    *big.Rat
	bps        *big.Rat
}

type xFill struct {
	t     time.Time
	id    uint64
	sym   string
	side  int
	qty   *big.Rat
	price *big.Rat
	comm  *big.Rat
}

type xLot struct{ qty, price *big.Rat }

type xTrade struct {
	sym       string
	short     bool
	qty       *big.Rat // total opened
	entryTime time.Time
	exitTime  time.Time
	entryVal  *big.Rat
	exitVal   *big.Rat
	exitQty   *big.Rat
	comm      *big.Rat
	gross     *big.Rat
	entryBar  int
	bars      int
	open      bool
	lots      []xLot
}

type xEquity struct {
	t          time.Time
	cash, eqty *big.Rat
}

type xOrder struct {
	id  uint64
	qty *big.Rat // signed: + buy, - sell
}

type xSym struct {
	s       xSeries
	next    int     // index of the next bar to consume
	cur     int     // index of the current bar
	closes  []int64 // in millionths
	last    int     // most recent non-zero sign of fast-slow
	pos     *big.Rat
	mark    *big.Rat
	working []xOrder
	trade   *xTrade
}

type xResult struct {
	fills     []xFill
	trades    []*xTrade
	equity    []xEquity
	cash      *big.Rat
	final     *big.Rat
	reversals int
}

func rat(i int64) *big.Rat { return new(big.Rat).SetInt64(i) }

func add(a, b *big.Rat) *big.Rat { return new(big.Rat).Add(a, b) }
func sub(a, b *big.Rat) *big.Rat { return new(big.Rat).Sub(a, b) }
func mul(a, b *big.Rat) *big.Rat { return new(big.Rat).Mul(a, b) }
func quo(a, b *big.Rat) *big.Rat { return new(big.Rat).Quo(a, b) }
func abs(a *big.Rat) *big.Rat    { return new(big.Rat).Abs(a) }
func zeroIfNil(a *big.Rat) *big.Rat {
	if a == nil {
		return rat(0)
	}
	return a
}

// xSimulate runs the conventions over the series, merged by date.
func xSimulate(series []xSeries, p xParams, startCash *big.Rat) *xResult {
	res := &xResult{}
	var open []*xTrade // every trade, in the order it opened
	syms := make([]*xSym, len(series))
	dateSet := map[time.Time]bool{}
	for i, s := range series {
		syms[i] = &xSym{s: s, pos: rat(0)}
		for _, b := range s.bars {
			dateSet[b.t] = true
		}
	}
	dates := make([]time.Time, 0, len(dateSet))
	for t := range dateSet {
		dates = append(dates, t)
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i].Before(dates[j]) })

	cash := new(big.Rat).Set(startCash)
	var nextID uint64 = 1
	one := rat(1)
	tenK := rat(10000)
	hundred := rat(100)

	equity := func() *big.Rat {
		e := new(big.Rat).Set(cash)
		for _, s := range syms {
			if s.pos.Sign() != 0 {
				e.Add(e, mul(s.pos, s.mark))
			}
		}
		return e
	}

	fill := func(s *xSym, t time.Time, o xOrder) {
		b := s.s.bars[s.cur]
		qty := abs(o.qty)
		side := o.qty.Sign()
		var price *big.Rat
		slip := quo(zeroIfNil(p.bps), tenK)
		if side > 0 {
			price = mul(b.open, add(one, slip))
		} else {
			price = mul(b.open, sub(one, slip))
		}
		comm := add(mul(mul(quo(zeroIfNil(p.commPct), hundred), qty), price), mul(zeroIfNil(p.perShare), qty))
		if p.commMin != nil && comm.Cmp(p.commMin) < 0 {
			comm = new(big.Rat).Set(p.commMin)
		}
		value := mul(qty, price)
		if side > 0 {
			cash.Sub(cash, value)
			cash.Sub(cash, comm)
		} else {
			cash.Add(cash, value)
			cash.Sub(cash, comm)
		}
		res.fills = append(res.fills, xFill{t: t, id: o.id, sym: s.s.sym, side: side, qty: qty, price: price, comm: comm})

		// Round trips.
		rest := qty // part of the fill still to book
		old := s.pos
		if old.Sign() != 0 && old.Sign() != side {
			closeQty := abs(old)
			if closeQty.Cmp(qty) > 0 {
				closeQty = qty
			}
			tr := s.trade
			share := quo(mul(comm, closeQty), qty)
			tr.comm.Add(tr.comm, share)
			tr.exitVal.Add(tr.exitVal, mul(closeQty, price))
			tr.exitQty.Add(tr.exitQty, closeQty)
			need := new(big.Rat).Set(closeQty)
			for need.Sign() > 0 {
				lot := &tr.lots[0]
				m := lot.qty
				if m.Cmp(need) > 0 {
					m = need
				}
				var g *big.Rat
				if tr.short {
					g = mul(sub(lot.price, price), m)
				} else {
					g = mul(sub(price, lot.price), m)
				}
				tr.gross.Add(tr.gross, g)
				lot.qty = sub(lot.qty, m)
				need = sub(need, m)
				if lot.qty.Sign() == 0 {
					tr.lots = tr.lots[1:]
				}
			}
			rest = sub(qty, closeQty)
			if closeQty.Cmp(abs(old)) == 0 { // back to zero: the trade ends
				tr.exitTime = t
				tr.bars = s.cur - tr.entryBar
				tr.open = false
				s.trade = nil
				res.trades = append(res.trades, tr) // listed as they close
			}
			if rest.Sign() > 0 {
				res.reversals++
			}
			comm = sub(comm, share)
		}
		if rest.Sign() > 0 {
			if s.trade == nil {
				s.trade = &xTrade{
					sym: s.s.sym, short: side < 0, qty: rat(0), entryTime: t,
					entryVal: rat(0), exitVal: rat(0), exitQty: rat(0), comm: rat(0), gross: rat(0),
					entryBar: s.cur, open: true,
				}
				open = append(open, s.trade)
			}
			tr := s.trade
			tr.qty.Add(tr.qty, rest)
			tr.entryVal.Add(tr.entryVal, mul(rest, price))
			tr.comm.Add(tr.comm, comm)
			tr.lots = append(tr.lots, xLot{qty: rest, price: price})
		}
		s.pos = add(s.pos, o.qty)
	}

	type signal struct {
		s      *xSym
		target int // +1 long, 0 flat, -1 short
	}
	need := p.slow
	if p.fast > need {
		need = p.fast
	}
	for _, t := range dates {
		var active []*xSym
		for _, s := range syms {
			if s.next < len(s.s.bars) && s.s.bars[s.next].t.Equal(t) {
				s.cur = s.next
				s.next++
				active = append(active, s)
			}
		}
		// (a) fills at the open
		for _, s := range active {
			w := s.working
			s.working = nil
			for _, o := range w {
				fill(s, t, o)
			}
		}
		// (b) marks
		for _, s := range active {
			s.mark = s.s.bars[s.cur].close
		}
		// (c) strategy
		var sigs []signal
		for _, s := range active {
			s.closes = append(s.closes, s.s.bars[s.cur].micro)
			n := len(s.closes)
			if n < need {
				continue
			}
			// sumF/fast vs sumS/slow, exactly: sumF×slow vs sumS×fast
			// (closes are whole millionths, far from overflowing).
			var sumF, sumS int64
			for _, c := range s.closes[n-p.fast:] {
				sumF += c
			}
			for _, c := range s.closes[n-p.slow:] {
				sumS += c
			}
			var sign int
			switch l, r := sumF*int64(p.slow), sumS*int64(p.fast); {
			case l > r:
				sign = 1
			case l < r:
				sign = -1
			}
			if sign == 0 {
				continue
			}
			up := sign > 0 && s.last < 0
			down := sign < 0 && s.last > 0
			s.last = sign
			switch {
			case p.longShort && up:
				sigs = append(sigs, signal{s, +1})
			case p.longShort && down:
				sigs = append(sigs, signal{s, -1})
			case up && s.pos.Sign() == 0:
				sigs = append(sigs, signal{s, +1})
			case down && s.pos.Sign() > 0:
				sigs = append(sigs, signal{s, 0})
			}
		}
		// (d) sizing
		if len(sigs) > 0 {
			e := equity()
			for _, sg := range sigs {
				s := sg.s
				var size *big.Rat
				if p.sizePct != nil {
					x := abs(quo(mul(p.sizePct, e), mul(hundred, s.s.bars[s.cur].close)))
					size = new(big.Rat).SetInt(new(big.Int).Quo(x.Num(), x.Denom()))
				} else {
					size = p.size
				}
				target := mul(rat(int64(sg.target)), size)
				q := sub(target, s.pos)
				for _, o := range s.working {
					q.Sub(q, o.qty)
				}
				if q.Sign() == 0 {
					continue
				}
				s.working = append(s.working, xOrder{id: nextID, qty: q})
				nextID++
			}
		}
		// (e) equity point
		res.equity = append(res.equity, xEquity{t: t, cash: new(big.Rat).Set(cash), eqty: equity()})
	}
	for _, s := range syms {
		if s.trade != nil {
			s.trade.bars = len(s.s.bars) - 1 - s.trade.entryBar
		}
	}
	// Trades still open come last, in the order they opened.
	for _, tr := range open {
		if tr.open {
			res.trades = append(res.trades, tr)
		}
	}
	res.cash = cash
	res.final = equity()
	return res
}

// ---------------------------------------------------------------- comparison

// terminating reports whether r has a finite decimal expansion.
func terminating(r *big.Rat) bool {
	d := new(big.Int).Set(r.Denom())
	two, five, zero, m := big.NewInt(2), big.NewInt(5), big.NewInt(0), new(big.Int)
	for m.Mod(d, two).Cmp(zero) == 0 {
		d.Quo(d, two)
	}
	for m.Mod(d, five).Cmp(zero) == 0 {
		d.Quo(d, five)
	}
	return d.IsInt64() && d.Int64() == 1
}

// comparer compares the engine's decimals with the model's rationals:
// exactly when the rational has a finite decimal form, else (a decimal
// cannot hold it: a commission minimum split between two trades in an
// odd proportion) to within 1e-14, counting such approximate comparisons.
type comparer struct{ approx int }

func (c *comparer) same(got decimal.Decimal, want *big.Rat) bool {
	g := got.Rat()
	if terminating(want) {
		return g.Cmp(want) == 0
	}
	c.approx++
	d := abs(sub(g, want))
	return d.Cmp(big.NewRat(1, 100000000000000)) <= 0
}

func fmtRat(r *big.Rat) string {
	if terminating(r) {
		// Enough digits for any finite expansion met here.
		s := r.FloatString(30)
		s = strings.TrimRight(s, "0")
		return strings.TrimSuffix(s, ".")
	}
	return r.FloatString(20) + "…(non-terminating " + r.String() + ")"
}

type fieldDiff struct {
	name      string
	got, want string
}

func (c *comparer) diffNum(diffs []fieldDiff, name string, got decimal.Decimal, want *big.Rat) []fieldDiff {
	if !c.same(got, want) {
		diffs = append(diffs, fieldDiff{name, got.String(), fmtRat(want)})
	}
	return diffs
}

func diffTime(diffs []fieldDiff, name string, got, want time.Time) []fieldDiff {
	if !got.Equal(want) || got.IsZero() != want.IsZero() {
		diffs = append(diffs, fieldDiff{name, got.String(), want.String()})
	}
	return diffs
}

func diffAny(diffs []fieldDiff, name string, got, want any) []fieldDiff {
	if got != want {
		diffs = append(diffs, fieldDiff{name, fmt.Sprint(got), fmt.Sprint(want)})
	}
	return diffs
}

func fmtDiffs(diffs []fieldDiff) string {
	var b strings.Builder
	for _, d := range diffs {
		fmt.Fprintf(&b, "\n      %-11s engine=%s  crosscheck=%s", d.name, d.got, d.want)
	}
	return b.String()
}

func fmtFill(f engine.FillEvent) string {
	return fmt.Sprintf("{%s #%d %s side=%d qty=%s px=%s comm=%s}", f.Time.Format("2006-01-02"), f.OrderID, f.Symbol,
		f.Side, f.Quantity, f.Price, f.Commission)
}

func fmtXFill(f xFill) string {
	return fmt.Sprintf("{%s #%d %s side=%d qty=%s px=%s comm=%s}", f.t.Format("2006-01-02"), f.id, f.sym,
		f.side, fmtRat(f.qty), fmtRat(f.price), fmtRat(f.comm))
}

func fmtTrade(tr portfolio.Trade) string {
	return fmt.Sprintf("{%s short=%v qty=%s entry=%s@%s exit=%s@%s comm=%s gross=%s net=%s bars=%d open=%v}",
		tr.Symbol, tr.Short, tr.Quantity, tr.EntryTime.Format("2006-01-02"), tr.EntryPrice,
		tr.ExitTime.Format("2006-01-02"), tr.ExitPrice, tr.Commission, tr.PnLGross, tr.PnLNet, tr.Bars, tr.Open)
}

func (tr *xTrade) entryPrice() *big.Rat { return quo(tr.entryVal, tr.qty) }

func (tr *xTrade) exitPrice() *big.Rat {
	if tr.exitQty.Sign() == 0 {
		return rat(0)
	}
	return quo(tr.exitVal, tr.exitQty)
}

func fmtXTrade(tr *xTrade) string {
	return fmt.Sprintf("{%s short=%v qty=%s entry=%s@%s exit=%s@%s comm=%s gross=%s net=%s bars=%d open=%v}",
		tr.sym, tr.short, fmtRat(tr.qty), tr.entryTime.Format("2006-01-02"), fmtRat(tr.entryPrice()),
		tr.exitTime.Format("2006-01-02"), fmtRat(tr.exitPrice()), fmtRat(tr.comm), fmtRat(tr.gross),
		fmtRat(sub(tr.gross, tr.comm)), tr.bars, tr.open)
}

// xCompare reports the first differing fill, trade and equity point and
// any difference in the totals. It returns how many numbers could only
// be compared approximately.
func xCompare(t *testing.T, res *backtest.Result, want *xResult) int {
	t.Helper()
	c := &comparer{}

	if len(res.Fills) != len(want.fills) {
		t.Errorf("fill count: engine=%d crosscheck=%d", len(res.Fills), len(want.fills))
	}
	for i := 0; i < min(len(res.Fills), len(want.fills)); i++ {
		g, w := res.Fills[i], want.fills[i]
		var d []fieldDiff
		d = diffTime(d, "Time", g.Time, w.t)
		d = diffAny(d, "OrderID", g.OrderID, w.id)
		d = diffAny(d, "Symbol", g.Symbol, w.sym)
		d = diffAny(d, "Side", int(g.Side), w.side)
		d = c.diffNum(d, "Quantity", g.Quantity, w.qty)
		d = c.diffNum(d, "Price", g.Price, w.price)
		d = c.diffNum(d, "Commission", g.Commission, w.comm)
		if len(d) > 0 {
			t.Errorf("first differing fill: index %d of %d\n    engine:     %s\n    crosscheck: %s%s",
				i, len(want.fills), fmtFill(g), fmtXFill(w), fmtDiffs(d))
			break
		}
	}

	if len(res.Trades) != len(want.trades) {
		t.Errorf("trade count: engine=%d crosscheck=%d", len(res.Trades), len(want.trades))
	}
	for i := 0; i < min(len(res.Trades), len(want.trades)); i++ {
		g, w := res.Trades[i], want.trades[i]
		var d []fieldDiff
		d = diffAny(d, "Symbol", g.Symbol, w.sym)
		d = diffAny(d, "Short", g.Short, w.short)
		d = c.diffNum(d, "Quantity", g.Quantity, w.qty)
		d = diffTime(d, "EntryTime", g.EntryTime, w.entryTime)
		d = c.diffNum(d, "EntryPrice", g.EntryPrice, w.entryPrice())
		d = diffTime(d, "ExitTime", g.ExitTime, w.exitTime)
		d = c.diffNum(d, "ExitPrice", g.ExitPrice, w.exitPrice())
		d = c.diffNum(d, "Commission", g.Commission, w.comm)
		d = c.diffNum(d, "PnLGross", g.PnLGross, w.gross)
		d = c.diffNum(d, "PnLNet", g.PnLNet, sub(w.gross, w.comm))
		d = diffAny(d, "Bars", g.Bars, w.bars)
		d = diffAny(d, "Open", g.Open, w.open)
		if len(d) > 0 {
			t.Errorf("first differing trade: index %d of %d\n    engine:     %s\n    crosscheck: %s%s",
				i, len(want.trades), fmtTrade(g), fmtXTrade(w), fmtDiffs(d))
			break
		}
	}

	if len(res.Equity) != len(want.equity) {
		t.Errorf("equity point count: engine=%d crosscheck=%d", len(res.Equity), len(want.equity))
	}
	for i := 0; i < min(len(res.Equity), len(want.equity)); i++ {
		g, w := res.Equity[i], want.equity[i]
		var d []fieldDiff
		d = diffTime(d, "Time", g.Time, w.t)
		d = c.diffNum(d, "Cash", g.Cash, w.cash)
		d = c.diffNum(d, "Equity", g.Equity(), w.eqty)
		if len(d) > 0 {
			t.Errorf("first differing equity point: index %d of %d (%s)%s",
				i, len(want.equity), w.t.Format("2006-01-02"), fmtDiffs(d))
			break
		}
	}

	// Where a trade's commission share can only be approximated, the
	// shares must still add up exactly to what the fills paid.
	paid, booked := rat(0), decimal.Zero
	for _, f := range want.fills {
		paid.Add(paid, f.comm)
	}
	for _, tr := range res.Trades {
		booked = booked.Add(tr.Commission)
	}
	if !c.same(booked, paid) {
		t.Errorf("sum of trade commissions: engine=%s, fills paid (crosscheck)=%s", booked, fmtRat(paid))
	}

	if !c.same(res.FinalCash, want.cash) {
		t.Errorf("final cash: engine=%s crosscheck=%s", res.FinalCash, fmtRat(want.cash))
	}
	if !c.same(res.FinalEquity, want.final) {
		t.Errorf("final equity: engine=%s crosscheck=%s", res.FinalEquity, fmtRat(want.final))
	}
	return c.approx
}

// ---------------------------------------------------------------- the test

func TestCrossCheckRealData(t *testing.T) {
	if st, err := os.Stat(xDataDir); err != nil || !st.IsDir() {
		t.Skipf("no shared data folder at %s", xDataDir)
	}
	d := decimal.RequireFromString
	type costs struct{ pct, perShare, min, bps string }
	cases := []struct {
		name      string
		files     []string
		params    strategy.Params
		fast      int
		slow      int
		longShort bool
		size      string // fixed size, or ""
		sizePct   string // percent of equity, or ""
		costs     costs
	}{
		{name: "orcl-defaults", files: []string{"orcl-1995-2014.txt"},
			params: strategy.Params{}, fast: 10, slow: 30, size: "1"},
		{name: "yhoo-longshort-pct-slip", files: []string{"yhoo-1996-2014.txt"},
			params: strategy.Params{"fast": "5", "slow": "20", "mode": "longshort"},
			fast:   5, slow: 20, longShort: true, size: "100",
			costs: costs{pct: "0.1", bps: "5"}},
		{name: "nvda-longshort-sizepct-pershare-min", files: []string{"nvda-1999-2014.txt"},
			params: strategy.Params{"fast": "10", "slow": "30", "mode": "longshort"},
			fast:   10, slow: 30, longShort: true, sizePct: "50",
			costs: costs{perShare: "0.005", min: "1"}},
		{name: "three-symbols-longshort-sizepct", files: []string{"orcl-1995-2014.txt", "yhoo-1996-2014.txt", "nvda-1999-2014.txt"},
			params: strategy.Params{"mode": "longshort"},
			fast:   10, slow: 30, longShort: true, sizePct: "20",
			costs: costs{pct: "0.05", bps: "2"}},
		{name: "three-2014-long", files: []string{"orcl-2014.txt", "yhoo-2014.txt", "nvda-2014.txt"},
			params: strategy.Params{"mode": "long"},
			fast:   10, slow: 30, size: "10"},
		// Small orders, so that the commission minimum binds and a
		// reversal splits it between two trades.
		{name: "orcl-longshort-commission-min", files: []string{"orcl-2003-2005.txt"},
			params: strategy.Params{"fast": "5", "slow": "15", "mode": "longshort"},
			fast:   5, slow: 15, longShort: true, sizePct: "1",
			costs: costs{perShare: "0.005", min: "1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var paths []string
			var series []xSeries
			for _, f := range tc.files {
				p := filepath.Join(xDataDir, f)
				s, err := xLoad(p)
				if err != nil {
					t.Fatal(err)
				}
				paths = append(paths, p)
				series = append(series, s)
			}

			cfg := backtest.DefaultConfig()
			cfg.Data.Files = paths
			cfg.Strategy.Name = "smacross"
			cfg.Strategy.Params = tc.params
			cfg.Analysis.PeriodsPerYear = 252
			xp := xParams{fast: tc.fast, slow: tc.slow, longShort: tc.longShort}
			toRat := func(s string) *big.Rat {
				if s == "" {
					return nil
				}
				r, ok := new(big.Rat).SetString(s)
				if !ok {
					t.Fatalf("bad number %q", s)
				}
				return r
			}
			dz := func(s string) decimal.Decimal {
				if s == "" {
					return decimal.Zero
				}
				return d(s)
			}
			if tc.sizePct != "" {
				cfg.Sizing.Size = decimal.Zero
				cfg.Sizing.Pct = d(tc.sizePct)
				xp.sizePct = toRat(tc.sizePct)
			} else {
				cfg.Sizing.Size = d(tc.size)
				xp.size = toRat(tc.size)
			}
			cfg.Costs.Commission.Pct = dz(tc.costs.pct)
			cfg.Costs.Commission.PerShare = dz(tc.costs.perShare)
			cfg.Costs.Commission.Min = dz(tc.costs.min)
			cfg.Costs.Slippage.Bps = dz(tc.costs.bps)
			xp.commPct, xp.perShare, xp.commMin, xp.bps = toRat(tc.costs.pct), toRat(tc.costs.perShare),
				toRat(tc.costs.min), toRat(tc.costs.bps)

			res, err := backtest.Run(context.Background(), cfg)
			if err != nil {
				t.Fatalf("backtest.Run: %v", err)
			}
			if res.Partial || len(res.Errors) > 0 {
				t.Fatalf("run partial=%v errors=%v", res.Partial, res.Errors)
			}
			cash, _ := new(big.Rat).SetString(cfg.Account.Cash.String())
			want := xSimulate(series, xp, cash)

			// Not vacuous: enough activity, and reversals where they can happen.
			const least = 20
			if len(want.fills) <= least {
				t.Errorf("crosscheck made only %d fills, want more than %d", len(want.fills), least)
			}
			if tc.longShort && want.reversals == 0 {
				t.Errorf("longshort case without a reversal fill")
			}
			if len(want.trades) == 0 || len(want.equity) == 0 {
				t.Errorf("no trades (%d) or equity points (%d)", len(want.trades), len(want.equity))
			}

			approx := xCompare(t, res, want)
			t.Logf("compared %d fills, %d trades (%d reversals), %d equity points, %d numbers approximately; final equity %s",
				len(want.fills), len(want.trades), want.reversals, len(want.equity), approx, fmtRat(want.final))
		})
	}
}
