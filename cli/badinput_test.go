package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/report"
)

// TestBadInputMatrix runs the CLI on every kind of broken input the
// project knows of. Each must exit 2 with one clear message (naming the
// file, line and field where there is one) and leave nothing that looks
// like a complete result: either no output at all, or results.json
// marked partial with the error in it.
func TestBadInputMatrix(t *testing.T) {
	gen := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(gen, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const hdr = "date,open,high,low,close\n"
	bad := func(name string) string { return filepath.Join("..", "testdata", "bad", name) }
	daily := "../testdata/daily/AAA.csv"
	tests := []struct {
		name string
		args []string // after "run"; --out is added
		msg  string
	}{
		{"empty file", []string{"--data", bad("empty.csv")}, "empty.csv: the file is empty; expected a header line or rows of bars"},
		{"header only", []string{"--data", bad("header_only.csv")}, "no bars in ../testdata/bad/header_only.csv: the data has a header but no rows"},
		{"wrong delimiter", []string{"--data", bad("semicolon.csv")}, `semicolon.csv:1: the header "Date;Open;High;Low;Close;Volume" is a single column; the delimiter looks like ';'`},
		{"missing column", []string{"--data", bad("missing_close.csv")}, `missing_close.csv:1: field "close": no close column in the header`},
		{"missing field", []string{"--data", bad("too_few_fields.csv")}, "too_few_fields.csv:3: header has 6 columns but this row has 5"},
		{"extra field", []string{"--data", bad("header_count_mismatch.csv")}, "header_count_mismatch.csv:2: header has 6 columns but this row has 7"},
		{"NaN", []string{"--data", bad("nan_price.csv")}, `nan_price.csv:3: field "High": invalid price "NaN": not a number`},
		{"Inf", []string{"--data", bad("inf_price.csv")}, `inf_price.csv:3: field "Close": invalid price "Inf": not a number`},
		{"zero price", []string{"--data", bad("zero_price.csv")}, `zero_price.csv:3: field "Open": price 0 must be positive`},
		{"negative price", []string{"--data", bad("negative_price.csv")}, `negative_price.csv:3: field "Low": price -1.5 must be positive`},
		{"absurdly large price", []string{"--data", write("big.csv", hdr+"2020-01-01,10,11,9,10\n2020-01-02,10,11,9,1e30\n")},
			`big.csv:3: field "close": price "1e30": out of range: a price's magnitude is at most 90071992.54740991`},
		{"absurdly long price", []string{"--data", write("big2.csv", hdr+"2020-01-01,10,11,9,10\n2020-01-02,10,99999999999999999999,9,10\n")},
			`big2.csv:3: field "high": price "99999999999999999999": out of range: a price's magnitude is at most 90071992.54740991`},
		{"high below low", []string{"--data", bad("high_below_low.csv")}, `high_below_low.csv:3: field "High": high 9.7 is below low 10.2`},
		{"non-UTF-8", []string{"--data", bad("non_utf8.csv")}, `non_utf8.csv:3: field "Close": invalid price "1\xff0.30"`},
		{"out of order", []string{"--data", bad("time_backwards.csv")}, `time_backwards.csv:4: field "Date": time 2020-01-03 is not after the previous row's 2020-01-06`},
		{"repeated time", []string{"--data", bad("duplicate_time.csv")}, `duplicate_time.csv:4: field "Date": time 2020-01-03 is not after`},
		{"mixed formats", []string{"--data", bad("mixed_time_formats.csv")}, `mixed_time_formats.csv:4: field "Date": time "2020-01-06 10:00:00" does not match the layout 2006-01-02`},
		{"mixed zones", []string{"--data", write("zones.csv", "time,open,high,low,close\n2020-01-01T00:00:00Z,10,11,9,10\n2020-01-02T00:00:00+05:00,10,11,9,10\n2020-01-03T00:00:00,10,11,9,10\n")},
			`zones.csv:4: field "time": time "2020-01-03T00:00:00" does not match the layout 2006-01-02T15:04:05Z07:00 of the first row (line 2)`},
		{"long line without newline", []string{"--data", write("long.csv", hdr+"2020-01-01,10,11,9,10\n"+strings.Repeat("9", 2<<20))},
			"long.csv:3: line is longer than 1048576 bytes"},
		{"file not there", []string{"--data", filepath.Join(gen, "nope.csv")}, "nope.csv: no such file or directory"},
		{"unknown strategy", []string{"--data", daily, "--strategy", "smacros"}, `unknown strategy "smacros" (known: breakout, buyhold, macd, rotation, rsi, smacross)`},
		{"unknown param", []string{"--data", daily, "--param", "fats=3"}, `strategy smacross: unknown param "fats" (known: fast, slow, mode)`},
		{"huge param", []string{"--data", daily, "--param", "slow=2000000000"}, "strategy smacross: slow (2000000000) must be at most 1000000"},
		{"negative cash", []string{"--data", daily, "--cash", "-5"}, "account.cash: -5 must not be negative"},
		{"negative size", []string{"--data", daily, "--size", "-3"}, "sizing.size: -3 must not be negative"},
		{"negative size pct", []string{"--data", daily, "--size-pct", "-3"}, "sizing.pct: -3 must not be negative"},
		{"negative limit", []string{"--data", daily, "--max-order-value", "-1"}, "risk.max_order_value: -1 must not be negative"},
		{"bad kill action", []string{"--data", daily, "--kill-action", "explode"}, `"--kill-action" flag: kill action "explode": want flatten, halt or reduce`},
		{"bad on-error", []string{"--data", daily, "--on-error", "ignore"}, `"--on-error" flag: on error "ignore": want stop-strategy, continue or stop`},
		{"bad on-bad-row", []string{"--data", daily, "--on-bad-row", "drop"}, `"--on-bad-row" flag: on bad row "drop": want fail or skip`},
		{"bad cool-down", []string{"--data", daily, "--breaker-cooldown", "1 day"}, `"--breaker-cooldown" flag: "1 day" is not a duration such as 24h or 90m`},
		{"all rows bad and skipped", []string{"--data", write("allbad.csv", hdr+"2020-01-01,10,11,9,abc\n2020-01-02,x,11,9,10\n"), "--on-bad-row", "skip"},
			`allbad.csv: all 2 rows were bad and skipped (first: ` + filepath.Join(gen, "allbad.csv") + `:2: field "close": invalid price "abc"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := quantloop(t, append(append([]string{"run"}, tc.args...), "--out", out)...)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stdout %s; stderr: %s", code, stdout, stderr)
			}
			// One line, and a usage error's hint to --help.
			msg, hint, _ := strings.Cut(stderr, "\n")
			if (hint != "" && hint != "run 'quantloop run --help' for the flags\n") || !strings.HasPrefix(msg, "quantloop: ") || !strings.Contains(msg, tc.msg) {
				t.Errorf("stderr %q, want one line containing %q", stderr, tc.msg)
			}
			wantNothingComplete(t, out)
		})
	}
}

// wantNothingComplete checks that dir holds no output, or output marked
// partial with its error.
func wantNothingComplete(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) || (err == nil && len(entries) == 0) {
		return
	}
	b, err := os.ReadFile(filepath.Join(dir, report.ResultsFile))
	if err != nil {
		t.Fatalf("output written without results.json: %v", entries)
	}
	var res struct {
		Partial bool   `json:"partial"`
		Error   string `json:"error"`
	}
	if err := json.Unmarshal(b, &res); err != nil || !res.Partial || res.Error == "" {
		t.Fatalf("output looks complete: partial %v, error %q (%v)", res.Partial, res.Error, err)
	}
}

// TestUnreadableFile: a file without read permission. Root reads anything,
// so the test skips when run as root.
func TestUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: permissions are not enforced")
	}
	p := filepath.Join(t.TempDir(), "secret.csv")
	if err := os.WriteFile(p, []byte("date,open,high,low,close\n2020-01-01,1,1,1,1\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := quantloop(t, "run", "--data", p, "--out", out)
	if code != 2 || !strings.Contains(stderr, "secret.csv") || !strings.Contains(stderr, "permission denied") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	wantNothingComplete(t, out)
}
