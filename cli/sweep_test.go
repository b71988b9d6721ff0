package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/quantloop/quantloop/store"
	"github.com/quantloop/quantloop/sweep"
)

// writeSweepConfig writes a config file for sweeps over the daily data.
func writeSweepConfig(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "run.yaml")
	cfg := "data:\n  files: [../testdata/daily/AAA.csv, ../testdata/daily/BBB.csv]\nstrategy:\n  name: smacross\n  params: {mode: longshort}\nsizing:\n  pct: 10\n"
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// list returns `runs list` of the store with args, checking it succeeds.
func list(t *testing.T, db string, args ...string) string {
	t.Helper()
	code, out, errOut := quantloop(t, append([]string{"runs", "list", "--store", db}, args...)...)
	if code != 0 {
		t.Fatalf("runs list %v: exit %d: %s", args, code, errOut)
	}
	return out
}

func TestSweepJobsGiveTheSameList(t *testing.T) {
	dir := t.TempDir()
	cfg := writeSweepConfig(t, dir)
	var csvs, jsons [2]string
	for i, jobs := range []string{"1", "4"} {
		db := filepath.Join(dir, "s"+jobs+".db")
		code, out, errOut := quantloop(t, "sweep", "--config", cfg, "--grid", "strategy.params.fast=5:20:5",
			"--grid", "strategy.params.slow=20:40:10", "--where", "fast < slow", "--store", db, "--jobs", jobs)
		if code != 0 {
			t.Fatalf("sweep --jobs %s: exit %d: %s", jobs, code, errOut)
		}
		// fast 5, 10, 15, 20 by slow 20, 30, 40, without fast 20 slow 20.
		if !strings.Contains(out, "11 configurations: 11 run, 0 already in") {
			t.Fatalf("sweep output:\n%s", out)
		}
		csvs[i], jsons[i] = list(t, db, "--format", "csv"), list(t, db, "--format", "json")
	}
	if csvs[0] != csvs[1] || jsons[0] != jsons[1] {
		t.Fatal("--jobs 1 and --jobs 4 list different runs")
	}
	rows, err := csv.NewReader(strings.NewReader(csvs[0])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	if len(rows) != 12 || header[0] != "id" || header[1] != "strategy.params.fast" || header[2] != "strategy.params.slow" {
		t.Fatalf("%d rows, header %v", len(rows), header[:3])
	}
	for _, want := range []string{"final_equity", "sharpe", "analysis.returns.deflated_sharpe", "trade_stats.sqn"} {
		if !contains(header, want) {
			t.Errorf("no column %s", want)
		}
	}
	for i := 2; i < len(rows); i++ {
		if rows[i][0] <= rows[i-1][0] {
			t.Fatal("rows not sorted by id")
		}
	}
	var objs []map[string]any
	if err := json.Unmarshal([]byte(jsons[0]), &objs); err != nil || len(objs) != 11 {
		t.Fatalf("json: %d rows, %v", len(objs), err)
	}
	if objs[0]["id"] != rows[1][0] || objs[0]["strategy.params.fast"] != rows[1][1] {
		t.Fatalf("json row %v differs from csv row %v", objs[0]["id"], rows[1][:2])
	}
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// TestRunStoreMatchesSweep records a run with run --store and checks it
// is the sweep's run of the same settings, with the same id and metrics,
// and that the metrics are results.json's.
func TestRunStoreMatchesSweep(t *testing.T) {
	dir := t.TempDir()
	cfg := writeSweepConfig(t, dir)
	sdb, rdb := filepath.Join(dir, "s.db"), filepath.Join(dir, "r.db")
	if code, _, errOut := quantloop(t, "sweep", "--config", cfg, "--values", "strategy.params.fast=7,9", "--store", sdb); code != 0 {
		t.Fatal(errOut)
	}
	out := filepath.Join(dir, "out")
	for range 2 { // twice: one run
		if code, _, errOut := quantloop(t, "run", "--config", cfg, "--param", "fast=9", "--out", out, "--store", rdb); code != 0 {
			t.Fatal(errOut)
		}
	}
	single := list(t, rdb, "--format", "csv")
	swept := list(t, sdb, "--format", "csv", "--where", "strategy.params.fast = 9")
	rows := func(s string) [][]string {
		r, err := csv.NewReader(strings.NewReader(s)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b := rows(single), rows(swept)
	if len(a) != 2 || len(b) != 2 {
		t.Fatalf("%d and %d rows", len(a), len(b))
	}
	// The sweep's listing has the varied setting as its second column.
	if a[1][0] != b[1][0] || strings.Join(a[1][1:], ",") != strings.Join(b[1][2:], ",") {
		t.Fatal("the run stored by run --store differs from the sweep's")
	}
	var results map[string]any
	rb, _ := os.ReadFile(filepath.Join(out, "results.json"))
	if err := json.Unmarshal(rb, &results); err != nil {
		t.Fatal(err)
	}
	i := indexOf(a[0], "final_equity")
	if i < 0 || a[1][i] != results["final_equity"] {
		t.Fatalf("final_equity %v, results.json %v", a[1], results["final_equity"])
	}
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return -1
}

func TestRunsListWhereSortLimit(t *testing.T) {
	dir := t.TempDir()
	cfg := writeSweepConfig(t, dir)
	db := filepath.Join(dir, "s.db")
	if code, _, errOut := quantloop(t, "sweep", "--config", cfg, "--values", "strategy.params.fast=5,10,15,20", "--store", db); code != 0 {
		t.Fatal(errOut)
	}
	all := list(t, db, "--format", "json")
	var runs []map[string]any
	if err := json.Unmarshal([]byte(all), &runs); err != nil {
		t.Fatal(err)
	}
	// The expected order and filter, worked out from the full listing.
	best, second := "", ""
	bestS, secondS := -1e9, -1e9
	kept := 0
	for _, r := range runs {
		s := r["sharpe"].(float64)
		if s > bestS {
			best, second, bestS, secondS = r["id"].(string), best, s, bestS
		} else if s > secondS {
			second, secondS = r["id"].(string), s
		}
		if r["strategy.params.fast"] != "5" && s > 0 {
			kept++
		}
	}
	top := list(t, db, "--format", "csv", "--sort", "-sharpe", "--limit", "2")
	lines := strings.Split(strings.TrimSpace(top), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], best+",") || !strings.HasPrefix(lines[2], second+",") {
		t.Fatalf("--sort -sharpe --limit 2:\n%s\nwant %s then %s", top, best, second)
	}
	where := list(t, db, "--format", "csv", "--where", "fast != 5 and sharpe > 0")
	if n := len(strings.Split(strings.TrimSpace(where), "\n")) - 1; n != kept {
		t.Fatalf("--where kept %d runs, want %d", n, kept)
	}
	for _, bad := range [][]string{{"--where", "sharpe >"}, {"--where", "nosuch > 1"}, {"--sort", "nosuch"}, {"--format", "xml"}} {
		code, _, errOut := quantloop(t, append([]string{"runs", "list", "--store", db}, bad...)...)
		if code != 2 || !strings.Contains(errOut, bad[0]) {
			t.Errorf("runs list %v: exit %d, %s", bad, code, errOut)
		}
	}
	if code, _, errOut := quantloop(t, "runs", "list", "--store", filepath.Join(dir, "none.db")); code != 2 {
		t.Errorf("a missing store: exit %d, %s", code, errOut)
	}

	code, out, errOut := quantloop(t, "runs", "show", "--store", db, best[:10])
	if code != 0 || !strings.Contains(out, "run "+best) || !strings.Contains(out, "fast: \"") && !strings.Contains(out, "fast:") {
		t.Fatalf("show: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = quantloop(t, "runs", "compare", "--store", db, best, second)
	if code != 0 || !strings.Contains(out, "strategy.params.fast") || strings.Contains(out, "strategy.params.mode") {
		t.Fatalf("compare: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, _ := quantloop(t, "runs", "show", "--store", db, "zz"); code != 2 {
		t.Errorf("show of a bad id: exit %d", code)
	}
}

// TestShardsMergeEqualsWhole runs a sweep in two shards, the second with
// its index from SLURM_ARRAY_TASK_ID, merges them, and lists the same
// rows as the whole sweep.
func TestShardsMergeEqualsWhole(t *testing.T) {
	dir := t.TempDir()
	cfg := writeSweepConfig(t, dir)
	args := []string{"sweep", "--config", cfg, "--grid", "strategy.params.fast=4:12:2", "--values", "strategy.params.slow=20,30"}
	whole := filepath.Join(dir, "whole.db")
	if code, _, errOut := quantloop(t, append(args, "--store", whole)...); code != 0 {
		t.Fatal(errOut)
	}
	s1, s2, merged := filepath.Join(dir, "1.db"), filepath.Join(dir, "2.db"), filepath.Join(dir, "m.db")
	if code, _, errOut := quantloop(t, append(args, "--store", s1, "--shard", "1/2")...); code != 0 {
		t.Fatal(errOut)
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "1")
	if code, _, errOut := quantloop(t, append(args, "--store", s2, "--shards", "2")...); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := quantloop(t, "runs", "merge", s1, s2, "--into", merged); code != 0 {
		t.Fatal(errOut)
	}
	st, err := store.Open(whole)
	if err != nil {
		t.Fatal(err)
	}
	ids, _ := st.Sweeps(context.Background())
	st.Close()
	if len(ids) != 1 {
		t.Fatalf("%d sweeps", len(ids))
	}
	for _, format := range []string{"csv", "json"} {
		w := list(t, whole, "--format", format, "--sweep", ids[0])
		m := list(t, merged, "--format", format, "--sweep", ids[0])
		if w != m || strings.Count(w, "\n") < 10 {
			t.Fatalf("merged shards list differently from the whole sweep (%s)", format)
		}
	}
}

// TestEmptyShard: with more shards than runs, a shard with none ends
// well (a Slurm array's dependent merge waits for every task to succeed),
// writes its page if asked, and the merge of all the shards equals the
// whole sweep.
func TestEmptyShard(t *testing.T) {
	dir := t.TempDir()
	cfg := writeSweepConfig(t, dir)
	args := []string{"sweep", "--config", cfg, "--values", "strategy.params.slow=20,30"}
	whole := filepath.Join(dir, "whole.db")
	if code, _, errOut := quantloop(t, append(args, "--store", whole)...); code != 0 {
		t.Fatal(errOut)
	}
	merge := []string{"runs", "merge"}
	for i := 1; i <= 3; i++ {
		db := filepath.Join(dir, fmt.Sprintf("%d.db", i))
		page := filepath.Join(dir, fmt.Sprintf("%d.html", i))
		code, out, errOut := quantloop(t, append(args, "--store", db, "--shard", fmt.Sprintf("%d/3", i), "--html", page)...)
		if code != 0 {
			t.Fatalf("shard %d/3: exit %d: %s", i, code, errOut)
		}
		if empty := strings.Contains(out, "0 in this shard"); empty != (i == 3) || empty != strings.Contains(out, "no run in this shard to rank") {
			t.Errorf("shard %d/3:\n%s", i, out)
		}
		if _, err := os.Stat(page); err != nil {
			t.Errorf("shard %d/3: %v", i, err)
		}
		merge = append(merge, db)
	}
	merged := filepath.Join(dir, "m.db")
	if code, _, errOut := quantloop(t, append(merge, "--into", merged)...); code != 0 {
		t.Fatal(errOut)
	}
	if w, m := list(t, whole, "--format", "csv"), list(t, merged, "--format", "csv"); w != m || strings.Count(w, "\n") != 3 {
		t.Fatalf("the merged shards list\n%s\nthe whole sweep\n%s", m, w)
	}
}

// TestStoreChecked: run --store and sweep --store find a store they
// could not write before any work: a file that is not a store, a folder,
// or a folder that is not there, each exit status 2 with nothing written.
func TestStoreChecked(t *testing.T) {
	dir := t.TempDir()
	cfg := writeSweepConfig(t, dir)
	text := writeFile(t, dir, "notes.db", "not a store\n")
	for _, tt := range []struct {
		store, msg string
	}{
		{text, text + " is not a run store (not an SQLite file)"},
		{dir, dir + " is a directory, not a run store"},
		{filepath.Join(dir, "none", "s.db"), "the folder " + filepath.Join(dir, "none") + " is not there"},
	} {
		out := filepath.Join(dir, "out")
		for _, args := range [][]string{
			{"run", "--config", cfg, "--out", out, "--store", tt.store},
			{"sweep", "--config", cfg, "--values", "strategy.params.fast=5,10", "--store", tt.store},
		} {
			code, _, errOut := quantloop(t, args...)
			if code != 2 || !strings.Contains(errOut, tt.msg) {
				t.Errorf("%s --store %s: exit %d: %s; want exit 2 and %q", args[0], tt.store, code, errOut, tt.msg)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Fatalf("%s --store %s: the run folder exists (%v)", args[0], tt.store, err)
			}
		}
	}
	if b, _ := os.ReadFile(text); string(b) != "not a store\n" {
		t.Errorf("the text file now reads %q", b)
	}
}

// TestHTMLChecked: sweep --html and runs compare --html refuse a page
// they could not write (a folder, or a file in a folder that is not
// there) before any work, with exit status 2: the sweep leaves no store.
func TestHTMLChecked(t *testing.T) {
	dir := t.TempDir()
	cfg := writeSweepConfig(t, dir)
	db := filepath.Join(dir, "s.db")
	missing := filepath.Join(dir, "none", "page.html")
	for _, tt := range []struct {
		html, msg string
	}{
		{dir, "--html " + dir + " is a folder: give a file"},
		{missing, "--html " + missing + ": the folder " + filepath.Join(dir, "none") + " is not there"},
	} {
		code, _, errOut := quantloop(t, "sweep", "--config", cfg, "--values", "strategy.params.fast=5,10", "--store", db, "--html", tt.html)
		if code != 2 || !strings.Contains(errOut, tt.msg) {
			t.Errorf("sweep --html %s: exit %d: %s; want exit 2 and %q", tt.html, code, errOut, tt.msg)
		}
		if _, err := os.Stat(db); !os.IsNotExist(err) {
			t.Fatalf("sweep --html %s: the store exists (%v)", tt.html, err)
		}
	}
	if code, _, errOut := quantloop(t, "sweep", "--config", cfg, "--values", "strategy.params.fast=5,10", "--store", db, "--html", "-"); code != 0 {
		t.Fatal(errOut)
	}
	ids := strings.Fields(list(t, db, "--format", "csv"))
	a, b := strings.SplitN(ids[1], ",", 2)[0], strings.SplitN(ids[2], ",", 2)[0]
	code, _, errOut := quantloop(t, "runs", "compare", "--store", db, a, b, "--html", dir)
	if want := "--html " + dir + " is a folder: give a file"; code != 2 || !strings.Contains(errOut, want) {
		t.Errorf("runs compare --html %s: exit %d: %s; want exit 2 and %q", dir, code, errOut, want)
	}
}

// TestRunsMergeRefusals: a source that is not a store, or that is the
// store merged into (whose lock the merge would wait on for a minute), is
// refused with exit status 2, and a refused merge creates no store.
func TestRunsMergeRefusals(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	st, err := store.Open(good)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	text := writeFile(t, dir, "notes.db", "not a store\n")
	empty := writeFile(t, dir, "empty.db", "")
	into := filepath.Join(dir, "into.db")
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{good, text, "--into", into}, "merge: " + text + " is not a run store (not an SQLite file)"},
		{[]string{empty, "--into", into}, "merge: " + empty + " is not a run store"},
		{[]string{filepath.Join(dir, "none.db"), "--into", into}, "no such file"},
		{[]string{good, "--into", good}, "merge: " + good + " is the store merged into"},
		{[]string{"--into", into}, "merge: give the stores to merge"},
	} {
		code, _, errOut := quantloop(t, append([]string{"runs", "merge"}, tt.args...)...)
		if code != 2 || !strings.Contains(errOut, tt.msg) {
			t.Errorf("merge %v: exit %d: %s; want exit 2 and %q", tt.args, code, errOut, tt.msg)
		}
		if _, err := os.Stat(into); !os.IsNotExist(err) {
			t.Fatalf("merge %v: %s exists (%v)", tt.args, into, err)
		}
	}
}

func TestShardOf(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	tests := []struct {
		flag   string
		shards int
		env    func(string) string
		i, n   int
		bad    bool
	}{
		{"", 0, env(), 0, 0, false},
		{"2/3", 0, env(), 2, 3, false},
		{"3/3", 3, env(), 3, 3, false},
		{"0/3", 0, env(), 0, 0, true},
		{"4/3", 0, env(), 0, 0, true},
		{"1/2", 3, env(), 0, 0, true},
		{"", 4, env("SLURM_ARRAY_TASK_ID", "0"), 1, 4, false},
		{"", 4, env("SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_MIN", "2"), 4, 4, false},
		{"", 4, env("JOB_COMPLETION_INDEX", "2"), 3, 4, false},
		{"", 4, env("AWS_BATCH_JOB_ARRAY_INDEX", "3"), 4, 4, false},
		{"", 4, env("AWS_BATCH_JOB_ARRAY_INDEX", "4"), 0, 0, true},
		{"", 4, env(), 0, 0, true},
	}
	for _, tt := range tests {
		i, n, err := shardOf(tt.flag, tt.shards, tt.env)
		if (err != nil) != tt.bad || i != tt.i || n != tt.n {
			t.Errorf("shardOf(%q, %d) = %d, %d, %v", tt.flag, tt.shards, i, n, err)
		}
	}
}

// TestSweepResumesAfterSIGKILL kills a sweep mid-way with SIGKILL and runs
// it again: the store then lists the same rows as a sweep never stopped.
func TestSweepResumesAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "quantloop")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/quantloop").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "gen", "--out", tmp, "--symbols", "BIG", "--bars", "20000", "--interval", "1h", "--seed", "3").CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, out)
	}
	cfg := filepath.Join(tmp, "run.yaml")
	if err := os.WriteFile(cfg, []byte("data:\n  files: ["+filepath.Join(tmp, "BIG.csv")+"]\nstrategy:\n  params: {mode: longshort}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sweepArgs := func(db string) []string {
		return []string{"sweep", "--config", cfg, "--grid", "strategy.params.fast=1:39:1", "--grid", "strategy.params.slow=40:60:10", "--store", db, "--jobs", "1"}
	}
	const total = 39 * 3
	killed := filepath.Join(tmp, "killed.db")
	cmd := exec.Command(bin, sweepArgs(killed)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once it has stored a few runs, as another process sees
	// them.
	stored := func() int {
		if _, err := os.Stat(killed); err != nil {
			return 0
		}
		st, err := store.Open(killed)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		runs, err := st.Runs(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		return len(runs)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && stored() < 3 {
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	st, err := store.Open(killed)
	if err != nil {
		t.Fatal(err)
	}
	before, err := st.Runs(context.Background(), "")
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(before) < 3 || len(before) >= total {
		t.Fatalf("the kill left %d of %d runs: not mid-way", len(before), total)
	}
	t.Logf("the kill left %d of %d runs", len(before), total)
	out, err := exec.Command(bin, sweepArgs(killed)...).CombinedOutput()
	if err != nil {
		t.Fatalf("resumed sweep: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "already in") {
		t.Fatalf("resumed sweep output:\n%s", out)
	}
	clean := filepath.Join(tmp, "clean.db")
	if out, err := exec.Command(bin, sweepArgs(clean)...).CombinedOutput(); err != nil {
		t.Fatalf("sweep: %v\n%s", err, out)
	}
	a := list(t, killed, "--format", "csv")
	b := list(t, clean, "--format", "csv")
	if a != b || strings.Count(a, "\n") != total+1 {
		t.Fatalf("the resumed store lists %d rows, the clean one %d, or they differ", strings.Count(a, "\n"), strings.Count(b, "\n"))
	}
}

// TestSweepProgress: the bar is drawn only on a terminal, and it shows
// the runs done of all, the rate and the best Sharpe ratio so far.
func TestSweepProgress(t *testing.T) {
	if sweepProgress(&strings.Builder{}) != nil {
		t.Error("a progress bar on a buffer")
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sweepProgress(f) != nil {
		t.Error("a progress bar on a file")
	}
	var b strings.Builder
	draw := progressBar(&b)
	draw(sweep.Progress{Done: 4, Total: 4, Skipped: 1, BestSharpe: 1.25})
	for _, want := range []string{"4/4", "runs/s", "1 in the store before; best sharpe 1.25"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the bar %q lacks %q", b.String(), want)
		}
	}
}

// TestRunIDIgnoresSpelledDefaults checks that a run's id is that of its
// effective config: a sweep of a config that spells out defaults (the
// account's cash, the strategy's slow period, the volume impact) finds
// every run of the same sweep over a config that leaves them out, and
// run --store of either config records one run.
func TestRunIDIgnoresSpelledDefaults(t *testing.T) {
	dir := t.TempDir()
	short := writeSweepConfig(t, dir)
	b, err := os.ReadFile(short)
	if err != nil {
		t.Fatal(err)
	}
	long := filepath.Join(dir, "long.yaml")
	spelled := strings.Replace(string(b), "params: {mode: longshort}", "params: {mode: longshort, slow: 30}", 1) +
		"account:\n  cash: 100000.00\ncosts:\n  slippage:\n    volume_impact: 0.1\n"
	if err := os.WriteFile(long, []byte(spelled), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "s.db")
	for i, cfg := range []string{short, long} {
		code, out, errOut := quantloop(t, "sweep", "--config", cfg, "--values", "strategy.params.fast=7,9", "--store", db)
		if code != 0 {
			t.Fatal(errOut)
		}
		want := []string{"2 run, 0 already", "0 run, 2 already"}[i]
		if !strings.Contains(out, want) {
			t.Fatalf("sweep of %s: want %q in\n%s", filepath.Base(cfg), want, out)
		}
	}
	rdb := filepath.Join(dir, "r.db")
	for _, cfg := range []string{short, long} {
		if code, _, errOut := quantloop(t, "run", "--config", cfg, "--param", "fast=9", "--out", filepath.Join(dir, "out"), "--store", rdb); code != 0 {
			t.Fatal(errOut)
		}
	}
	ids := func(db string) []string {
		rows, err := csv.NewReader(strings.NewReader(list(t, db, "--format", "csv"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows[1:] {
			out = append(out, r[0])
		}
		return out
	}
	single, swept := ids(rdb), ids(db)
	if len(single) != 1 || !slices.Contains(swept, single[0]) {
		t.Fatalf("run --store of both configs: ids %v; the sweep's: %v", single, swept)
	}
}

// TestSweepConfigSection runs a sweep given wholly by the config file's
// sweep section, checks it lists what the same sweep given by flags
// lists, that flags replace the file's settings and dimensions of the
// same paths and add others, and that an error in the section names the
// file and line.
func TestSweepConfigSection(t *testing.T) {
	dir := t.TempDir()
	base, err := os.ReadFile(writeSweepConfig(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	fileDB, flagDB := filepath.Join(dir, "file.db"), filepath.Join(dir, "flags.db")
	cfg := writeFile(t, dir, "sweep.yaml", string(base)+"sweep:\n  grid:\n    strategy.params.fast: 5:20:5\n"+
		"  values:\n    strategy.params.slow: [20, 30]\n  where: fast < slow\n  jobs: 2\n  store: "+fileDB+"\n  objective: -max_drawdown\n")
	code, out, errOut := quantloop(t, "sweep", "--config", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "7 configurations: 7 run") || !strings.Contains(out, "best by -max_drawdown:") {
		t.Errorf("output:\n%s", out)
	}
	plain := filepath.Join(dir, "run.yaml")
	if code, _, errOut := quantloop(t, "sweep", "--config", plain, "--grid", "strategy.params.fast=5:20:5",
		"--values", "strategy.params.slow=20,30", "--where", "fast < slow", "--store", flagDB); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if a, b := list(t, fileDB, "--format", "csv"), list(t, flagDB, "--format", "csv"); a != b {
		t.Errorf("the sweep section lists\n%s\nthe flags\n%s", a, b)
	}
	// --values replaces the file's grid of fast, --grid adds a dimension,
	// --store and --where replace the file's.
	over := filepath.Join(dir, "over.db")
	code, out, errOut = quantloop(t, "sweep", "--config", cfg, "--values", "strategy.params.fast=7,9",
		"--values", "sizing.pct=10,20", "--where", "slow > 20", "--store", over)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "4 configurations: 4 run") {
		t.Errorf("flags over the section: want 2×2 configurations (fast 7,9 × pct 10,20, slow 30):\n%s", out)
	}
	csvOut := list(t, over, "--format", "csv")
	if strings.Contains(csvOut, ",5,") || !strings.Contains(strings.SplitN(csvOut, "\n", 2)[0], "sizing.pct") {
		t.Errorf("flags over the section:\n%s", csvOut)
	}
	bad := writeFile(t, dir, "bad.yaml", string(base)+"sweep:\n  grid:\n    strategy.params.fast: 5:x:5\n")
	code, _, errOut = quantloop(t, "sweep", "--config", bad, "--store", filepath.Join(dir, "bad.db"))
	if code != 2 || !strings.Contains(errOut, "bad.yaml:10: sweep.grid.strategy.params.fast: \"x\" is not a number") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// TestSweepRefusals: a sweep that cannot run is refused with one message,
// exit status 2, and no store: a grid of 2^64 steps is counted, not
// enumerated; a whole-number range beyond 2^53 is not drawn from; a bad
// --where, a path varied twice, a value a strategy refuses, a data path
// varied, a --where that keeps nothing, a data file that is not there and
// an --objective no metric has are all found before the store is opened.
func TestSweepRefusals(t *testing.T) {
	dir := t.TempDir()
	cfg := writeSweepConfig(t, dir)
	missing := writeFile(t, dir, "missing.yaml", "data:\n  files: ["+filepath.Join(dir, "nope.csv")+"]\n")
	db := filepath.Join(dir, "s.db")
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--grid", "strategy.params.fast=0:18446744073709551616:1"},
			`--grid "strategy.params.fast=0:18446744073709551616:1": 18446744073709551617 values, more than the 1000000 a sweep may have`},
		{[]string{"--range", "strategy.params.fast=0:100000000000000000000", "--random", "2"},
			`--range "strategy.params.fast=0:100000000000000000000": whole numbers beyond 9007199254740992 in magnitude cannot be drawn exactly`},
		{[]string{"--grid", "strategy.params.fast=5:10:5", "--where", "fast <> 1"}, `position 7: want a name, number or text, got ">"`},
		{[]string{"--grid", "strategy.params.fast=5:10:5", "--values", "strategy.params.fast=1,2"}, "strategy.params.fast is varied twice"},
		{[]string{"--grid", "strategy.params.fast=5:10:5", "--values", "strategy.params.slow=20,x"}, `strategy.params.slow=x: strategy smacross: param slow: "x" is not a whole number`},
		{[]string{"--grid", "strategy.params.fast=5:10:5", "--values", "data.timezone=UTC"}, "data.timezone cannot vary"},
		{[]string{"--grid", "strategy.params.fast=5:10:5", "--where", "fast > 100"}, "no configuration is left"},
		{[]string{"--config", missing, "--grid", "strategy.params.fast=5:10:5"}, "nope.csv"},
		{[]string{"--grid", "strategy.params.fast=5:10:5", "--objective", "-max_drawdon"}, `--objective "-max_drawdon": no run has a metric of this name`},
	} {
		os.Remove(db)
		args := append([]string{"sweep", "--config", cfg, "--store", db, "--html", "-"}, tt.args...)
		code, out, errOut := quantloop(t, args...)
		if code != 2 || !strings.Contains(errOut, tt.msg) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line containing %q", tt.args, code, out, errOut, tt.msg)
		}
		if _, err := os.Stat(db); !os.IsNotExist(err) {
			t.Errorf("%v: the store exists (%v)", tt.args, err)
		}
	}
}

// TestSweepHTML checks where a sweep writes its HTML report: sweep.html
// next to the store by default, the --html file, none with --html - or
// for a shard; and that a heatmap over a path the sweep does not vary is
// refused before anything runs.
func TestSweepHTML(t *testing.T) {
	dir := t.TempDir()
	cfg := writeSweepConfig(t, dir)
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	args := []string{"sweep", "--config", cfg, "--values", "strategy.params.fast=7,9", "--values", "strategy.params.slow=20,30"}
	run := func(extra ...string) string {
		t.Helper()
		code, out, errOut := quantloop(t, append(slices.Clone(args), extra...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, code, errOut)
		}
		return out
	}
	out := run("--store", filepath.Join(sub, "s.db"))
	page, err := os.ReadFile(filepath.Join(sub, "sweep.html"))
	if err != nil || !strings.Contains(out, "report: "+filepath.Join(sub, "sweep.html")) {
		t.Fatalf("no sweep.html next to the store: %v\n%s", err, out)
	}
	if !strings.Contains(string(page), "Heatmap of sharpe") || !strings.Contains(string(page), "strategy.params.slow") {
		t.Error("the page lacks its heatmap")
	}
	own := filepath.Join(dir, "own.html")
	run("--store", filepath.Join(sub, "s.db"), "--html", own, "--heatmap", "slow,fast", "--objective", "trades")
	if b, err := os.ReadFile(own); err != nil || !strings.Contains(string(b), "ranked by <code>trades</code>") {
		t.Fatalf("--html: %v", err)
	}
	other := filepath.Join(dir, "other")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	run("--store", filepath.Join(other, "s.db"), "--html", "-")
	run("--store", filepath.Join(other, "shard.db"), "--shard", "1/2")
	if _, err := os.Stat(filepath.Join(other, "sweep.html")); err == nil {
		t.Error("--html - or a shard wrote sweep.html")
	}
	code, _, errOut := quantloop(t, append(slices.Clone(args), "--store", filepath.Join(dir, "x.db"), "--heatmap", "fast,cash")...)
	if code != 2 || !strings.Contains(errOut, `"cash" is not a path the sweep varies`) {
		t.Errorf("a bad --heatmap: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Error("a bad --heatmap ran the sweep")
	}
	code, _, errOut = quantloop(t, append(slices.Clone(args), "--store", filepath.Join(dir, "y.db"), "--objective", "shrape")...)
	if code != 2 || !strings.Contains(errOut, `--objective "shrape": no run has a metric of this name`) {
		t.Errorf("a bad --objective: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "y.db")); err == nil {
		t.Error("a bad --objective ran the sweep")
	}
}
