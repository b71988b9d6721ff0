package sweep

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/manifest"
	"github.com/quantloop/quantloop/store"
)

// Plan is a sweep: a base config and the space of settings varied over
// it.
type Plan struct {
	Base  backtest.Config
	Space Space
	// Shard and Shards select the Shard-th (counting from 1) of Shards
	// deterministic shards of the runs: those whose index in the plan's
	// order, from 0, is Shard-1 modulo Shards. Zero runs them all.
	Shard, Shards int
}

// Options change how a sweep runs.
type Options struct {
	// Jobs is the number of runs at once (0: GOMAXPROCS).
	Jobs int
	// Keep is what the store keeps of each run (empty: store.KeepThin).
	Keep store.Keep
	// Progress, if set, is called once the stored runs are skipped and
	// after each run is stored, from one goroutine.
	Progress func(Progress)
}

// Progress is how far a sweep is.
type Progress struct {
	// Done runs of Total (this shard's), Skipped of them found in the
	// store.
	Done, Total, Skipped int
	// BestSharpe is the highest Sharpe ratio of the runs stored so far
	// by this call (NaN before the first).
	BestSharpe float64
}

// Summary is what a sweep did.
type Summary struct {
	// ID is the sweep's id in the store.
	ID string
	// Runs is the number of distinct runs of the plan (of all shards);
	// Selected those of this shard; Added the ones this call ran and
	// stored; Skipped those the store held already.
	Runs, Selected, Added, Skipped int
	// Stats are the sweep's deflated Sharpe statistics over the runs the
	// store holds for it.
	Stats *store.Stats
}

// maxBatch is the most finished runs that wait for the store, and that
// one transaction records.
const maxBatch = 16

// batchWait is how long the first run of a transaction waits for others
// to end and join it (see Run). A commit syncs the store to disk, which
// costs more than recording a run.
const batchWait = 100 * time.Millisecond

// maxSkippedErrors is how many skipped rows a run's result names, as
// backtest.Run does.
const maxSkippedErrors = 5

// Prepared is a sweep checked and ready to run: its configurations built,
// checked and identified, and its data read. Prepare makes one and its
// Run runs it into a store, so that a plan that cannot run is refused
// before any store is opened.
type Prepared struct {
	plan    Plan
	bars    *shared
	ids     []string    // the distinct runs' ids, in the plan's order
	unique  []Point     // their points
	configs []*prepared // their configs
	space   []byte      // the base config and the space, as the store keeps them
	id      string
}

// Prepare checks plan and prepares it to run (see Prepared): each of its
// configurations is built and checked, jobs at a time (0: GOMAXPROCS),
// and the input bars are read once, for every run to share. Stopped
// through ctx, it returns an error wrapping engine.ErrInterrupted.
func Prepare(ctx context.Context, plan Plan, jobs int) (*Prepared, error) {
	base := plan.Base
	if err := check(&base, plan); err != nil {
		return nil, err
	}
	points, err := plan.Space.Points()
	if err != nil {
		return nil, err
	}
	if len(points) == 0 {
		return nil, errors.New("sweep: no configuration is left (see --where)")
	}
	baseYAML, err := base.CanonicalYAML()
	if err != nil {
		return nil, err
	}
	bars, err := load(base)
	if err != nil {
		return nil, err
	}
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	// Each point's config, checked before anything runs, and its id.
	preps := prepare(ctx, baseYAML, points, jobs)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("sweep: %w", engine.ErrInterrupted)
	}
	p := &Prepared{plan: plan, bars: bars}
	seen := map[string]bool{}
	for i, pt := range points {
		cfg, canon, err := preps[i].cfg, preps[i].canon, preps[i].err
		if err != nil {
			return nil, err
		}
		inputs, err := bars.inputs(cfg)
		if err != nil {
			return nil, err
		}
		id := store.RunID(canon, inputs)
		if !seen[id] {
			seen[id] = true
			p.ids = append(p.ids, id)
			p.unique = append(p.unique, pt)
			p.configs = append(p.configs, &preps[i])
		}
	}
	if p.space, err = json.Marshal(struct {
		Base  string `json:"base"`
		Space Space  `json:"space"`
	}{string(baseYAML), plan.Space}); err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "quantloop sweep 1\n%d\n", len(p.space))
	h.Write(p.space)
	for _, in := range bars.digests {
		fmt.Fprintf(h, "\ninput %q %s %d", in.Path, in.SHA256, in.Bytes)
	}
	p.id = hex.EncodeToString(h.Sum(nil))
	return p, nil
}

// ID returns the sweep's id: the hex SHA-256 of a version line, the base
// config and space as the store keeps them, and each input's path,
// SHA-256 and size.
func (p *Prepared) ID() string { return p.id }

// Runs returns the number of distinct runs of the plan (of all shards).
func (p *Prepared) Runs() int { return len(p.ids) }

// Run prepares plan (see Prepare) and runs it into st (see Prepared.Run).
func Run(ctx context.Context, plan Plan, st *store.Store, opts Options) (*Summary, error) {
	p, err := Prepare(ctx, plan, opts.Jobs)
	if err != nil {
		return nil, err
	}
	return p.Run(ctx, st, opts)
}

// Run runs the sweep into st. The input bars are shared by every run;
// each run is single-threaded, runs go Options.Jobs at a time, and each
// is stored as it ends, whole, in one transaction (the runs that end
// within batchWait of the first of them, up to maxBatch, share one). A
// run the store holds already (by id: see store.RunID) is not run again,
// so a sweep that was stopped resumes where it was. The result is the
// same for any number of jobs. A run interrupted through ctx is not
// stored.
func (p *Prepared) Run(ctx context.Context, st *store.Store, opts Options) (*Summary, error) {
	plan, bars, ids, unique, configs := p.plan, p.bars, p.ids, p.unique, p.configs
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	sum := &Summary{ID: p.id, Runs: len(ids)}
	if err := st.AddSweep(ctx, &store.Sweep{ID: sum.ID, Space: p.space, Trials: 0}); err != nil {
		return nil, err
	}

	// This shard's runs; those stored already only join the sweep.
	var selected, todo []int
	var selectedIDs []string
	for i, id := range ids {
		if plan.Shards == 0 || i%plan.Shards == plan.Shard-1 {
			selected, selectedIDs = append(selected, i), append(selectedIDs, id)
		}
	}
	has, err := st.HasAll(ctx, selectedIDs)
	if err != nil {
		return nil, err
	}
	sum.Selected = len(selected)
	var stored []string
	for k, i := range selected {
		if has[k] {
			stored = append(stored, ids[i])
			continue
		}
		todo = append(todo, i)
	}
	if len(stored) > 0 {
		if err := st.AddMembers(ctx, sum.ID, stored); err != nil {
			return nil, err
		}
	}
	sum.Skipped = len(stored)
	prog := Progress{Done: sum.Skipped, Total: sum.Selected, Skipped: sum.Skipped, BestSharpe: math.NaN()}
	if opts.Progress != nil {
		opts.Progress(prog)
	}
	keep := opts.Keep
	if keep == "" {
		keep = store.KeepThin
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan int)
	done := make(chan *store.Run, max(jobs, maxBatch))
	var wg sync.WaitGroup
	for range min(jobs, max(len(todo), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var last spare
			for i := range work {
				run, err := bars.run(ctx, ids[i], configs[i], keep, &last)
				if err != nil {
					cancel(fmt.Errorf("sweep: run %s: %w", unique[i], err))
					return
				}
				done <- run
			}
		}()
	}
	go func() {
		defer close(work)
		for _, i := range todo {
			select {
			case work <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()
	wait := time.NewTimer(batchWait)
	for run := range done {
		// The runs that end within batchWait of the first, up to
		// maxBatch, share a transaction: one commit, one sync to disk,
		// for all of them. The workers go on meanwhile: done holds
		// maxBatch runs.
		batch := []*store.Run{run}
		wait.Reset(batchWait)
	collect:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-done:
				if !ok {
					break collect
				}
				batch = append(batch, r)
			case <-wait.C:
				break collect
			}
		}
		wait.Stop()
		if _, err := st.RecordAll(ctx, batch, sum.ID); err != nil {
			cancel(err)
			continue
		}
		for _, run := range batch {
			sum.Added++
			prog.Done++
			if v := run.Metrics["sharpe"]; v.Numeric && !(v.Num <= prog.BestSharpe) {
				prog.BestSharpe = v.Num
			}
			if opts.Progress != nil {
				opts.Progress(prog)
			}
		}
	}
	if err := context.Cause(ctx); err != nil {
		return sum, err
	}
	if sum.Stats, err = st.Analyze(ctx, sum.ID); err != nil {
		return sum, err
	}
	return sum, nil
}

// check refuses a plan a sweep cannot run: an invalid base config, an
// orders file, or a varied setting that changes the shared data. It
// replaces base's data catalog by its files (see Config.UseCatalog).
func check(base *backtest.Config, plan Plan) error {
	if err := base.UseCatalog(); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := base.Validate(); err != nil {
		return err
	}
	if len(base.Data.Files) == 0 {
		return errors.New("sweep: data.files: no data files given")
	}
	if base.Strategy.Orders != "" {
		return errors.New("sweep: strategy.orders: a sweep varies a strategy; it cannot replay an orders file")
	}
	for _, d := range plan.Space.Grid {
		if err := checkPath(d.Path); err != nil {
			return err
		}
	}
	for _, r := range plan.Space.Ranges {
		if err := checkPath(r.Path); err != nil {
			return err
		}
	}
	if plan.Shards < 0 || (plan.Shards > 0 && (plan.Shard < 1 || plan.Shard > plan.Shards)) {
		return fmt.Errorf("sweep: shard %d/%d: want 1 <= I <= N", plan.Shard, plan.Shards)
	}
	return nil
}

func checkPath(path string) error {
	if strings.HasPrefix(path, "data.") || path == "strategy.orders" {
		return fmt.Errorf("sweep: %s cannot vary: the runs of a sweep share their data", path)
	}
	return nil
}

// prepared is a point's config, its effective config and the canonical
// config file of that (see store.RunID), or why it has none.
type prepared struct {
	cfg, eff backtest.Config
	canon    []byte
	err      error
}

// prepare returns the config of each point over base, a canonical config
// file, and its canonical effective config, jobs points at a time. Once
// ctx is done it hands out no more points (the caller checks ctx).
func prepare(ctx context.Context, base []byte, points []Point, jobs int) []prepared {
	out := make([]prepared, len(points))
	var cfg backtest.Config
	if err := backtest.DecodeYAML("config", base, &cfg, nil); err != nil {
		for i := range out {
			out[i].err = fmt.Errorf("sweep: %w", err)
		}
		return out
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(jobs, len(points)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p := &out[i]
				p.cfg, p.err = pointConfig(cfg, points[i])
				if p.err != nil {
					continue
				}
				var err error
				if p.eff, err = p.cfg.Effective(); err != nil {
					p.err = fmt.Errorf("sweep: %s: %w", points[i], err)
					continue
				}
				p.canon, p.err = p.eff.CanonicalYAML()
			}
		}()
	}
	for i := range points {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// pointConfig returns a copy of base, the config of a canonical config
// file, with p's settings.
func pointConfig(base backtest.Config, p Point) (backtest.Config, error) {
	cfg := base.Clone()
	for _, s := range p {
		if err := cfg.Set(s.Path, s.Value); err != nil {
			return cfg, fmt.Errorf("sweep: %s: %w", p, err)
		}
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("sweep: %s: %w", p, err)
	}
	if cfg.Strategy.Name == "" {
		cfg.Strategy.Name = backtest.DefaultStrategy
	}
	if _, err := cfg.NewStrategy(); err != nil {
		return cfg, fmt.Errorf("sweep: %s: %w", p, err)
	}
	return cfg, nil
}

// shared are the bars of a sweep's data, read once: each call of the
// merged feed's Next, in order, and what reading them found.
type shared struct {
	groups        [][]engine.Bar
	symbols       []string
	files         []data.Digest
	digests       []manifest.FileHash
	skipped       int
	skippedErrors []string
	benchmarks    map[string]manifest.FileHash // benchmark files that are not data files, hashed
}

// load reads the data of cfg.
func load(cfg backtest.Config) (*shared, error) {
	feed, err := cfg.OpenData()
	if err != nil {
		return nil, err
	}
	defer feed.Close()
	sh := &shared{symbols: feed.Symbols(), benchmarks: map[string]manifest.FileHash{}}
	var buf []engine.Bar
	for {
		bars, err := feed.Next(buf[:0])
		if errors.Is(err, io.EOF) || (err == nil && len(bars) == 0) {
			break
		}
		if err != nil {
			return nil, err
		}
		sh.groups = append(sh.groups, slices.Clone(bars))
		buf = bars
	}
	if len(sh.groups) == 0 {
		return nil, fmt.Errorf("sweep: no bars in %s", strings.Join(cfg.Data.Files, ", "))
	}
	sh.skipped, sh.skippedErrors = feed.Skipped(maxSkippedErrors)
	if sh.files, err = feed.Digests(); err != nil {
		return nil, err
	}
	for _, d := range sh.files {
		sh.digests = append(sh.digests, manifest.Sum(d.Path, d.SHA256, d.Bytes))
	}
	return sh, nil
}

// inputs returns the inputs of a run of cfg as its manifest lists them:
// the data files, then the benchmark file when it is not one of them.
func (sh *shared) inputs(cfg backtest.Config) ([]manifest.FileHash, error) {
	b := cfg.BenchmarkFile()
	if b == "" || slices.Contains(cfg.Data.Paths(), b) {
		return sh.digests, nil
	}
	h, ok := sh.benchmarks[b]
	if !ok {
		var err error
		if h, err = manifest.HashFile(b); err != nil {
			return nil, fmt.Errorf("benchmark: %w", err)
		}
		sh.benchmarks[b] = h
	}
	return append(slices.Clone(sh.digests), h), nil
}

// spare is what a worker's run leaves for the next: the memory of its
// equity points and curve, which its store.Run does not use, and the
// periods per year it inferred (see backtest.Options).
type spare struct {
	equity  []backtest.EquityPoint
	curve   backtest.Curve
	periods backtest.PeriodsCache
}

// run runs p's config over the shared bars and returns it as the store
// records it under id. It takes the memory last, an earlier run's, holds
// and leaves its own there.
func (sh *shared) run(ctx context.Context, id string, p *prepared, keep store.Keep, last *spare) (*store.Run, error) {
	cfg := p.cfg
	strat, err := cfg.NewStrategy()
	if err != nil {
		return nil, err
	}
	o := backtest.Options{Times: len(sh.groups), Equity: last.equity, Curve: &last.curve, Periods: &last.periods,
		NoOrdersFills: keep != store.KeepFull}
	if i := slices.Index(cfg.Data.Paths(), cfg.BenchmarkFile()); i >= 0 {
		o.Benchmark = sh.symbols[i]
	}
	started := time.Now()
	res, err := o.RunFeed(ctx, cfg, &feed{groups: sh.groups}, strat)
	if res == nil || errors.Is(err, engine.ErrInterrupted) {
		return nil, err
	}
	res.SkippedRows, res.SkippedErrors = sh.skipped, sh.skippedErrors
	res.Inputs = sh.files
	// The run's config is the effective one with the inferred
	// periods_per_year: its file is the id's with that line.
	if res.CanonicalConfig, err = res.Config.CanonicalYAMLOver(p.eff, p.canon); err != nil {
		return nil, err
	}
	run, err := store.NewRun(id, res, keep, started, time.Since(started).Seconds())
	last.equity, last.curve = res.Equity[:0], res.Curve
	return run, err
}

// feed is an engine.Feed over bars read before: each Next returns the
// next group, copied, so the groups stay read-only.
type feed struct {
	groups [][]engine.Bar
	next   int
}

// Next returns the bars of the next time.
func (f *feed) Next(dst []engine.Bar) ([]engine.Bar, error) {
	if f.next >= len(f.groups) {
		return dst[:0], io.EOF
	}
	f.next++
	return append(dst[:0], f.groups[f.next-1]...), nil
}
