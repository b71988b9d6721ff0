// Package store is the run store: runs, what they produced and the sweeps
// they belong to, kept in one SQLite file through modernc.org/sqlite (pure
// Go, so quantloop builds without cgo).
//
// A run's id is the SHA-256 of its canonical config and the hashes of its
// inputs (RunID), so the same run always has the same id: a sweep skips
// what its store holds, and stores merge without conflicts. A run is
// recorded in one transaction: a process killed while writing leaves a
// store that opens with every finished run whole and no part of the
// unfinished one. Writers are serialized: in one process by a single
// connection, between processes by SQLite's lock, which a writer waits
// for up to BusyTimeout.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"

	"github.com/quantloop/quantloop/manifest"
	"github.com/quantloop/quantloop/metrics"
)

// BusyTimeout is how long a writer waits for another process's write
// transaction on the same store to end.
const BusyTimeout = 60 * time.Second

// pageSize is the page size of a store file that Open creates (SQLite's
// default is 4096; an existing file keeps its own). A run is about 100 KB
// of rows, returns and values, nearly all of it in values larger than a
// page: with 32 KiB pages a W5 sweep makes a quarter of the writes to the
// file, and its writer spends about 30 % less CPU recording a run
// (bench/README.md, W5's fifth round).
const pageSize = 32 << 10

// Store is an open run store.
type Store struct {
	db   *sql.DB
	path string
	// blocks are the block sums of the returns of the runs this Store
	// added as members of a sweep, by sweep and run, until Analyze of the
	// sweep takes them: its PBO then need not read the returns back.
	mu     sync.Mutex
	blocks map[string]map[string]runBlocks
}

// Open opens the store file path, creating it if it does not exist, and
// brings its schema to Version.
func Open(path string) (*Store, error) {
	return open(context.Background(), path, Version)
}

// open opens path and migrates it up to version upto.
func open(ctx context.Context, path string, upto int) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: no file given")
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("store %s: is a directory", path)
	}
	q := url.Values{}
	// page_size sets the size of a file with no table yet; a store's
	// first migration creates its tables.
	q.Add("_pragma", fmt.Sprintf("page_size(%d)", pageSize))
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	// One connection: the store's one writer, and its reads see its
	// writes.
	db.SetMaxOpenConns(1)
	if err := migrate(ctx, db, upto); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	return &Store{db: db, path: path}, nil
}

// Path returns the store's file.
func (s *Store) Path() string { return s.path }

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// RunID returns the id of the run of config, the canonical config file of
// the run's effective config (backtest.Config.Effective, then
// CanonicalYAML: every default filled in but the inferred
// analysis.periods_per_year), over the inputs as hashed in its manifest: the hex SHA-256 of a
// version line, the config's length and bytes, and each input's path,
// SHA-256 and size, one per line. A config that leaves a setting out and
// one that gives it its default value name one run.
func RunID(config []byte, inputs []manifest.FileHash) string {
	h := sha256.New()
	fmt.Fprintf(h, "quantloop run id 2\nconfig %d\n", len(config))
	h.Write(config)
	for _, in := range inputs {
		fmt.Fprintf(h, "\ninput %q %s %d", in.Path, in.SHA256, in.Bytes)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Keep says how much of a run's records a store keeps.
type Keep string

// The amounts a store keeps: KeepThin keeps the trades and an equity
// curve thinned to at most ThinPoints points; KeepFull keeps the trades,
// orders, fills and the whole curve.
const (
	KeepThin Keep = "thin"
	KeepFull Keep = "full"
)

// ThinPoints is the most equity points a thinned curve keeps.
const ThinPoints = 500

// Run is a run as a store records it.
type Run struct {
	// ID is RunID of the run.
	ID string
	// Config is the effective canonical config file (config.yaml);
	// Manifest the manifest as results.json holds it, as JSON.
	Config, Manifest []byte
	Partial          bool
	Error            string
	Keep             Keep
	// Started is when the run started; Seconds how long it took. They are
	// the only wall-clock values of a run, and no listing shows them.
	Started time.Time
	Seconds float64
	// Params are the settings of Config by path.
	Params map[string]string
	// Metrics are the scalars of results.json by name.
	Metrics map[string]Value
	// Returns are the moments of the run's per-bar simple returns from
	// the initial cash, which a sweep's deflated Sharpe ratios need;
	// BarReturns the returns themselves, for its probability of backtest
	// overfitting (Get leaves them out: see BarReturns).
	Returns    metrics.Moments
	BarReturns []float64
	// The CSV rows of trades.csv, orders.csv, fills.csv and equity.csv,
	// the header first, each without its line end, as CSVRows splits
	// them.
	Trades, Orders, Fills, Equity []string

	// texts are the CSV files FromResults split the rows of Trades,
	// Orders, Fills and Equity from, in that order: the text a store
	// keeps of a table when the rows are still all of it (see joinRows).
	texts [4]string
}

// Value is a scalar of results.json: its text (a string's content,
// otherwise its JSON text), and its number when the text is one (a money
// amount is exact decimal text and also a number).
type Value struct {
	Text    string
	Num     float64
	Numeric bool
	// Quoted reports that results.json holds the value as a string
	// though its text reads as a JSON number or as true or false, as it
	// holds money amounts ("100000").
	Quoted bool
}

// Record records run unless the store holds its id already, in one
// transaction, with the run a member of the sweep sweepID when that is not
// empty. It reports whether the run was added.
func (s *Store) Record(ctx context.Context, run *Run, sweepID string) (added bool, err error) {
	a, err := s.RecordAll(ctx, []*Run{run}, sweepID)
	if err != nil {
		return false, err
	}
	return a[0], nil
}

// RecordAll records runs as Record does, all in one transaction: a crash
// leaves all of them or none. It reports for each run whether it was
// added. One transaction for several runs costs one commit (and its
// writes to disk) instead of one each. With a sweep's id, it keeps the
// block sums of the added runs' returns for the sweep's Analyze.
func (s *Store) RecordAll(ctx context.Context, runs []*Run, sweepID string) (added []bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.path, err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	ins := &inserter{tx: tx}
	defer ins.close()
	added = make([]bool, len(runs))
	for i, run := range runs {
		if added[i], err = recordTx(ctx, ins, run, sweepID); err != nil {
			return nil, fmt.Errorf("store %s: record run %s: %w", s.path, run.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store %s: record %d runs: %w", s.path, len(runs), err)
	}
	if sweepID != "" {
		s.keepBlocks(sweepID, runs, added)
	}
	return added, nil
}

// recordTx records run in tx (see Record).
func recordTx(ctx context.Context, ins *inserter, run *Run, sweepID string) (added bool, err error) {
	status := "complete"
	if run.Partial {
		status = "partial"
	}
	m := run.Returns
	res, err := ins.result(ctx, `INSERT OR IGNORE INTO runs (id, config, manifest, status, partial, error, keep, started, seconds,
		returns_len, returns_n, returns_mean, returns_s2, returns_s3, returns_s4) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		run.ID, string(run.Config), string(run.Manifest), status, run.Partial, run.Error, string(run.Keep),
		run.Started.UTC().Format(time.RFC3339Nano), run.Seconds, m.Len, m.N, sqlReal(m.Mean), sqlReal(m.S2), sqlReal(m.S3), sqlReal(m.S4))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	if added = n == 1; added {
		if err := insertRecords(ctx, ins, run); err != nil {
			return false, err
		}
		// The driver copies the BLOB when it binds it: one buffer serves
		// every run of the transaction. It is not nil, which would bind
		// NULL rather than an empty BLOB.
		ins.blob = appendFloats(ins.blob[:0], run.BarReturns)
		if ins.blob == nil {
			ins.blob = []byte{}
		}
		if err := ins.exec(ctx, `INSERT INTO returns (run_id, data) VALUES (?, ?)`, run.ID, ins.blob); err != nil {
			return false, err
		}
	}
	if sweepID != "" {
		if err := ins.exec(ctx, `INSERT OR IGNORE INTO sweep_runs (sweep_id, run_id) VALUES (?, ?)`, sweepID, run.ID); err != nil {
			return false, err
		}
	}
	return added, nil
}

// insertRecords inserts the parameters, metrics and rows of run, each
// as one TEXT value (see values.go).
func insertRecords(ctx context.Context, ins *inserter, run *Run) error {
	b := appendParams(ins.buf[:0], run.Params)
	params := string(b)
	b = appendMetrics(b[:0], run.Metrics)
	ins.buf = b
	if err := ins.exec(ctx, `INSERT INTO run_values (run_id, parameters, metrics) VALUES (?, ?, ?)`,
		run.ID, params, string(b)); err != nil {
		return err
	}
	for i, t := range []struct {
		table Table
		rows  []string
	}{{Trades, run.Trades}, {Orders, run.Orders}, {Fills, run.Fills}, {Equity, run.Equity}} {
		if len(t.rows) == 0 {
			continue
		}
		text := run.texts[i]
		if !joined(t.rows, text) {
			text = joinRows(t.rows)
		}
		if err := ins.exec(ctx, `INSERT INTO run_rows (run_id, kind, data) VALUES (?, ?, ?)`, run.ID, string(t.table), text); err != nil {
			return err
		}
	}
	return nil
}

// inserter runs the statements of one transaction, preparing each once
// for the transaction.
type inserter struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	buf   []byte // reused to build a run's values
	blob  []byte // reused for a run's returns
}

// close closes the prepared statements.
func (in *inserter) close() {
	for _, st := range in.stmts {
		st.Close()
	}
}

// exec runs query, a statement of ours, with args.
func (in *inserter) exec(ctx context.Context, query string, args ...any) error {
	_, err := in.result(ctx, query, args...)
	return err
}

// result runs query, a statement of ours, with args and returns its
// result.
func (in *inserter) result(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, ok := in.stmts[query]
	if !ok {
		var err error
		if st, err = in.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		if in.stmts == nil {
			in.stmts = map[string]*sql.Stmt{}
		}
		in.stmts[query] = st
	}
	return st.ExecContext(ctx, args...)
}

// appendFloats appends x to b as a BLOB holds it: each value's IEEE 754
// bits, little endian.
func appendFloats(b []byte, x []float64) []byte {
	b = slices.Grow(b, 8*len(x))
	for _, v := range x {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

// decodeFloats is the inverse of appendFloats.
func decodeFloats(b []byte) []float64 {
	x := make([]float64, len(b)/8)
	for i := range x {
		x[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return x
}

// BarReturns returns the per-bar returns of the run id (none for a run
// the store keeps no returns of).
func (s *Store) BarReturns(ctx context.Context, id string) ([]float64, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM returns WHERE run_id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store %s: run %s: returns: %w", s.path, id, err)
	}
	return decodeFloats(b), nil
}

// sqlReal returns x for a REAL column, nil (NULL) when it is NaN, which
// SQLite cannot hold.
func sqlReal(x float64) any {
	if math.IsNaN(x) {
		return nil
	}
	return x
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether the store holds the run id.
func (s *Store) Has(ctx context.Context, id string) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM runs WHERE id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("store %s: %w", s.path, err)
	}
	return n > 0, nil
}

// HasAll reports for each of ids whether the store holds it, as Has does,
// by one query.
func (s *Store) HasAll(ctx context.Context, ids []string) ([]bool, error) {
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.path, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM runs WHERE id IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.path, err)
	}
	held, err := scanStrings(rows)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.path, err)
	}
	slices.Sort(held)
	out := make([]bool, len(ids))
	for i, id := range ids {
		_, out[i] = slices.BinarySearch(held, id)
	}
	return out, nil
}

// ErrNotFound is wrapped by the errors of Get for an id that names no run.
var ErrNotFound = errors.New("no such run")

// Resolve returns the id of the one run whose id starts with prefix.
func (s *Store) Resolve(ctx context.Context, prefix string) (string, error) {
	if prefix == "" || strings.Trim(prefix, "0123456789abcdef") != "" {
		return "", fmt.Errorf("store %s: run %q: %w (an id is hex digits)", s.path, prefix, ErrNotFound)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM runs WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 2`, len(prefix), prefix)
	if err != nil {
		return "", fmt.Errorf("store %s: %w", s.path, err)
	}
	ids, err := scanStrings(rows)
	if err != nil {
		return "", fmt.Errorf("store %s: %w", s.path, err)
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("store %s: run %s: %w", s.path, prefix, ErrNotFound)
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("store %s: run %s: the prefix names more than one run; give more digits", s.path, prefix)
}

// scanStrings reads one string column of rows and closes them.
func scanStrings(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Summary is a run as a listing shows it.
type Summary struct {
	ID      string
	Status  string
	Partial bool
	// Params are the run's settings by config path; Metrics the scalars
	// of results.json by name.
	Params  map[string]string
	Metrics map[string]Value
	// DeflatedSharpe is the deflated Sharpe ratio of the run within the
	// sweep it was listed for (NaN otherwise, or before the sweep ended).
	DeflatedSharpe float64
}

// Runs returns every run of the store, or of the sweep sweepID when it is
// not empty, sorted by id.
func (s *Store) Runs(ctx context.Context, sweepID string) ([]*Summary, error) {
	return s.runs(ctx, sweepID, nil)
}

// RunsWith returns the runs as Runs does, each with only those of its
// metrics whose names are in names.
func (s *Store) RunsWith(ctx context.Context, sweepID string, names []string) ([]*Summary, error) {
	return s.runs(ctx, sweepID, func(name string) bool { return slices.Contains(names, name) })
}

// runs returns the runs as Runs does, each with the metrics whose names
// keep reports (all when keep is nil).
func (s *Store) runs(ctx context.Context, sweepID string, keep func(name string) bool) ([]*Summary, error) {
	fail := func(err error) ([]*Summary, error) { return nil, fmt.Errorf("store %s: %w", s.path, err) }
	var rows *sql.Rows
	var err error
	if sweepID == "" {
		rows, err = s.db.QueryContext(ctx, `SELECT id, status, partial, NULL FROM runs ORDER BY id`)
	} else {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sweeps WHERE id = ?`, sweepID).Scan(&n); err != nil {
			return fail(err)
		}
		if n == 0 {
			return fail(fmt.Errorf("no sweep %s", sweepID))
		}
		rows, err = s.db.QueryContext(ctx, `SELECT r.id, r.status, r.partial, m.deflated_sharpe FROM runs r
			JOIN sweep_runs m ON m.run_id = r.id WHERE m.sweep_id = ? ORDER BY r.id`, sweepID)
	}
	if err != nil {
		return fail(err)
	}
	var out []*Summary
	byID := map[string]*Summary{}
	for rows.Next() {
		r := &Summary{Params: map[string]string{}, Metrics: map[string]Value{}}
		var dsr sql.NullFloat64
		if err := rows.Scan(&r.ID, &r.Status, &r.Partial, &dsr); err != nil {
			rows.Close()
			return fail(err)
		}
		r.DeflatedSharpe = nullNaN(dsr)
		out = append(out, r)
		byID[r.ID] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	if err := s.eachValues(ctx, "", keep, func(id string) (map[string]string, map[string]Value) {
		if r := byID[id]; r != nil {
			return r.Params, r.Metrics
		}
		return nil, nil
	}); err != nil {
		return fail(err)
	}
	return out, nil
}

func nullNaN(x sql.NullFloat64) float64 {
	if !x.Valid {
		return math.NaN()
	}
	return x.Float64
}

// eachValues adds the parameters and metrics of the run id, or of every
// run of the store when id is empty, to the maps dst returns for their
// run, the metrics whose names keep reports (all when keep is nil); dst
// returns nil maps for a run to skip.
func (s *Store) eachValues(ctx context.Context, id string, keep func(name string) bool, dst func(id string) (map[string]string, map[string]Value)) error {
	rows, err := s.db.QueryContext(ctx, `SELECT run_id, parameters, metrics FROM run_values WHERE ? = '' OR run_id = ?`, id, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rid string
		var params, ms []byte
		if err := rows.Scan(&rid, &params, &ms); err != nil {
			return err
		}
		p, m := dst(rid)
		if p == nil {
			continue
		}
		if err := walkParams(params, func(path, value string) { p[path] = value }); err != nil {
			return fmt.Errorf("run %s: parameters: %w", rid, err)
		}
		if err := walkMetrics(ms, m, keep); err != nil {
			return fmt.Errorf("run %s: metrics: %w", rid, err)
		}
	}
	return rows.Err()
}

// Get returns the run id (a whole id) with its config, manifest,
// parameters, metrics and return moments; its rows are read by Rows.
func (s *Store) Get(ctx context.Context, id string) (*Run, error) {
	fail := func(err error) (*Run, error) { return nil, fmt.Errorf("store %s: run %s: %w", s.path, id, err) }
	r := &Run{ID: id, Params: map[string]string{}, Metrics: map[string]Value{}}
	var config, man, keep, started string
	var mean, s2, s3, s4 sql.NullFloat64
	err := s.db.QueryRowContext(ctx, `SELECT config, manifest, partial, error, keep, started, seconds,
		returns_len, returns_n, returns_mean, returns_s2, returns_s3, returns_s4 FROM runs WHERE id = ?`, id).Scan(
		&config, &man, &r.Partial, &r.Error, &keep, &started, &r.Seconds,
		&r.Returns.Len, &r.Returns.N, &mean, &s2, &s3, &s4)
	if errors.Is(err, sql.ErrNoRows) {
		return fail(ErrNotFound)
	}
	if err != nil {
		return fail(err)
	}
	r.Config, r.Manifest, r.Keep = []byte(config), []byte(man), Keep(keep)
	r.Started, _ = time.Parse(time.RFC3339Nano, started)
	r.Returns.Mean, r.Returns.S2, r.Returns.S3, r.Returns.S4 = nullNaN(mean), nullNaN(s2), nullNaN(s3), nullNaN(s4)
	if err := s.eachValues(ctx, id, nil, func(string) (map[string]string, map[string]Value) { return r.Params, r.Metrics }); err != nil {
		return fail(err)
	}
	return r, nil
}

// Table names one of a run's kinds of rows.
type Table string

// The tables of rows a run has.
const (
	Trades Table = "trades"
	Orders Table = "orders"
	Fills  Table = "fills"
	Equity Table = "equity"
)

// Rows returns the rows of table kept for the run id, the header first,
// in order; none when the store kept none.
func (s *Store) Rows(ctx context.Context, id string, table Table) ([]string, error) {
	switch table {
	case Trades, Orders, Fills, Equity:
	default:
		return nil, fmt.Errorf("store: no table %q", table)
	}
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM run_rows WHERE run_id = ? AND kind = ?`, id, string(table)).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.path, err)
	}
	out, err := CSVRows(b)
	if err != nil {
		return nil, fmt.Errorf("store %s: run %s: %s: %w", s.path, id, table, err)
	}
	return out, nil
}
