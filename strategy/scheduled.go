package strategy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/quantloop/quantloop/engine"
)

// Step is one entry of a parameter schedule: from the first bar whose
// time is at or after From, the strategy trades with Params (merged over
// the schedule's base params).
type Step struct {
	From   time.Time
	Params Params
}

// ParseStep reads a step written as String writes it: the time, then
// params as key=value, separated by spaces ("2005-01-03T00:00:00Z fast=10
// slow=50"). The time is RFC 3339 or a date (2005-01-03, midnight UTC).
func ParseStep(s string) (Step, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return Step{}, errors.New("empty step: want a time and key=value params, such as 2005-01-03 fast=10 slow=50")
	}
	var st Step
	var err error
	if st.From, err = time.Parse(time.RFC3339Nano, fields[0]); err != nil {
		if st.From, err = time.Parse(time.DateOnly, fields[0]); err != nil {
			return Step{}, fmt.Errorf("step %q: %q is not a time (RFC 3339, such as 2005-01-03T00:00:00Z, or a date 2005-01-03)", s, fields[0])
		}
	}
	st.Params = Params{}
	for _, kv := range fields[1:] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return Step{}, fmt.Errorf("step %q: %q is not key=value", s, kv)
		}
		if _, dup := st.Params[k]; dup {
			return Step{}, fmt.Errorf("step %q: param %q given twice", s, k)
		}
		st.Params[k] = v
	}
	return st, nil
}

// String returns s as its time in RFC 3339 (with its offset) and its
// params as key=value, sorted by key, separated by spaces.
func (s Step) String() string {
	parts := []string{s.From.Format(time.RFC3339Nano)}
	keys := make([]string, 0, len(s.Params))
	for k := range s.Params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		parts = append(parts, k+"="+s.Params[k])
	}
	return strings.Join(parts, " ")
}

// Scheduled is a registered strategy whose params change on a schedule,
// within one run: each step has its own instance of the strategy, with
// the step's params, which trades from the first bar of the step on.
// Cash, positions and working orders carry over, since they are the
// run's, not the strategy's; an open position stays until the new
// instance's first decision, which may close it.
//
// Every instance is made when the Scheduled is, and is warmed up until
// its step begins: it sees the run's histories (Context.History, as many
// bars as the largest Lookback of the schedule's instances) and, if it is
// a Warmer, Warm with every bar of the run before its step (those before
// data.from included), so that state it keeps itself (the averages of
// smacross) is at its first bar what it would be had it run from the
// start of the data: the same warm-up a run's data.from gives. An
// instance that is not a Warmer starts its own state empty at the
// boundary. Before the first step nothing trades. The new instance's
// OnStart, if any, is called at its first bar, before its OnBar; the
// functions an instance scheduled (Context.Schedule) stop with it.
// Reports on orders (OrderObserver) go to the instance current when they
// arrive, including reports on orders an earlier instance made. Memory
// grows with the number of steps: an instance is dropped once the next
// step has begun.
type Scheduled struct {
	name     string
	base     Params
	steps    []Step
	lookback int
	insts    []Strategy // by step; nil once a later step has begun
	cur      Strategy
	next     int // the index of the next step to begin
	mark     int // the run's scheduled functions before cur's own
}

// NewScheduled returns the strategy registered as name, trading from each
// step's From with base merged with the step's params. The steps must be
// in increasing order of time; every step's params are checked (New)
// before anything runs. A strategy on coarser timeframes (Timeframer)
// cannot be scheduled.
func NewScheduled(name string, base Params, steps []Step) (*Scheduled, error) {
	if len(steps) == 0 {
		return nil, errors.New("schedule: no steps")
	}
	s := &Scheduled{name: name, base: base, steps: steps, lookback: 1}
	for i, st := range steps {
		if i > 0 && !st.From.After(steps[i-1].From) {
			return nil, fmt.Errorf("schedule: step %d (%s) is not after step %d (%s)", i+1, st.From.Format(time.RFC3339), i, steps[i-1].From.Format(time.RFC3339))
		}
		inst, err := s.make(i)
		if err != nil {
			return nil, err
		}
		s.insts = append(s.insts, inst)
		if _, ok := inst.(Timeframer); ok {
			return nil, fmt.Errorf("schedule: strategy %s works on coarser timeframes and cannot change params within a run", name)
		}
		lb := DefaultLookback
		if l, ok := inst.(Lookbacker); ok && l.Lookback() > 0 {
			lb = l.Lookback()
		}
		s.lookback = max(s.lookback, lb)
	}
	return s, nil
}

// make makes the instance of step i.
func (s *Scheduled) make(i int) (Strategy, error) {
	p := Params{}
	for k, v := range s.base {
		p[k] = v
	}
	for k, v := range s.steps[i].Params {
		p[k] = v
	}
	inst, err := New(s.name, p)
	if err != nil {
		return nil, fmt.Errorf("schedule: step %d (%s): %w", i+1, s.steps[i].From.Format(time.RFC3339), err)
	}
	return inst, nil
}

// Lookback returns the largest Lookback of the schedule's instances.
func (s *Scheduled) Lookback() int { return s.lookback }

// Step returns the index of the step trading now, -1 before the first.
func (s *Scheduled) Step() int { return s.next - 1 }

// advance switches to the instance of the last step that has begun by t,
// if it is not the current one, and starts it.
func (s *Scheduled) advance(ctx *Context, t time.Time) error {
	i := s.next
	for i < len(s.steps) && !t.Before(s.steps[i].From) {
		i++
	}
	if i == s.next {
		return nil
	}
	s.next = i
	inst := s.insts[i-1]
	clear(s.insts[:i-1])
	if s.cur != nil {
		// The old instance's scheduled functions end with it.
		clear(ctx.r.schedules[s.mark:])
		ctx.r.schedules = ctx.r.schedules[:s.mark]
	}
	s.cur, s.mark = inst, len(ctx.r.schedules)
	if st, ok := inst.(Starter); ok {
		return st.OnStart(ctx)
	}
	return nil
}

// OnBar switches to the step that has begun by bar's time, if any, calls
// the current instance, and warms up the instances of the steps to come.
func (s *Scheduled) OnBar(ctx *Context, bar engine.Bar) error {
	err := s.advance(ctx, bar.Time)
	if err == nil && s.cur != nil {
		err = s.call(ctx, bar)
	}
	return errors.Join(err, s.Warm(ctx.warmUp(), bar))
}

// call calls the current instance's OnBar, a panic recovered as an error.
func (s *Scheduled) call(ctx *Context, bar engine.Bar) (err error) {
	defer engine.Recover(&err)
	return s.cur.OnBar(ctx, bar)
}

// Warm passes bar to the instances of the steps that have not begun, if
// they are Warmers (see Warmer): the bars before data.from, and those of
// the earlier steps.
func (s *Scheduled) Warm(ctx *Context, bar engine.Bar) error {
	var errs []error
	for i := s.next; i < len(s.insts); i++ {
		if w, ok := s.insts[i].(Warmer); ok {
			if err := warm(w, ctx, &bar); err != nil {
				errs = append(errs, fmt.Errorf("step %d: %w", i+1, err))
			}
		}
	}
	return errors.Join(errs...)
}

// OnBars calls the current instance's OnBars, if it has one.
func (s *Scheduled) OnBars(ctx *Context, bars []engine.Bar) error {
	if b, ok := s.cur.(BarsHandler); ok {
		return b.OnBars(ctx, bars)
	}
	return nil
}

// OnEnd calls the current instance's OnEnd, if it has one.
func (s *Scheduled) OnEnd(ctx *Context) error {
	if e, ok := s.cur.(Ender); ok {
		return e.OnEnd(ctx)
	}
	return nil
}

// OnOrder passes u to the current instance, if it observes orders.
func (s *Scheduled) OnOrder(ctx *Context, u OrderUpdate) error {
	if o, ok := s.cur.(OrderObserver); ok {
		return o.OnOrder(ctx, u)
	}
	return nil
}
