package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/quantloop/quantloop/metrics"
	"github.com/quantloop/quantloop/report"
)

// Sweep is a sweep as a store records it.
type Sweep struct {
	// ID identifies the sweep: the same plan over the same inputs has the
	// same id.
	ID string
	// Space is the sweep's plan as JSON: the base config, what varies and
	// how.
	Space []byte
	// Trials is the number of runs of the sweep.
	Trials int
	// Statistics are the sweep's statistics as JSON (see Analyze).
	Statistics []byte
}

// AddSweep records sw, or updates its trial count and statistics when the
// store holds its id.
func (s *Store) AddSweep(ctx context.Context, sw *Sweep) error {
	stats := sw.Statistics
	if stats == nil {
		stats = []byte("{}")
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO sweeps (id, space, trials, statistics) VALUES (?,?,?,?)
		ON CONFLICT (id) DO UPDATE SET trials = excluded.trials, statistics = excluded.statistics`,
		sw.ID, string(sw.Space), sw.Trials, string(stats))
	if err != nil {
		return fmt.Errorf("store %s: sweep %s: %w", s.path, sw.ID, err)
	}
	return nil
}

// GetSweep returns the sweep id.
func (s *Store) GetSweep(ctx context.Context, id string) (*Sweep, error) {
	sw := &Sweep{ID: id}
	var space, stats string
	err := s.db.QueryRowContext(ctx, `SELECT space, trials, statistics FROM sweeps WHERE id = ?`, id).Scan(&space, &sw.Trials, &stats)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store %s: no sweep %s", s.path, id)
	}
	if err != nil {
		return nil, fmt.Errorf("store %s: sweep %s: %w", s.path, id, err)
	}
	sw.Space, sw.Statistics = []byte(space), []byte(stats)
	return sw, nil
}

// Sweeps returns the ids of the store's sweeps, in order.
func (s *Store) Sweeps(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM sweeps ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.path, err)
	}
	ids, err := scanStrings(rows)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.path, err)
	}
	return ids, nil
}

// Stats are the statistics of a sweep over its runs.
type Stats struct {
	// Trials is the number of the sweep's runs with a finite per-period
	// Sharpe ratio, N of the deflated Sharpe ratio.
	Trials int `json:"trials"`
	// The statistics are written to the sweep's row as JSON with these
	// keys, NaN as "NaN".
	// SharpeVariance is the sample variance (n-1) of their per-period
	// Sharpe ratios; SharpeMean their mean; SharpeMax the largest.
	SharpeMean     float64 `json:"sharpe_mean"`
	SharpeVariance float64 `json:"sharpe_variance"`
	SharpeMax      float64 `json:"sharpe_max"`
	// PBO is the probability of backtest overfitting of the runs by
	// CSCV over PBOBlocks blocks (PBOSplits splits), NaN when it cannot
	// be computed (fewer than 2 runs, fewer bars than blocks, runs of
	// different lengths, or runs stored without their returns).
	PBO                  float64
	PBOBlocks, PBOSplits int
	// LogitMedian is the median of the CSCV logits (NaN without PBO).
	LogitMedian float64
	// Logits are the splits' CSCV logits (see PBO.Logits; none without
	// PBO). They are not written to the sweep's row.
	Logits []float64
}

// PBOBlocks is the number of blocks a sweep's CSCV cuts the bars into.
const PBOBlocks = 16

// Analyze computes the statistics of the sweep id over the runs the store
// holds for it. The deflated Sharpe ratio of every run, with the sweep's
// own trials (Bailey and López de Prado, 2014): N is
// the number of its runs with a finite per-period Sharpe ratio and the
// variance that of their per-period Sharpe ratios
// (metrics.Moments.DeflatedSharpe, on each run's returns as stored). It
// records each run's value in the sweep's membership. The probability of
// backtest overfitting by CSCV (see CSCV) over PBOBlocks blocks of the
// runs' per-bar returns: the sums of each block, as this Store kept them
// when it recorded the runs (RecordAll with the sweep's id), or else from
// the returns read back, one run at a time by one query. It records the
// number of runs and the statistics in the sweep, and returns the
// statistics.
func (s *Store) Analyze(ctx context.Context, id string) (*Stats, error) {
	fail := func(err error) (*Stats, error) {
		return nil, fmt.Errorf("store %s: sweep %s: statistics: %w", s.path, id, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.returns_len, r.returns_n, r.returns_mean, r.returns_s2, r.returns_s3, r.returns_s4
		FROM runs r JOIN sweep_runs m ON m.run_id = r.id WHERE m.sweep_id = ? ORDER BY r.id`, id)
	if err != nil {
		return fail(err)
	}
	type member struct {
		id string
		m  momentsRow
	}
	var all []member
	for rows.Next() {
		var mb member
		if err := rows.Scan(&mb.id, &mb.m.Len, &mb.m.N, &mb.m.mean, &mb.m.s2, &mb.m.s3, &mb.m.s4); err != nil {
			rows.Close()
			return fail(err)
		}
		all = append(all, mb)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	var srs []float64
	for _, mb := range all {
		if sr := mb.m.moments().Sharpe(1); !math.IsNaN(sr) && !math.IsInf(sr, 0) {
			srs = append(srs, sr)
		}
	}
	st := &Stats{Trials: len(srs), SharpeMean: math.NaN(), SharpeVariance: math.NaN(), SharpeMax: math.NaN(),
		PBO: math.NaN(), LogitMedian: math.NaN(), PBOBlocks: PBOBlocks}
	if len(srs) > 0 {
		st.SharpeMean, st.SharpeVariance = stat.MeanVariance(srs, nil)
		st.SharpeMax = srs[0]
		for _, x := range srs {
			st.SharpeMax = math.Max(st.SharpeMax, x)
		}
	}
	if len(all) >= 2 {
		ids := make([]string, len(all))
		for i, mb := range all {
			ids[i] = mb.id
		}
		if err := s.pbo(ctx, st, id, ids); err != nil {
			return fail(err)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	update, err := tx.PrepareContext(ctx, `UPDATE sweep_runs SET deflated_sharpe = ? WHERE sweep_id = ? AND run_id = ?`)
	if err != nil {
		tx.Rollback()
		return fail(err)
	}
	defer update.Close()
	for _, mb := range all {
		dsr := math.NaN()
		if st.Trials > 0 {
			dsr = mb.m.moments().DeflatedSharpe(st.Trials, st.SharpeVariance)
		}
		if _, err := update.ExecContext(ctx, sqlReal(dsr), id, mb.id); err != nil {
			tx.Rollback()
			return fail(err)
		}
	}
	js, err := json.Marshal(map[string]any{"trials": st.Trials, "sharpe_mean": report.Float(st.SharpeMean),
		"sharpe_variance": report.Float(st.SharpeVariance), "sharpe_max": report.Float(st.SharpeMax),
		"pbo": report.Float(st.PBO), "pbo_blocks": st.PBOBlocks, "pbo_splits": st.PBOSplits, "logit_median": report.Float(st.LogitMedian)})
	if err != nil {
		return fail(err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sweeps SET trials = ?, statistics = ? WHERE id = ?`, len(all), string(js), id); err != nil {
		tx.Rollback()
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return st, nil
}

// AddMember makes the run id, which the store holds, a member of the
// sweep sweepID.
func (s *Store) AddMember(ctx context.Context, sweepID, id string) error {
	return s.AddMembers(ctx, sweepID, []string{id})
}

// AddMembers makes the runs ids, which the store holds, members of the
// sweep sweepID, in one transaction.
func (s *Store) AddMembers(ctx context.Context, sweepID string, ids []string) error {
	fail := func(err error) error { return fmt.Errorf("store %s: sweep %s: %w", s.path, sweepID, err) }
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	add, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO sweep_runs (sweep_id, run_id) VALUES (?, ?)`)
	if err != nil {
		return fail(err)
	}
	defer add.Close()
	for _, id := range ids {
		if _, err := add.ExecContext(ctx, sweepID, id); err != nil {
			return fail(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return nil
}

// momentsRow is a run's stored return moments.
type momentsRow struct {
	Len, N           int
	mean, s2, s3, s4 sql.NullFloat64
}

func (r momentsRow) moments() metrics.Moments {
	return metrics.Moments{Len: r.Len, N: r.N, Mean: nullNaN(r.mean), S2: nullNaN(r.s2), S3: nullNaN(r.s3), S4: nullNaN(r.s4)}
}

// pbo sets st's PBO from the returns of the runs ids, the runs of the
// sweep sweepID in the order of their ids, when they all have as many
// returns, at least PBOBlocks.
func (s *Store) pbo(ctx context.Context, st *Stats, sweepID string, ids []string) error {
	sums, ok, err := s.keptBlocks(ctx, sweepID, ids)
	if err != nil || !ok {
		if sums, err = s.readBlocks(ctx, sweepID, ids); err != nil {
			return err
		}
	}
	if sums == nil {
		return nil
	}
	p, err := cscv(sums, PBOBlocks)
	if err != nil {
		return err
	}
	st.PBO, st.PBOSplits, st.Logits = p.PBO, p.Splits, p.Logits
	st.LogitMedian = stat.Quantile(0.5, stat.Empirical, sortedCopy(p.Logits), nil)
	return nil
}

// keptBlocks returns the block sums of the runs ids, the runs of the
// sweep sweepID in the order of their ids, from those this Store kept as
// it recorded them (see keepBlocks), and whether it kept those of every
// run with as many returns as the store holds. They are nil when the
// runs have no PBO: unequal numbers of returns, or fewer than PBOBlocks.
func (s *Store) keptBlocks(ctx context.Context, sweepID string, ids []string) ([][]blockSums, bool, error) {
	kept := s.takeBlocks(sweepID)
	if len(kept) < len(ids) {
		return nil, false, nil
	}
	// length reads the size of a BLOB without reading the BLOB.
	rows, err := s.db.QueryContext(ctx, `SELECT m.run_id, length(d.data) FROM sweep_runs m JOIN runs r ON r.id = m.run_id
		LEFT JOIN returns d ON d.run_id = m.run_id WHERE m.sweep_id = ? ORDER BY m.run_id`, sweepID)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var runs []runBlocks
	for k := 0; rows.Next(); k++ {
		var id string
		var size sql.NullInt64
		if err := rows.Scan(&id, &size); err != nil {
			return nil, false, err
		}
		b, ok := kept[id]
		if k >= len(ids) || id != ids[k] || !ok || !size.Valid || size.Int64 != 8*int64(b.returns) {
			return nil, false, nil
		}
		runs = append(runs, b)
	}
	if err := rows.Err(); err != nil || len(runs) != len(ids) {
		return nil, false, err
	}
	sums := make([][]blockSums, len(runs))
	for i, b := range runs {
		if b.returns != runs[0].returns || b.returns < PBOBlocks {
			return nil, true, nil
		}
		sums[i] = b.sums
	}
	return sums, true, nil
}

// readBlocks returns the block sums of the runs ids, the runs of the
// sweep sweepID in the order of their ids, from their returns as stored;
// nil when they have no PBO (see keptBlocks).
func (s *Store) readBlocks(ctx context.Context, sweepID string, ids []string) ([][]blockSums, error) {
	// One query reads the runs' returns in the order of ids, one run at
	// a time: in the order of the membership's key, which SQLite reads
	// without sorting the returns first.
	rows, err := s.db.QueryContext(ctx, `SELECT m.run_id, d.data FROM sweep_runs m JOIN runs r ON r.id = m.run_id
		LEFT JOIN returns d ON d.run_id = m.run_id WHERE m.sweep_id = ? ORDER BY m.run_id`, sweepID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var sums [][]blockSums
	length := -1
	for k := 0; rows.Next(); k++ {
		var id string
		var b []byte
		if err := rows.Scan(&id, &b); err != nil {
			return nil, err
		}
		if k >= len(ids) || id != ids[k] {
			return nil, fmt.Errorf("run %s: the sweep's runs changed while it was analysed", id)
		}
		r := decodeFloats(b)
		if (length >= 0 && len(r) != length) || len(r) < PBOBlocks {
			return nil, nil
		}
		length = len(r)
		sums = append(sums, splitBlocks(r, PBOBlocks))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(sums) != len(ids) {
		return nil, errors.New("the sweep's runs changed while it was analysed")
	}
	return sums, nil
}

func sortedCopy(x []float64) []float64 {
	y := slices.Clone(x)
	slices.Sort(y)
	return y
}
