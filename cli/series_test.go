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

// TestResampleGaps checks quantloop resample on the two gaps a trader
// meets: intraday bars across the night between two sessions (1h buckets
// from midnight; the night makes no empty rows), and daily bars across a
// holiday week (a week of two bars is one row, as a full week is). Every
// expected row is worked out by hand from the input rows.
func TestResampleGaps(t *testing.T) {
	const hdr = "time,open,high,low,close,volume\n"
	tests := []struct {
		name, to, in, want string
	}{
		{"intraday across a session gap", "1h", hdr +
			"2024-03-04 15:30:00,10,11,9,10.5,100\n" +
			"2024-03-04 15:45:00,10.5,12,10,11,50\n" +
			"2024-03-04 16:00:00,11,11,10.5,10.75,20\n" +
			"2024-03-05 09:30:00,12,12.5,11.5,12,70\n" +
			"2024-03-05 09:45:00,12,13,11,12.25,30\n",
			"2024-03-04T15:45:00Z,10,12,9,11,150\n" +
				"2024-03-04T16:00:00Z,11,11,10.5,10.75,20\n" +
				"2024-03-05T09:45:00Z,12,13,11,12.25,100\n"},
		{"daily across a holiday week", "1w", hdr +
			"2024-12-19,20,21,19,20.5,10\n" + // Thursday
			"2024-12-20,20.5,22,20,21.5,20\n" + // Friday
			"2024-12-23,21.5,23,21,22,5\n" + // Monday; Tuesday to Friday closed
			"2024-12-30,22,22.5,18,19,40\n" + // Monday
			"2024-12-31,19,20,18.5,19.5,60\n", // Tuesday; ISO week 1 of 2025
			"2024-12-20T00:00:00Z,20,22,19,21.5,30\n" +
				"2024-12-23T00:00:00Z,21.5,23,21,22,5\n" +
				"2024-12-31T00:00:00Z,22,22.5,18,19.5,100\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			in, out := filepath.Join(dir, "in.csv"), filepath.Join(dir, "out.csv")
			if err := os.WriteFile(in, []byte(tc.in), 0o644); err != nil {
				t.Fatal(err)
			}
			if code, _, stderr := quantloop(t, "resample", "--data", in, "--to", tc.to, "--out", out); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if want := "time,open,high,low,close,volume\n" + tc.want; string(got) != want {
				t.Errorf("got\n%swant\n%s", got, want)
			}
		})
	}
}
