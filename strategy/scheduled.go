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
// within one run: at the first bar of each step it makes a fresh instance
// of the strategy with the step's params and hands it the run from then
// on. Cash, positions and working orders carry over, since they are the
// run's, not the strategy's; an open position stays until the new
// instance's first decision, which may close it.
//
// A new instance starts from the run's histories (Context.History, which
// hold the bars before the boundary, as many as the largest Lookback of
// the schedule's instances): the same warm-up a run's data.from gives.
// State a strategy keeps itself (the averages of smacross) starts empty
// at the boundary. Before the first step no instance exists and the bars
// only go into the histories. The new instance's OnStart, if any, is
// called at its first bar, before its OnBar; the functions an instance
// scheduled (Context.Schedule) stop with it. Reports on orders
// (OrderObserver) go to the instance current when they arrive, including
// reports on orders an earlier instance made.
type Scheduled struct {
	name     string
	base     Params
	steps    []Step
	lookback int
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

// advance makes the instance of the last step that has begun by t, if it
// is not the current one, and starts it.
func (s *Scheduled) advance(ctx *Context, t time.Time) error {
	i := s.next
	for i < len(s.steps) && !t.Before(s.steps[i].From) {
		i++
	}
	if i == s.next {
		return nil
	}
	s.next = i
	inst, err := s.make(i - 1)
	if err != nil {
		return err
	}
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

// OnBar switches to the step that has begun by bar's time, if any, and
// calls the current instance.
func (s *Scheduled) OnBar(ctx *Context, bar engine.Bar) error {
	if err := s.advance(ctx, bar.Time); err != nil {
		return err
	}
	if s.cur == nil {
		return nil
	}
	return s.cur.OnBar(ctx, bar)
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
