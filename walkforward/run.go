package walkforward

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/metrics"
	"github.com/quantloop/quantloop/store"
	"github.com/quantloop/quantloop/sweep"
)

// Objectives are the objectives a walk-forward may maximize: metrics of
// results.json that a return series alone gives, computed as a run
// computes them (see Objective).
var Objectives = []string{"sharpe", "sortino", "total_return", "annual_return", "calmar", "max_drawdown"}

// DefaultObjective is the objective of a Plan that names none.
const DefaultObjective = "sharpe"

// objectiveOf returns the objective a plan naming name maximizes: name,
// or DefaultObjective for none; an error for a name not in Objectives.
func objectiveOf(name string) (string, error) {
	name = cmp.Or(name, DefaultObjective)
	if !slices.Contains(Objectives, name) {
		return "", fmt.Errorf("walkforward: objective %q: want one of %s", name, strings.Join(Objectives, ", "))
	}
	return name, nil
}

// Plan is a walk-forward: a base config, the strategy params to optimize
// and how, how the data is cut into windows, and the objective maximized.
type Plan struct {
	// Base is the config every run starts from. It may not restrict the
	// data (data.from, data.to) or have a schedule: the walk-forward sets
	// those.
	Base backtest.Config
	// Space is what the optimization of each window tries: paths under
	// strategy.params only, since those are what a schedule changes.
	Space sweep.Space
	// Spec cuts the data's bar times into windows.
	Spec Spec
	// Objective is the metric maximized (one of Objectives; empty:
	// DefaultObjective).
	Objective string
	// Optimizer is how each window is optimized: empty for the sweep of
	// Space (grid, lists, random draws), or NelderMead over Space.Ranges.
	Optimizer string
	// Evals is the most training runs NelderMead makes in one window
	// (zero: DefaultEvals; a negative number is refused).
	Evals int
}

// Options change how a walk-forward runs.
type Options struct {
	// Jobs is the number of training runs at once (0: GOMAXPROCS).
	Jobs int
	// Progress, if set, is called before each window's optimization with
	// its index (from 0) and the number of windows.
	Progress func(window, windows int)
}

// WindowResult is one window of a walk-forward and what it chose.
type WindowResult struct {
	Window
	// TrainStart, TrainEnd, TestStart and TestEnd are the times of the
	// first and last bars of the training and test spans (both
	// inclusive). The test span is the part of the window the
	// out-of-sample run trades with its params: up to the next window's
	// test start.
	TrainStart, TrainEnd, TestStart, TestEnd time.Time
	// Params are the chosen settings, in the order of the plan's space.
	Params sweep.Point
	// SweepID is the id of the window's optimization in the store; RunID
	// that of its best run.
	SweepID, RunID string
	// IS is the objective of the best training run; OOS that of the
	// out-of-sample run over the test span (see Evaluate).
	IS, OOS float64
}

// Result is a walk-forward's optimization and, once evaluated, its
// out-of-sample performance.
type Result struct {
	Objective string
	Windows   []WindowResult
	// Config is the out-of-sample run: the base config with data.from at
	// the first test bar's date and strategy.schedule holding each
	// window's params from its test start.
	Config backtest.Config
	// Trials is the number of distinct training runs (all windows).
	Trials int
}

// Optimize runs the optimization of every window of plan into st: one
// sweep (sweep.Run) per window, of the plan's space over the base config
// restricted to the window's training span (data.from and data.to: the
// bars of the training span's days, warm-up before them as data.from
// gives). A training span whose last day is also its test span's first
// day ends the day before, so that no test bar is trained on. The best
// run of each window is the one with the highest objective; ties, and
// runs whose objective is not a number, go to the earliest configuration
// in the plan's order. The data is read once to cut the windows, and once
// by each window's sweep; runs go Options.Jobs at a time and the result
// is the same for any number of jobs. With Plan.Optimizer NelderMead, each
// window is searched by Nelder–Mead instead (see nelderMead) and st,
// which may then be nil, is not used. Optimize is Prepare, then
// Prepared.Run.
func Optimize(ctx context.Context, plan Plan, st *store.Store, opts Options) (*Result, error) {
	p, err := Prepare(ctx, plan)
	if err != nil {
		return nil, err
	}
	return p.Run(ctx, st, opts)
}

// Prepared is a walk-forward plan checked and cut into windows, ready to
// run (see Prepare).
type Prepared struct {
	plan    Plan
	nm      bool          // the windows are searched by Nelder–Mead
	points  []sweep.Point // the space's configurations, for a sweep
	windows []WindowResult
	cfgs    []backtest.Config // each window's training config
	loc     *time.Location    // the zone of the data's dates
}

// Prepare checks plan and cuts its data into windows, as Optimize does
// before it runs anything: a plan Optimize would refuse for its settings,
// its space or its data is refused here, before any store is written.
// The data is read once. Stopped through ctx, it returns an error
// wrapping engine.ErrInterrupted.
func Prepare(ctx context.Context, plan Plan) (*Prepared, error) {
	var err error
	if plan.Objective, err = objectiveOf(plan.Objective); err != nil {
		return nil, err
	}
	base := plan.Base
	if !base.Data.From.IsZero() || !base.Data.To.IsZero() {
		return nil, errors.New("walkforward: data.from and data.to are the walk-forward's to set; leave them out of the base config")
	}
	if len(base.Strategy.Schedule) > 0 {
		return nil, errors.New("walkforward: strategy.schedule is the walk-forward's to set; leave it out of the base config")
	}
	for _, p := range spacePaths(plan.Space) {
		if !strings.HasPrefix(p, "strategy.params.") {
			return nil, fmt.Errorf("walkforward: %s cannot vary: a walk-forward optimizes strategy.params.* only", p)
		}
	}
	p := &Prepared{plan: plan, nm: plan.Optimizer == NelderMead}
	switch {
	case p.nm:
		if err := checkNelderMead(plan.Space); err != nil {
			return nil, err
		}
		if plan.Evals < 0 {
			return nil, fmt.Errorf("walkforward: nelder-mead: %d evaluations: want 0 (DefaultEvals) or more", plan.Evals)
		}
	case plan.Optimizer != "":
		return nil, fmt.Errorf("walkforward: optimizer %q: want %s, or none for the sweep's grid or random search", plan.Optimizer, NelderMead)
	default:
		if p.points, err = plan.Space.Points(); err != nil {
			return nil, err
		}
		if len(p.points) == 0 {
			return nil, errors.New("walkforward: no configuration is left (see --where)")
		}
	}
	if err := base.Validate(); err != nil {
		return nil, err
	}
	times, loc, err := barTimes(ctx, base)
	if err != nil {
		return nil, err
	}
	p.loc = loc
	wins, err := plan.Spec.Windows(times)
	if err != nil {
		return nil, err
	}
	if len(wins) == 0 {
		return nil, fmt.Errorf("walkforward: the data (%d bar times, %s to %s) is too short for one window of training %s and test %s",
			len(times), times[0].Format(time.RFC3339), times[len(times)-1].Format(time.RFC3339), plan.Spec.Train, plan.Spec.Test)
	}
	// Each window trades up to the next one's test start.
	for i := range wins[:len(wins)-1] {
		wins[i].TestEnd = min(wins[i].TestEnd, wins[i+1].TestStart)
	}
	for i, w := range wins {
		wr := WindowResult{Window: w, TrainStart: times[w.TrainStart], TrainEnd: times[w.TrainEnd-1],
			TestStart: times[w.TestStart], TestEnd: times[w.TestEnd-1]}
		cfg := base
		from, to := dayOf(wr.TrainStart, loc), dayOf(wr.TrainEnd, loc)
		if to == dayOf(wr.TestStart, loc) {
			to = to.AddDate(0, 0, -1)
		}
		if to.Before(from) {
			return nil, fmt.Errorf("walkforward: window %d: the training span %s .. %s lies within the day of the test start: with intraday data, use calendar spans or more bars", i+1,
				wr.TrainStart.Format(time.RFC3339), wr.TrainEnd.Format(time.RFC3339))
		}
		cfg.Data.From = backtest.NewDate(from.Date())
		cfg.Data.To = backtest.NewDate(to.Date())
		p.windows = append(p.windows, wr)
		p.cfgs = append(p.cfgs, cfg)
	}
	return p, nil
}

// Windows returns the windows of p, with their training and test spans
// and none of what a run chooses: what the walk-forward will train and
// test, before it runs.
func (p *Prepared) Windows() []WindowResult { return slices.Clone(p.windows) }

// Run optimizes each window of p into st, as Optimize does (st may be nil
// for NelderMead).
func (p *Prepared) Run(ctx context.Context, st *store.Store, opts Options) (*Result, error) {
	res := &Result{Objective: p.plan.Objective, Windows: slices.Clone(p.windows)}
	if p.nm {
		if err := nelderMeadWindows(ctx, res, p.cfgs, p.plan, opts); err != nil {
			return nil, err
		}
	} else if st == nil {
		return nil, errors.New("walkforward: a sweep of each window needs a run store")
	} else if err := sweepWindows(ctx, res, p.cfgs, p.plan.Space, p.points, st, opts); err != nil {
		return nil, err
	}
	res.Config = p.plan.Base
	res.Config.Data.From = backtest.NewDate(dayOf(res.Windows[0].TestStart, p.loc).Date())
	for _, w := range res.Windows {
		step := w.TestStart.Format(time.RFC3339Nano)
		for _, s := range w.Params {
			step += " " + strings.TrimPrefix(s.Path, "strategy.params.") + "=" + s.Value
		}
		res.Config.Strategy.Schedule = append(res.Config.Strategy.Schedule, step)
	}
	return res, nil
}

// sweepWindows optimizes each window of res, whose training config is
// cfgs[i], by a sweep of space (whose configurations are points) into st.
func sweepWindows(ctx context.Context, res *Result, cfgs []backtest.Config, space sweep.Space, points []sweep.Point, st *store.Store, opts Options) error {
	runs := map[string]bool{}
	for i, cfg := range cfgs {
		if opts.Progress != nil {
			opts.Progress(i, len(cfgs))
		}
		sum, err := sweep.Run(ctx, sweep.Plan{Base: cfg, Space: space}, st, sweep.Options{Jobs: opts.Jobs})
		if err != nil {
			return fmt.Errorf("walkforward: window %d: %w", i+1, err)
		}
		summaries, err := st.Runs(ctx, sum.ID)
		if err != nil {
			return err
		}
		for _, s := range summaries {
			runs[s.ID] = true
		}
		best, err := pickBest(points, summaries, res.Objective)
		if err != nil {
			return fmt.Errorf("walkforward: window %d: %w", i+1, err)
		}
		w := &res.Windows[i]
		w.SweepID, w.Params, w.RunID, w.IS = sum.ID, points[best.point], best.run.ID, best.value
	}
	res.Trials = len(runs)
	return nil
}

// spacePaths returns the paths s varies.
func spacePaths(s sweep.Space) []string {
	var paths []string
	for _, d := range s.Grid {
		paths = append(paths, d.Path)
	}
	for _, r := range s.Ranges {
		paths = append(paths, r.Path)
	}
	return paths
}

// best is the chosen run of a window.
type best struct {
	point int
	run   *store.Summary
	value float64
}

// pickBest returns the run of summaries with the highest objective obj,
// ties going to the earliest of points (the plan's order). A run is
// matched to its point by its settings.
func pickBest(points []sweep.Point, summaries []*store.Summary, obj string) (best, error) {
	b := best{point: -1, value: math.NaN()}
	for i, p := range points {
		s := findRun(summaries, p)
		if s == nil {
			return b, fmt.Errorf("no stored run has the settings %s", p)
		}
		v := math.NaN()
		if m, ok := s.Metrics[obj]; ok && m.Numeric {
			v = m.Num
		}
		if b.point < 0 || (!math.IsNaN(v) && (math.IsNaN(b.value) || v > b.value)) {
			b = best{point: i, run: s, value: v}
		}
	}
	return b, nil
}

// findRun returns the summary whose settings hold p's, nil when none
// does.
func findRun(summaries []*store.Summary, p sweep.Point) *store.Summary {
	for _, s := range summaries {
		if !slices.ContainsFunc(p, func(x sweep.Setting) bool { return s.Params[x.Path] != x.Value }) {
			return s
		}
	}
	return nil
}

// barTimes reads the bar times of cfg's data and the zone its dates are
// taken in; it stops, with an error wrapping engine.ErrInterrupted, when
// ctx ends.
func barTimes(ctx context.Context, cfg backtest.Config) ([]time.Time, *time.Location, error) {
	opts, err := cfg.DataOptions()
	if err != nil {
		return nil, nil, err
	}
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	feed, err := cfg.OpenData()
	if err != nil {
		return nil, nil, err
	}
	defer feed.Close()
	var times []time.Time
	for {
		if len(times)%4096 == 0 && ctx.Err() != nil {
			return nil, nil, fmt.Errorf("walkforward: %w", engine.ErrInterrupted)
		}
		bars, err := feed.Next(nil)
		if len(bars) > 0 {
			times = append(times, bars[0].Time)
		}
		if errors.Is(err, io.EOF) || (err == nil && len(bars) == 0) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
	}
	if len(times) == 0 {
		return nil, nil, fmt.Errorf("walkforward: no bars in %s", strings.Join(cfg.Data.Files, ", "))
	}
	return times, loc, nil
}

// dayOf returns midnight UTC of t's date in loc.
func dayOf(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Objective returns the objective name of the per-bar simple returns r,
// with P periods per year and an annual risk-free rate rf, as a run
// computes the metric of that name for results.json.
func Objective(name string, r []float64, P, rf float64) float64 {
	col := metrics.Slice(r)
	w, mo := metrics.ComputeWealth(col), metrics.ComputeMoments(col)
	rate := metrics.PeriodRate(rf, P)
	switch name {
	case "sharpe":
		if rate != 0 {
			return metrics.Sharpe(col, rate, P)
		}
		return mo.Sharpe(P)
	case "sortino":
		if rate != 0 {
			return metrics.Sortino(col, rate, P)
		}
		return mo.Sortino(P, metrics.DownsideRisk(col, 0, P))
	case "total_return":
		return w.CumReturnsFinal(0)
	case "annual_return":
		return w.AnnualReturn(P)
	case "calmar":
		return w.Calmar(P)
	case "max_drawdown":
		return w.MaxDrawdown
	}
	return math.NaN()
}

// Evaluate fills each window's OOS objective from the out-of-sample run
// oos of res.Config: the objective of its per-bar returns at the bar
// times of the window's test span (the first measured from the equity at
// the bar before, the carried equity), with the run's periods per year
// and risk-free rate.
func Evaluate(res *Result, oos *backtest.Result) error {
	var times []time.Time
	for c := range oos.Curve.Times().Chunks() {
		times = append(times, c...)
	}
	var r []float64
	for c := range oos.Curve.Returns(oos.InitialCash.InexactFloat64()).Chunks() {
		r = append(r, c...)
	}
	if len(r) != len(times) {
		return fmt.Errorf("walkforward: %d returns for %d equity points", len(r), len(times))
	}
	P, rf := oos.Metrics.PeriodsPerYear, oos.Config.Analysis.RiskFree
	for i := range res.Windows {
		w := &res.Windows[i]
		lo := index(times, w.TestStart)
		hi := index(times, w.TestEnd.Add(time.Nanosecond))
		w.OOS = Objective(res.Objective, r[lo:hi], P, rf)
	}
	return nil
}
