package engine

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Kind identifies the type of an event. The set of kinds is closed: every
// message that crosses the bus is one of the types in this file.
type Kind uint8

// The event kinds. SubmitOrder, CancelOrder, CancelAllOrders, ModifyOrder
// and KillRequest are commands: requests that may be refused. All other
// kinds are events: facts that have happened.
const (
	KindMarket Kind = iota + 1
	KindSignal
	KindSubmitOrder
	KindCancelOrder
	KindOrderAccepted
	KindOrderRejected
	KindOrderCanceled
	KindFill
	KindError
	KindLog
	KindKillSwitch
	KindKillRequest
	KindBreaker
	KindModifyOrder
	KindOrderModified
	KindOrderTriggered
	KindOrderExpired
	KindCancelAllOrders
	KindAction
	numKinds
)

var kindNames = [numKinds]string{
	KindMarket:          "market",
	KindSignal:          "signal",
	KindSubmitOrder:     "submit-order",
	KindCancelOrder:     "cancel-order",
	KindOrderAccepted:   "order-accepted",
	KindOrderRejected:   "order-rejected",
	KindOrderCanceled:   "order-canceled",
	KindFill:            "fill",
	KindError:           "error",
	KindLog:             "log",
	KindKillSwitch:      "kill-switch",
	KindKillRequest:     "kill-request",
	KindBreaker:         "breaker",
	KindModifyOrder:     "modify-order",
	KindOrderModified:   "order-modified",
	KindOrderTriggered:  "order-triggered",
	KindOrderExpired:    "order-expired",
	KindCancelAllOrders: "cancel-all-orders",
	KindAction:          "corporate-action",
}

// String returns the kind's name, such as "fill".
func (k Kind) String() string {
	if k > 0 && k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// IsCommand reports whether k is a command (a request that may be refused)
// rather than an event (a fact).
func (k Kind) IsCommand() bool {
	return k == KindSubmitOrder || k == KindCancelOrder || k == KindCancelAllOrders || k == KindKillRequest || k == KindModifyOrder
}

// Event is a message the loop queues and the bus delivers. Events are
// passed by pointer; a handler must not modify an event it receives.
type Event interface {
	Kind() Kind
}

// MarketEvent carries every bar that has one timestamp. Its Bars slice is
// reused once the timestamp has been processed: a handler that keeps bars
// beyond its call must copy them.
type MarketEvent struct {
	Time time.Time
	Bars []Bar
	// Last is true for the final timestamp of the data. An order made on
	// it can only fill by same-bar execution.
	Last bool
}

// Kind returns KindMarket.
func (*MarketEvent) Kind() Kind { return KindMarket }

// Target is what a signal asks the position in a symbol to become.
type Target uint8

// The signal targets. TargetWeight asks for a position worth Weight times
// equity (negative for short).
const (
	TargetFlat Target = iota
	TargetLong
	TargetShort
	TargetWeight
)

// String returns "flat", "long", "short" or "weight".
func (t Target) String() string {
	switch t {
	case TargetFlat:
		return "flat"
	case TargetLong:
		return "long"
	case TargetShort:
		return "short"
	case TargetWeight:
		return "weight"
	}
	return fmt.Sprintf("target(%d)", uint8(t))
}

// SignalEvent is a strategy's view of where a position should be. A sizer
// turns it into an order.
type SignalEvent struct {
	Time     time.Time
	Strategy string
	Symbol   string
	Target   Target
	Weight   float64 // used when Target is TargetWeight
}

// Kind returns KindSignal.
func (*SignalEvent) Kind() Kind { return KindSignal }

// Side is the direction of an order or a fill.
type Side int8

// The order sides.
const (
	Buy  Side = 1
	Sell Side = -1
)

// String returns "buy" or "sell".
func (s Side) String() string {
	switch s {
	case Buy:
		return "buy"
	case Sell:
		return "sell"
	}
	return fmt.Sprintf("side(%d)", int8(s))
}

// OrderType is how an order is to be executed.
type OrderType uint8

// The order types. docs/execution.md gives the exact fill rule of each.
const (
	// Market fills at the open of the symbol's next bar.
	Market OrderType = iota + 1
	// MarketOnClose fills at the close of the bar on which it was made. It
	// is opt-in same-bar execution and the results say when it was used.
	MarketOnClose
	// Limit buys at Limit or lower, sells at Limit or higher.
	Limit
	// Stop becomes a market order once the price trades through Stop.
	Stop
	// StopLimit becomes a limit order at Limit once the price trades
	// through Stop.
	StopLimit
	// TrailingStop is a stop whose price follows the best price seen since
	// the order became active, at a distance of TrailAmount or TrailPercent.
	TrailingStop
	// MarketOnOpen fills at the open of the symbol's first bar of the next
	// session (calendar day).
	MarketOnOpen
)

var orderTypeNames = [...]string{
	Market: "market", MarketOnClose: "moc", Limit: "limit", Stop: "stop",
	StopLimit: "stop_limit", TrailingStop: "trailing_stop", MarketOnOpen: "moo",
}

// String returns the type's name as used in output files and in orders
// files: market, moc, limit, stop, stop_limit, trailing_stop or moo.
func (t OrderType) String() string {
	if int(t) > 0 && int(t) < len(orderTypeNames) {
		return orderTypeNames[t]
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

// ParseOrderType returns the type named s, as written by String.
func ParseOrderType(s string) (OrderType, bool) {
	for t, n := range orderTypeNames {
		if n != "" && n == s {
			return OrderType(t), true
		}
	}
	return 0, false
}

// TimeInForce says how long an order works.
type TimeInForce uint8

// The times in force. The zero value is GTC.
const (
	// GTC works until it fills or is canceled.
	GTC TimeInForce = iota
	// Day works through the calendar day of the first bar at which it can
	// trade, and expires at the symbol's first bar of a later day.
	Day
	// IOC fills what it can on the first bar at which it can trade; the
	// rest is canceled.
	IOC
	// FOK fills whole on the first bar at which it can trade, or is
	// canceled.
	FOK
	// GTD works until ExpireAt: it expires at the symbol's first bar after
	// that time.
	GTD
)

var tifNames = [...]string{GTC: "gtc", Day: "day", IOC: "ioc", FOK: "fok", GTD: "gtd"}

// String returns "gtc", "day", "ioc", "fok" or "gtd".
func (t TimeInForce) String() string {
	if int(t) < len(tifNames) {
		return tifNames[t]
	}
	return fmt.Sprintf("tif(%d)", uint8(t))
}

// ParseTimeInForce returns the time in force named s, as written by
// String; "" is GTC.
func ParseTimeInForce(s string) (TimeInForce, bool) {
	if s == "" {
		return GTC, true
	}
	for t, n := range tifNames {
		if n == s {
			return TimeInForce(t), true
		}
	}
	return 0, false
}

// Order is an instruction to trade. IDs are assigned by the engine in
// creation order (Engine.NextOrderID), so they are deterministic.
//
// Prices (Limit, Stop, TrailAmount) are exact fixed-point Prices, like the
// bars they are compared with, so that matching needs no decimal
// arithmetic; zero means unset. TrailPercent is in percent (2 means 2 %).
type Order struct {
	ID       uint64
	Time     time.Time // when the order was made
	Symbol   string
	Side     Side
	Type     OrderType
	Quantity decimal.Decimal // always positive
	Source   string          // who made it: a strategy name, "sizer", "close-at-end"

	// Limit is the limit price of Limit and StopLimit orders.
	Limit Price
	// Stop is the trigger price of Stop and StopLimit orders.
	Stop Price
	// TrailAmount or TrailPercent (exactly one) is a TrailingStop's
	// distance from the best price.
	TrailAmount  Price
	TrailPercent decimal.Decimal
	// TIF is how long the order works; ExpireAt is GTD's expiry time.
	TIF      TimeInForce
	ExpireAt time.Time
	// OCO names a one-cancels-other group: a fill of one member reduces
	// the other members by the quantity filled.
	OCO string
	// Parent is the ID of a bracket's entry order: this order works only
	// once the entry has filled, for at most the quantity filled.
	Parent uint64
	// ReduceOnly orders may only reduce a position, never open or flip it.
	ReduceOnly bool
	// Label is a name given by the user (an orders file's id column); it
	// replaces the ID in output files.
	Label string
}

// SubmitOrder is the command to place an order. The broker accepts it or
// refuses it with an OrderRejected event.
type SubmitOrder struct {
	Order Order
}

// Kind returns KindSubmitOrder.
func (*SubmitOrder) Kind() Kind { return KindSubmitOrder }

// CancelOrder is the command to cancel a working order.
type CancelOrder struct {
	Time    time.Time
	OrderID uint64
	Reason  string
}

// Kind returns KindCancelOrder.
func (*CancelOrder) Kind() Kind { return KindCancelOrder }

// CancelAllOrders is the command to cancel every working order, oldest
// first, each with an OrderCanceled event giving Reason. Unlike the other
// order commands it is handled in the phase it is sent in, so that the
// orders are gone before anything later in the timestamp acts: a kill
// switch sends it when it trips.
type CancelAllOrders struct {
	Time   time.Time
	Reason string
}

// Kind returns KindCancelAllOrders.
func (*CancelAllOrders) Kind() Kind { return KindCancelAllOrders }

// ModifyOrder is the command to change a working order's quantity or
// prices. Zero fields are left unchanged. A new quantity must exceed what
// has already filled.
type ModifyOrder struct {
	Time     time.Time
	OrderID  uint64
	Quantity decimal.Decimal
	Limit    Price
	Stop     Price
}

// Kind returns KindModifyOrder.
func (*ModifyOrder) Kind() Kind { return KindModifyOrder }

// OrderModified reports that a working order was changed; Order is the
// order as it now stands.
type OrderModified struct {
	Time  time.Time
	Order Order
}

// Kind returns KindOrderModified.
func (*OrderModified) Kind() Kind { return KindOrderModified }

// OrderTriggered reports that a stop, stop-limit or trailing stop order
// was triggered at Price: a stop became a market order, a stop-limit a
// limit order.
type OrderTriggered struct {
	Time  time.Time
	Order Order
	Price Price
}

// Kind returns KindOrderTriggered.
func (*OrderTriggered) Kind() Kind { return KindOrderTriggered }

// OrderExpired reports that an order's time in force ran out before it
// filled whole.
type OrderExpired struct {
	Time   time.Time
	Order  Order
	Reason string
}

// Kind returns KindOrderExpired.
func (*OrderExpired) Kind() Kind { return KindOrderExpired }

// OrderAccepted reports that the broker has taken an order; it now works
// until it fills, is canceled or the data ends.
type OrderAccepted struct {
	Time  time.Time
	Order Order
}

// Kind returns KindOrderAccepted.
func (*OrderAccepted) Kind() Kind { return KindOrderAccepted }

// OrderRejected reports that an order was refused, and why.
type OrderRejected struct {
	Time   time.Time
	Order  Order
	Reason string
}

// Kind returns KindOrderRejected.
func (*OrderRejected) Kind() Kind { return KindOrderRejected }

// OrderCanceled reports that a working order was canceled, and why.
type OrderCanceled struct {
	Time   time.Time
	Order  Order
	Reason string
}

// Kind returns KindOrderCanceled.
func (*OrderCanceled) Kind() Kind { return KindOrderCanceled }

// FillEvent reports an execution. Price includes slippage; Commission is
// charged on top of Quantity × Price. An order may fill in several parts,
// one FillEvent each; Remaining is what is left to fill after this one
// (zero when the order is complete).
type FillEvent struct {
	Time       time.Time
	OrderID    uint64
	Symbol     string
	Side       Side
	Quantity   decimal.Decimal // positive
	Price      decimal.Decimal
	Commission decimal.Decimal
	// Slippage is what slippage cost on this fill: Quantity × |Price −
	// the price before slippage|.
	Slippage  decimal.Decimal
	Remaining decimal.Decimal
}

// Kind returns KindFill.
func (*FillEvent) Kind() Kind { return KindFill }

// ErrorEvent reports a failure that did not end the run: a handler that
// returned an error or panicked.
type ErrorEvent struct {
	Time      time.Time
	Component string // the failing subscriber's name
	Cause     Kind   // the kind of event it was handling
	Err       error
}

// Kind returns KindError.
func (*ErrorEvent) Kind() Kind { return KindError }

// LogEvent is a message for people, timed in simulated time.
type LogEvent struct {
	Time    time.Time
	Source  string
	Message string
}

// Kind returns KindLog.
func (*LogEvent) Kind() Kind { return KindLog }

// KillChange is what happened to a kill switch (risk.KillAction is what a
// trip then does).
type KillChange uint8

// The kill-switch actions.
const (
	// KillTrip: the switch tripped; new orders are refused.
	KillTrip KillChange = iota + 1
	// KillReset: the switch was reset with the right authorization (or
	// automatically, when configured).
	KillReset
	// KillResetRefused: a reset was asked for with a wrong authorization.
	KillResetRefused
)

// String returns "trip", "reset" or "reset-refused".
func (a KillChange) String() string {
	switch a {
	case KillTrip:
		return "trip"
	case KillReset:
		return "reset"
	case KillResetRefused:
		return "reset-refused"
	}
	return fmt.Sprintf("kill-change(%d)", uint8(a))
}

// KillSwitchEvent reports that a kill switch tripped, was reset, or
// refused a reset.
type KillSwitchEvent struct {
	Time   time.Time
	Action KillChange
	// Reason says why: the rule and its numbers for a trip, who asked for
	// a reset, or why a reset was refused.
	Reason string
	// Equity is the exact equity at the time of the action.
	Equity decimal.Decimal
}

// Kind returns KindKillSwitch.
func (*KillSwitchEvent) Kind() Kind { return KindKillSwitch }

// KillRequest is the command to trip a kill switch (Reset false) or to
// reset it (Reset true, with an Authorization that must match the one the
// switch was configured with). A strategy sends it through its Context.
type KillRequest struct {
	Time          time.Time
	Source        string // who asks
	Reset         bool
	Reason        string // why a trip is asked for
	Authorization string // for a reset
}

// Kind returns KindKillRequest.
func (*KillRequest) Kind() Kind { return KindKillRequest }

// BreakerState is the state of a circuit breaker.
type BreakerState uint8

// The circuit-breaker states.
const (
	// BreakerClosed: events are delivered.
	BreakerClosed BreakerState = iota
	// BreakerOpen: the component is skipped until its cool-down ends.
	BreakerOpen
	// BreakerHalfOpen: the cool-down has ended; the next event is a trial.
	BreakerHalfOpen
)

// String returns "closed", "open" or "half-open".
func (s BreakerState) String() string {
	switch s {
	case BreakerClosed:
		return "closed"
	case BreakerOpen:
		return "open"
	case BreakerHalfOpen:
		return "half-open"
	}
	return fmt.Sprintf("breaker-state(%d)", uint8(s))
}

// BreakerEvent reports that a component's circuit breaker changed state.
type BreakerEvent struct {
	Time      time.Time
	Component string
	From, To  BreakerState
	// Failures is the number of consecutive failures that led here.
	Failures int
	// Until is the end of the cool-down when To is BreakerOpen.
	Until time.Time
}

// Kind returns KindBreaker.
func (*BreakerEvent) Kind() Kind { return KindBreaker }

// ActionEvent is a corporate action of one symbol taking effect: a split
// or a cash dividend, at the start of its ex-date (PhaseAction), before
// any bar of that time. Exactly one of Split and Dividend is non-zero.
//
// A split of ratio Split (2 for a 2-for-1 split, 0.5 for a 1-for-2
// reverse split) multiplies held quantities and the quantities of working
// orders by Split and divides prices by it. A dividend pays Dividend per
// share held: a long position receives quantity × Dividend in cash, a
// short one pays it.
type ActionEvent struct {
	// Time is the start of the ex-date: midnight in the data's zone.
	Time   time.Time
	Symbol string
	// Split is the number of shares after the split per share before it;
	// zero when the action is a dividend.
	Split decimal.Decimal
	// Dividend is the cash paid per share; zero when the action is a
	// split.
	Dividend decimal.Decimal
	// Seq is the action's place in its list (0, 1, ...), which orders the
	// actions of one time.
	Seq int
}

// Kind returns KindAction.
func (*ActionEvent) Kind() Kind { return KindAction }
