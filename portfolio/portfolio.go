// Package portfolio keeps the books of a run: the ledger of cash and
// positions in exact decimals, round-trip trades, corporate actions
// (splits and dividends, see ActionEntry), and the sizer that turns a
// strategy's signals into orders. It also plans a rebalance to target
// weights (Rebalance) and sizes hand-made orders (QuantityForValue,
// QuantityForFraction, QuantityForRisk). Package portfolio/weights builds
// the target weights.
package portfolio

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/fixed"
)

// Position is the holding in one symbol.
type Position struct {
	Symbol string
	// Quantity is signed: negative for a short.
	Quantity decimal.Decimal
	// Last is the symbol's most recent close: the mark.
	Last engine.Price
	// Bars counts the symbol's bars seen so far.
	Bars int

	// barLo and barHi are the range of the symbol's latest bar, folded into
	// the open trade at the next bar (or at Finish) if the trade was still
	// open at that bar's close.
	barLo, barHi float64

	lots  []lot // open lots, oldest first; all of Quantity's sign
	qtyF  float64
	qtyI  int64  // Quantity as an integer, when qtyOK
	qtyOK bool   // Quantity is an integer that fits in an int64
	trade *Trade // the open round trip, nil when flat
}

// lot is a part of a position opened by one fill.
type lot struct {
	qty   value // positive
	price value
}

// Portfolio is the ledger of one run. Cash, quantities, prices, commissions
// and P&L are exact decimals and change only when a fill is applied.
// Positions are marked to each bar's close in float64 for observation
// (Equity); EquityDecimal gives the exact figure.
type Portfolio struct {
	engine  *engine.Engine
	initial decimal.Decimal
	cash    decimal.Decimal
	cashF   float64

	positions map[string]*Position
	byIndex   engine.SymbolCache[Position] // positions by bar, without the lookup by name
	order     []*Position                  // in order of first bar, for a fixed summation order
	trades    []*Trade                     // in order of opening

	fills      int                     // fills applied so far
	working    map[uint64]workingOrder // accepted or submitted, not yet done
	sizer      Sizer
	closeAtEnd bool
	onClose    func(*Trade)
	dropClosed bool
	spare      *Trade // the last trade closed, to hold the next (Options.ReuseClosed)
	reuse      bool

	borrowRate decimal.Decimal // annual, in percent
	lastDay    time.Time       // date of the previous bar time
	fees       []Fee
	feeTotal   decimal.Decimal
	actions    []ActionEntry
}

// workingOrder is what the books read of an order not yet done, and how
// much of it has filled.
type workingOrder struct {
	Symbol   string
	Side     engine.Side
	Quantity decimal.Decimal
	Parent   uint64 // a bracket exit's entry
	OCO      string
	filled   decimal.Decimal
}

// counts reports whether o counts in symbol's working quantity: an order
// of symbol that is not contingent (a bracket exit or an OCO member),
// since those may never fill.
func (o *workingOrder) counts(symbol string) bool {
	return o.Symbol == symbol && o.Parent == 0 && o.OCO == ""
}

// working returns o's workingOrder, with nothing filled.
func working(o *engine.Order) workingOrder {
	return workingOrder{Symbol: o.Symbol, Side: o.Side, Quantity: o.Quantity, Parent: o.Parent, OCO: o.OCO}
}

// Fee is a cash flow that is not a fill: a short's daily borrow fee.
type Fee struct {
	Time   time.Time
	Symbol string
	Kind   string // "borrow"
	// Amount is taken from cash.
	Amount decimal.Decimal
}

// Options configure a Portfolio.
type Options struct {
	// Cash is the starting cash.
	Cash decimal.Decimal
	// Sizer turns signals into order quantities.
	Sizer Sizer
	// CloseAtEnd closes every open position at the close of the final
	// timestamp with market-on-close orders. Off, positions stay open and
	// are reported as open trades.
	CloseAtEnd bool
	// OnClose, if set, is told of each trade as it closes.
	OnClose func(*Trade)
	// DropClosed makes the portfolio forget trades once closed (and told
	// to OnClose): Trades then returns the open ones only, and memory does
	// not grow with the number of trades.
	DropClosed bool
	// ReuseClosed, with DropClosed, makes the portfolio hold its next
	// trade in the Trade of the one that closed last, once OnClose has
	// returned: OnClose must copy what it keeps of the Trade, and a
	// Trade that Trades returned is valid only until it closes.
	ReuseClosed bool
	// BorrowRate is the annual fee, in percent, on the market value of
	// short positions. It is charged at the first bar time of each new
	// calendar day, for the calendar days since the previous bar time, on
	// the shorts marked at their last close:
	// |quantity| × close × BorrowRate/100 × days/365, rounded half away
	// from zero to 8 decimal places.
	BorrowRate decimal.Decimal
}

// New returns a portfolio subscribed to e's market, fill, signal and order
// events.
func New(e *engine.Engine, opts Options) *Portfolio {
	p := &Portfolio{
		engine:     e,
		initial:    opts.Cash,
		cash:       opts.Cash,
		cashF:      fixed.Float64(opts.Cash),
		positions:  make(map[string]*Position),
		working:    make(map[uint64]workingOrder),
		sizer:      opts.Sizer,
		closeAtEnd: opts.CloseAtEnd,
		onClose:    opts.OnClose,
		dropClosed: opts.DropClosed,
		reuse:      opts.DropClosed && opts.ReuseClosed,
		borrowRate: opts.BorrowRate,
	}
	bus := e.Bus()
	engine.Subscribe(bus, "portfolio", p.onMarket)
	engine.Subscribe(bus, "portfolio", p.onFill)
	engine.Subscribe(bus, "portfolio", p.onAction)
	engine.Subscribe(bus, "sizer", p.onSignal)
	engine.Subscribe(bus, "portfolio", func(c *engine.SubmitOrder) error {
		p.track(&c.Order)
		return nil
	})
	engine.Subscribe(bus, "portfolio", func(r *engine.OrderRejected) error {
		delete(p.working, r.Order.ID)
		return nil
	})
	engine.Subscribe(bus, "portfolio", func(c *engine.OrderCanceled) error {
		delete(p.working, c.Order.ID)
		return nil
	})
	engine.Subscribe(bus, "portfolio", func(x *engine.OrderExpired) error {
		delete(p.working, x.Order.ID)
		return nil
	})
	engine.Subscribe(bus, "portfolio", func(m *engine.OrderModified) error {
		if w, ok := p.working[m.Order.ID]; ok {
			filled := w.filled
			w = working(&m.Order)
			w.filled = filled
			p.working[m.Order.ID] = w
		}
		return nil
	})
	return p
}

// InitialCash returns the starting cash.
func (p *Portfolio) InitialCash() decimal.Decimal { return p.initial }

// Cash returns the cash balance.
func (p *Portfolio) Cash() decimal.Decimal { return p.cash }

// Position returns the signed quantity held in symbol.
func (p *Portfolio) Position(symbol string) decimal.Decimal {
	if pos, ok := p.positions[symbol]; ok {
		return pos.Quantity
	}
	return decimal.Zero
}

// Fills returns how many fills have been applied. Cash changes only when
// it does.
func (p *Portfolio) Fills() int { return p.fills }

// Positions returns every symbol seen, in order of its first bar.
func (p *Portfolio) Positions() []*Position { return p.order }

// Equity returns cash plus every position marked at its last close, in
// float64. It allocates nothing.
func (p *Portfolio) Equity() float64 {
	eq := p.cashF
	for _, pos := range p.order {
		if pos.qtyF != 0 {
			eq += pos.qtyF * pos.Last.Float64()
		}
	}
	return eq
}

// Gross returns Σ |quantity| × last close over the open positions, the
// gross exposure, in float64. It allocates nothing.
func (p *Portfolio) Gross() float64 {
	g := 0.0
	for _, pos := range p.order {
		if pos.qtyF != 0 {
			g += math.Abs(pos.qtyF * pos.Last.Float64())
		}
	}
	return g
}

// EquityDecimal returns cash plus every position marked at its last close,
// exactly.
func (p *Portfolio) EquityDecimal() decimal.Decimal {
	if units, ok := p.marketUnits(); ok {
		if units == 0 {
			return p.cash
		}
		return p.cash.Add(decimal.New(units, -engine.PriceDecimals))
	}
	return p.cash.Add(p.MarketValueDecimal())
}

// MarketUnits returns Σ quantity × last close over the open positions in
// Price units (1e-8), computed in integers without allocating, and
// whether that sum is exact: it is not when a quantity is fractional or
// the sum does not fit in an int64, and MarketValueDecimal then gives it.
func (p *Portfolio) MarketUnits() (units int64, ok bool) { return p.marketUnits() }

// marketUnits returns Σ quantity × last close over the open positions in
// Price units (1e-8), computed in integers without allocating. ok is false
// when a quantity is fractional or the sum does not fit in an int64;
// MarketValueDecimal is exact either way.
func (p *Portfolio) marketUnits() (units int64, ok bool) {
	var c fixed.Calc
	for _, pos := range p.order {
		if pos.qtyF == 0 {
			continue
		}
		if !pos.qtyOK {
			return 0, false
		}
		units = c.AddInt64(units, c.MulInt64(pos.qtyI, int64(pos.Last)))
	}
	return units, !c.Overflow()
}

// MarketValueDecimal returns Σ quantity × last close over the open
// positions, exactly.
func (p *Portfolio) MarketValueDecimal() decimal.Decimal {
	mv := decimal.Zero
	for _, pos := range p.order {
		if !pos.Quantity.IsZero() {
			mv = mv.Add(pos.Quantity.Mul(pos.Last.Decimal()))
		}
	}
	return mv
}

// Trades returns every round trip, closed or still open, in order of
// opening.
//
// Open trades are settled first, so their mean prices, commission and
// P&L are up to date; their bar counts are as of the last Finish.
func (p *Portfolio) Trades() []*Trade {
	for _, pos := range p.order {
		if pos.trade != nil {
			pos.trade.settle()
		}
	}
	return p.trades
}

// Fees returns the fees charged, in time order.
func (p *Portfolio) Fees() []Fee { return p.fees }

// FeeTotal returns the sum of the fees charged.
func (p *Portfolio) FeeTotal() decimal.Decimal { return p.feeTotal }

// Working returns the quantity of symbol in orders not yet filled, signed
// by side. Contingent orders (bracket exits and OCO members) are left out:
// they may never fill.
func (p *Portfolio) Working(symbol string) decimal.Decimal {
	w := decimal.Zero
	for _, o := range p.working {
		if o.counts(symbol) {
			w = w.Add(o.Quantity.Sub(o.filled).Mul(decimal.NewFromInt(int64(o.Side))))
		}
	}
	return w
}

func (p *Portfolio) track(o *engine.Order) {
	if _, ok := p.working[o.ID]; !ok {
		p.working[o.ID] = working(o)
	}
}

func (p *Portfolio) position(symbol string) *Position {
	pos, ok := p.positions[symbol]
	if !ok {
		pos = &Position{Symbol: symbol}
		p.positions[symbol] = pos
		p.order = append(p.order, pos)
	}
	return pos
}

func (p *Portfolio) onMarket(m *engine.MarketEvent) error {
	if p.borrowRate.IsPositive() {
		p.chargeBorrow(m.Time)
	}
	for i := range m.Bars {
		b := &m.Bars[i]
		pos := p.byIndex.Get(b)
		if pos == nil {
			pos = p.position(b.Symbol)
			p.byIndex.Put(b, pos)
		}
		if pos.trade != nil {
			// Open now, so it was open at the previous bar's close.
			pos.trade.see(pos.barLo, pos.barHi)
		}
		pos.Last = b.Close
		pos.barLo, pos.barHi = b.Low.Float64(), b.High.Float64()
		pos.Bars++
	}
	if p.closeAtEnd && m.Last {
		// Before the sizer runs (it is deferred later), so that the exit
		// orders come first; they fill at this bar's close.
		p.engine.Defer(engine.PhaseSignal, "close-at-end", p.closeAll)
	}
	return nil
}

var daysPerYear = decimal.NewFromInt(365)

// chargeBorrow charges the borrow fee of the shorts at the first bar time
// of a new day.
func (p *Portfolio) chargeBorrow(t time.Time) {
	y, mo, d := t.Date()
	day := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	prev := p.lastDay
	p.lastDay = day
	if prev.IsZero() || !day.After(prev) {
		return
	}
	days := decimal.NewFromInt(int64(day.Sub(prev).Hours()+0.5) / 24)
	for _, pos := range p.order {
		if !pos.Quantity.IsNegative() {
			continue
		}
		fee := pos.Quantity.Abs().Mul(pos.Last.Decimal()).Mul(p.borrowRate).Mul(days).
			DivRound(daysPerYear.Mul(decimal.NewFromInt(100)), 8)
		if fee.IsZero() {
			continue
		}
		p.cash = p.cash.Sub(fee)
		p.cashF = fixed.Float64(p.cash)
		p.feeTotal = p.feeTotal.Add(fee)
		p.fees = append(p.fees, Fee{Time: t, Symbol: pos.Symbol, Kind: "borrow", Amount: fee})
	}
}

// closeAll sends a market-on-close order flattening every open position.
func (p *Portfolio) closeAll() error {
	for _, pos := range p.order {
		if pos.Quantity.IsZero() {
			continue
		}
		side := engine.Sell
		if pos.Quantity.IsNegative() {
			side = engine.Buy
		}
		o := engine.Order{
			ID: p.engine.NextOrderID(), Time: p.engine.Now(), Symbol: pos.Symbol,
			Side: side, Type: engine.MarketOnClose, Quantity: pos.Quantity.Abs(), Source: "close-at-end",
		}
		p.track(&o)
		p.engine.Emit(&engine.SubmitOrder{Order: o})
	}
	return nil
}

// onFill applies a fill to cash, the position and its round trips.
func (p *Portfolio) onFill(f *engine.FillEvent) error {
	if !f.Quantity.IsPositive() {
		return fmt.Errorf("fill of order %d: quantity %s is not positive", f.OrderID, f.Quantity)
	}
	if w, ok := p.working[f.OrderID]; ok {
		if f.Remaining.IsZero() {
			delete(p.working, f.OrderID)
		} else {
			w.filled = w.filled.Add(f.Quantity)
			p.working[f.OrderID] = w
		}
	}
	p.fills++
	v := valuesOf(f)
	p.cash, p.cashF = cashAfter(p.cash, f.Side, v)

	pos := p.position(f.Symbol)
	closing := zeroValue
	if !pos.Quantity.IsZero() && pos.Quantity.IsNegative() == (f.Side == engine.Buy) {
		closing = minAbs(v.qty, pos.Quantity)
	}
	opening := subValue(v.qty, closing)
	comm := v.commission()
	closeComm := comm
	if opening.sign() > 0 {
		// The commission is shared by quantity between the two parts.
		closeComm = shareOf(v.comm, closing, v.qty)
	}
	if closing.sign() > 0 {
		p.close(pos, closing, f, v, closeComm)
	}
	if opening.sign() > 0 {
		p.open(pos, opening, f, v, comm.sub(closeComm))
	}
	pos.syncQty()
	return nil
}

// fillValues are a fill's quantity, price and commission with their
// Decs, read once for every step of onFill, and the price in float64.
type fillValues struct {
	qty, price, comm value
	priceF           float64
}

// valuesOf returns f's values.
func valuesOf(f *engine.FillEvent) fillValues {
	v := fillValues{qty: valueOf(f.Quantity), price: valueOf(f.Price), comm: valueOf(f.Commission)}
	v.priceF = v.price.float()
	return v
}

// commission returns the commission as an amount, as amountOf does.
func (v *fillValues) commission() amount {
	if v.comm.ok {
		return amount{f: v.comm.f}
	}
	return bigAmount(v.comm.d)
}

// syncQty sets the float64 and int64 forms of pos.Quantity.
func (pos *Position) syncQty() {
	pos.qtyF = fixed.Float64(pos.Quantity)
	if q, ok := fixed.Of(pos.Quantity); ok {
		pos.qtyI, pos.qtyOK = q.Int()
		pos.qtyOK = pos.qtyOK && pos.qtyI < 1e18 && pos.qtyI > -1e18
	} else {
		pos.qtyOK = pos.Quantity.IsInteger() && pos.Quantity.Abs().LessThan(maxQtyInt)
		if pos.qtyOK {
			pos.qtyI = pos.Quantity.IntPart()
		}
	}
}

// cashAfter returns cash after the fill f: less its value for a buy, plus
// it for a sell, less its commission, and that cash rounded to a float64
// (fixed.Float64). It is exact, in int64 arithmetic when the values fit.
func cashAfter(cash decimal.Decimal, side engine.Side, f fillValues) (decimal.Decimal, float64) {
	var c fixed.Calc
	v := c.Mul(f.qty.use(&c), f.price.use(&c))
	if side == engine.Buy {
		v = c.Neg(v)
	}
	// A commission carries the decimal places of all its factors (a
	// price's 8, a percent's and the percent's 2), more than its value
	// needs and, aligned with a cash of millions, more than an int64
	// holds; trimmed, it and the cash keep the
	// exponents their values need, and the cash stays in int64
	// arithmetic from fill to fill.
	after := c.Sub(c.Add(c.Of(cash), v), f.comm.use(&c).Trim())
	if !c.Overflow() {
		after = after.Trim()
		d := after.Decimal()
		if x, ok := after.Float64(); ok {
			return d, x
		}
		return d, fixed.Float64(d)
	}
	value := f.qty.d.Mul(f.price.d)
	if side == engine.Buy {
		cash = cash.Sub(value)
	} else {
		cash = cash.Add(value)
	}
	cash = cash.Sub(f.comm.d)
	return cash, fixed.Float64(cash)
}

// minAbs returns the smaller of qty (positive) and |held|: qty itself
// when it is not larger.
func minAbs(qty value, held decimal.Decimal) value {
	var c fixed.Calc
	hf := c.Of(held)
	h := c.Abs(hf)
	cmp := c.Cmp(qty.use(&c), h)
	if !c.Overflow() {
		switch {
		case cmp <= 0:
			return qty
		case hf.C > 0:
			return value{d: held, f: hf, ok: true}
		}
		return decValue(h)
	}
	return valueOf(decimal.Min(qty.d, held.Abs()))
}

// shareOf returns commission × part / whole, rounded to divPrecision
// places: the share of a fill's commission that part of its quantity
// bears.
func shareOf(commission, part, whole value) amount {
	if commission.sign() == 0 || part.sign() == 0 {
		return amount{}
	}
	var c fixed.Calc
	r := c.DivRound(c.Mul(commission.use(&c), part.use(&c)), whole.use(&c), divPrecision)
	if !c.Overflow() {
		return amount{f: r}
	}
	return amountOf(commission.d.Mul(part.d).DivRound(whole.d, divPrecision))
}

// maxQtyInt bounds quantities held as int64 for marketUnits.
var maxQtyInt = decimal.New(1, 18)

// close takes qty off pos's lots, first in first out, and books the P&L to
// the open trade, closing it if the position reaches zero.
func (p *Portfolio) close(pos *Position, closing value, f *engine.FillEvent, v fillValues, commission amount) {
	short := pos.Quantity.IsNegative()
	gross, ok := closeLots(pos, closing, v.price, short)
	qty := closing.d
	if !ok {
		gross = amountOf(closeLotsDecimal(pos, qty, f.Price, short))
	}
	if short {
		pos.Quantity = fixed.Add(pos.Quantity, qty)
	} else {
		pos.Quantity = fixed.Sub(pos.Quantity, qty)
	}
	t := pos.trade
	t.addExit(qty, f.Price, v.priceF, gross, commission)
	if pos.Quantity.IsZero() {
		t.Open = false
		t.ExitTime = f.Time
		t.Bars = pos.Bars - t.entryBar
		t.settle()
		pos.trade = nil
		pos.dropLots(len(pos.lots))
		if p.onClose != nil {
			p.onClose(t)
		}
		if p.dropClosed {
			p.trades = slices.DeleteFunc(p.trades, func(x *Trade) bool { return x == t })
		}
		if p.reuse {
			p.spare = t
		}
	}
}

// closeLotsDecimal takes qty off pos's lots, first in first out, and
// returns the gross P&L, in decimal: what closeLots does when its values
// do not fit in int64.
func closeLotsDecimal(pos *Position, qty, price decimal.Decimal, short bool) decimal.Decimal {
	gross := decimal.Zero
	left := qty
	for left.IsPositive() {
		l := &pos.lots[0]
		take := decimal.Min(left, l.qty.d)
		diff := price.Sub(l.price.d) // per unit, for a long
		if short {
			diff = diff.Neg()
		}
		gross = gross.Add(take.Mul(diff))
		l.qty = valueOf(l.qty.d.Sub(take))
		left = left.Sub(take)
		if l.qty.sign() == 0 {
			pos.dropLots(1)
		}
	}
	return gross
}

// closeLots takes qty off pos's lots, first in first out, in int64
// arithmetic, and returns the gross P&L at price. ok is false, and the
// lots are untouched, when a value does not fit: closeLotsDecimal then
// does the same.
func closeLots(pos *Position, qty, price value, short bool) (gross amount, ok bool) {
	var c fixed.Calc
	left, px := qty.use(&c), price.use(&c)
	var g, rest fixed.Dec // the gross P&L; what is left of the last lot taken from
	n := 0                // lots used up
	for !c.Overflow() && left.Sign() > 0 {
		if n == len(pos.lots) {
			return amount{}, false // the decimal loop reports it
		}
		l := &pos.lots[n]
		lq, lp := l.qty.use(&c), l.price.use(&c)
		take := lq
		if c.Cmp(left, lq) < 0 {
			take = left
		}
		diff := c.Sub(px, lp) // per unit, for a long
		if short {
			diff = c.Neg(diff)
		}
		g = c.Add(g, c.Mul(take, diff))
		rest = c.Sub(lq, take)
		left = c.Sub(left, take)
		if rest.IsZero() {
			n++
		}
	}
	if c.Overflow() {
		return amount{}, false
	}
	pos.dropLots(n)
	if !rest.IsZero() {
		pos.lots[0].qty = decValue(rest)
	}
	return amount{f: g}, true
}

// dropLots removes the first n lots of pos, moving the rest to the front
// of their array, so that later openings reuse the array rather than
// grow a new one.
func (pos *Position) dropLots(n int) {
	k := copy(pos.lots, pos.lots[n:])
	clear(pos.lots[k:])
	pos.lots = pos.lots[:k]
}

// open adds qty to pos at the fill's price, opening a trade if flat.
func (p *Portfolio) open(pos *Position, qty value, f *engine.FillEvent, v fillValues, commission amount) {
	if pos.trade == nil {
		t := p.spare
		if t == nil {
			t = new(Trade)
		}
		p.spare = nil
		*t = Trade{
			Symbol:    pos.Symbol,
			Short:     f.Side == engine.Sell,
			EntryTime: f.Time,
			Open:      true,
			entryBar:  pos.Bars,
		}
		pos.trade = t
		p.trades = append(p.trades, t)
	}
	pos.trade.addEntry(qty.d, f.Price, v.priceF, commission)
	pos.lots = append(pos.lots, lot{qty: qty, price: v.price})
	if f.Side == engine.Buy {
		pos.Quantity = fixed.Add(pos.Quantity, qty.d)
	} else {
		pos.Quantity = fixed.Sub(pos.Quantity, qty.d)
	}
}

// Finish settles the trades still open: their mean prices, net P&L and
// bar counts as of the last bar seen. Call it once after the run.
func (p *Portfolio) Finish() {
	for _, pos := range p.order {
		if pos.trade != nil {
			pos.trade.Bars = pos.Bars - pos.trade.entryBar
			pos.trade.see(pos.barLo, pos.barHi)
			pos.trade.settle()
		}
	}
}

// onSignal sizes a signal into an order for the difference between the
// target and the position plus what is already working.
func (p *Portfolio) onSignal(s *engine.SignalEvent) error {
	pos, ok := p.positions[s.Symbol]
	if !ok || pos.Last == 0 {
		return fmt.Errorf("signal for %s: no price seen yet", s.Symbol)
	}
	side := engine.Buy
	var qty decimal.Decimal
	if delta, ok := p.deltaFixed(s, pos); ok {
		if delta.IsZero() {
			return nil
		}
		if delta.Sign() < 0 {
			side = engine.Sell
			delta, _ = delta.Neg() // deltaFixed made sure it can
		}
		qty = delta.Decimal()
	} else {
		var equity decimal.Decimal
		if s.Target == engine.TargetWeight || !p.sizer.Percent.IsZero() {
			equity = p.EquityDecimal() // exact, and only when the size depends on it
		}
		target, err := p.sizer.Target(s, equity, pos.Last)
		if err != nil {
			return err
		}
		delta := target.Sub(pos.Quantity).Sub(p.Working(s.Symbol))
		if delta.IsZero() {
			return nil
		}
		if delta.IsNegative() {
			side = engine.Sell
		}
		qty = delta.Abs()
	}
	o := engine.Order{
		ID: p.engine.NextOrderID(), Time: s.Time, Symbol: s.Symbol, Side: side,
		Type: engine.Market, Quantity: qty, Source: s.Strategy,
	}
	p.track(&o)
	p.engine.Emit(&engine.SubmitOrder{Order: o})
	return nil
}

// deltaFixed is onSignal's order quantity, target - position - working,
// worked out in int64 arithmetic; ok is false when a value does not fit
// or the target needs decimal (a weight), and onSignal then does it in
// decimal.
func (p *Portfolio) deltaFixed(s *engine.SignalEvent, pos *Position) (fixed.Dec, bool) {
	var equity fixed.Dec
	if s.Target == engine.TargetWeight {
		return fixed.Dec{}, false
	}
	if !p.sizer.Percent.IsZero() {
		var ok bool
		if equity, ok = p.equityFixed(); !ok {
			return fixed.Dec{}, false
		}
	}
	target, ok := p.sizer.targetFixed(s.Target, equity, pos.Last)
	if !ok {
		return fixed.Dec{}, false
	}
	var c fixed.Calc
	delta := c.Sub(target, c.Of(pos.Quantity))
	for _, o := range p.working {
		if !o.counts(s.Symbol) {
			continue
		}
		w := c.Mul(c.Sub(c.Of(o.Quantity), c.Of(o.filled)), fixed.Int(int64(o.Side)))
		delta = c.Sub(delta, w)
	}
	c.Neg(delta) // no |delta| in an int64 is an overflow too
	return delta, !c.Overflow()
}

// equityFixed returns EquityDecimal's value in int64 arithmetic, and
// false when a value does not fit.
func (p *Portfolio) equityFixed() (fixed.Dec, bool) {
	units, ok := p.marketUnits()
	if !ok {
		return fixed.Dec{}, false
	}
	var c fixed.Calc
	e := c.Add(c.Of(p.cash), fixed.Dec{C: units, E: -engine.PriceDecimals})
	return e, !c.Overflow()
}
