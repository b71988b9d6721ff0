package strategy

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// BarsHandler is implemented by strategies that decide once per
// timestamp with every symbol current. OnBars is called once for each
// timestamp of the data, after every bar of that time is in its symbol's
// History, after every fill of that time is booked, and after the OnBar
// calls of that time. bars are the timestamp's bars in the feed's symbol
// order; the slice is valid only during the call. A symbol without a bar
// at this time is not in bars; its History still ends at its latest bar.
type BarsHandler interface {
	OnBars(ctx *Context, bars []engine.Bar) error
}

// Starter is implemented by strategies that prepare a run: OnStart is
// called once, at the data's first timestamp, before any bar of it is in a
// History. It is where a strategy registers its schedules
// (Context.Schedule) and narrows its universe (Context.SetUniverse).
type Starter interface {
	OnStart(ctx *Context) error
}

// Ender is implemented by strategies that finish a run: OnEnd is called
// once, at the data's last timestamp, after every other call of that
// timestamp. An order made in it never fills.
type Ender interface {
	OnEnd(ctx *Context) error
}

// OrderObserver is implemented by strategies that want to hear what
// becomes of the orders they place themselves (Submit, SubmitOrder,
// Place, Bracket, Rebalance). OnOrder is called as the broker reports,
// in simulated time: a trigger, an expiry or a cancellation by the broker
// (FOK, IOC, OCO) while the bar is matched; a fill once the ledger has
// booked it (so ctx.Position includes it), and after it the cancellation
// of the rest of an order that filled in part (IOC, or a cash-account buy
// cut to the cash); an acceptance, a rejection, a cancellation or a
// modification right after the order command is handled. Orders made by
// the sizer from signals are not reported.
type OrderObserver interface {
	OnOrder(ctx *Context, u OrderUpdate) error
}

// OrderEvent is what happened to an order.
type OrderEvent uint8

// The order events of an OrderUpdate.
const (
	OrderAcceptedEvent OrderEvent = iota + 1
	OrderRejectedEvent
	OrderPartiallyFilledEvent
	OrderFilledEvent
	OrderCanceledEvent
	OrderExpiredEvent
	OrderTriggeredEvent
	OrderModifiedEvent
)

var orderEventNames = [...]string{
	OrderAcceptedEvent:        "accepted",
	OrderRejectedEvent:        "rejected",
	OrderPartiallyFilledEvent: "partially-filled",
	OrderFilledEvent:          "filled",
	OrderCanceledEvent:        "canceled",
	OrderExpiredEvent:         "expired",
	OrderTriggeredEvent:       "triggered",
	OrderModifiedEvent:        "modified",
}

// String returns the event's name, such as "partially-filled".
func (e OrderEvent) String() string {
	if int(e) < len(orderEventNames) && orderEventNames[e] != "" {
		return orderEventNames[e]
	}
	return "unknown"
}

// OrderUpdate is one report on an order the strategy placed.
type OrderUpdate struct {
	Event OrderEvent
	Time  time.Time
	// Order is the order as it stands after the event.
	Order engine.Order
	// Reason says why an order was rejected, canceled or expired.
	Reason string
	// Price, Quantity and Commission are a fill's (Price includes
	// slippage); Remaining is what is left to fill after it. For a
	// trigger, Price is the trigger price.
	Price      decimal.Decimal
	Quantity   decimal.Decimal
	Commission decimal.Decimal
	Remaining  decimal.Decimal
}

// OrderState is where an order stands.
type OrderState uint8

// The order states. Submitted, Accepted and PartiallyFilled orders are
// working; the others are final.
const (
	OrderSubmitted OrderState = iota + 1
	OrderAccepted
	OrderPartiallyFilled
	OrderFilled
	OrderRejected
	OrderCanceled
	OrderExpired
)

var orderStateNames = [...]string{
	OrderSubmitted:       "submitted",
	OrderAccepted:        "accepted",
	OrderPartiallyFilled: "partially-filled",
	OrderFilled:          "filled",
	OrderRejected:        "rejected",
	OrderCanceled:        "canceled",
	OrderExpired:         "expired",
}

// String returns the state's name, such as "accepted".
func (s OrderState) String() string {
	if int(s) < len(orderStateNames) && orderStateNames[s] != "" {
		return orderStateNames[s]
	}
	return "unknown"
}

// Working reports whether an order in state s may still fill.
func (s OrderState) Working() bool {
	return s == OrderSubmitted || s == OrderAccepted || s == OrderPartiallyFilled
}

// OrderStatus is an order the strategy placed and where it stands.
type OrderStatus struct {
	Order engine.Order
	State OrderState
	// Triggered reports that a stop has triggered.
	Triggered bool
	// Filled is the quantity filled so far, AvgPrice its average price
	// (zero before any fill) and Commission what the fills cost.
	Filled     decimal.Decimal
	AvgPrice   decimal.Decimal
	Commission decimal.Decimal
	// Reason says why the order was rejected, canceled or expired.
	Reason string
}

// Orders returns the strategy's working orders (submitted, accepted or
// partially filled), by ID.
func (c *Context) Orders() []OrderStatus {
	t := &c.r.orders
	out := make([]OrderStatus, 0, len(t.working))
	for _, id := range t.working {
		out = append(out, *t.byID[id])
	}
	return out
}

// Order returns the status of the strategy's order id, and false when the
// strategy placed no such order.
func (c *Context) Order(id uint64) (OrderStatus, bool) {
	s, ok := c.r.orders.byID[id]
	if !ok {
		return OrderStatus{}, false
	}
	return *s, true
}

// orderBook tracks the orders a Runner's strategy placed.
type orderBook struct {
	byID    map[uint64]*OrderStatus
	working []uint64 // IDs of working orders, ascending
}

func (t *orderBook) placed(o engine.Order) {
	if t.byID == nil {
		t.byID = make(map[uint64]*OrderStatus)
	}
	t.byID[o.ID] = &OrderStatus{Order: o, State: OrderSubmitted}
	t.working = append(t.working, o.ID) // IDs only grow
}

func (t *orderBook) end(s *OrderStatus, state OrderState) {
	s.State = state
	if i, ok := slices.BinarySearch(t.working, s.Order.ID); ok {
		t.working = slices.Delete(t.working, i, i+1)
	}
}

// update applies an order event to the book and sets *u to the report to
// give the strategy; it returns false, leaving *u as it was, when the
// order is not the strategy's.
func (t *orderBook) update(ev engine.Event, u *OrderUpdate) bool {
	var id uint64
	switch e := ev.(type) {
	case *engine.OrderAccepted:
		id = e.Order.ID
	case *engine.OrderRejected:
		id = e.Order.ID
	case *engine.OrderCanceled:
		id = e.Order.ID
	case *engine.OrderExpired:
		id = e.Order.ID
	case *engine.OrderTriggered:
		id = e.Order.ID
	case *engine.OrderModified:
		id = e.Order.ID
	case *engine.FillEvent:
		id = e.OrderID
	}
	s, ok := t.byID[id]
	if !ok {
		return false
	}
	switch e := ev.(type) {
	case *engine.OrderAccepted:
		s.Order, s.State = e.Order, OrderAccepted
		*u = OrderUpdate{Event: OrderAcceptedEvent, Time: e.Time}
	case *engine.OrderRejected:
		s.Order, s.Reason = e.Order, e.Reason
		t.end(s, OrderRejected)
		*u = OrderUpdate{Event: OrderRejectedEvent, Time: e.Time, Reason: e.Reason}
	case *engine.OrderCanceled:
		s.Reason = e.Reason
		t.end(s, OrderCanceled)
		*u = OrderUpdate{Event: OrderCanceledEvent, Time: e.Time, Reason: e.Reason}
	case *engine.OrderExpired:
		s.Reason = e.Reason
		t.end(s, OrderExpired)
		*u = OrderUpdate{Event: OrderExpiredEvent, Time: e.Time, Reason: e.Reason}
	case *engine.OrderTriggered:
		s.Triggered = true
		*u = OrderUpdate{Event: OrderTriggeredEvent, Time: e.Time, Price: e.Price.Decimal()}
	case *engine.OrderModified:
		s.Order = e.Order
		*u = OrderUpdate{Event: OrderModifiedEvent, Time: e.Time}
	case *engine.FillEvent:
		cost := s.AvgPrice.Mul(s.Filled).Add(e.Price.Mul(e.Quantity))
		s.Filled = s.Filled.Add(e.Quantity)
		s.AvgPrice = cost.Div(s.Filled)
		s.Commission = s.Commission.Add(e.Commission)
		*u = OrderUpdate{Event: OrderPartiallyFilledEvent, Time: e.Time, Price: e.Price,
			Quantity: e.Quantity, Commission: e.Commission, Remaining: e.Remaining}
		if e.Remaining.IsZero() {
			t.end(s, OrderFilled)
			u.Event = OrderFilledEvent
		} else {
			s.State = OrderPartiallyFilled
		}
	}
	u.Order = s.Order
	return true
}

// watchOrders subscribes the runner to the reports on its strategy's
// orders: a tracker, under the strategy's name with "/orders", keeps
// Context.Orders current even while the strategy's circuit breaker is
// open; an observer, under the strategy's name, hands the tracker's
// update to an OrderObserver.
func (r *Runner) watchOrders() {
	obs, _ := r.strategy.(OrderObserver)
	var last OrderUpdate
	var fresh bool
	track := func(ev engine.Event) error {
		fresh = r.orders.update(ev, &last)
		return nil
	}
	observe := func(engine.Event) (err error) {
		if !fresh {
			return nil
		}
		fresh = false
		defer engine.Recover(&err)
		return obs.OnOrder(&r.ctx, last)
	}
	bus := r.engine.Bus()
	for _, k := range []engine.Kind{engine.KindOrderAccepted, engine.KindOrderRejected, engine.KindOrderCanceled,
		engine.KindOrderExpired, engine.KindOrderTriggered, engine.KindOrderModified, engine.KindFill} {
		bus.SubscribeKind(k, r.name+"/orders", track)
		if obs != nil {
			bus.SubscribeKind(k, r.name, observe)
		}
	}
}
