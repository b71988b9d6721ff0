package data

import (
	"bytes"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
)

var update = flag.Bool("update", false, "rewrite the generated files in ../testdata")

// testdataSets are the generated files under ../testdata: directory and
// options.
var testdataSets = []struct {
	dir  string
	opts GenOptions
}{
	{"daily", GenOptions{Symbols: []string{"AAA", "BBB"}, Bars: 500, Seed: 42,
		Start: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Interval: 24 * time.Hour}},
	{"intraday", GenOptions{Symbols: []string{"CCC"}, Bars: 2000, Seed: 7,
		Start: time.Date(2020, 1, 2, 9, 30, 0, 0, time.UTC), Interval: time.Minute}},
}

// TestTestdataIsGenerated checks that the files in ../testdata/daily and
// ../testdata/intraday are what the generator makes. Run
//
//	go test ./data -run TestTestdataIsGenerated -update
//
// to rewrite them.
func TestTestdataIsGenerated(t *testing.T) {
	for _, set := range testdataSets {
		dir := filepath.Join("..", "testdata", set.dir)
		if !*update {
			dir = t.TempDir()
		}
		paths, err := GenerateFiles(dir, set.opts)
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			continue
		}
		for _, p := range paths {
			got, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			committed := filepath.Join("..", "testdata", set.dir, filepath.Base(p))
			want, err := os.ReadFile(committed)
			if err != nil {
				t.Fatalf("%v (run go test ./data -run TestTestdataIsGenerated -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the generator's output; run go test ./data -run TestTestdataIsGenerated -update if the change is intended", committed)
			}
		}
	}
}

// TestTestdataShape checks what tests elsewhere rely on: sizes, dates and
// a reasonable number of 10/30 moving-average crossings.
func TestTestdataShape(t *testing.T) {
	for _, tt := range []struct {
		path        string
		n           int
		first, last string
	}{
		{"daily/AAA.csv", 500, "2020-01-01 00:00:00", "2021-11-30 00:00:00"},
		{"daily/BBB.csv", 500, "2020-01-01 00:00:00", "2021-11-30 00:00:00"},
		{"intraday/CCC.csv", 2000, "2020-01-02 09:30:00", "2020-01-09 10:19:00"},
	} {
		bars, err := readFile(filepath.Join("..", "testdata", tt.path), Options{})
		if err != nil {
			t.Fatal(err)
		}
		const layout = "2006-01-02 15:04:05"
		if len(bars) != tt.n || bars[0].Time.Format(layout) != tt.first || bars[len(bars)-1].Time.Format(layout) != tt.last {
			t.Errorf("%s: %d bars from %v to %v, want %d from %s to %s", tt.path, len(bars),
				bars[0].Time.Format(layout), bars[len(bars)-1].Time.Format(layout), tt.n, tt.first, tt.last)
		}
		if !strings.HasPrefix(tt.path, "daily") {
			continue
		}
		n := crossings(bars, 10, 30)
		t.Logf("%s: %d crossings of the 10- and 30-bar averages", tt.path, n)
		if n < 8 || n > 40 {
			t.Errorf("%s: %d crossings of the 10- and 30-bar averages, want 8 to 40", tt.path, n)
		}
	}
}

// crossings counts sign changes of SMA(fast) - SMA(slow) of the closes,
// with exact integer sums.
func crossings(bars []engine.Bar, fast, slow int) int {
	sum := func(i, n int) int64 {
		var s int64
		for _, b := range bars[i-n+1 : i+1] {
			s += int64(b.Close)
		}
		return s
	}
	n, last := 0, 0
	for i := slow - 1; i < len(bars); i++ {
		d := sum(i, fast)*int64(slow) - sum(i, slow)*int64(fast)
		sign := 0
		if d > 0 {
			sign = 1
		} else if d < 0 {
			sign = -1
		}
		if sign != 0 && last != 0 && sign != last {
			n++
		}
		if sign != 0 {
			last = sign
		}
	}
	return n
}

func generate(t testing.TB, i int, opts GenOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Generate(&b, i, opts); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGenerateDeterministic(t *testing.T) {
	opts := GenOptions{Symbols: []string{"A", "B"}, Bars: 3000, Seed: 1, Interval: 5 * time.Minute}
	a, b := generate(t, 0, opts), generate(t, 0, opts)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs differ")
	}
	if c := generate(t, 1, opts); bytes.Equal(a[40:], c[40:]) {
		t.Fatal("symbols 0 and 1 are the same")
	}
	// Adding symbols does not change the existing ones.
	more := opts
	more.Symbols = []string{"A", "B", "C", "D"}
	if c := generate(t, 1, more); !bytes.Equal(generate(t, 1, opts), c) {
		t.Fatal("adding symbols changed symbol 1")
	}
	// Another seed gives another series.
	other := opts
	other.Seed = 2
	if c := generate(t, 0, other); bytes.Equal(a, c) {
		t.Fatal("seeds 1 and 2 give the same series")
	}
}

// TestGenerateGolden pins the first lines, so that a change of the
// arithmetic, or of the platform's, shows.
func TestGenerateGolden(t *testing.T) {
	got := string(generate(t, 0, GenOptions{Bars: 3, Seed: 42}))
	want := "time,open,high,low,close,volume\n" +
		"2020-01-01,100.00,100.26,98.73,98.85,1178513\n" +
		"2020-01-02,98.17,102.52,97.34,102.13,858555\n" +
		"2020-01-03,102.07,102.41,101.09,101.53,695481\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	got = string(generate(t, 0, GenOptions{Bars: 3, Seed: 42, Interval: 30 * time.Minute,
		Start: time.Date(2020, 1, 3, 15, 1, 0, 0, time.UTC)}))
	want = "time,open,high,low,close,volume\n" +
		"2020-01-03 15:30:00,100.00,100.07,99.65,99.68,90655\n" +
		"2020-01-06 09:30:00,98.99,100.19,98.76,100.08,66043\n" +
		"2020-01-06 10:00:00,100.08,100.15,99.93,100.02,89435\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestGenerateInvariants reads 100,000 generated bars back and checks the
// OHLC rules, the calendar and the volumes.
func TestGenerateInvariants(t *testing.T) {
	for _, interval := range []time.Duration{24 * time.Hour, time.Minute, 7 * time.Minute} {
		opts := GenOptions{Bars: 100_000, Seed: 3, Interval: interval, Volatility: 0.6, Drift: -0.2}
		r, err := NewReader(bytes.NewReader(generate(t, 0, opts)), "g.csv", Options{})
		if err != nil {
			t.Fatal(err)
		}
		n, ties := 0, 0
		var prev engine.Bar
		for {
			b, err := r.Next() // the Reader checks the OHLC rules and the order of times
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.Low <= 0 || b.High < max(b.Open, b.Close) || b.Low > min(b.Open, b.Close) {
				t.Fatalf("bad bar %v", b)
			}
			if b.Open%engine.PriceFromFloat(0.01) != 0 || b.Volume != math.Trunc(b.Volume) || b.Volume < 0 {
				t.Fatalf("bar %v: prices not in cents or volume not whole", b)
			}
			if wd := b.Time.Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Fatalf("bar on a %v: %v", wd, b.Time)
			}
			if interval < 24*time.Hour {
				h, m, _ := b.Time.Clock()
				if c := h*60 + m; c < 9*60+30 || c >= 16*60 {
					t.Fatalf("bar outside the session: %v", b.Time)
				}
				if n > 0 && b.Time.YearDay() == prev.Time.YearDay() && b.Time.Sub(prev.Time) != interval {
					t.Fatalf("bars %v and %v are not %v apart", prev.Time, b.Time, interval)
				}
			} else if h, m, s := b.Time.Clock(); h+m+s != 0 {
				t.Fatalf("daily bar not at midnight: %v", b.Time)
			}
			if b.Close == prev.Close {
				ties++
			}
			prev = b
			n++
		}
		if n != opts.Bars {
			t.Errorf("%v: read %d bars, want %d", interval, n, opts.Bars)
		}
		if ties == 0 {
			t.Errorf("%v: no two consecutive closes are equal", interval)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	for _, tt := range []struct {
		opts GenOptions
		i    int
		want string
	}{
		{GenOptions{}, 0, "GenOptions.Bars is 0"},
		{GenOptions{Bars: 1}, 1, "symbol index 1 out of range [0, 1)"},
		{GenOptions{Bars: 1, Interval: 1500 * time.Millisecond}, 0, "must be positive and a whole number of seconds"},
		{GenOptions{Bars: 1, Interval: -time.Hour}, 0, "must be positive"},
		{GenOptions{Bars: 1, StartPrice: -1}, 0, "StartPrice -1"},
		{GenOptions{Bars: 1, Volatility: math.NaN()}, 0, "Volatility NaN"},
	} {
		err := Generate(io.Discard, tt.i, tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: error %v, want %s", tt.opts, err, tt.want)
		}
	}
	for _, syms := range [][]string{{"A", "A"}, {"../x"}, {""}, {"a b"}} {
		if _, err := GenerateFiles(t.TempDir(), GenOptions{Symbols: syms, Bars: 1}); err == nil {
			t.Errorf("symbols %q: no error", syms)
		}
	}
}

func TestGenerateFilesReadBack(t *testing.T) {
	dir := t.TempDir()
	paths, err := GenerateFiles(dir, GenOptions{Symbols: []string{"X", "Y", "Z"}, Bars: 1000, Seed: 9, Interval: 15 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	m, err := OpenAll(paths, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var dst []engine.Bar
	steps, bars := 0, 0
	for {
		dst, err = m.Next(dst[:0])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(dst) != 3 || dst[0].Symbol != "X" || dst[1].Symbol != "Y" || dst[2].Symbol != "Z" {
			t.Fatalf("step %d: %v", steps, dst)
		}
		steps++
		bars += len(dst)
	}
	if steps != 1000 || bars != 3000 {
		t.Errorf("%d steps, %d bars", steps, bars)
	}
}

func BenchmarkGenerate(b *testing.B) {
	opts := GenOptions{Bars: 100_000, Seed: 1, Interval: time.Minute}
	b.ReportAllocs()
	for b.Loop() {
		if err := Generate(io.Discard, 0, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(opts.Bars)*float64(b.N)/b.Elapsed().Seconds(), "bars/s")
}
