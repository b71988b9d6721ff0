package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/quantloop/quantloop/internal/spill"
)

// TestChartLive: what a chartData takes of the returns as its rows come
// (measureFrom) gives prepareCharts the histogram, weekly returns and
// benchmark periods it computes from the stored columns, to the bit, and
// the range and counts the equity lines read are those of the columns:
// 30,000 rows (most of them in temporary files), every 3 hours over ten
// years in New York's zone, across its changes of clock and eleven new
// years, with the benchmark starting late, a flat stretch and a NaN and
// an infinite equity.
func TestChartLive(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	const initial = 250000.0
	c := newChartData(1000)
	defer c.close()
	c.measureFrom(initial)
	rng := rand.New(rand.NewPCG(18, 3))
	at := time.Date(2019, 12, 20, 0, 0, 0, 0, ny)
	eq, bench := initial, math.NaN()
	const n = 30000
	for i := range n {
		switch {
		case i == 575: // 2020-02-29 21:00 in New York, March in UTC
			bench = initial
		case i > 575:
			bench *= 1 + 0.01*(rng.Float64()-0.5)
		}
		if i < 5000 || i > 6000 { // flat in between
			eq *= 1 + 0.02*(rng.Float64()-0.49)
		}
		v := eq
		switch i {
		case 9000:
			v = math.NaN()
		case 9001:
			v = math.Inf(1)
		}
		c.add(at, eq*0.3, v, -0.01, bench)
		at = at.Add(3 * time.Hour)
	}
	if err := c.err(); err != nil {
		t.Fatal(err)
	}
	live := prepareCharts(c, initial, &[2]float64{252 * 8, 1e-4})
	if c.live != nil {
		t.Fatal("prepareCharts kept the live part")
	}
	cols := prepareCharts(c, initial, nil) // from the columns alone
	for _, x := range []struct {
		name      string
		got, want any
	}{
		{"histogram", live.barHist, cols.barHist},
		{"weekly", live.weekly, cols.weekly},
		{"benchmark months", live.bm, cols.bm},
		{"benchmark years", live.ba, cols.ba},
	} {
		if g, w := bitsOf(t, x.got), bitsOf(t, x.want); g != w {
			t.Errorf("%s: %s, from the columns %s", x.name, g, w)
		}
	}
	if len(live.weekly) != 540 || len(live.bm) != 122 || len(live.ba) != 11 || live.barHist.N != n-2 {
		t.Errorf("%d weeks, %d benchmark months, %d years, %d returns in the histogram: not the data meant",
			len(live.weekly), len(live.bm), len(live.ba), live.barHist.N)
	}
	// The range and counts, scanned from the columns.
	lo, hi := math.Inf(1), math.Inf(-1)
	counts := [2]int{}
	for k, col := range [2]*spill.Series[float64]{c.equity, c.benchmark} {
		for ch := range col.Chunks() {
			for _, v := range ch {
				if !math.IsNaN(v) {
					lo, hi = min(lo, v), max(hi, v)
				}
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					counts[k]++
				}
			}
		}
	}
	if c.lo != lo || c.hi != hi || c.finiteEquity != counts[0] || c.finiteBench != counts[1] {
		t.Errorf("range %v..%v, counts %d %d; the columns': %v..%v, %d %d", c.lo, c.hi, c.finiteEquity, c.finiteBench, lo, hi, counts[0], counts[1])
	}
	if want := thin(points(c, c.equity, finite), maxChartPoints); !reflect.DeepEqual(live.lines.strategy, want) {
		t.Error("the strategy's line differs from thin's")
	}
	if want := thin(points(c, c.benchmark, finite), maxChartPoints); !reflect.DeepEqual(live.lines.benchmark, want) {
		t.Error("the benchmark's line differs from thin's")
	}
}

// bitsOf writes x with every float64 as its bits, maps in key order.
func bitsOf(t *testing.T, x any) string {
	t.Helper()
	var conv func(v reflect.Value) any
	conv = func(v reflect.Value) any {
		switch v.Kind() {
		case reflect.Float64:
			return fmt.Sprintf("%016x", math.Float64bits(v.Float()))
		case reflect.Slice:
			out := []any{}
			for i := range v.Len() {
				out = append(out, conv(v.Index(i)))
			}
			return out
		case reflect.Map:
			out := map[string]any{}
			for _, k := range v.MapKeys() {
				out[fmt.Sprint(k.Interface())] = conv(v.MapIndex(k))
			}
			return out
		case reflect.Struct:
			out := map[string]any{}
			for i := range v.NumField() {
				out[v.Type().Field(i).Name] = conv(v.Field(i))
			}
			return out
		}
		return v.Interface()
	}
	b, err := json.Marshal(conv(reflect.ValueOf(x)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDerivedBenchmark: a chartData whose benchmark column is derived
// from the benchmark's wealth (deriveBenchmark) reads the values a
// chartData that stores them holds, to the bit, NaN before the benchmark
// starts included, over rows enough to go to temporary files, and its
// charts' lines and benchmark periods are the same.
func TestDerivedBenchmark(t *testing.T) {
	const cash = 1e6
	stored, derived := newChartData(1000), newChartData(1000)
	defer stored.close()
	defer derived.close()
	wealth := spill.New[float64](1000, "")
	defer wealth.Close()
	derived.deriveBenchmark(wealth, cash)
	rng := rand.New(rand.NewPCG(7, 11))
	at := time.Date(2021, 1, 4, 9, 30, 0, 0, time.UTC)
	eq, w := cash, math.NaN()
	for i := range 20000 {
		if i == 100 {
			w = 1
		} else if i > 100 {
			w *= 1 + 0.01*(rng.Float64()-0.5)
		}
		eq *= 1 + 0.01*(rng.Float64()-0.49)
		wealth.Append(w)
		for _, c := range []*chartData{stored, derived} {
			c.add(at, cash, eq, -0.01, cash*w)
		}
		at = at.Add(time.Hour)
	}
	if derived.benchmark.Len() != 0 || stored.benchmark.Len() != 20000 {
		t.Fatalf("benchmark values kept: %d derived, %d stored", derived.benchmark.Len(), stored.benchmark.Len())
	}
	var got, want []float64
	for ch := range derived.benchmarkColumn().Chunks() {
		got = append(got, ch...)
	}
	for ch := range stored.benchmarkColumn().Chunks() {
		want = append(want, ch...)
	}
	if len(got) != len(want) {
		t.Fatalf("%d values, want %d", len(got), len(want))
	}
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("value %d: %v, want %v", i, got[i], want[i])
		}
	}
	a, b := prepareCharts(derived, cash, nil), prepareCharts(stored, cash, nil)
	if g, w := bitsOf(t, *a.lines), bitsOf(t, *b.lines); g != w {
		t.Errorf("lines: %s, want %s", g, w)
	}
	if g, w := bitsOf(t, [2]any{a.bm, a.ba}), bitsOf(t, [2]any{b.bm, b.ba}); g != w {
		t.Errorf("benchmark periods: %s, want %s", g, w)
	}
	if err := errors.Join(derived.err(), stored.err()); err != nil {
		t.Fatal(err)
	}
}
