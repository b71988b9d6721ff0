package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/manifest"
	"github.com/quantloop/quantloop/metrics"
	"github.com/quantloop/quantloop/report"
)

// The test binary re-executed as a writer of a store: STORE_TEST_WRITER
// is the store file, STORE_TEST_PREFIX the runs' id prefix and
// STORE_TEST_RUNS their number (0: forever).
func TestMain(m *testing.M) {
	if path := os.Getenv("STORE_TEST_WRITER"); path != "" {
		n, _ := strconv.Atoi(os.Getenv("STORE_TEST_RUNS"))
		if err := writeRuns(path, os.Getenv("STORE_TEST_PREFIX"), n); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeRun returns a run of id with rows rows in each table and metrics
// metrics, whose values are worked out from i.
func fakeRun(id string, i, rows int) *Run {
	r := &Run{ID: id, Config: []byte("seed: " + strconv.Itoa(i) + "\n"), Manifest: []byte("{}"), Keep: KeepFull,
		Params: map[string]string{"seed": strconv.Itoa(i)}, Metrics: map[string]Value{}}
	for k := range 20 {
		r.Metrics[fmt.Sprintf("m%02d", k)] = Value{Text: strconv.Itoa(i * k), Num: float64(i * k), Numeric: true}
	}
	for k := range rows {
		r.Trades = append(r.Trades, fmt.Sprintf("%d,%d", i, k))
		r.Equity = append(r.Equity, fmt.Sprintf("%d,%d", i, k))
	}
	return r
}

// writeRuns records n runs (forever when n is 0) named prefix and a number.
func writeRuns(path, prefix string, n int) error {
	s, err := Open(path)
	if err != nil {
		return err
	}
	defer s.Close()
	for i := 0; n == 0 || i < n; i++ {
		if _, err := s.Record(context.Background(), fakeRun(fmt.Sprintf("%s%06d", prefix, i), i, 200), ""); err != nil {
			return err
		}
	}
	return nil
}

func userVersion(t *testing.T, s *Store) int {
	t.Helper()
	var v int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrateFromEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v := userVersion(t, s); v != 4 || Version != 4 {
		t.Fatalf("version %d (Version %d), want 4", v, Version)
	}
	var tables []string
	rows, err := s.db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	if tables, err = scanStrings(rows); err != nil {
		t.Fatal(err)
	}
	want := []string{"returns", "run_rows", "run_values", "runs", "sweep_runs", "sweeps"}
	if fmt.Sprint(tables) != fmt.Sprint(want) {
		t.Fatalf("tables %v, want %v", tables, want)
	}
	rows, err = s.db.Query(`SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	views, err := scanStrings(rows)
	if err != nil || fmt.Sprint(views) != "[metrics parameters]" {
		t.Fatalf("views %v, %v; want [metrics parameters]", views, err)
	}
}

// TestPageSize checks that a new store has pages of pageSize bytes, and
// that a file SQLite made with its default pages keeps them and takes
// runs.
func TestPageSize(t *testing.T) {
	dir := t.TempDir()
	pages := func(s *Store) int {
		t.Helper()
		var n int
		if err := s.db.QueryRow("PRAGMA page_size").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	s, err := Open(filepath.Join(dir, "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := pages(s); n != 32768 {
		t.Errorf("a new store's page size is %d, want 32768", n)
	}

	path := filepath.Join(dir, "old.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA page_size = 4096; CREATE TABLE other (a)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	old, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if n := pages(old); n != 4096 {
		t.Errorf("a file of 4096-byte pages has %d after Open", n)
	}
	ctx := context.Background()
	if _, err := old.Record(ctx, fakeRun("aa", 1, 3), ""); err != nil {
		t.Fatal(err)
	}
	if rows, err := old.Rows(ctx, "aa", Trades); err != nil || len(rows) != 3 {
		t.Errorf("rows %q, %v; want 3", rows, err)
	}
}

// TestMigrateFromPrevious writes runs as version 3 holds them, a row per
// setting, metric and row of a table, and reads them after the migration
// to version 4, which holds them as one JSON or CSV text each.
func TestMigrateFromPrevious(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	old, err := open(ctx, path, 3)
	if err != nil {
		t.Fatal(err)
	}
	if v := userVersion(t, old); v != 3 {
		t.Fatalf("version %d, want 3", v)
	}
	// Run aa has no returns (as version 2 wrote it), rows of trades and
	// equity given out of order, and a metric without a number; run bb
	// has only a parameter.
	for _, q := range []string{
		`INSERT INTO runs VALUES ('aa', 'seed: 3', '{}', 'complete', 0, '', 'full', '', 0, 0, 0, NULL, NULL, NULL, NULL)`,
		`INSERT INTO runs VALUES ('bb', 'seed: 4', '{}', 'partial', 1, 'stopped', 'thin', '', 0, 0, 0, NULL, NULL, NULL, NULL)`,
		`INSERT INTO parameters VALUES ('aa', 'seed', '3'), ('aa', 'strategy.name', 'smacross'), ('bb', 'seed', '4')`,
		`INSERT INTO metrics VALUES ('aa', 'm05', '15', 15), ('aa', 'mode', 'long', NULL), ('aa', 'sharpe', '-0.25', -0.25)`,
		`INSERT INTO trades VALUES ('aa', 2, 'x,"a
b"'), ('aa', 0, 'h1,h2'), ('aa', 1, '1,2')`,
		`INSERT INTO equity VALUES ('aa', 1, '5'), ('aa', 0, 'e')`,
		`INSERT INTO sweeps VALUES ('sw', '{}', 1, '{}')`,
		`INSERT INTO sweep_runs VALUES ('sw', 'aa', NULL), ('sw', 'bb', NULL)`,
	} {
		if _, err := old.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v := userVersion(t, s); v != Version {
		t.Fatalf("version %d, want %d", v, Version)
	}
	r, err := s.Get(ctx, "aa")
	if err != nil {
		t.Fatal(err)
	}
	wantParams := map[string]string{"seed": "3", "strategy.name": "smacross"}
	wantMetrics := map[string]Value{"m05": {Text: "15", Num: 15, Numeric: true}, "mode": {Text: "long"}, "sharpe": {Text: "-0.25", Num: -0.25, Numeric: true}}
	if fmt.Sprint(r.Params) != fmt.Sprint(wantParams) || fmt.Sprint(r.Metrics) != fmt.Sprint(wantMetrics) {
		t.Fatalf("run after migration: %v %v, want %v %v", r.Params, r.Metrics, wantParams, wantMetrics)
	}
	for table, want := range map[Table][]string{Trades: {"h1,h2", "1,2", "x,\"a\nb\""}, Equity: {"e", "5"}, Orders: nil, Fills: nil} {
		got, err := s.Rows(ctx, "aa", table)
		if err != nil || fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Fatalf("%s rows %q, %v; want %q", table, got, err, want)
		}
	}
	runs, err := s.Runs(ctx, "sw")
	if err != nil || len(runs) != 2 || runs[0].ID != "aa" || runs[1].ID != "bb" {
		t.Fatalf("sweep runs %v, %v", runs, err)
	}
	if fmt.Sprint(runs[0].Metrics) != fmt.Sprint(wantMetrics) || fmt.Sprint(runs[1].Params) != "map[seed:4]" || len(runs[1].Metrics) != 0 {
		t.Fatalf("listed runs %+v %+v", runs[0], runs[1])
	}
	if r, err := s.BarReturns(ctx, "aa"); err != nil || r != nil {
		t.Fatalf("returns of a version-2 run: %v, %v", r, err)
	}
	var params, ms, trades string
	if err := s.db.QueryRow(`SELECT parameters, metrics FROM run_values WHERE run_id = 'aa'`).Scan(&params, &ms); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow(`SELECT data FROM run_rows WHERE run_id = 'aa' AND kind = 'trades'`).Scan(&trades); err != nil {
		t.Fatal(err)
	}
	if params != `{"seed":"3","strategy.name":"smacross"}` || ms != `{"m05":15,"mode":"long","sharpe":-0.25}` || trades != "h1,h2\n1,2\nx,\"a\nb\"\n" {
		t.Fatalf("stored values %s %s %q", params, ms, trades)
	}
	rows, err := s.db.Query(`SELECT run_id || ' ' || path || '=' || value FROM parameters ORDER BY run_id, path`)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := scanStrings(rows); err != nil || fmt.Sprint(got) != "[aa seed=3 aa strategy.name=smacross bb seed=4]" {
		t.Fatalf("parameters view %q, %v", got, err)
	}
	rows, err = s.db.Query(`SELECT name || ' ' || quote(value) || ' ' || text FROM metrics WHERE run_id = 'aa' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := scanStrings(rows); err != nil || fmt.Sprint(got) != "[m05 15 15 mode NULL long sharpe -0.25 -0.25]" {
		t.Fatalf("metrics view %q, %v", got, err)
	}
	for _, table := range []string{"parameters", "metrics", "trades", "orders", "fills", "equity"} {
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = ? AND type = 'table'`, table).Scan(&n); err != nil || n != 0 {
			t.Fatalf("table %s left after the migration (%d, %v)", table, n, err)
		}
	}
	if _, err := s.Record(ctx, fakeRun("cc", 4, 2), "sw"); err != nil {
		t.Fatal(err)
	}
	if st, err := s.Analyze(ctx, "sw"); err != nil || !math.IsNaN(st.PBO) {
		t.Fatalf("statistics of a sweep with a run without returns: %+v, %v", st, err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path); err == nil {
		t.Fatal("a store of a newer schema opened")
	}
}

func TestRunID(t *testing.T) {
	in := []manifest.FileHash{{Path: "a.csv", SHA256: "00", Bytes: 3}}
	a := RunID([]byte("x: 1\n"), in)
	if a != RunID([]byte("x: 1\n"), []manifest.FileHash{{Path: "a.csv", SHA256: "00", Bytes: 3}}) {
		t.Fatal("the same run got two ids")
	}
	for _, other := range []string{
		RunID([]byte("x: 2\n"), in),
		RunID([]byte("x: 1\n"), []manifest.FileHash{{Path: "a.csv", SHA256: "01", Bytes: 3}}),
		RunID([]byte("x: 1\n"), []manifest.FileHash{{Path: "b.csv", SHA256: "00", Bytes: 3}}),
		RunID([]byte("x: 1\n"), nil),
	} {
		if other == a {
			t.Fatal("two runs got one id")
		}
	}
	if len(a) != 64 {
		t.Fatalf("id %q is not a hex SHA-256", a)
	}
}

func TestThin(t *testing.T) {
	rows := []string{"h"}
	for i := range 10 {
		rows = append(rows, strconv.Itoa(i))
	}
	tests := []struct {
		n    int
		want string
	}{
		{4, "[h 0 3 6 9]"},     // stride ceil(9/3) = 3
		{3, "[h 0 5 9]"},       // stride ceil(9/2) = 5
		{5, "[h 0 3 6 9]"},     // stride ceil(9/4) = 3
		{10, fmt.Sprint(rows)}, // fits
		{20, fmt.Sprint(rows)}, // fits
		{6, "[h 0 2 4 6 8 9]"}, // stride ceil(9/5) = 2
	}
	for _, tt := range tests {
		got := Thin(rows, tt.n)
		if fmt.Sprint(got) != tt.want {
			t.Errorf("Thin(10 points, %d) = %v, want %s", tt.n, got, tt.want)
		}
		if len(got)-1 > tt.n {
			t.Errorf("Thin(10 points, %d) kept %d points", tt.n, len(got)-1)
		}
	}
}

// realRun runs smacross on AAA.csv, with its records kept.
func realRun(t *testing.T, fast string) *backtest.Result {
	t.Helper()
	var cfg backtest.Config
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv"}
	if err := cfg.Set("strategy.params.fast", fast); err != nil {
		t.Fatal(err)
	}
	res, err := backtest.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRecordRealRun checks a recorded run against the files of the run
// folder report.WriteDir writes for the same run.
func TestRecordRealRun(t *testing.T) {
	ctx := context.Background()
	res := realRun(t, "7")
	dir := filepath.Join(t.TempDir(), "out")
	if err := report.WriteDir(dir, res); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var folder struct {
		FinalEquity string          `json:"final_equity"`
		Sharpe      json.Number     `json:"sharpe"`
		Trades      int             `json:"trades"`
		Analysis    json.RawMessage `json:"analysis"`
	}
	if err := json.Unmarshal(b, &folder); err != nil {
		t.Fatal(err)
	}
	var analysis struct {
		Returns struct {
			Omega json.Number `json:"omega"`
		} `json:"returns"`
	}
	if err := json.Unmarshal(folder.Analysis, &analysis); err != nil {
		t.Fatal(err)
	}

	run, err := NewRun("r1", res, KeepFull, time.Unix(0, 0), 0)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if added, err := s.Record(ctx, run, ""); err != nil || !added {
		t.Fatalf("record: %v, %v", added, err)
	}
	if added, err := s.Record(ctx, run, ""); err != nil || added {
		t.Fatalf("second record: added %v, %v", added, err)
	}
	runs, err := s.Runs(ctx, "")
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs %v, %v", runs, err)
	}
	m := runs[0].Metrics
	for name, want := range map[string]string{
		"final_equity": folder.FinalEquity, "sharpe": folder.Sharpe.String(),
		"trades": strconv.Itoa(folder.Trades), "analysis.returns.omega": analysis.Returns.Omega.String(),
		"intrabar_path": "nearest", "partial": "false",
	} {
		if m[name].Text != want {
			t.Errorf("metric %s = %q, want %q (results.json)", name, m[name].Text, want)
		}
	}
	if _, ok := m["config.seed"]; ok {
		t.Error("the config is among the metrics")
	}
	if v := m["final_equity"]; !v.Numeric || strconv.FormatFloat(v.Num, 'f', -1, 64) != folder.FinalEquity {
		t.Errorf("final_equity number %v, want %s", v, folder.FinalEquity)
	}
	if p := runs[0].Params; p["strategy.params.fast"] != "7" || p["data.files"] != "../testdata/daily/AAA.csv" {
		t.Errorf("params %v", p)
	}
	for table, file := range map[Table]string{Trades: "trades.csv", Orders: "orders.csv", Fills: "fills.csv", Equity: "equity.csv"} {
		rows, err := s.Rows(ctx, "r1", table)
		if err != nil {
			t.Fatal(err)
		}
		text := ""
		for _, r := range rows {
			text += r + "\n"
		}
		want, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if text != string(want) {
			t.Errorf("%s rows differ from %s (%d rows)", table, file, len(rows))
		}
	}
	got, err := s.Get(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	want := metrics.ComputeMoments(res.Curve.Returns(100000))
	if got.Returns != want {
		t.Errorf("moments %+v, want %+v", got.Returns, want)
	}
	if id, err := s.Resolve(ctx, "r"); err == nil {
		t.Errorf("non-hex prefix resolved to %s", id)
	}
}

func TestKeepThin(t *testing.T) {
	res := realRun(t, "7")
	run, err := NewRun("r1", res, KeepThin, time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	// 500 bars: the curve fits ThinPoints; no orders or fills are kept.
	if len(run.Equity) != 501 || run.Orders != nil || run.Fills != nil || len(run.Trades) != 11 {
		t.Fatalf("kept %d equity rows, %d orders, %d fills, %d trade rows", len(run.Equity), len(run.Orders), len(run.Fills), len(run.Trades))
	}
}

// TestTwoProcesses has two processes write one store at once: every run
// of both is there, whole.
func TestTwoProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	const n = 40
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, prefix := range []string{"a", "b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "STORE_TEST_WRITER="+path, "STORE_TEST_PREFIX="+prefix, "STORE_TEST_RUNS="+strconv.Itoa(n))
			out, err := cmd.CombinedOutput()
			if err != nil {
				errs[i] = fmt.Errorf("writer %s: %v: %s", prefix, err, out)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkWhole(t, s, 2*n)
}

// checkWhole checks the store's integrity and that each of its runs has
// all its records; with want >= 0, that it has want runs.
func checkWhole(t *testing.T, s *Store, want int) int {
	t.Helper()
	var ok string
	if err := s.db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity check: %q, %v", ok, err)
	}
	runs, err := s.Runs(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if want >= 0 && len(runs) != want {
		t.Fatalf("%d runs, want %d", len(runs), want)
	}
	for _, r := range runs {
		i, _ := strconv.Atoi(r.Params["seed"])
		if len(r.Metrics) != 20 || r.Metrics["m07"].Num != float64(7*i) {
			t.Fatalf("run %s has %d metrics, m07 %v", r.ID, len(r.Metrics), r.Metrics["m07"])
		}
		for _, table := range []Table{Trades, Equity} {
			rows, err := s.Rows(context.Background(), r.ID, table)
			if err != nil || len(rows) != 200 {
				t.Fatalf("run %s: %d %s rows, %v", r.ID, len(rows), table, err)
			}
		}
	}
	return len(runs)
}

// TestKilledWriter kills a writing process: the store opens, with whole
// runs only.
func TestKilledWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STORE_TEST_WRITER="+path, "STORE_TEST_PREFIX=k", "STORE_TEST_RUNS=0")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until another process sees a few runs, then kill it while it
	// writes.
	count := func() int {
		if _, err := os.Stat(path); err != nil {
			return 0
		}
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM runs`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && count() < 3 {
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := checkWhole(t, s, -1); n < 3 {
		t.Fatalf("%d runs before the kill", n)
	}
}

// TestDeflate checks the sweep's deflated Sharpe ratios against
// metrics.DeflatedSharpe on the return series, with the trial count and
// the variance of the per-period Sharpe ratios worked out here.
func TestDeflate(t *testing.T) {
	ctx := context.Background()
	series := []metrics.Slice{
		{0.01, -0.005, 0.012, 0.003, -0.002, 0.007, 0.001},
		{0.002, 0.001, -0.003, 0.004, 0.0, 0.001, -0.001},
		{-0.01, 0.02, -0.015, 0.01, 0.005, -0.002, 0.004},
	}
	s, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.AddSweep(ctx, &Sweep{ID: "sw", Space: []byte("{}"), Trials: 3}); err != nil {
		t.Fatal(err)
	}
	var srs []float64
	for i, r := range series {
		run := fakeRun(fmt.Sprintf("r%d", i), i, 1)
		run.Returns = metrics.ComputeMoments(r)
		if _, err := s.Record(ctx, run, "sw"); err != nil {
			t.Fatal(err)
		}
		srs = append(srs, metrics.Sharpe(r, 0, 1))
	}
	mean := (srs[0] + srs[1] + srs[2]) / 3
	variance := 0.0
	for _, x := range srs {
		variance += (x - mean) * (x - mean) / 2
	}
	st, err := s.Analyze(ctx, "sw")
	if err != nil {
		t.Fatal(err)
	}
	if st.Trials != 3 || math.Abs(st.SharpeVariance-variance) > 1e-12 || math.Abs(st.SharpeMean-mean) > 1e-12 {
		t.Fatalf("stats %+v, want trials 3, mean %g, variance %g", st, mean, variance)
	}
	runs, err := s.Runs(ctx, "sw")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range runs {
		want := metrics.DeflatedSharpe(series[i], 3, variance)
		if math.Abs(r.DeflatedSharpe-want) > 1e-12 || math.IsNaN(want) {
			t.Errorf("run %d: DSR %g, want %g", i, r.DeflatedSharpe, want)
		}
	}
	// RunsWith gives the same runs with only the metrics named.
	some, err := s.RunsWith(ctx, "sw", []string{"m03", "m17", "none"})
	if err != nil || len(some) != len(runs) {
		t.Fatalf("RunsWith: %d runs, %v", len(some), err)
	}
	for i, r := range some {
		all := runs[i]
		want := map[string]Value{"m03": all.Metrics["m03"], "m17": all.Metrics["m17"]}
		if r.ID != all.ID || r.DeflatedSharpe != all.DeflatedSharpe || fmt.Sprint(r.Params) != fmt.Sprint(all.Params) ||
			fmt.Sprint(r.Metrics) != fmt.Sprint(want) || len(all.Metrics) != 20 {
			t.Errorf("RunsWith: run %+v, want %+v with metrics %v", r, all, want)
		}
	}
}

func TestMerge(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "c.db")
	if err := writeRuns(a, "a", 3); err != nil {
		t.Fatal(err)
	}
	if err := writeRuns(b, "a", 5); err != nil { // a000000..a000002 are the same runs as a's
		t.Fatal(err)
	}
	s, err := Open(c)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, src := range []string{a, b, a} {
		if err := s.Merge(ctx, src); err != nil {
			t.Fatal(err)
		}
	}
	checkWhole(t, s, 5)
}

// TestAnalyzePBO checks the sweep's PBO against CSCV on the runs'
// returns, and the returns' round trip through the store, NaN included.
func TestAnalyzePBO(t *testing.T) {
	ctx := context.Background()
	s, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.AddSweep(ctx, &Sweep{ID: "sw", Space: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	series := noise(4, 6, 400, 0)
	series[2][0] = math.NaN()
	for i, r := range series {
		run := fakeRun(fmt.Sprintf("r%d", i), i, 1)
		run.BarReturns, run.Returns = r, metrics.ComputeMoments(metrics.Slice(r))
		if _, err := s.Record(ctx, run, "sw"); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.BarReturns(ctx, "r2")
	if err != nil || len(got) != 400 || !math.IsNaN(got[0]) || got[1] != series[2][1] {
		t.Fatalf("returns read back: %d, %v", len(got), err)
	}
	st, err := s.Analyze(ctx, "sw")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := CSCV(series, PBOBlocks)
	if st.PBO != want.PBO || st.PBOSplits != 12870 || math.IsNaN(st.LogitMedian) {
		t.Fatalf("PBO %v over %d splits, want %v", st.PBO, st.PBOSplits, want.PBO)
	}
	sw, err := s.GetSweep(ctx, "sw")
	if err != nil || sw.Trials != 6 || !strings.Contains(string(sw.Statistics), `"pbo":`) {
		t.Fatalf("sweep %+v, %v", sw, err)
	}
}

func TestHasAll(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if got, err := s.HasAll(ctx, []string{"aa", "bb"}); err != nil || fmt.Sprint(got) != "[false false]" {
		t.Fatalf("empty store: %v, %v", got, err)
	}
	for i, id := range []string{"bb", "aa"} {
		if _, err := s.Record(ctx, fakeRun(id, i, 1), ""); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.HasAll(ctx, []string{"aa", "cc", "bb", "aa", "a"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "[true false true true false]"; fmt.Sprint(got) != want {
		t.Errorf("HasAll: %v, want %s", got, want)
	}
	if got, err := s.HasAll(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("no ids: %v, %v", got, err)
	}
}

// TestAnalyzeKeptBlocks checks that a sweep's PBO from the block sums its
// Store kept as it recorded the runs is the PBO from the returns read
// back, and that a run another Store recorded, or one whose returns
// differ in length, is seen.
func TestAnalyzeKeptBlocks(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	series := noise(5, 8, 300, 0)
	series[3][7] = math.NaN()
	ids := map[string][]string{}
	record := func(s *Store, sweepID string, i int, r []float64) {
		t.Helper()
		run := fakeRun(fmt.Sprintf("%s-r%d", sweepID, i), i, 1)
		run.BarReturns, run.Returns = r, metrics.ComputeMoments(metrics.Slice(r))
		if _, err := s.RecordAll(ctx, []*Run{run}, sweepID); err != nil {
			t.Fatal(err)
		}
		ids[sweepID] = append(ids[sweepID], run.ID)
	}
	for _, id := range []string{"a", "b", "c", "d"} {
		if err := s.AddSweep(ctx, &Sweep{ID: id, Space: []byte("{}")}); err != nil {
			t.Fatal(err)
		}
	}
	for i, r := range series {
		record(s, "a", i, r)
		record(s, "d", i, r)
		rec := s
		if i == 4 {
			rec = other // b's run 4 is not kept by s
		}
		record(rec, "b", i, r)
		if i == 6 {
			r = r[:299] // c's run 6 is shorter
		}
		record(s, "c", i, r)
	}
	sums, ok, err := s.keptBlocks(ctx, "a", ids["a"])
	if err != nil || !ok || len(sums) != len(series) {
		t.Fatalf("sweep a: %d runs' blocks kept, %v, %v", len(sums), ok, err)
	}
	for i, r := range series {
		if fmt.Sprint(sums[i]) != fmt.Sprint(splitBlocks(r, PBOBlocks)) {
			t.Errorf("run %d: kept %v, want %v", i, sums[i], splitBlocks(r, PBOBlocks))
		}
	}
	if _, ok, err := s.keptBlocks(ctx, "b", ids["b"]); err != nil || ok {
		t.Errorf("sweep b: blocks kept (%v, %v), though another Store recorded a run", ok, err)
	}
	want, _ := CSCV(series, PBOBlocks)
	// a's blocks were taken above, and b's, so they read the returns back;
	// d is analysed from its kept blocks, then from its returns.
	for _, id := range []string{"a", "b", "d", "d"} {
		st, err := s.Analyze(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if st.PBO != want.PBO || fmt.Sprint(st.Logits) != fmt.Sprint(want.Logits) {
			t.Errorf("sweep %s: PBO %v, want %v", id, st.PBO, want.PBO)
		}
	}
	if len(s.blocks) != 1 {
		t.Errorf("blocks kept after Analyze: %d sweeps, want 1 (c)", len(s.blocks))
	}
	st, err := s.Analyze(ctx, "c")
	if err != nil || !math.IsNaN(st.PBO) || st.Logits != nil {
		t.Errorf("runs of unequal lengths: PBO %v, %d logits, %v", st.PBO, len(st.Logits), err)
	}
}

func TestAddMembers(t *testing.T) {
	ctx := context.Background()
	s, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, id := range []string{"aa", "bb", "cc"} {
		if _, err := s.Record(ctx, fakeRun(id, i, 1), ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddSweep(ctx, &Sweep{ID: "sw", Space: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMembers(ctx, "sw", []string{"cc", "aa", "cc"}); err != nil {
		t.Fatal(err)
	}
	runs, err := s.Runs(ctx, "sw")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range runs {
		ids = append(ids, r.ID)
	}
	if fmt.Sprint(ids) != "[aa cc]" {
		t.Errorf("members %v, want [aa cc]", ids)
	}
	if err := s.AddMembers(ctx, "sw", []string{"bb", "zz"}); err == nil {
		t.Error("a run the store does not hold became a member")
	}
	if runs, err := s.Runs(ctx, "sw"); err != nil || len(runs) != 2 {
		t.Errorf("after a failed AddMembers: %d members, %v; want 2 (all or none)", len(runs), err)
	}
}
