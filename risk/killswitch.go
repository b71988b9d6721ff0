package risk

import (
	"errors"
	"fmt"

	"github.com/quantloop/quantloop/engine"
)

// KillSwitchSource is the Source of the orders a kill switch sends to
// flatten positions.
const KillSwitchSource = "kill-switch"

// KillAction is what a tripped kill switch does besides canceling every
// working order.
type KillAction uint8

// The kill-switch actions.
const (
	// KillFlatten (the default) closes every open position with market
	// orders that fill at the next bar's open, and then refuses every
	// order that does not reduce a position.
	KillFlatten KillAction = iota
	// KillHalt refuses every new order; positions stay as they are.
	KillHalt
	// KillReduce refuses every order that does not reduce a position, but
	// closes nothing itself.
	KillReduce
)

// String returns "flatten", "halt" or "reduce".
func (a KillAction) String() string {
	switch a {
	case KillFlatten:
		return "flatten"
	case KillHalt:
		return "halt"
	case KillReduce:
		return "reduce"
	}
	return fmt.Sprintf("kill-action(%d)", uint8(a))
}

// ParseKillAction parses "flatten", "halt" or "reduce"; "" is flatten.
func ParseKillAction(s string) (KillAction, error) {
	switch s {
	case "", "flatten":
		return KillFlatten, nil
	case "halt":
		return KillHalt, nil
	case "reduce":
		return KillReduce, nil
	}
	return 0, fmt.Errorf("kill action %q: want flatten, halt or reduce", s)
}

// KillSwitchOptions configure a KillSwitch. Zero rules mean the switch
// trips only on demand.
type KillSwitchOptions struct {
	// MaxDrawdownPct trips the switch when equity falls more than this
	// percent below its peak: the highest equity since the switch was
	// made (before a run, when equity is the starting cash), or since the
	// last reset.
	MaxDrawdownPct float64
	// MaxDailyLossPct trips the switch when equity falls more than this
	// percent below the day's starting equity: the last equity of the
	// previous calendar day, in the zone of the bar times (the equity
	// when the switch was made, on the first day).
	MaxDailyLossPct float64
	// Action is what the trip does besides canceling working orders.
	Action KillAction
	// Authorization is the value a reset must present. When it is empty
	// no manual reset is possible.
	Authorization string
	// AutoReset resets the switch at the first bar of the next calendar
	// day after a trip.
	AutoReset bool
}

// Validate reports negative or non-finite percentages.
func (o KillSwitchOptions) Validate() error {
	for _, c := range []struct {
		name string
		v    float64
	}{{"kill drawdown", o.MaxDrawdownPct}, {"kill daily loss", o.MaxDailyLossPct}} {
		if !(c.v >= 0 && c.v <= 100) {
			return fmt.Errorf("%s %v %%: must be between 0 and 100", c.name, c.v)
		}
	}
	if o.Action > KillReduce {
		return fmt.Errorf("unknown kill action %v", o.Action)
	}
	return nil
}

// watches reports whether the options have anything to check at each
// bar time: a loss rule, or the automatic reset. Without them the switch
// trips only when asked, and is reset only by a reset command.
func (o KillSwitchOptions) watches() bool {
	return o.MaxDrawdownPct > 0 || o.MaxDailyLossPct > 0 || o.AutoReset
}

// ErrUnauthorized is returned by a reset whose authorization does not
// match.
var ErrUnauthorized = errors.New("kill switch reset refused: wrong authorization")

// KillSwitch stops trading when a loss rule trips or when asked to.
//
// Its rules are checked once per bar time, in engine.PhaseRisk: after that
// time's fills and marks and before the strategies see the bars. Options
// with no rule and no AutoReset check nothing at each bar time. It acts
// only through the engine's bus. When it trips it sends, in this order, a
// KillSwitchEvent, an engine.CancelAllOrders command (the broker cancels
// every working order, oldest first, with the reason "kill switch tripped:
// ..."), and, with KillFlatten, a SubmitOrder of a market order closing
// each open position, in the order of the symbols' first bars; they fill
// at the next bar's open. While it is tripped, the Guard refuses orders
// (all of them with KillHalt, those that do not reduce a position
// otherwise) with the reason "kill switch tripped: ...".
//
// Equity is observed in float64 for the rules; the events carry the exact
// equity.
type KillSwitch struct {
	engine *engine.Engine
	books  Books
	opts   KillSwitchOptions

	tripped bool
	reason  string
	tripDay civilDay
	sent    map[uint64]bool // IDs of the orders it sent to flatten

	peak     float64
	dayStart float64
	lastEq   float64
	day      civilDay
}

// NewKillSwitch returns a kill switch watching the equity of books,
// sending its commands on e's bus and obeying the KillRequest commands
// there. Its drawdown peak and first day's starting equity are the books'
// equity now.
func NewKillSwitch(e *engine.Engine, books Books, opts KillSwitchOptions) *KillSwitch {
	eq := books.EquityDecimal().InexactFloat64()
	k := &KillSwitch{engine: e, books: books, opts: opts, peak: eq, lastEq: eq, sent: make(map[uint64]bool)}
	if opts.watches() {
		check := k.check // bound once: deferring it allocates nothing
		d := e.Deferrer(KillSwitchSource)
		engine.Subscribe(e.Bus(), "kill-switch/schedule", func(*engine.MarketEvent) error {
			d.Defer(engine.PhaseRisk, check)
			return nil
		})
	}
	engine.Subscribe(e.Bus(), KillSwitchSource, func(r *engine.KillRequest) error {
		if r.Reset {
			err := k.Reset(r.Authorization)
			if errors.Is(err, ErrUnauthorized) {
				return nil // refused, and the refusal is an event
			}
			return err
		}
		k.Trip("requested by " + r.Source + ": " + r.Reason)
		return nil
	})
	return k
}

// Tripped reports whether the switch is tripped, and why.
func (k *KillSwitch) Tripped() (bool, string) { return k.tripped, k.reason }

// Trip trips the switch with reason, unless it is tripped already, and
// sends the trip's commands (see KillSwitch).
func (k *KillSwitch) Trip(reason string) {
	if k.tripped {
		return
	}
	now := k.engine.Now()
	k.tripped, k.reason, k.tripDay = true, reason, dayOf(now)
	k.engine.Emit(&engine.KillSwitchEvent{
		Time: now, Action: engine.KillTrip, Reason: reason, Equity: k.books.EquityDecimal(),
	})
	k.engine.Emit(&engine.CancelAllOrders{Time: now, Reason: "kill switch tripped: " + reason})
	if k.opts.Action == KillFlatten {
		k.flatten()
	}
}

// flatten sends a market order closing each open position. The books
// track each order at once, so that the sizing and checks made before
// its SubmitOrder is delivered count it.
func (k *KillSwitch) flatten() {
	for symbol, held := range k.books.Holdings() {
		if held.IsZero() {
			continue
		}
		side := engine.Sell
		if held.IsNegative() {
			side = engine.Buy
		}
		o := engine.Order{
			ID: k.engine.NextOrderID(), Time: k.engine.Now(), Symbol: symbol, Side: side,
			Type: engine.Market, Quantity: held.Abs(), Source: KillSwitchSource,
		}
		k.sent[o.ID] = true
		k.books.Track(o)
		k.engine.Emit(&engine.SubmitOrder{Order: o})
	}
}

// Reset resets a tripped switch if authorization equals the configured
// one. Otherwise the reset is refused: a KillSwitchEvent with action
// KillResetRefused is published and the error wraps ErrUnauthorized.
// Resetting restarts the drawdown peak at the current equity. Resetting a
// switch that is not tripped does nothing.
func (k *KillSwitch) Reset(authorization string) error {
	if k.opts.Authorization == "" || authorization != k.opts.Authorization {
		why := "wrong authorization"
		if k.opts.Authorization == "" {
			why = "no authorization is configured"
		}
		k.engine.Emit(&engine.KillSwitchEvent{
			Time: k.engine.Now(), Action: engine.KillResetRefused, Reason: why, Equity: k.books.EquityDecimal(),
		})
		return fmt.Errorf("%w (%s)", ErrUnauthorized, why)
	}
	if k.tripped {
		k.reset("authorized reset")
	}
	return nil
}

func (k *KillSwitch) reset(reason string) {
	k.tripped, k.reason = false, ""
	k.peak = k.books.Equity()
	k.engine.Emit(&engine.KillSwitchEvent{
		Time: k.engine.Now(), Action: engine.KillReset, Reason: reason, Equity: k.books.EquityDecimal(),
	})
}

// check applies the automatic reset and the loss rules at the current bar
// time.
func (k *KillSwitch) check() error {
	now := k.engine.Now()
	eq := k.books.Equity()
	if d := dayOf(now); d != k.day {
		k.dayStart = k.lastEq
		k.day = d
		if k.tripped && k.opts.AutoReset && d != k.tripDay {
			k.reset("automatic reset at the start of " + d.String())
		}
	}
	k.lastEq = eq
	if eq > k.peak {
		k.peak = eq
	}
	if k.tripped {
		return nil
	}
	if limit := k.opts.MaxDrawdownPct; limit > 0 && k.peak > 0 {
		if dd := (k.peak - eq) / k.peak * 100; dd > limit {
			k.Trip(fmt.Sprintf("drawdown %.2f %% from peak %.2f to %.2f > max %g %%", dd, k.peak, eq, limit))
			return nil
		}
	}
	if limit := k.opts.MaxDailyLossPct; limit > 0 && k.dayStart > 0 {
		if loss := (k.dayStart - eq) / k.dayStart * 100; loss > limit {
			k.Trip(fmt.Sprintf("daily loss %.2f %% from %.2f to %.2f on %s > max %g %%", loss, k.dayStart, eq, k.day, limit))
		}
	}
	return nil
}
