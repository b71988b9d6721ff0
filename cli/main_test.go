package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/report"
)

var dailyData = "../testdata/daily/AAA.csv,../testdata/daily/BBB.csv"

// quantloop runs the CLI in-process and returns its exit status and output.
func quantloop(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestRunWritesResults(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := quantloop(t, "run", "--data", dailyData, "--strategy", "smacross",
		"--param", "mode=longshort", "--size-pct", "10", "--commission-pct", "0.1", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, stderr)
	}
	for _, want := range []string{"smacross (fast=10 mode=longshort slow=30)", "final equity", "sharpe", "max drawdown", "trades"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	headers := map[string]string{
		report.TradesFile: "symbol,side,quantity,entry_time,entry_price,exit_time,exit_price,commission,pnl_gross,pnl_net,bars,status,mae,mfe,return",
		report.FillsFile:  "order_id,time,symbol,side,quantity,price,commission,slippage,remaining",
		report.EquityFile: "time,cash,equity,drawdown,benchmark",
		report.OrdersFile: "id,engine_id,time,symbol,side,type,quantity,filled_quantity,limit,stop,trail,tif,expire,parent,oco,reduce_only,source,status,reason,trigger_time,fill_time,fill_price",
	}
	for name, header := range headers {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(b), "\n")
		if first != header {
			t.Errorf("%s header = %q, want %q", name, first, header)
		}
		if strings.Count(string(b), "\n") < 3 {
			t.Errorf("%s has almost no rows:\n%s", name, b)
		}
	}
	var res map[string]any
	b, err := os.ReadFile(filepath.Join(out, report.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"final_cash", "final_equity", "total_return", "trades", "max_drawdown", "sharpe", "config"} {
		if _, ok := res[key]; !ok {
			t.Errorf("results.json lacks %q", key)
		}
	}
	if _, ok := res["final_cash"].(string); !ok {
		t.Errorf("final_cash is %T, want an exact decimal string", res["final_cash"])
	}
	cfg := res["config"].(map[string]any)
	if cfg["sizing"].(map[string]any)["pct"] != "10" || cfg["strategy"].(map[string]any)["params"].(map[string]any)["fast"] != "10" {
		t.Errorf("effective config = %v", cfg)
	}
}

// Two runs of the same command write byte-identical files.
func TestRunIsDeterministic(t *testing.T) {
	var dirs []string
	for range 2 {
		out := t.TempDir()
		if code, _, stderr := quantloop(t, "run", "--data", dailyData, "--param", "mode=longshort",
			"--size-pct", "25", "--commission-pct", "0.05", "--slippage-bps", "3", "--out", out); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		dirs = append(dirs, out)
	}
	for _, name := range []string{report.TradesFile, report.FillsFile, report.OrdersFile, report.EquityFile,
		report.ConfigFile, report.ResultsFile, report.ReportFile, report.ManifestFile} {
		a, err := os.ReadFile(filepath.Join(dirs[0], name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dirs[1], name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two identical runs", name)
		}
	}
}

func TestUsageAndInputErrors(t *testing.T) {
	out := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no command", nil, 2, "Usage:"},
		{"unknown command", []string{"fly"}, 2, `unknown command "fly"`},
		{"no data", []string{"run", "--out", out}, 2, "--data is required"},
		{"unknown flag", []string{"run", "--dta", "x.csv"}, 2, "unknown flag: --dta"},
		{"positional", []string{"run", "--data", dailyData, "extra"}, 2, `unknown command "extra" for "quantloop run"`},
		{"unknown strategy", []string{"run", "--data", dailyData, "--strategy", "smacros", "--out", out}, 2,
			`unknown strategy "smacros" (known: breakout, buyhold, macd, rotation, rsi, smacross)`},
		{"unknown param", []string{"run", "--data", dailyData, "--param", "fats=3", "--out", out}, 2, `unknown param "fats"`},
		{"bad param", []string{"run", "--data", dailyData, "--param", "fast", "--out", out}, 2, `"fast": want key=value`},
		{"size and pct", []string{"run", "--data", dailyData, "--size", "5", "--size-pct", "10", "--out", out}, 2,
			"sizing: set sizing.size (a fixed quantity) or sizing.pct (a percent of equity), not both"},
		{"negative cash", []string{"run", "--data", dailyData, "--cash", "-5", "--out", out}, 2, "account.cash: -5 must not be negative"},
		{"bad decimal", []string{"run", "--data", dailyData, "--cash", "lots", "--out", out}, 2, `"lots" is not a decimal number`},
		{"missing file", []string{"run", "--data", "nope.csv", "--out", out}, 2, "nope.csv"},
		{"bad csv", []string{"run", "--data", "../testdata/bad/high_below_low.csv", "--out", out}, 2, "high_below_low.csv:"},
		{"gen without out", []string{"gen"}, 2, "--out is required"},
		{"bad header mode", []string{"run", "--data", dailyData, "--header", "maybe", "--out", out}, 2,
			`"--header" flag: header "maybe": want auto, present, absent or skip`},
		{"bad column field", []string{"run", "--data", dailyData, "--columns", "opn=Open", "--out", out}, 2,
			`data.columns.opn: unknown field`},
		{"wrong header", []string{"run", "--data", "../testdata/bad/header_count_mismatch.csv", "--out", out}, 2,
			"header has 6 columns but this row has 7; if the header is wrong, map columns by position with --header skip"},
		{"negative trials", []string{"run", "--data", dailyData, "--trials", "-1", "--out", out}, 2, "analysis.trials: -1 must not be negative"},
		{"risk-free", []string{"run", "--data", dailyData, "--risk-free", "-1", "--out", out}, 2, "analysis.risk_free: -1 must be a number above -1"},
		{"missing benchmark", []string{"run", "--data", dailyData, "--benchmark", "nope.csv", "--out", out}, 2, "benchmark: "},
		{"verify without dir", []string{"verify"}, 2, "want exactly one argument"},
		{"help", []string{"run", "--help"}, 0, ""},
		{"version", []string{"version"}, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := quantloop(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			if !strings.Contains(stderr+stdout, tc.msg) {
				t.Errorf("output lacks %q:\nstdout: %s\nstderr: %s", tc.msg, stdout, stderr)
			}
		})
	}
}

func TestGenIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if code, _, stderr := quantloop(t, "gen", "--out", dir, "--symbols", "X,Y", "--bars", "300", "--seed", "9"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	for _, f := range []string{"X.csv", "Y.csv"} {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, _ := os.ReadFile(filepath.Join(b, f))
		if !bytes.Equal(x, y) || strings.Count(string(x), "\n") != 301 {
			t.Errorf("%s: identical %v, %d lines", f, bytes.Equal(x, y), strings.Count(string(x), "\n"))
		}
	}
	// What gen writes, run reads.
	if code, _, stderr := quantloop(t, "run", "--data", filepath.Join(a, "X.csv"), "--out", t.TempDir()); code != 0 {
		t.Fatalf("run on generated data: exit %d: %s", code, stderr)
	}
}

// TestGenTooBigForTheDisk: a --bars the disk cannot hold is refused before
// anything is written, instead of filling the disk.
func TestGenTooBigForTheDisk(t *testing.T) {
	dir := t.TempDir()
	if _, ok := diskFree(dir); !ok {
		t.Skip("this system does not say how much space is free")
	}
	out := filepath.Join(dir, "g")
	code, _, stderr := quantloop(t, "gen", "--out", out, "--symbols", "X,Y", "--bars", "9223372036854775807")
	if code != 2 || !strings.Contains(stderr, "gen: --bars 9223372036854775807 for 2 symbol(s) takes at least 5.5e+20 bytes, and the disk of "+dir+" has") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s exists (%v)", out, err)
	}
}

// --columns names columns the usual spellings miss; --delimiter reads
// semicolons.
func TestRunColumnMapping(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "X.csv")
	rows := "When;First;Top;Bottom;Settle\n"
	for i := range 40 {
		c := 100 + (i%7)*3 - (i%5)*2
		rows += fmt.Sprintf("2024-01-%02d %02d:00;%d;%d;%d;%d\n", 1+i/8, 9+i%8, c, c+2, c-2, c+1)
	}
	if err := os.WriteFile(path, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := quantloop(t, "run", "--data", path, "--delimiter", ";",
		"--columns", "time=When,open=First,high=Top,low=Bottom,close=Settle", "--param", "fast=2", "--param", "slow=5", "--out", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "(40 bars") {
		t.Errorf("summary:\n%s", stdout)
	}
}

// The real Yahoo-style file, with its Adj Close column, runs with no column
// flags.
func TestRunOnSharedData(t *testing.T) {
	path := "../../shared/data/orcl-1995-2014.txt"
	if _, err := os.Stat(path); err != nil {
		t.Skip("shared data not present:", err)
	}
	code, stdout, stderr := quantloop(t, "run", "--data", path, "--out", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "5036 bars") {
		t.Errorf("summary:\n%s", stdout)
	}
}

// TestRunOrdersFile replays an orders file from the CLI, and refuses a bad
// one with exit status 2 and a message naming the line and column.
func TestRunOrdersFile(t *testing.T) {
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.csv")
	text := "time,symbol,side,type,quantity,limit,stop,trail,tif,expire,id,parent,oco\n" +
		"2020-01-01,AAA,buy,market,10,,,,,,in,,\n" +
		"2020-01-01,AAA,sell,trailing_stop,,,,5%,,,trail,in,\n"
	if err := os.WriteFile(orders, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, stdout, stderr := quantloop(t, "run", "--data", "../testdata/daily/AAA.csv", "--orders", orders,
		"--intrabar-path", "pessimistic", "--max-volume-share", "0.5", "--slippage-model", "volume",
		"--account", "cash", "--borrow-rate", "1", "--commission-fixed", "1", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "intrabar path") || !strings.Contains(stdout, "run: orders from "+orders) {
		t.Errorf("summary does not name the intrabar path:\n%s", stdout)
	}
	b, err := os.ReadFile(filepath.Join(out, report.OrdersFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "in,1,") || !strings.HasPrefix(lines[2], "trail,2,") ||
		!strings.Contains(lines[2], ",5%,gtc,,in,") {
		t.Errorf("orders.csv:\n%s", b)
	}
	res, err := os.ReadFile(filepath.Join(out, report.ResultsFile))
	if err != nil || !strings.Contains(string(res), `"intrabar_path": "pessimistic"`) {
		t.Errorf("results.json lacks the intrabar path: %v", err)
	}

	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("time,symbol,side,type,quantity\n2020-01-01,AAA,buy,limit,1\n"), 0o644)
	code, _, stderr = quantloop(t, "run", "--data", "../testdata/daily/AAA.csv", "--orders", bad, "--out", out)
	if want := `bad.csv:2: field "limit": limit order needs a positive limit price`; code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("bad orders file: exit %d, stderr %q, want 2 and %q", code, stderr, want)
	}
	code, _, stderr = quantloop(t, "run", "--data", "../testdata/daily/AAA.csv", "--orders", orders, "--strategy", "buyhold")
	if code != 2 || !strings.Contains(stderr, "--orders replaces the strategy") {
		t.Errorf("--orders with --strategy: exit %d, %q", code, stderr)
	}
	code, _, stderr = quantloop(t, "run", "--data", "../testdata/daily/AAA.csv", "--intrabar-path", "random")
	if code != 2 || !strings.Contains(stderr, `intrabar path "random"`) {
		t.Errorf("bad --intrabar-path: exit %d, %q", code, stderr)
	}
}

// A benchmark file that goes bad after the run has started stops the run
// with its file and line, exit status 2, and leaves no outputs behind.
func TestBadBenchmarkMidFile(t *testing.T) {
	src, err := os.ReadFile("../testdata/daily/AAA.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(src), "\n")
	bad := strings.Join(lines[:200], "") + "2099-13-45,1,2,0.5,1.5,10\n" + strings.Join(lines[200:], "")
	bench := filepath.Join(t.TempDir(), "BENCH.csv")
	if err := os.WriteFile(bench, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := quantloop(t, "run", "--data", dailyData, "--benchmark", bench, "--out", out)
	if code != 2 || !strings.Contains(stderr, "BENCH.csv:201") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, report.ResultsFile)); err == nil {
		t.Error("results.json written for a run stopped by its benchmark")
	}
}
