package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readCSV returns the rows of the CSV file at path.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestResampleWeekly checks quantloop resample --to 1w against weeks
// aggregated directly from the source rows: ISO weeks, open of the first
// bar, high the maximum, low the minimum, close of the last, volume the
// sum, time of the last bar.
func TestResampleWeekly(t *testing.T) {
	src := "../testdata/daily/AAA.csv"
	out := filepath.Join(t.TempDir(), "w.csv")
	if code, _, stderr := quantloop(t, "resample", "--data", src, "--to", "1w", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	in := readCSV(t, src)
	type week struct {
		time                        string
		open, high, low, close, vol float64
	}
	var want []week
	lastKey := ""
	for _, r := range in[1:] { // date,open,high,low,close,volume
		d, err := time.Parse("2006-01-02", r[0])
		if err != nil {
			t.Fatal(err)
		}
		y, w := d.ISOWeek()
		key := strconv.Itoa(y) + "-" + strconv.Itoa(w)
		o, _ := strconv.ParseFloat(r[1], 64)
		h, _ := strconv.ParseFloat(r[2], 64)
		l, _ := strconv.ParseFloat(r[3], 64)
		c, _ := strconv.ParseFloat(r[4], 64)
		v, _ := strconv.ParseFloat(r[5], 64)
		if key != lastKey {
			want = append(want, week{open: o, high: h, low: l})
			lastKey = key
		}
		k := &want[len(want)-1]
		k.time, k.close = d.Format(time.RFC3339), c
		k.high, k.low, k.vol = max(k.high, h), min(k.low, l), k.vol+v
	}
	got := readCSV(t, out)
	if strings.Join(got[0], ",") != "time,open,high,low,close,volume" || len(got)-1 != len(want) {
		t.Fatalf("header %v and %d rows, want %d weeks", got[0], len(got)-1, len(want))
	}
	for i, w := range want {
		g := got[i+1]
		gf := make([]float64, 6)
		for j := 1; j < 6; j++ {
			gf[j], _ = strconv.ParseFloat(g[j], 64)
		}
		if g[0] != w.time || gf[1] != w.open || gf[2] != w.high || gf[3] != w.low || gf[4] != w.close || gf[5] != w.vol {
			t.Fatalf("week %d: got %v, want %+v", i, g, w)
		}
	}
}

// TestIndicatorsCommand checks the columns of quantloop indicators and
// RSI(14)'s warm-up: empty on the first 14 bars, a value in [0, 100] from
// the 15th on.
func TestIndicatorsCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "ind.csv")
	code, _, stderr := quantloop(t, "indicators", "--data", "../testdata/daily/AAA.csv", "--ind", "rsi:14", "--ind", "macd:12:26:9", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := readCSV(t, out)
	if got := strings.Join(rows[0], ","); got != "time,rsi,macd_line,macd_signal,macd_hist" {
		t.Fatalf("header %s", got)
	}
	if len(rows) != 501 {
		t.Fatalf("%d rows, want a header and 500 bars", len(rows))
	}
	for i, r := range rows[1:] {
		if (r[1] == "") != (i < 14) {
			t.Fatalf("bar %d: rsi %q; want empty before bar 14 only", i, r[1])
		}
		if v, err := strconv.ParseFloat(r[1], 64); r[1] != "" && (err != nil || v < 0 || v > 100) {
			t.Fatalf("bar %d: rsi %q out of [0, 100]", i, r[1])
		}
	}
}

// TestSeriesCommandsBadInput: bad data is exit 2 with the file and line,
// and leaves no output file; bad specs and timeframes are usage errors.
func TestSeriesCommandsBadInput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.csv")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"resample", "--data", "../testdata/bad/high_below_low.csv", "--to", "1w", "--out", out}, "high_below_low.csv:3: field \"High\""},
		{[]string{"indicators", "--data", "../testdata/bad/high_below_low.csv", "--ind", "sma:3", "--out", out}, "high_below_low.csv:3: field \"High\""},
		{[]string{"resample", "--data", "../testdata/daily/AAA.csv", "--to", "3x", "--out", out}, "resample: --to"},
		{[]string{"indicators", "--data", "../testdata/daily/AAA.csv", "--ind", "nosuch:3", "--out", out}, "indicators:"},
		{[]string{"indicators", "--data", "../testdata/daily/AAA.csv", "--out", out}, "give at least one --ind"},
	}
	for _, tc := range tests {
		code, _, stderr := quantloop(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Fatalf("%v left %v behind", tc.args, entries)
		}
	}
}
