// Package broker simulates execution: it accepts or refuses orders and
// fills them against later bars, with commission and slippage. The
// user's guide to the fill rules is docs/execution.md.
//
// Its files follow its concerns: broker.go takes the order commands
// (submit, cancel, modify) and refuses what cannot trade; path.go is the
// intrabar path assumption and match.go the fill rules that match the
// working orders over a bar's path; timeinforce.go says when an order may
// trade and when it expires; contingent.go links bracket entries to their
// exits and OCO groups to their members; order.go is a working order, its
// quantities and how it ends; account.go is the cash and margin accounts;
// cost.go prices commission and slippage; ended.go keeps what a later
// bracket child needs of the orders that ended; action.go restates the
// working orders at a split.
package broker

import (
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// Guard checks an order before the broker accepts it. A non-nil error
// refuses the order; its text is the rejection reason.
type Guard interface {
	Check(o engine.Order) error
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
	// cash is a cash account's cash after the fills of the matching under
	// way: the books' cash when it began, plus the proceeds of each sell,
	// less the cost of each buy, less commissions, in the order of the
	// fills. The portfolio books the fills only after the broker.
	cash decimal.Decimal

	mocUsed     bool
	stopped     bool
	callTime    time.Time
	marginCalls int
	check       func() error
	deferrer    *engine.Deferrer
	adjusted    []OrderAdjustment // what splits did to working orders
	err         error             // the first error of the store of ended orders: it aborts the run
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
	engine.Subscribe(e.Bus(), "broker", b.onAction)
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
	ws := b.working()
	out := make([]engine.Order, len(ws))
	for i, w := range ws {
		out[i] = w.o
		out[i].Quantity = w.open()
	}
	return out
}

// working returns the orders still working, by ID.
func (b *Broker) working() []*order {
	var out []*order
	for _, bk := range b.seen {
		for _, w := range bk.resting {
			if !w.done {
				out = append(out, w)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].o.ID < out[j].o.ID })
	return out
}

func (b *Broker) onMarket(m *engine.MarketEvent) error {
	if b.cashAccount() {
		b.cash = b.opts.Account.Cash()
		b.sellFirst(m.Bars)
	}
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

// label names an order for people: its Label, else its ID.
func label(o *engine.Order) string {
	if o.Label != "" {
		return o.Label
	}
	return fmt.Sprintf("order %d", o.ID)
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
	bk := b.books[o.Symbol] // refuse made sure there is one
	a := &accepted{ev: engine.OrderAccepted{Time: b.engine.Now(), Order: o}, w: order{o: o, stop: o.Stop, bk: bk}}
	b.engine.Emit(&a.ev)
	w := &a.w
	w.fillEvent = &a.fill
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
		if b.cashAccount() {
			b.cash = b.opts.Account.Cash()
		}
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
	if err := o.Validate(b.engine.Now()); err != nil {
		return err.Error(), nil
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
	ws := b.working()
	now := b.engine.Now()
	for _, w := range ws {
		o := w.o
		o.Quantity = w.open()
		b.finish(w)
		b.engine.Emit(&engine.OrderCanceled{Time: now, Order: o, Reason: reason})
	}
	for _, bk := range b.seen {
		bk.resting = nil
	}
	return len(ws)
}
