package walkforward

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"strconv"
	"sync"

	"gonum.org/v1/gonum/optimize"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/sweep"
)

// NelderMead names the optimizer of Plan.Optimizer that searches the
// ranges of the space with the Nelder–Mead simplex method
// (gonum.org/v1/gonum/optimize).
const NelderMead = "nelder-mead"

// DefaultEvals is the most training runs Nelder–Mead makes in one window
// when Plan.Evals is zero.
const DefaultEvals = 60

// The Nelder–Mead search works in the unit cube, one coordinate u in
// [0, 1] per range, the value being lo + u × (hi − lo) (u clamped to
// [0, 1]); it starts at the centre, with an initial simplex of side
// simplexSize.
const simplexSize = 0.25

// checkNelderMead refuses a space Nelder–Mead cannot search: it needs
// ranges, and takes no grid, random draws or condition.
func checkNelderMead(s sweep.Space) error {
	if len(s.Ranges) == 0 {
		return errors.New("walkforward: nelder-mead searches --range PATH=LO:HI; give at least one")
	}
	if len(s.Grid) > 0 || s.Random > 0 || s.Where != "" {
		return errors.New("walkforward: nelder-mead searches the --range paths alone: do not give --grid, --values, --random or --where with it")
	}
	for _, r := range s.Ranges {
		if r.Log {
			return fmt.Errorf("walkforward: nelder-mead: --range %s: a log range is for random draws; give LO:HI", r.Path)
		}
	}
	return nil
}

// nelderMeadWindows optimizes each window of res, whose training config
// is cfgs[i], with Nelder–Mead over plan.Space.Ranges: windows go
// opts.Jobs at a time, each search sequential, so the result does not
// depend on the number of jobs.
func nelderMeadWindows(ctx context.Context, res *Result, cfgs []backtest.Config, plan Plan, opts Options) error {
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	evals := plan.Evals
	if evals <= 0 {
		evals = DefaultEvals
	}
	errs := make([]error, len(cfgs))
	trials := make([]int, len(cfgs))
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i := range cfgs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			w := &res.Windows[i]
			w.Params, w.IS, trials[i], errs[i] = nelderMead(ctx, cfgs[i], plan.Space.Ranges, res.Objective, evals)
			if errs[i] != nil {
				errs[i] = fmt.Errorf("walkforward: window %d: %w", i+1, errs[i])
			}
		}()
	}
	wg.Wait()
	for i := range cfgs {
		res.Trials += trials[i]
	}
	return errors.Join(errs...)
}

// nelderMead searches ranges for the highest objective obj of a run of
// cfg, in at most evals runs. It returns the best settings run (ties to
// the first run), their objective and the number of distinct runs. A
// point whose settings were run already is not run again. Whole-number
// ranges round their value; others keep 6 significant digits.
func nelderMead(ctx context.Context, cfg backtest.Config, ranges []sweep.Range, obj string, evals int) (sweep.Point, float64, int, error) {
	seen := map[string]float64{}
	var best sweep.Point
	bestV := math.NaN()
	var runErr, refused error
	f := func(u []float64) float64 {
		p := pointAt(ranges, u)
		key := p.String()
		v, ok := seen[key]
		if !ok {
			var err error
			v, err = evaluate(ctx, cfg, p, obj)
			var ie infeasible
			switch {
			case errors.As(err, &ie):
				refused, v = cmp.Or(refused, err), math.NaN()
			case err != nil:
				runErr, v = cmp.Or(runErr, err), math.NaN()
			default:
				if best == nil || (!math.IsNaN(v) && (math.IsNaN(bestV) || v > bestV)) {
					best, bestV = p, v
				}
			}
			seen[key] = v
		}
		if math.IsNaN(v) {
			return math.Inf(1) // never preferred by the simplex
		}
		return -v
	}
	x0 := make([]float64, len(ranges))
	for i := range x0 {
		x0[i] = 0.5
	}
	settings := &optimize.Settings{FuncEvaluations: evals, Converger: &optimize.FunctionConverge{Absolute: 1e-10, Iterations: 20}}
	_, err := optimize.Minimize(optimize.Problem{Func: f}, x0, settings, &optimize.NelderMead{SimplexSize: simplexSize})
	if runErr != nil {
		return nil, 0, 0, runErr
	}
	if best == nil && refused != nil {
		return nil, 0, 0, fmt.Errorf("nelder-mead: every point tried was refused; the first: %w", refused)
	}
	if best == nil {
		return nil, 0, 0, fmt.Errorf("nelder-mead: %w", err)
	}
	return best, bestV, len(seen), nil
}

// pointAt returns the settings of ranges at the unit-cube point u.
func pointAt(ranges []sweep.Range, u []float64) sweep.Point {
	p := make(sweep.Point, len(ranges))
	for i, r := range ranges {
		x := r.Lo + math.Min(math.Max(u[i], 0), 1)*(r.Hi-r.Lo)
		v := strconv.FormatFloat(x, 'g', 6, 64)
		if r.Int {
			v = strconv.FormatInt(int64(math.Round(x)), 10)
		} else if f, err := strconv.ParseFloat(v, 64); err == nil {
			v = strconv.FormatFloat(f, 'f', -1, 64) // no exponent in a param
		}
		p[i] = sweep.Setting{Path: r.Path, Value: v}
	}
	return p
}

// infeasible is the error of settings that cannot make a run (a strategy
// refusing its params): the search treats them as the worst point.
type infeasible struct{ err error }

func (e infeasible) Error() string { return e.err.Error() }
func (e infeasible) Unwrap() error { return e.err }

// evaluate runs cfg with p's settings and returns its objective obj, as
// results.json computes the metric. Settings refused before the run
// starts are an infeasible error.
func evaluate(ctx context.Context, cfg backtest.Config, p sweep.Point, obj string) (float64, error) {
	cfg.Strategy.Params = maps.Clone(cfg.Strategy.Params) // shared with the other windows' configs
	for _, s := range p {
		if err := cfg.Set(s.Path, s.Value); err != nil {
			return 0, infeasible{fmt.Errorf("%s: %w", p, err)}
		}
	}
	res, err := backtest.Run(ctx, cfg)
	if res == nil {
		return 0, infeasible{fmt.Errorf("%s: %w", p, err)}
	}
	defer res.Close()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", p, err)
	}
	var r []float64
	for c := range res.Curve.Returns(res.InitialCash.InexactFloat64()).Chunks() {
		r = append(r, c...)
	}
	return Objective(obj, r, res.Metrics.PeriodsPerYear, res.Config.Analysis.RiskFree), nil
}
