package walkforward

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/store"
	"github.com/quantloop/quantloop/sweep"
)

// CVPlan is a cross-validation of a rule set: a base config, the
// configurations tried (none varied: the base alone), the scheme, and the
// objective.
type CVPlan struct {
	Base  backtest.Config
	Space sweep.Space
	CV    CV
	// Purge is the number of bars purged before each test group; Embargo
	// the fraction of all bars embargoed after each, floor(Embargo × n)
	// bars (as López de Prado's pctEmbargo).
	Purge   int
	Embargo float64
	// Objective is the metric maximized in-sample and measured out of
	// sample (one of Objectives; empty: DefaultObjective).
	Objective string
}

// CVSplit is one split's outcome.
type CVSplit struct {
	Split
	// Params are the settings with the best in-sample objective (ties to
	// the earliest in the plan's order); RunID their run.
	Params sweep.Point
	RunID  string
	// IS is their objective over the training bars, OOS over the test
	// bars.
	IS, OOS float64
}

// CVResult is a cross-validation's outcome.
type CVResult struct {
	Objective    string
	Bars         int
	Purge        int
	EmbargoBars  int
	SweepID      string
	Trials       int
	Splits       []CVSplit
	PathSplits   [][]int   // CPCV's paths: for each, the split of each group
	PathOutcomes []float64 // the objective of each path's test returns
}

// CrossValidate runs every configuration of plan once over the whole data
// (one sweep, sweep.Run, into st) and cross-validates on their per-bar
// returns: in each split of plan.CV over the bar index, the configuration
// with the best objective over the training bars (their returns joined
// in order) is chosen and measured on the test bars. For CPCV, each
// backtest path joins, group by group, the test returns of the
// configuration its split chose, and is measured whole. Trading is that
// of the whole run: a split selects bars of one continuous run's returns,
// so that the purge and embargo act on the bar index.
//
// CrossValidate is PrepareCV, then PreparedCV.Run.
func CrossValidate(ctx context.Context, plan CVPlan, st *store.Store, opts Options) (*CVResult, error) {
	p, err := PrepareCV(ctx, plan, opts.Jobs)
	if err != nil {
		return nil, err
	}
	return p.Run(ctx, st, opts)
}

// PreparedCV is a cross-validation plan checked, with its sweep prepared
// (see PrepareCV), ready to run.
type PreparedCV struct {
	plan   CVPlan
	points []sweep.Point
	sweep  *sweep.Prepared
}

// PrepareCV checks plan and prepares its sweep (sweep.Prepare, jobs at a
// time): a plan CrossValidate would refuse for its settings, its scheme,
// its space or its data is refused here, before any store is written,
// but for a scheme of more groups than the runs have bars, which only
// the runs tell. Stopped through ctx, it returns an error wrapping
// engine.ErrInterrupted.
func PrepareCV(ctx context.Context, plan CVPlan, jobs int) (*PreparedCV, error) {
	var err error
	if plan.Objective, err = objectiveOf(plan.Objective); err != nil {
		return nil, err
	}
	if plan.Embargo < 0 || plan.Embargo >= 1 || math.IsNaN(plan.Embargo) {
		return nil, fmt.Errorf("cv: embargo %g: want a fraction of the bars, 0 <= embargo < 1", plan.Embargo)
	}
	if plan.Purge < 0 {
		return nil, errors.New("cv: purge and embargo must not be negative")
	}
	if err := plan.CV.check(); err != nil {
		return nil, err
	}
	points, err := plan.Space.Points()
	if err != nil {
		return nil, err
	}
	prep, err := sweep.Prepare(ctx, sweep.Plan{Base: plan.Base, Space: plan.Space}, jobs)
	if err != nil {
		return nil, err
	}
	return &PreparedCV{plan: plan, points: points, sweep: prep}, nil
}

// Run runs p's sweep into st and cross-validates on its runs' returns,
// as CrossValidate does.
func (p *PreparedCV) Run(ctx context.Context, st *store.Store, opts Options) (*CVResult, error) {
	plan, points, obj := p.plan, p.points, p.plan.Objective
	sum, err := p.sweep.Run(ctx, st, sweep.Options{Jobs: opts.Jobs})
	if err != nil {
		return nil, err
	}
	summaries, err := st.Runs(ctx, sum.ID)
	if err != nil {
		return nil, err
	}
	res := &CVResult{Objective: obj, SweepID: sum.ID, Trials: len(summaries), Purge: plan.Purge}
	runs := make([]*store.Summary, len(points))
	returns := make([][]float64, len(points))
	periods := make([]float64, len(points))
	for i, pt := range points {
		if runs[i] = findRun(summaries, pt); runs[i] == nil {
			return nil, fmt.Errorf("cv: no stored run has the settings %s", pt)
		}
		if returns[i], err = st.BarReturns(ctx, runs[i].ID); err != nil {
			return nil, err
		}
		if len(returns[i]) != len(returns[0]) {
			return nil, fmt.Errorf("cv: runs %s and %s have %d and %d bars", runs[0].ID, runs[i].ID, len(returns[0]), len(returns[i]))
		}
		periods[i] = runs[i].Metrics["periods_per_year"].Num
	}
	n := len(returns[0])
	if n == 0 {
		return nil, errors.New("cv: the runs have no returns in the store")
	}
	res.Bars, res.EmbargoBars = n, int(plan.Embargo*float64(n))
	splits, err := plan.CV.Splits(n, plan.Purge, res.EmbargoBars)
	if err != nil {
		return nil, err
	}
	for i, s := range splits {
		if len(s.Train) == 0 {
			// Its choice would be no choice, and its out-of-sample
			// objective would count as one.
			return nil, fmt.Errorf("cv: split %d has no training bars left after a purge of %d bars and an embargo of %d; use less of either",
				i+1, plan.Purge, res.EmbargoBars)
		}
	}
	rf := plan.Base.Analysis.RiskFree
	for _, s := range splits {
		cs := CVSplit{Split: s, IS: math.NaN()}
		best := -1
		for i := range points {
			v := Objective(obj, Gather(returns[i], s.Train), periods[i], rf)
			if best < 0 || (!math.IsNaN(v) && (math.IsNaN(cs.IS) || v > cs.IS)) {
				best, cs.IS = i, v
			}
		}
		cs.Params, cs.RunID = points[best], runs[best].ID
		cs.OOS = Objective(obj, Gather(returns[best], s.Test), periods[best], rf)
		res.Splits = append(res.Splits, cs)
	}
	if plan.CV.Test > 1 {
		groups, _ := Groups(n, plan.CV.Groups)
		res.PathSplits = Paths(splits, plan.CV.Groups)
		for _, path := range res.PathSplits {
			var r []float64
			var P float64
			for g, si := range path {
				best := slices.IndexFunc(runs, func(s *store.Summary) bool { return s.ID == res.Splits[si].RunID })
				r = append(r, returns[best][groups[g].Start:groups[g].End]...)
				P = periods[best]
			}
			res.PathOutcomes = append(res.PathOutcomes, Objective(obj, r, P, rf))
		}
	}
	return res, nil
}

// CVHeader is the header of cv.csv.
const CVHeader = "split,test_groups,train_bars,test_bars,params,is_objective,oos_objective"

// WriteCV writes res's splits as CSV: CVHeader, then one row per split:
// its number from 1, the test groups (from 1, separated by spaces), the
// numbers of training and test bars, the chosen params (path=value
// separated by spaces) and the objectives.
func WriteCV(w io.Writer, res *CVResult) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(strings.Split(CVHeader, ",")); err != nil {
		return err
	}
	for i, s := range res.Splits {
		var groups, params []string
		for _, g := range s.Groups {
			groups = append(groups, strconv.Itoa(g+1))
		}
		for _, p := range s.Params {
			params = append(params, p.Path+"="+p.Value)
		}
		train, test := 0, 0
		for _, r := range s.Train {
			train += r.Len()
		}
		for _, r := range s.Test {
			test += r.Len()
		}
		if err := cw.Write([]string{strconv.Itoa(i + 1), strings.Join(groups, " "), strconv.Itoa(train), strconv.Itoa(test),
			strings.Join(params, " "), formatFloat(s.IS), formatFloat(s.OOS)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CVSummary is what cv.json holds.
type CVSummary struct {
	Objective   string `json:"objective"`
	Bars        int    `json:"bars"`
	Groups      int    `json:"groups"`
	TestGroups  int    `json:"test_groups"`
	Splits      int    `json:"splits"`
	Purge       int    `json:"purge_bars"`
	EmbargoBars int    `json:"embargo_bars"`
	Trials      int    `json:"trials"`
	SweepID     string `json:"sweep"`
	// MeanIS and MeanOOS are the means of the splits' objectives (over
	// those that are numbers); Efficiency is MeanOOS / MeanIS.
	MeanIS     Float `json:"mean_is_objective"`
	MeanOOS    Float `json:"mean_oos_objective"`
	Efficiency Float `json:"efficiency"`
	// Paths are the objectives of CPCV's backtest paths; empty for
	// k-fold.
	Paths []Float `json:"paths"`
}

// SummarizeCV returns the summary of a cross-validation of scheme c.
func SummarizeCV(res *CVResult, c CV) CVSummary {
	s := CVSummary{Objective: res.Objective, Bars: res.Bars, Groups: c.Groups, TestGroups: c.Test, Splits: len(res.Splits),
		Purge: res.Purge, EmbargoBars: res.EmbargoBars, Trials: res.Trials, SweepID: res.SweepID, Paths: []Float{}}
	var is, oos []float64
	for _, sp := range res.Splits {
		is, oos = append(is, sp.IS), append(oos, sp.OOS)
	}
	mi, mo := finiteMean(is), finiteMean(oos)
	s.MeanIS, s.MeanOOS, s.Efficiency = Float(mi), Float(mo), Float(math.NaN())
	if mi != 0 && !math.IsNaN(mi) {
		s.Efficiency = Float(mo / mi)
	}
	for _, p := range res.PathOutcomes {
		s.Paths = append(s.Paths, Float(p))
	}
	return s
}

// finiteMean returns the mean of the finite values of x, NaN when none is.
func finiteMean(x []float64) float64 {
	sum, n := 0.0, 0
	for _, v := range x {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}
