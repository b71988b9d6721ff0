package broker

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/fixed"
)

// execution is where and at what price an order would fill on a bar.
type execution struct {
	at        point
	price     engine.Price // before slippage
	slip      bool         // a market execution: slippage applies
	triggered bool         // the order's stop triggered on this bar
	trigger   point
}

// matchOrder applies the fill rules to one order on path p from the point
// from (the open, or where a bracket's entry filled). stop is the
// effective stop price (a trailing stop's as it stood at the open);
// triggered says the stop triggered on an earlier bar.
//
//   - market, market-on-open, a triggered stop: at from's price (the open);
//   - limit: at the first point where the price is at or better than the
//     limit: the open when it gaps through, else the limit;
//   - stop: at the first point where the price is at or through the stop:
//     the open when it gaps through, else the stop; slippage applies;
//   - stop-limit: the stop triggers as above, then the order works as a
//     limit from the trigger point on;
//   - trailing stop: a stop at its current stop price.
func matchOrder(o *engine.Order, stop engine.Price, triggered bool, p *path, from point) (execution, bool) {
	switch o.Type {
	case engine.Market, engine.MarketOnOpen, engine.MarketOnClose:
		return execution{at: from, price: from.px, slip: true}, true
	case engine.Limit:
		at, ok := p.favorable(o.Side, o.Limit, from)
		return execution{at: at, price: at.px}, ok
	case engine.Stop, engine.TrailingStop:
		if triggered {
			return execution{at: from, price: from.px, slip: true}, true
		}
		at, ok := p.adverse(o.Side, stop, from)
		return execution{at: at, price: at.px, slip: true, triggered: ok, trigger: at}, ok
	case engine.StopLimit:
		x := execution{}
		start := from
		if !triggered {
			t, ok := p.adverse(o.Side, stop, from)
			if !ok {
				return x, false
			}
			x.triggered, x.trigger, start = true, t, t
		}
		at, ok := p.favorable(o.Side, o.Limit, start)
		x.at, x.price = at, at.px
		return x, ok
	}
	return execution{}, false
}

// candidate is an order that can execute on the current bar.
type candidate struct {
	w    *order
	x    execution
	fill bool // false: the stop only triggers
}

// matchBar executes the working orders of bk, bar's symbol, on bar.
func (b *Broker) matchBar(bk *book, bar *engine.Bar) {
	list := bk.resting
	for _, w := range list {
		if w.done {
			continue
		}
		if reason := expiry(w, bar); reason != "" {
			b.finish(w)
			b.engine.Emit(&engine.OrderExpired{Time: bar.Time, Order: w.o, Reason: reason})
			b.endChildren(w, "entry expired")
		}
	}
	p := newPath(bar, b.opts.Path, bk.pos.Sign())
	start := point{0, bar.Open}
	limited := b.opts.MaxVolumeShare.IsPositive()
	var capacity decimal.Decimal
	if limited {
		capacity = b.opts.MaxVolumeShare.Mul(decimal.NewFromFloat(bar.Volume)).Floor()
	}
	cands := b.cands[:0]
	add := func(w *order, from point) {
		if !b.eligible(w, bar) {
			return
		}
		w.try(bar)
		x, ok := matchOrder(&w.o, w.stop, w.triggered, &p, from)
		if ok || (x.triggered && !w.triggered) {
			if !ok {
				x.at = x.trigger
			}
			cands = append(cands, candidate{w: w, x: x, fill: ok})
		}
	}
	for _, w := range list {
		add(w, start)
	}
	for len(cands) > 0 {
		i := 0
		for j := 1; j < len(cands); j++ {
			if p.before(cands[j].x.at, cands[i].x.at) ||
				(!p.before(cands[i].x.at, cands[j].x.at) && cands[j].w.o.ID < cands[i].w.o.ID) {
				i = j
			}
		}
		c := cands[i]
		cands = append(cands[:i], cands[i+1:]...)
		w := c.w
		if w.done {
			continue
		}
		if c.x.triggered && !w.triggered {
			w.triggered = true
			b.engine.Emit(&engine.OrderTriggered{Time: bar.Time, Order: w.o, Price: c.x.trigger.px})
		}
		if !c.fill {
			continue
		}
		want := w.remaining()
		qty := want
		if w.o.ReduceOnly {
			pos := bk.pos
			if pos.Sign() != -int(w.o.Side) {
				b.cancel(w, bar.Time, "reduce-only: no position to reduce")
				continue
			}
			qty = decimal.Min(qty, pos.Abs())
		}
		if limited {
			qty = decimal.Min(qty, capacity)
		}
		if w.o.TIF == engine.FOK && qty.LessThan(want) {
			b.cancel(w, bar.Time, fmt.Sprintf("FOK: only %s of %s could fill", qty, want))
			continue
		}
		if !qty.IsPositive() {
			continue
		}
		qty = b.fill(w, qty, c.x.price, c.x.slip, bar)
		if limited {
			capacity = capacity.Sub(qty)
		}
		for _, ch := range w.children {
			if !ch.done && !ch.tried {
				if ch.o.Type == engine.TrailingStop && ch.best == 0 {
					ch.best = c.x.price
					ch.stop = trailStop(&ch.o, ch.best)
				}
				add(ch, c.x.at)
			}
		}
	}
	b.cands = cands[:0]
	for _, w := range bk.resting {
		if w.done || !w.tried {
			continue
		}
		switch w.o.TIF {
		case engine.IOC:
			if w.filled.IsPositive() {
				b.cancelAfterFill(w, bar.Time, "IOC: the unfilled rest is canceled")
			} else {
				b.cancel(w, bar.Time, "IOC: the unfilled rest is canceled")
			}
			continue
		case engine.FOK:
			b.cancel(w, bar.Time, "FOK: not filled")
			continue
		}
		if w.o.Type == engine.TrailingStop && !w.triggered {
			if w.o.Side == engine.Sell {
				w.best = max(w.best, bar.High)
			} else {
				w.best = min(w.best, bar.Low)
			}
			w.stop = trailStop(&w.o, w.best)
		}
	}
	bk.compact()
}

// try marks w as matched against bar; a Day order's session is bar's.
func (w *order) try(bar *engine.Bar) {
	w.tried = true
	if w.o.TIF == engine.Day && w.day.IsZero() {
		y, mo, d := bar.Time.Date()
		w.day = time.Date(y, mo, d, 0, 0, 0, 0, bar.Time.Location())
	}
}

// sellFirst fills, in a cash account, the working market and
// market-on-open sells of the bars' symbols at their opens before any
// other order of the bar time matches, so that the buys may spend their
// proceeds. It leaves to the usual matching the sells that are bracket
// entries or exits, OCO members or reduce-only, those that expire on the
// bar, and every order when the volume share is limited.
func (b *Broker) sellFirst(bars []engine.Bar) {
	if b.opts.MaxVolumeShare.IsPositive() {
		return
	}
	for i := range bars {
		bar := &bars[i]
		bk := b.books[bar.Symbol]
		if bk == nil {
			continue
		}
		for _, w := range bk.resting {
			if w.o.Side != engine.Sell || !sellsAtOpen(w.o.Type) || w.parent != nil || len(w.children) > 0 ||
				w.o.OCO != "" || w.o.ReduceOnly || !b.eligible(w, bar) || expiry(w, bar) != "" {
				continue
			}
			w.try(bar)
			b.fill(w, w.remaining(), bar.Open, true, bar)
		}
	}
}

// trailStop returns a trailing stop's stop price for the best price seen.
// A percent distance is rounded half to even to the 1e-8 price grid.
func trailStop(o *engine.Order, best engine.Price) engine.Price {
	if o.TrailAmount > 0 {
		if o.Side == engine.Sell {
			return best - o.TrailAmount
		}
		return best + o.TrailAmount
	}
	f := decimal.NewFromInt(100).Sub(o.TrailPercent)
	if o.Side == engine.Buy {
		f = decimal.NewFromInt(100).Add(o.TrailPercent)
	}
	s, err := engine.ParsePrice(best.Decimal().Mul(f).Shift(-2).String())
	if err != nil {
		return 0
	}
	return s
}

// compact drops finished orders from the list of working orders.
func (bk *book) compact() {
	list := bk.resting
	n := 0
	for _, w := range list {
		if !w.done {
			list[n] = w
			n++
		}
	}
	clear(list[n:])
	bk.resting = list[:n]
}

// ErrFillPrice is the error, wrapped, that stops a run whose fill price
// would be zero or negative.
var ErrFillPrice = errors.New("a fill price must be positive")

// fill executes qty of w at price (before slippage) on bar and returns
// the quantity filled. A fill price that is not positive stops the run
// with an error wrapping ErrFillPrice and fills nothing. In a cash
// account a buy fills only what the cash pays for (see affordable); the
// rest of the order is canceled.
func (b *Broker) fill(w *order, qty decimal.Decimal, price engine.Price, slip bool, bar *engine.Bar) decimal.Decimal {
	raw := price.Decimal()
	px, ok := b.fillPrice(w, qty, raw, slip, bar)
	if !ok {
		return decimal.Zero
	}
	checked := w.o.Side == engine.Buy && b.cashAccount()
	comm := b.commission(w, qty, px, bar.Time, !checked)
	short := ""
	if checked {
		if need := fixed.Add(fixed.Mul(qty, px), comm); need.GreaterThan(b.cash) {
			short = fmt.Sprintf("cash account: %s free at the fill, the order needs %s", b.cash, need)
			qty = b.affordable(w, qty, raw, slip, bar)
			if !qty.IsPositive() {
				b.cancel(w, bar.Time, short)
				return decimal.Zero
			}
			px, _ = b.fillPrice(w, qty, raw, slip, bar)
			comm = b.commission(w, qty, px, bar.Time, true)
		} else if _, ok := b.opts.Commission.(quoter); ok {
			comm = b.commission(w, qty, px, bar.Time, true)
		}
	}
	w.filled = fixed.Add(w.filled, qty)
	rest := w.open()
	if !rest.IsZero() {
		// Later fills' commissions need what this order has done so far.
		w.value = fixed.Add(w.value, fixed.Mul(qty, px))
		w.paid = fixed.Add(w.paid, comm)
	}
	if w.o.Side == engine.Sell {
		w.bk.pos = fixed.Sub(w.bk.pos, qty)
	} else {
		w.bk.pos = fixed.Add(w.bk.pos, qty)
	}
	if b.cashAccount() {
		b.spend(w.o.Side, qty, px, comm)
	}
	slippage := decimal.Zero
	if px.Cmp(raw) != 0 {
		slippage = px.Sub(raw).Abs().Mul(qty)
	}
	ev := w.fillEvent
	if ev == nil {
		ev = new(engine.FillEvent)
	}
	w.fillEvent = nil
	*ev = engine.FillEvent{
		Time: bar.Time, OrderID: w.o.ID, Symbol: w.o.Symbol, Side: w.o.Side,
		Quantity: qty, Price: px, Commission: comm, Slippage: slippage, Remaining: rest,
	}
	b.engine.Emit(ev)
	switch {
	case short != "" && !rest.IsZero():
		b.cancelAfterFill(w, bar.Time, short)
	case rest.IsZero():
		b.finish(w)
	}
	if w.o.OCO != "" {
		b.cutSiblings(w, qty, bar.Time)
	}
	return qty
}

// fillPrice returns the price a fill of qty of w pays or gets when the
// price before slippage is raw, and false, after stopping the run with an
// error wrapping ErrFillPrice, when it is not positive.
func (b *Broker) fillPrice(w *order, qty, raw decimal.Decimal, slip bool, bar *engine.Bar) (decimal.Decimal, bool) {
	px := raw
	if slip && b.opts.Slippage != nil {
		px = b.opts.Slippage.Slip(raw, w.o.Side, qty, bar.Volume)
	}
	if !px.IsPositive() {
		why := fmt.Sprintf("fill price %s", px)
		if px.Cmp(raw) != 0 {
			why = fmt.Sprintf("slippage model %T gives a fill price of %s for %s", b.opts.Slippage, px, raw)
		}
		b.fail(fmt.Errorf("broker: order %d: %s: %w", w.o.ID, why, ErrFillPrice))
		return px, false
	}
	return px, true
}

// commission returns the commission of a fill of qty of w at px at time
// t; with record false, without recording it in a model that keeps state.
func (b *Broker) commission(w *order, qty, px decimal.Decimal, t time.Time, record bool) decimal.Decimal {
	if b.opts.Commission == nil {
		return decimal.Zero
	}
	f := FillCost{Time: t, Quantity: qty, Price: px, OrderQuantity: w.filled, OrderValue: w.value, OrderPaid: w.paid}
	if record {
		return b.opts.Commission.Charge(f)
	}
	return quote(b.opts.Commission, f)
}
