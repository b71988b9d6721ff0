// Package broker simulates execution: it accepts or refuses orders and
// fills them against later bars, with commission and slippage. The fill
// rules are in match.go; README.md's "Orders and execution" states them.
package broker

import (
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/fixed"
)

// Guard checks an order before the broker accepts it. A non-nil error
// refuses the order; its text is the rejection reason.
type Guard interface {
	Check(o engine.Order) error
}

// Account is what the broker reads of the books for the account checks.
type Account interface {
	Cash() decimal.Decimal
	Equity() float64
	EquityDecimal() decimal.Decimal
}

// AccountType is the kind of trading account.
type AccountType uint8

// The account types.
const (
	// MarginAccount allows cash to go negative and short sales, up to
	// MaxLeverage (unlimited when zero: the default, and the engine's
	// behaviour before accounts existed).
	MarginAccount AccountType = iota
	// CashAccount refuses a buy that needs more cash than is free, and
	// short sales.
	CashAccount
)

// String returns "margin" or "cash".
func (a AccountType) String() string {
	if a == CashAccount {
		return "cash"
	}
	return "margin"
}

// ParseAccountType returns the account type named s ("" is margin).
func ParseAccountType(s string) (AccountType, error) {
	switch s {
	case "", "margin":
		return MarginAccount, nil
	case "cash":
		return CashAccount, nil
	}
	return 0, fmt.Errorf("account %q: want cash or margin", s)
}

// Options configure a Broker. The zero value fills whole orders with no
// costs, on the nearest intrabar path, in a margin account with no limit.
type Options struct {
	// Commission and Slippage price the fills; nil for none.
	Commission CommissionModel
	Slippage   SlippageModel
	// Guard, if set, is asked about every order before it is accepted.
	Guard Guard
	// Path is the intrabar path assumption.
	Path IntrabarPath
	// MaxVolumeShare, when positive, is the largest fraction of a bar's
	// volume that fills on it, in whole units, shared by the symbol's
	// orders in the order they execute.
	MaxVolumeShare decimal.Decimal
	// NoShort lists symbols that cannot be sold short.
	NoShort []string

	// Account enables the account checks below and the stop at zero
	// equity; nil disables them all.
	Account     Account
	AccountType AccountType
	// MaxLeverage, when positive, caps a margin account's gross exposure
	// (Σ |position| × last close, counting working orders and the new
	// one) at MaxLeverage × equity.
	MaxLeverage decimal.Decimal
	// MaintenanceMargin, when positive, triggers a margin call when
	// equity falls below it times the gross exposure at a bar's close.
	MaintenanceMargin decimal.Decimal
}

// Sources of the orders the broker makes itself.
const (
	SourceMarginCall = "margin-call"
	SourceZeroEquity = "zero-equity"
)

// order is a working order and its progress.
type order struct {
	o         engine.Order
	filled    decimal.Decimal
	cut       decimal.Decimal // taken off by fills of OCO siblings
	value     decimal.Decimal // Σ quantity × price of its fills
	paid      decimal.Decimal // commission paid
	bk        *book           // its symbol's
	parent    *order
	children  []*order
	triggered bool
	done      bool
	tried     bool      // it has been matched against a bar
	day       time.Time // a Day order's session (midnight of its date)
	best      engine.Price
	stop      engine.Price // effective stop (a trailing stop's current one)
}

// target is the quantity the order may fill in total: a bracket child's is
// limited to what its entry has filled.
func (w *order) target() decimal.Decimal {
	if w.parent != nil {
		return decimal.Min(w.o.Quantity, w.parent.filled)
	}
	return w.o.Quantity
}

// remaining is what may fill now.
func (w *order) remaining() decimal.Decimal {
	r := fixed.Sub(fixed.Sub(w.target(), w.filled), w.cut)
	if r.IsNegative() {
		return decimal.Zero
	}
	return r
}

// open is what is left of the order: of its own quantity, or, for a
// bracket exit whose entry is done, of what the entry filled.
func (w *order) open() decimal.Decimal {
	q := w.o.Quantity
	if w.parent != nil && w.parent.done {
		q = decimal.Min(q, w.parent.filled)
	}
	r := fixed.Sub(fixed.Sub(q, w.filled), w.cut)
	if r.IsNegative() {
		return decimal.Zero
	}
	return r
}

// Broker is the simulated broker of one run.
//
// An order is accepted (or rejected) at the end of the timestamp that made
// it and matched against its symbol's later bars with the rules of
// matchOrder. An order made on the data's last bar never fills and stays
// working. A market-on-close order fills at once at its symbol's most
// recent close: opt-in same-bar execution.
type Broker struct {
	engine  *engine.Engine
	opts    Options
	books   map[string]*book
	byIndex engine.SymbolCache[book] // books by bar, without the lookup by name
	seen    []*book                  // in order of first bar
	all     map[uint64]*order        // accepted orders not yet done
	ended   *endedStore              // done orders, as a later bracket child sees its parent
	oco     map[string][]*order
	noShort map[string]bool
	cands   []candidate

	mocUsed     bool
	stopped     bool
	callTime    time.Time
	marginCalls int
	check       func() error
	deferrer    *engine.Deferrer
	err         error // the first error of the store of ended orders: it aborts the run
}

// book is the broker's state of one symbol, made at its first bar.
type book struct {
	symbol  string
	last    engine.Bar      // the most recent bar
	resting []*order        // working orders, by ID
	pos     decimal.Decimal // the position, from the broker's fills
	index   int             // in Broker.seen
}

// New returns a broker subscribed to e's market events and order commands.
// It registers with e a component named "broker" whose Stop, at the end
// of the run, removes the temporary file of ended orders (see endedStore).
func New(e *engine.Engine, opts Options) *Broker {
	b := &Broker{
		engine:  e,
		opts:    opts,
		books:   make(map[string]*book),
		all:     make(map[uint64]*order),
		ended:   newDefaultEndedStore(""),
		oco:     make(map[string][]*order),
		noShort: make(map[string]bool),
	}
	for _, s := range opts.NoShort {
		b.noShort[s] = true
	}
	b.check = b.checkAccount
	b.deferrer = e.Deferrer("broker")
	e.Register(endedCloser{b})
	engine.Subscribe(e.Bus(), "broker", b.onMarket)
	engine.Subscribe(e.Bus(), "broker", b.onSubmit)
	engine.Subscribe(e.Bus(), "broker", b.onCancel)
	engine.Subscribe(e.Bus(), "broker", b.onModify)
	// A breaker of its own: the broker's failing on other commands must
	// not stop a kill switch's cancels.
	engine.Subscribe(e.Bus(), "broker/cancel-all", func(c *engine.CancelAllOrders) error {
		b.CancelAll(c.Reason)
		return nil
	})
	return b
}

// UsedMarketOnClose reports whether any order filled on the bar that made
// it (market-on-close).
func (b *Broker) UsedMarketOnClose() bool { return b.mocUsed }

// MarginCalls returns how many margin calls (and zero-equity stops) there
// were.
func (b *Broker) MarginCalls() int { return b.marginCalls }

// Stopped reports whether trading stopped because equity reached zero.
func (b *Broker) Stopped() bool { return b.stopped }

// Working returns the orders still working, by ID, with their quantity
// left to fill.
func (b *Broker) Working() []engine.Order {
	var out []engine.Order
	for _, bk := range b.seen {
		for _, w := range bk.resting {
			if !w.done {
				o := w.o
				o.Quantity = w.open()
				out = append(out, o)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (b *Broker) onMarket(m *engine.MarketEvent) error {
	for i := range m.Bars {
		bar := &m.Bars[i]
		bk := b.byIndex.Get(bar)
		if bk == nil {
			if bk = b.books[bar.Symbol]; bk == nil {
				bk = &book{symbol: bar.Symbol, index: len(b.seen)}
				b.books[bar.Symbol] = bk
				b.seen = append(b.seen, bk)
			}
			b.byIndex.Put(bar, bk)
		}
		bk.last = *bar
		if len(bk.resting) > 0 {
			b.matchBar(bk, bar)
		}
	}
	if b.opts.Account != nil && !b.stopped {
		b.deferrer.Defer(engine.PhaseSignal, b.check)
	}
	return nil
}

// candidate is an order that can execute on the current bar.
type candidate struct {
	w    *order
	x    execution
	fill bool // false: the stop only triggers
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// eligible reports whether w can trade on bar.
func (b *Broker) eligible(w *order, bar *engine.Bar) bool {
	if w.done || (w.parent != nil && !w.parent.filled.IsPositive()) {
		return false
	}
	if w.o.Type == engine.MarketOnOpen && sameDay(w.o.Time, bar.Time.In(w.o.Time.Location())) {
		return false // waits for the next session
	}
	return true
}

// expiry returns why w's time in force has run out at bar, or "".
func expiry(w *order, bar *engine.Bar) string {
	switch w.o.TIF {
	case engine.GTD:
		if bar.Time.After(w.o.ExpireAt) {
			return "GTD: expired at " + w.o.ExpireAt.Format(time.RFC3339)
		}
	case engine.Day:
		if !w.day.IsZero() && !sameDay(w.day, bar.Time) {
			return "DAY: session " + w.day.Format("2006-01-02") + " ended"
		}
	}
	return ""
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
		w.tried = true
		if w.o.TIF == engine.Day && w.day.IsZero() {
			y, mo, d := bar.Time.Date()
			w.day = time.Date(y, mo, d, 0, 0, 0, 0, bar.Time.Location())
		}
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
		if limited {
			capacity = capacity.Sub(qty)
		}
		b.fill(w, qty, c.x.price, c.x.slip, bar)
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
			b.cancel(w, bar.Time, "IOC: the unfilled rest is canceled")
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

// fill executes qty of w at price (before slippage) on bar.
func (b *Broker) fill(w *order, qty decimal.Decimal, price engine.Price, slip bool, bar *engine.Bar) {
	raw := price.Decimal()
	px := raw
	if slip && b.opts.Slippage != nil {
		px = b.opts.Slippage.Slip(raw, w.o.Side, qty, bar.Volume)
	}
	comm := decimal.Zero
	if b.opts.Commission != nil {
		comm = b.opts.Commission.Charge(FillCost{Time: bar.Time, Quantity: qty, Price: px,
			OrderQuantity: w.filled, OrderValue: w.value, OrderPaid: w.paid})
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
	slippage := decimal.Zero
	if px.Cmp(raw) != 0 {
		slippage = px.Sub(raw).Abs().Mul(qty)
	}
	b.engine.Emit(&engine.FillEvent{
		Time: bar.Time, OrderID: w.o.ID, Symbol: w.o.Symbol, Side: w.o.Side,
		Quantity: qty, Price: px, Commission: comm, Slippage: slippage, Remaining: rest,
	})
	if rest.IsZero() {
		b.finish(w)
	}
	if w.o.OCO != "" {
		for _, s := range b.oco[w.o.OCO] {
			if s == w || s.done {
				continue
			}
			s.cut = s.cut.Add(qty)
			if s.open().IsZero() {
				b.cancel(s, bar.Time, "OCO: "+label(&w.o)+" filled")
			}
		}
	}
}

// label names an order for people: its Label, else its ID.
func label(o *engine.Order) string {
	if o.Label != "" {
		return o.Label
	}
	return fmt.Sprintf("order %d", o.ID)
}

// finish marks w done. It stays in its symbol's list until compacted;
// the map of orders by ID forgets it, and the store of ended orders keeps
// what a later bracket child needs of it (see endedStore), so that a long
// run's memory does not grow by the order. An OCO group whose orders are
// all done is forgotten.
func (b *Broker) finish(w *order) {
	w.done = true
	delete(b.all, w.o.ID)
	if err := b.ended.put(w.o.ID, w.bk.index, w.o.Side, w.o.Label, w.filled); err != nil {
		b.fail(err)
	}
	if g := w.o.OCO; g != "" {
		for _, s := range b.oco[g] {
			if !s.done {
				return
			}
		}
		delete(b.oco, g)
	}
}

// fail aborts the run on err, an error of the store of ended orders: the
// broker could no longer answer for the orders that ended.
func (b *Broker) fail(err error) {
	if b.err == nil {
		b.err = err
	}
	b.engine.Abort(err)
}

// parent returns the order id, working or done, as a bracket child's
// parent: a done one as a stand-in with the fields a child reads. An
// error reading the store aborts the run, and the order is not found.
func (b *Broker) parent(id uint64) (*order, bool) {
	if w, ok := b.all[id]; ok {
		return w, true
	}
	e, ok, err := b.ended.get(id)
	if err != nil {
		b.fail(err)
		return nil, false
	}
	if !ok {
		return nil, false
	}
	return &order{o: engine.Order{ID: id, Symbol: b.seen[e.sym].symbol, Side: e.side, Label: e.label},
		filled: e.filled, done: true}, true
}

// cancel ends w with an OrderCanceled event, and ends its children if it
// is an entry that never filled.
func (b *Broker) cancel(w *order, t time.Time, reason string) {
	b.finish(w)
	b.engine.Emit(&engine.OrderCanceled{Time: t, Order: w.o, Reason: reason})
	b.endChildren(w, "entry canceled")
}

// endChildren cancels the bracket children of an entry that is done: all
// of them when it never filled, else those with nothing left to fill.
func (b *Broker) endChildren(w *order, why string) {
	for _, ch := range w.children {
		if ch.done {
			continue
		}
		if !w.filled.IsPositive() {
			b.cancel(ch, b.engine.Now(), why+" unfilled")
		} else if ch.remaining().IsZero() {
			b.cancel(ch, b.engine.Now(), fmt.Sprintf("%s after filling %s", why, w.filled))
		}
	}
}

func (b *Broker) onSubmit(c *engine.SubmitOrder) error {
	o := c.Order
	reason, parent := b.refuse(&o)
	if b.err != nil {
		return nil // the run is ending on the error
	}
	if reason != "" {
		b.engine.Emit(&engine.OrderRejected{Time: b.engine.Now(), Order: o, Reason: reason})
		return nil
	}
	b.engine.Emit(&engine.OrderAccepted{Time: b.engine.Now(), Order: o})
	bk := b.books[o.Symbol] // refuse made sure there is one
	w := &order{o: o, stop: o.Stop, bk: bk}
	b.all[o.ID] = w
	if o.Parent != 0 {
		w.parent = parent // found by refuse
		w.parent.children = append(w.parent.children, w)
	}
	if o.OCO != "" {
		b.oco[o.OCO] = append(b.oco[o.OCO], w)
	}
	if o.Type == engine.TrailingStop && (w.parent == nil || w.parent.filled.IsPositive()) {
		// A bracket exit whose entry has not filled starts from the
		// entry's fill price instead.
		w.best = bk.last.Close
		w.stop = trailStop(&w.o, w.best)
	}
	if o.Type == engine.MarketOnClose {
		b.mocUsed = true
		bar := bk.last
		bar.Time = b.engine.Now()
		b.fill(w, o.Quantity, bar.Close, true, &bar)
		return nil
	}
	bk.resting = append(bk.resting, w)
	if w.parent != nil && w.parent.done {
		b.endChildren(w.parent, "entry done")
	}
	return nil
}

// refuse returns why o cannot be accepted, or "" and o's parent (nil
// when it has none), looked up once for onSubmit.
func (b *Broker) refuse(o *engine.Order) (string, *order) {
	switch {
	case !o.Quantity.IsPositive():
		return fmt.Sprintf("quantity %s is not positive", o.Quantity), nil
	case o.Side != engine.Buy && o.Side != engine.Sell:
		return fmt.Sprintf("unknown side %v", o.Side), nil
	case o.Type < engine.Market || o.Type > engine.MarketOnOpen:
		return fmt.Sprintf("order type %v is not supported", o.Type), nil
	case o.TIF > engine.GTD:
		return fmt.Sprintf("time in force %v is not supported", o.TIF), nil
	case (o.Type == engine.Limit || o.Type == engine.StopLimit) && o.Limit <= 0:
		return fmt.Sprintf("%v order needs a positive limit price", o.Type), nil
	case (o.Type == engine.Stop || o.Type == engine.StopLimit) && o.Stop <= 0:
		return fmt.Sprintf("%v order needs a positive stop price", o.Type), nil
	case o.Type == engine.TrailingStop && (o.TrailAmount > 0) == o.TrailPercent.IsPositive():
		return "trailing stop needs exactly one of a positive trail amount and a positive trail percent", nil
	case o.Type == engine.TrailingStop && o.TrailPercent.GreaterThanOrEqual(decimal.NewFromInt(100)):
		return fmt.Sprintf("trail percent %s must be below 100", o.TrailPercent), nil
	case o.TIF == engine.GTD && !o.ExpireAt.After(b.engine.Now()):
		return "GTD order needs an expiry time after the current bar", nil
	}
	var p *order
	bk, ok := b.books[o.Symbol]
	if !ok {
		return fmt.Sprintf("unknown symbol %q", o.Symbol), nil
	}
	liquidation := o.Source == SourceMarginCall || o.Source == SourceZeroEquity
	if o.Parent != 0 {
		p, ok = b.parent(o.Parent)
		switch {
		case !ok:
			return fmt.Sprintf("parent order %d is not a known order", o.Parent), nil
		case p.o.Symbol != o.Symbol || p.o.Side == o.Side:
			return fmt.Sprintf("a bracket exit must trade the entry's symbol %s on the other side", p.o.Symbol), nil
		case p.done && !p.filled.IsPositive():
			return fmt.Sprintf("parent %s ended unfilled", label(&p.o)), nil
		}
	}
	if !liquidation {
		if b.stopped {
			return "trading stopped: equity reached zero", nil
		}
		if !b.callTime.IsZero() && b.callTime.Equal(b.engine.Now()) {
			return "margin call in progress", nil
		}
	}
	if o.Side == engine.Sell && o.Parent == 0 && !o.ReduceOnly && !liquidation {
		if after, short := sellLeavesShort(bk.pos, bk.workingQty(engine.Sell), o.Quantity); short {
			if b.noShort[o.Symbol] {
				return fmt.Sprintf("symbol %s cannot be shorted", o.Symbol), nil
			}
			if b.opts.Account != nil && b.opts.AccountType == CashAccount {
				return fmt.Sprintf("cash account: selling %s would leave a short position of %s", o.Quantity, after), nil
			}
		}
	}
	if b.opts.Account != nil && o.Parent == 0 && !o.ReduceOnly && !liquidation {
		if reason := b.refuseAccount(o); reason != "" {
			return reason, nil
		}
	}
	if b.opts.Guard != nil {
		if err := b.opts.Guard.Check(*o); err != nil {
			return err.Error(), nil
		}
	}
	return "", p
}

// sellLeavesShort returns pos - working - qty, the position a sell of qty
// leaves after the sells already working, and whether it is negative.
// The position is made as a decimal only when it is.
func sellLeavesShort(pos, working, qty decimal.Decimal) (decimal.Decimal, bool) {
	p, ok1 := fixed.Of(pos)
	w, ok2 := fixed.Of(working)
	q, ok3 := fixed.Of(qty)
	if ok1 && ok2 && ok3 {
		if a, ok := p.Sub(w); ok {
			if a, ok = a.Sub(q); ok {
				if a.Sign() >= 0 {
					return decimal.Decimal{}, false
				}
				return a.Decimal(), true
			}
		}
	}
	after := pos.Sub(working).Sub(qty)
	return after, after.IsNegative()
}

// refPrice is the price the account checks assume an order fills at: its
// limit, a buy stop's stop when above the last close, else the last close.
func (b *Broker) refPrice(o *engine.Order) decimal.Decimal {
	last := b.books[o.Symbol].last.Close
	switch {
	case o.Limit > 0:
		return o.Limit.Decimal()
	case o.Stop > 0 && o.Side == engine.Buy:
		return max(o.Stop, last).Decimal()
	}
	return last.Decimal()
}

// workingQty is the unfilled quantity of the symbol's working orders on
// side, bracket exits and reduce-only orders left out.
func (bk *book) workingQty(side engine.Side) decimal.Decimal {
	q := decimal.Zero
	for _, w := range bk.resting {
		if !w.done && w.o.Side == side && w.parent == nil && !w.o.ReduceOnly {
			q = fixed.Add(q, w.open())
		}
	}
	return q
}

// refuseAccount applies the cash account's and the margin account's
// checks to a new order.
func (b *Broker) refuseAccount(o *engine.Order) string {
	if b.opts.AccountType == CashAccount {
		if o.Side != engine.Buy {
			return ""
		}
		reserved := decimal.Zero
		for _, bk := range b.seen {
			for _, w := range bk.resting {
				if !w.done && w.o.Side == engine.Buy && w.parent == nil && !w.o.ReduceOnly {
					reserved = reserved.Add(w.open().Mul(b.refPrice(&w.o)))
				}
			}
		}
		need := o.Quantity.Mul(b.refPrice(o))
		free := b.opts.Account.Cash().Sub(reserved)
		if need.GreaterThan(free) {
			return fmt.Sprintf("cash account: the order needs %s, only %s is free", need, free)
		}
		return ""
	}
	if !b.opts.MaxLeverage.IsPositive() {
		return ""
	}
	gross := decimal.Zero
	for _, bk := range b.seen {
		q := bk.pos.Add(bk.workingQty(engine.Buy)).Sub(bk.workingQty(engine.Sell))
		if bk.symbol == o.Symbol {
			q = q.Add(o.Quantity.Mul(decimal.NewFromInt(int64(o.Side))))
		}
		gross = gross.Add(q.Abs().Mul(bk.last.Close.Decimal()))
	}
	equity := b.opts.Account.EquityDecimal()
	if limit := equity.Mul(b.opts.MaxLeverage); gross.GreaterThan(limit) {
		return fmt.Sprintf("margin: the order would take gross exposure to %s, above max leverage %s × equity %s",
			gross, b.opts.MaxLeverage, equity)
	}
	return ""
}

// checkAccount runs after the strategies at each bar time: at zero equity
// it stops trading, and below the maintenance margin it makes a margin
// call. Both cancel the working orders and flatten every position with
// market orders, which fill at the next open.
func (b *Broker) checkAccount() error {
	acct := b.opts.Account
	if acct.Equity() <= 0 && !acct.EquityDecimal().IsPositive() {
		b.stopped = true
		b.liquidate(SourceZeroEquity, "equity reached zero: trading stopped")
		return nil
	}
	if !b.opts.MaintenanceMargin.IsPositive() {
		return nil
	}
	gross := decimal.Zero
	for _, bk := range b.seen {
		if q := bk.pos; !q.IsZero() {
			gross = gross.Add(q.Abs().Mul(bk.last.Close.Decimal()))
		}
	}
	if gross.IsZero() {
		return nil
	}
	equity := acct.EquityDecimal()
	if need := gross.Mul(b.opts.MaintenanceMargin); equity.LessThan(need) {
		b.callTime = b.engine.Now()
		b.liquidate(SourceMarginCall, fmt.Sprintf("margin call: equity %s is below maintenance %s × gross exposure %s",
			equity, b.opts.MaintenanceMargin, gross))
	}
	return nil
}

// liquidate cancels every working order and sends market orders that
// flatten every position.
func (b *Broker) liquidate(source, reason string) {
	b.marginCalls++
	now := b.engine.Now()
	b.engine.Emit(&engine.LogEvent{Time: now, Source: "broker", Message: reason})
	for _, bk := range b.seen {
		for _, w := range bk.resting {
			if !w.done {
				b.cancel(w, now, reason)
			}
		}
		bk.compact()
	}
	for _, bk := range b.seen {
		q := bk.pos
		if q.IsZero() {
			continue
		}
		side := engine.Sell
		if q.IsNegative() {
			side = engine.Buy
		}
		b.engine.Emit(&engine.SubmitOrder{Order: engine.Order{
			ID: b.engine.NextOrderID(), Time: now, Symbol: bk.symbol, Side: side,
			Type: engine.Market, Quantity: q.Abs(), Source: source,
		}})
	}
}

func (b *Broker) onCancel(c *engine.CancelOrder) error {
	w, ok := b.all[c.OrderID]
	if !ok || w.done || w.o.Type == engine.MarketOnClose {
		return fmt.Errorf("cancel: no working order %d", c.OrderID)
	}
	b.cancel(w, b.engine.Now(), c.Reason)
	w.bk.compact()
	return nil
}

func (b *Broker) onModify(m *engine.ModifyOrder) error {
	w, ok := b.all[m.OrderID]
	if !ok || w.done {
		return fmt.Errorf("modify: no working order %d", m.OrderID)
	}
	o := w.o
	if !m.Quantity.IsZero() {
		if !m.Quantity.GreaterThan(w.filled.Add(w.cut)) {
			return fmt.Errorf("modify order %d: quantity %s is not above the %s already done", m.OrderID, m.Quantity, w.filled.Add(w.cut))
		}
		o.Quantity = m.Quantity
	}
	if m.Limit != 0 {
		if o.Type != engine.Limit && o.Type != engine.StopLimit {
			return fmt.Errorf("modify order %d: a %v order has no limit price", m.OrderID, o.Type)
		}
		o.Limit = m.Limit
	}
	if m.Stop != 0 {
		if o.Type != engine.Stop && o.Type != engine.StopLimit {
			return fmt.Errorf("modify order %d: a %v order has no stop price", m.OrderID, o.Type)
		}
		o.Stop = m.Stop
		w.stop = m.Stop
	}
	if m.Limit < 0 || m.Stop < 0 || m.Quantity.IsNegative() {
		return fmt.Errorf("modify order %d: negative value", m.OrderID)
	}
	w.o = o
	b.engine.Emit(&engine.OrderModified{Time: b.engine.Now(), Order: o})
	return nil
}

// CancelAll cancels every working order, oldest first, publishing an
// OrderCanceled with reason for each, and returns how many there were.
// The broker does it on a CancelAllOrders command.
func (b *Broker) CancelAll(reason string) int {
	orders := b.Working()
	for _, o := range orders {
		b.engine.Emit(&engine.OrderCanceled{Time: b.engine.Now(), Order: o, Reason: reason})
	}
	for _, bk := range b.seen {
		bk.resting = nil
	}
	return len(orders)
}
