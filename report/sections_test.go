package report

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/metrics"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

func nearAll(got, want []float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !near(got[i], want[i]) {
			return false
		}
	}
	return true
}

// exposureFixture writes two data files and a fills.csv: X closes 10,
// 12, 11 on three days; Y closes 20 and 25 on the first and third (no bar
// on the second). Cash 1000: buy 100 X at 10 on day 1, sell 10 Y short
// at 20 on day 2, sell the 100 X at 11 on day 3.
func exposureFixture(t *testing.T) (backtest.Config, string) {
	t.Helper()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	x := write("X.csv", "time,open,high,low,close,volume\n2020-01-01,10,10,10,10,1\n2020-01-02,12,12,12,12,1\n2020-01-03,11,11,11,11,1\n")
	y := write("Y.csv", "time,open,high,low,close,volume\n2020-01-01,20,20,20,20,1\n2020-01-03,25,25,25,25,1\n")
	fills := "order_id,time,symbol,side,quantity,price,commission,slippage,remaining\n" +
		"1,2020-01-01T00:00:00Z,X,buy,100,10,0,0,0\n" +
		"2,2020-01-02T00:00:00Z,Y,sell,10,20,0,0,0\n" +
		"3,2020-01-03T00:00:00Z,X,sell,100,11,0,0,0\n"
	cfg := backtest.DefaultConfig()
	cfg.Data.Files = []string{x, y}
	return cfg, fills
}

// The equity of the fixture: cash 0, 200, 1300; equity 1000 (X 1000),
// 1200 (X 1200, Y -200 at its last close 20), 1050 (Y -250).
func exposureChartData(equity2 float64) *chartData {
	c := newChartData(0)
	for i, row := range [][2]float64{{0, 1000}, {200, equity2}, {1300, 1050}} {
		c.add(time.Date(2020, 1, 1+i, 0, 0, 0, 0, time.UTC), row[0], row[1], 0, math.NaN())
	}
	return c
}

func TestExposure(t *testing.T) {
	cfg, fills := exposureFixture(t)
	c := exposureChartData(1200)
	defer c.close()
	ex := exposureOf(cfg, c, strings.NewReader(fills), nil, 252, nil)
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	for _, tc := range []struct {
		name      string
		got, want []float64
	}{
		{"net", ex.Net, []float64{1, 1000.0 / 1200, -250.0 / 1050}},
		{"gross", ex.Gross, []float64{1, 1400.0 / 1200, 250.0 / 1050}},
		{"long", ex.Long, []float64{1, 1, 0}},
		{"short", ex.Shrt, []float64{0, -200.0 / 1200, -250.0 / 1050}},
		{"X weight", ex.Weights[0], []float64{1, 1, 0}},
		{"Y weight", ex.Weights[1], []float64{0, -200.0 / 1200, -250.0 / 1050}},
	} {
		if !nearAll(tc.got, tc.want) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if len(ex.Symbols) != 2 || ex.Symbols[0] != "X" || ex.Symbols[1] != "Y" {
		t.Errorf("symbols %v", ex.Symbols)
	}
	meanGross := (1 + 1400.0/1200 + 250.0/1050) / 3
	if !near(ex.MeanGross, meanGross) || !near(ex.MaxGross, 1400.0/1200) {
		t.Errorf("gross leverage mean %v max %v, want %v and %v", ex.MeanGross, ex.MaxGross, meanGross, 1400.0/1200)
	}
	// 1000 + 200 + 1100 traded; mean equity 3250/3 over 3/252 years.
	if ex.Traded != 2300 || ex.TradedBy["X"] != 2100 || ex.TradedBy["Y"] != 200 {
		t.Errorf("traded %v, by symbol %v", ex.Traded, ex.TradedBy)
	}
	if want := 2300 / (3250.0 / 3) / (3.0 / 252); !near(ex.Turnover, want) {
		t.Errorf("turnover %v, want %v", ex.Turnover, want)
	}
}

// With the run's bar log and its symbols, the exposure is the one the
// data files give, and the files are not read again: here they are gone.
func TestExposureFromBarLog(t *testing.T) {
	cfg, fills := exposureFixture(t)
	c := exposureChartData(1200)
	defer c.close()
	want := exposureOf(cfg, c, strings.NewReader(fills), nil, 252, nil)
	log := newBarLog(0)
	defer log.close()
	logData(t, cfg, log, nil)
	cfg.Data.Symbols = []string{"X", "Y"}
	cfg.Data.Files = []string{filepath.Join(t.TempDir(), "X.csv"), filepath.Join(t.TempDir(), "Y.csv")}
	got := exposureOf(cfg, c, strings.NewReader(fills), nil, 252, log)
	if want.Err != nil || got.Err != nil {
		t.Fatalf("errors %v and %v", want.Err, got.Err)
	}
	if !slices.Equal(got.Symbols, want.Symbols) || !slices.Equal(got.Net, want.Net) || !slices.Equal(got.Gross, want.Gross) ||
		!slices.Equal(got.Weights[1], want.Weights[1]) || got.Traded != want.Traded {
		t.Errorf("from the log: %+v\nfrom the files: %+v", got, want)
	}
}

// logData adds the bars of every timestamp of cfg's data files to log,
// each timestamp's through edit first when edit is not nil.
func logData(t *testing.T, cfg backtest.Config, log *barLog, edit func([]engine.Bar) []engine.Bar) {
	t.Helper()
	m, err := cfg.OpenData()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for {
		bars, err := m.Next(nil)
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			bars = edit(bars)
		}
		log.add(bars)
	}
}

// When the replay does not reproduce equity.csv, only the net exposure,
// which equity.csv gives, is shown, and the reason is said.
func TestExposureMismatch(t *testing.T) {
	cfg, fills := exposureFixture(t)
	c := exposureChartData(1300)
	defer c.close()
	ex := exposureOf(cfg, c, strings.NewReader(fills), nil, 252, nil)
	if ex.Err == nil || !strings.Contains(ex.Err.Error(), "2020-01-02T00:00:00Z") || ex.Gross != nil || ex.Weights != nil {
		t.Fatalf("err %v, gross %v", ex.Err, ex.Gross)
	}
	if !nearAll(ex.Net, []float64{1, 1100.0 / 1300, -250.0 / 1050}) {
		t.Errorf("net %v", ex.Net)
	}
	cfg.Data.Files = []string{filepath.Join(t.TempDir(), "missing.csv")}
	ex = exposureOf(cfg, c, strings.NewReader(fills), nil, 252, nil)
	if ex.Err == nil || !strings.Contains(ex.Err.Error(), "cannot be read") || ex.Traded != 2300 {
		t.Errorf("missing data: err %v, traded %v", ex.Err, ex.Traded)
	}
}

// With one symbol the exposure needs no replay: the position is worth
// equity - cash, long when positive and short when negative. The data
// file is listed but never read, so one the replay could not use (closes
// unlike the marks) changes nothing. Cash 1000: buy 100 X at 10 on day 1
// (market 1000 of equity 1000), equity 1200 on day 2 (market 1000), then
// sell 150 X at 11 on day 3, short 50 (market -550 of equity 1100).
func TestExposureOneSymbol(t *testing.T) {
	cfg, fills, c := oneSymbolFixture(t, "10", "11")
	defer c.close()
	ex := exposureOf(cfg, c, strings.NewReader(fills), nil, 252, nil)
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	for _, tc := range []struct {
		name      string
		got, want []float64
	}{
		{"net", ex.Net, []float64{1, 1000.0 / 1200, -550.0 / 1100}},
		{"gross", ex.Gross, []float64{1, 1000.0 / 1200, 550.0 / 1100}},
		{"long", ex.Long, []float64{1, 1000.0 / 1200, 0}},
		{"short", ex.Shrt, []float64{0, 0, -550.0 / 1100}},
		{"X weight", ex.Weights[0], []float64{1, 1000.0 / 1200, -550.0 / 1100}},
	} {
		if !nearAll(tc.got, tc.want) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if ex.Traded != 2650 || ex.TradedBy["X"] != 2650 {
		t.Errorf("traded %v, by symbol %v", ex.Traded, ex.TradedBy)
	}
}

// With its one symbol named, a run of one data file has the exposure
// the file gives, and the file is not opened: here it is gone. Two
// symbols named for one file are not taken: the file is needed.
func TestExposureOneSymbolNamed(t *testing.T) {
	cfg, fills, c := oneSymbolFixture(t, "10", "11")
	defer c.close()
	want := exposureOf(cfg, c, strings.NewReader(fills), nil, 252, nil)
	if want.Err != nil {
		t.Fatal(want.Err)
	}
	if err := os.Remove(cfg.Data.Files[0]); err != nil {
		t.Fatal(err)
	}
	cfg.Data.Symbols = []string{"X"}
	got := exposureOf(cfg, c, strings.NewReader(fills), nil, 252, nil)
	if got.Err != nil {
		t.Fatal(got.Err)
	}
	if fmt.Sprintf("%v", got) != fmt.Sprintf("%v", want) {
		t.Errorf("named: %+v\nfrom the file: %+v", got, want)
	}
	cfg.Data.Symbols = []string{"X", "Y"}
	if got := exposureOf(cfg, c, strings.NewReader(fills), nil, 252, nil); got.Err == nil || got.Weights != nil {
		t.Errorf("two symbols named for one file: error %v, weights %v", got.Err, got.Weights)
	}
}

// oneSymbolFixture returns the config of a run of one symbol X over three
// days, its fills.csv (buy 100 X at buy on day 1, sell 150 at sell on day
// 3) and its equity columns (cash 0, 200, 1650; equity 1000, 1200, 1100).
func oneSymbolFixture(t *testing.T, buy, sell string) (backtest.Config, string, *chartData) {
	t.Helper()
	x := filepath.Join(t.TempDir(), "X.csv")
	if err := os.WriteFile(x, []byte("time,open,high,low,close,volume\n2020-01-01,1,1,1,1,1\n2020-01-02,1,1,1,1,1\n2020-01-03,1,1,1,1,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := backtest.DefaultConfig()
	cfg.Data.Files = []string{x}
	fills := "order_id,time,symbol,side,quantity,price,commission,slippage,remaining\n" +
		"1,2020-01-01T00:00:00Z,X,buy,100," + buy + ",0,0,0\n" +
		"2,2020-01-03T00:00:00Z,X,sell,150," + sell + ",0,0,0\n"
	c := newChartData(0)
	for i, row := range [][2]float64{{0, 1000}, {200, 1200}, {1650, 1100}} {
		c.add(time.Date(2020, 1, 1+i, 0, 0, 0, 0, time.UTC), row[0], row[1], 0, math.NaN())
	}
	return cfg, fills, c
}

// TestExposureSums: given the sums of a run's fills, a run of one symbol
// gets the exposure that reading fills.csv gives, without reading it;
// with a fill after the last row of equity.csv, which the reading leaves
// out, it reads the file.
func TestExposureSums(t *testing.T) {
	cfg, fills, c := oneSymbolFixture(t, "10.1", "11.3")
	defer c.close()
	fill := func(day int, side engine.Side, qty, price string) *engine.FillEvent {
		return &engine.FillEvent{Time: time.Date(2020, 1, day, 0, 0, 0, 0, time.UTC), Symbol: "X", Side: side,
			Quantity: decimal.RequireFromString(qty), Price: decimal.RequireFromString(price)}
	}
	var sums tradedSums
	sums.add("X", fill(1, engine.Buy, "100", "10.1"), nil)
	f3 := fill(3, engine.Sell, "150", "11.3")
	x3 := fillDecs(f3)
	sums.add("X", f3, &x3)
	want := exposureOf(cfg, c, strings.NewReader(fills), nil, 252, nil)
	got := exposureOf(cfg, c, unread{t}, &sums, 252, nil)
	if fmt.Sprint(*got) != fmt.Sprint(*want) || got.Traded != 100*10.1+150*11.3 {
		t.Errorf("with the sums:\n%v\nreading fills.csv:\n%v", *got, *want)
	}
	var late tradedSums
	late.add("X", fill(1, engine.Buy, "100", "10.1"), nil)
	late.add("X", fill(3, engine.Sell, "150", "11.3"), nil)
	late.add("X", fill(4, engine.Buy, "50", "12"), nil)
	got = exposureOf(cfg, c, strings.NewReader(fills+"3,2020-01-04T00:00:00Z,X,buy,50,12,0,0,0\n"), &late, 252, nil)
	if fmt.Sprint(*got) != fmt.Sprint(*want) {
		t.Errorf("with a fill after the last row:\n%v\nwant:\n%v", *got, *want)
	}
}

// unread is a fills.csv that must not be read.
type unread struct{ t *testing.T }

func (u unread) Read([]byte) (int, error) {
	u.t.Error("fills.csv was read")
	return 0, io.EOF
}

// nearTol compares to 1e-9, for sliding sums.
func nearTol(got, want []float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-9*math.Max(1, math.Abs(want[i])) {
			return false
		}
	}
	return true
}

func TestRollingStats(t *testing.T) {
	r := []float64{0.01, -0.02, 0.03, 0}
	b := []float64{0.02, -0.01, 0.01, math.NaN()}
	vol, beta := rollingStats(metricsSlice(r), metricsSlice(b), 3, []int{2, 3}, 252)
	// Both windows of r have deviations whose squares sum to 1.26667e-3:
	// variance 6.3333e-4 (ddof 1), × 252.
	v := math.Sqrt(0.0038 / 3 / 2 * 252)
	// Window 1: cov 5.6667e-4 / var 4.6667e-4 = 17/14; window 2 pairs
	// (-0.02, -0.01), (0.03, 0.01): 5e-4 / 2e-4.
	if !nearTol(vol, []float64{v, v}) || !nearTol(beta, []float64{17.0 / 14, 2.5}) {
		t.Errorf("vol %v beta %v, want %v, %v and 17/14, 2.5", vol, beta, v, v)
	}
	_, beta = rollingStats(metricsSlice(r), nil, 3, []int{2}, 252)
	if !math.IsNaN(beta[0]) {
		t.Errorf("beta without a benchmark %v", beta)
	}
	// A long series: the sliding sums agree with each window computed
	// afresh (two passes).
	long := make([]float64, 3000)
	bl := make([]float64, 3000)
	for i := range long {
		long[i] = 0.01 * math.Sin(float64(i)*0.37)
		bl[i] = 0.008*math.Cos(float64(i)*0.11) + 0.5*long[i]
	}
	ends := []int{99, 1500, 2999}
	vol, beta = rollingStats(metricsSlice(long), metricsSlice(bl), 100, ends, 252)
	for k, e := range ends {
		x, y := long[e-99:e+1], bl[e-99:e+1]
		if !nearTol([]float64{vol[k], beta[k]}, []float64{windowVol(x, 252), windowBeta(x, y)}) {
			t.Errorf("window ending %d: vol %v beta %v, want %v %v", e, vol[k], beta[k], windowVol(x, 252), windowBeta(x, y))
		}
	}
}

func TestHistograms(t *testing.T) {
	// Quartiles 0.0125 and 0.1375, IQR 0.125: the range is -0.1 (the
	// minimum) to 0.5125, and 5 falls outside.
	h := tradeReturnHistogram([]float64{0.15, -0.1, 5, 0, 0.05, 0.1}, 5)
	if !near(h.Lo, -0.1) || !near(h.Hi, 0.5125) || h.Outside != 1 || h.N != 6 {
		t.Errorf("range %v..%v, %d of %d outside", h.Lo, h.Hi, h.Outside, h.N)
	}
	if want := []int{2, 2, 1, 0, 0}; !equalInts(h.Counts, want) {
		t.Errorf("counts %v, want %v", h.Counts, want)
	}
	// Mean 0.25, deviations ±0.25, sample SD √(4 × 0.0625 / 3): the
	// values lie within 5 σ, so the range is their extremes; NaN is not
	// counted.
	p := newHistogram(metricsSlice([]float64{0, 0.5, 0, 0.5, math.NaN()}), 2)
	if p.N != 4 || p.Outside != 0 || p.Lo != 0 || p.Hi != 0.5 || !equalInts(p.Counts, []int{2, 2}) || !near(p.Mean, 0.25) ||
		!near(p.SD, math.Sqrt(0.25/3)) {
		t.Errorf("histogram %+v", p)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestBenchmarkPeriods(t *testing.T) {
	for _, tc := range []struct {
		values          []float64
		monthly, annual map[string]float64
	}{
		// Wealth 1, 1.1, 0.99: January 0, February 1.1 × 0.9 - 1.
		{[]float64{math.NaN(), 100, 110, 99}, map[string]float64{"2020-01": 0, "2020-02": -0.01}, map[string]float64{"2020": -0.01}},
		// The benchmark starts in February: January is left out.
		{[]float64{math.NaN(), math.NaN(), 110, 99}, map[string]float64{"2020-02": -0.01}, map[string]float64{"2020": -0.01}},
	} {
		c := newChartData(0)
		for i, d := range []time.Time{time.Date(2020, 1, 30, 0, 0, 0, 0, time.UTC), time.Date(2020, 1, 31, 0, 0, 0, 0, time.UTC),
			time.Date(2020, 2, 3, 0, 0, 0, 0, time.UTC), time.Date(2020, 2, 4, 0, 0, 0, 0, time.UTC)} {
			c.add(d, 100, 100, 0, tc.values[i])
		}
		m, a := benchmarkPeriods(c, benchmarkReturns(c, 100))
		c.close()
		if len(m) != len(tc.monthly) || len(a) != len(tc.annual) {
			t.Fatalf("%v: monthly %v annual %v", tc.values, m, a)
		}
		for k, want := range tc.monthly {
			if !near(m[k], want) {
				t.Errorf("%v: %s = %v, want %v", tc.values, k, m[k], want)
			}
		}
		for k, want := range tc.annual {
			if !near(a[k], want) {
				t.Errorf("%v: %s = %v, want %v", tc.values, k, a[k], want)
			}
		}
	}
}

func TestBySymbol(t *testing.T) {
	var s bySymbol
	s.add("YY", true, 100)
	s.add("XX", true, -50)
	s.add("YY", true, -20)
	s.add("YY", false, 5)
	got := s.table(1000, map[string]float64{"YY": 3000})
	if len(got) != 2 || got[0].Symbol != "XX" || got[1].Symbol != "YY" {
		t.Fatalf("%+v", got)
	}
	y := got[1]
	if y.Closed != 2 || y.Wins != 1 || y.Open != 1 || y.PnL != 85 || y.WinRate != 0.5 || y.PnLPercent != 0.085 || y.Traded != 3000 {
		t.Errorf("YY %+v", y)
	}
	if x := got[0]; x.WinRate != 0 || x.Traded != 0 || x.PnLPercent != -0.05 {
		t.Errorf("XX %+v", x)
	}
}

// A run with a warning has the warnings section first, linking to the
// section with the details.
func TestWarningsSection(t *testing.T) {
	cfg := backtest.DefaultConfig()
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv"}
	cfg.Sizing.Size, cfg.Sizing.Pct = decimal.NewFromInt(1), decimal.Zero
	res, err := backtest.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	html := string(render(t, res)[ReportFile])
	w := strings.Index(html, `<section id="warnings"`)
	k := strings.Index(html, `<section id="key-figures">`)
	if w < 0 || w > k || !strings.Contains(html[w:k], `<b>low_exposure</b>`) || !strings.Contains(html[w:k], `<a href="#exposure">details</a>`) {
		t.Errorf("warnings section at %d, key figures at %d:\n%s", w, k, html[max(w, 0):k])
	}
}

func metricsSlice(x []float64) metrics.Slice { return metrics.Slice(x) }

// windowVol is the annualized sample standard deviation of the finite
// values of x, in two passes: the reference for rollingStats.
func windowVol(x []float64, P float64) float64 {
	var n, sum float64
	for _, v := range x {
		if finite1(v) {
			n++
			sum += v
		}
	}
	mean, ss := sum/n, 0.0
	for _, v := range x {
		if finite1(v) {
			ss += (v - mean) * (v - mean)
		}
	}
	return math.Sqrt(ss/(n-1)) * math.Sqrt(P)
}

// windowBeta is cov(r, b) / var(b) over the pairs where both are finite,
// in two passes.
func windowBeta(r, b []float64) float64 {
	var n, mr, mb float64
	for i := range r {
		if finitePair(r[i], b[i]) {
			n++
			mr += r[i]
			mb += b[i]
		}
	}
	mr, mb = mr/n, mb/n
	var cov, vb float64
	for i := range r {
		if finitePair(r[i], b[i]) {
			cov += (r[i] - mr) * (b[i] - mb)
			vb += (b[i] - mb) * (b[i] - mb)
		}
	}
	return cov / vb
}

// Charts of all-zero series draw instead of failing on an empty range.
func TestFlatCharts(t *testing.T) {
	ex := &exposure{Times: []float64{1, 2, 3}, Net: []float64{0, 0, 0}}
	if _, err := exposureChart(ex); err != nil {
		t.Error(err)
	}
	a := &Analysis{Annual: []PeriodRow{{"2020", 0}}}
	if _, err := annualChart(a, map[string]float64{"2020": 0}); err != nil {
		t.Error(err)
	}
	if _, err := histogramChart("flat", "return %", newHistogram(metricsSlice([]float64{0, 0, 0}), 10), true, 0); err != nil {
		t.Error(err)
	}
}

// A trade row reads as the table shows it, sorting by the exact values.
func TestTradeView(t *testing.T) {
	row := []string{"ORCL", "long", "12607", "1995-05-12T00:00:00Z", "2.37", "1995-09-25T00:00:00Z", "2.94",
		"3.1", "7186.0", "7120.62", "93", "closed", "-0.0039", "0.4688", "0.2383"}
	got := tradeView(1, row, timeFormatter{daily: true})
	var texts, sorts []string
	for _, c := range got.Cells {
		texts, sorts = append(texts, c.Text), append(sorts, c.Sort)
	}
	want := []string{"1", "ORCL", "long", "12,607", "1995-05-12", "2.37", "1995-09-25", "2.94", "7,120.62", "+23.83 %", "93", "-0.39 %", "+46.88 %"}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("cells %q, want %q", texts, want)
	}
	if sorts[8] != "7120.62" || sorts[4] != "1995-05-12T00:00:00Z" || got.Cells[8].Class != "g" {
		t.Errorf("sort values %q, P&L class %q", sorts, got.Cells[8].Class)
	}
	row[11], row[5], row[6] = "open", "", ""
	if c := tradeView(2, row, timeFormatter{daily: true}).Cells[6]; c.Text != "open" {
		t.Errorf("open trade's exit %q", c.Text)
	}
}

// TestTradedSumsBySymbol: the sums by symbol are those of adding each
// fill's |quantity × price| to a map in the order of the fills, bit for
// bit, when the fills' symbols alternate, repeat and come back.
func TestTradedSumsBySymbol(t *testing.T) {
	fills := []struct{ sym, qty, price string }{
		{"A", "3", "0.1"}, {"B", "1", "0.7"}, {"A", "1", "0.2"}, {"A", "7", "0.3"}, {"C", "2", "1.1"},
		{"B", "3", "0.1"}, {"B", "1", "0.2"}, {"A", "1", "1e-9"}, {"C", "5", "0.3"}, {"A", "1", "12345.678"},
	}
	var sums tradedSums
	want := map[string]float64{}
	for i, f := range fills {
		ev := &engine.FillEvent{Time: time.Date(2020, 1, i+1, 0, 0, 0, 0, time.UTC), Symbol: f.sym, Side: engine.Buy,
			Quantity: decimal.RequireFromString(f.qty), Price: decimal.RequireFromString(f.price)}
		x := fillDecs(ev)
		sums.add(f.sym, ev, &x)
		q, _ := strconv.ParseFloat(f.qty, 64)
		p, _ := strconv.ParseFloat(f.price, 64)
		want[f.sym] += math.Abs(q * p)
	}
	for i := 0; i < 2; i++ {
		if got := sums.bySymbol(); !maps.Equal(got, want) {
			t.Fatalf("by symbol %v, want %v", got, want)
		}
	}
}

// Over many bars of three symbols with gaps, spilled to the log's
// temporary file, the exposure replayed from the bar log is the one the
// data files give, bit for bit, though the log numbers the symbols in
// another order and holds bars of a symbol the config does not name.
func TestExposureFromBarLogMany(t *testing.T) {
	dir := t.TempDir()
	syms := []string{"A", "B", "C"}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	const days = 1507 // not a multiple of maxExposurePoints
	texts := make([]strings.Builder, len(syms))
	for k := range texts {
		texts[k].WriteString("time,open,high,low,close,volume\n")
	}
	closes := make([][]float64, days) // by day and symbol, 0 without a bar
	seed := uint64(7)
	rnd := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	for d := range days {
		closes[d] = make([]float64, len(syms))
		for k := range syms {
			if k > 0 && rnd(5) == 0 {
				continue // no bar today
			}
			v := float64(1 + rnd(100))
			closes[d][k] = v
			day := start.AddDate(0, 0, d).Format("2006-01-02")
			fmt.Fprintf(&texts[k], "%s,%g,%g,%g,%g,1\n", day, v, v, v, v)
		}
	}
	cfg := backtest.DefaultConfig()
	for k, s := range syms {
		p := filepath.Join(dir, s+".csv")
		if err := os.WriteFile(p, []byte(texts[k].String()), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg.Data.Files = append(cfg.Data.Files, p)
	}
	// Fills at the day's close of a symbol that has one; the chart's
	// equity is the cash and the positions at the last closes.
	var fills strings.Builder
	fills.WriteString("order_id,time,symbol,side,quantity,price,commission,slippage,remaining\n")
	c := newChartData(0)
	defer c.close()
	cash := 1e6
	var cashes, equities []float64 // the chart's rows
	pos, last := make([]float64, len(syms)), make([]float64, len(syms))
	for d := range days {
		for k, v := range closes[d] {
			if v > 0 {
				last[k] = v
			}
		}
		if k := rnd(len(syms)); closes[d][k] > 0 && rnd(3) == 0 {
			q, side := float64(1+rnd(50)), "buy"
			if rnd(2) == 0 {
				q, side = -q, "sell"
			}
			pos[k] += q
			cash -= q * closes[d][k]
			fmt.Fprintf(&fills, "%d,%s,%s,%s,%g,%g,0,0,0\n", d, start.AddDate(0, 0, d).Format(time.RFC3339), syms[k], side, math.Abs(q), closes[d][k])
		}
		eq := cash
		for k := range pos {
			eq += pos[k] * last[k]
		}
		c.add(start.AddDate(0, 0, d), cash, eq, 0, math.NaN())
		cashes, equities = append(cashes, cash), append(equities, eq)
	}
	want := exposureOf(cfg, c, strings.NewReader(fills.String()), nil, 252, nil)
	if want.Err != nil {
		t.Fatal(want.Err)
	}
	log := newBarLog(1) // one chunk in memory, the rest in the file
	defer log.close()
	logData(t, cfg, log, func(bars []engine.Bar) []engine.Bar {
		// W, not a symbol of the config, comes first: the log numbers it 0.
		w := engine.Bar{Symbol: "W", Time: bars[0].Time, Close: engine.Price(int64(rnd(1000)) << 20), SymbolIndex: -1}
		return append([]engine.Bar{w}, bars...)
	})
	if log.names[0] != "W" {
		t.Fatalf("log names %q", log.names)
	}
	cfg.Data.Symbols = syms
	got := exposureOf(cfg, c, strings.NewReader(fills.String()), nil, 252, log)
	if got.Err != nil {
		t.Fatal(got.Err)
	}
	same := func(a, b []float64) bool {
		return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
	}
	if !slices.Equal(got.Symbols, want.Symbols) || !same(got.Times, want.Times) || !same(got.Net, want.Net) ||
		!same(got.Gross, want.Gross) || !same(got.Long, want.Long) || !same(got.Shrt, want.Shrt) ||
		!same([]float64{got.MeanGross, got.MaxGross, got.Traded, got.Turnover}, []float64{want.MeanGross, want.MaxGross, want.Traded, want.Turnover}) ||
		!maps.Equal(got.TradedBy, want.TradedBy) || len(got.Weights) != len(syms) || len(want.Weights) != len(syms) {
		t.Fatalf("from the log: %+v\nfrom the files: %+v", got, want)
	}
	for k := range syms {
		if !same(got.Weights[k], want.Weights[k]) {
			t.Errorf("weights of %s from the log %v, from the files %v", syms[k], got.Weights[k], want.Weights[k])
		}
	}
	if len(want.Net) != maxExposurePoints || want.MaxGross == 0 {
		t.Errorf("%d points, max gross %v: the fixture does not exercise the replay", len(want.Net), want.MaxGross)
	}
	// Bucket b holds the rows from b*days/maxExposurePoints on, and has
	// the time of its first and the mean net exposure of its rows.
	for b := range maxExposurePoints {
		lo, hi := b*days/maxExposurePoints, (b+1)*days/maxExposurePoints
		var net float64
		for i := lo; i < hi; i++ {
			net += (equities[i] - cashes[i]) / equities[i]
		}
		if got.Times[b] != float64(start.AddDate(0, 0, lo).Unix()) || got.Net[b] != net/float64(hi-lo) {
			t.Fatalf("bucket %d at %v, net %v; want rows %d to %d, at %v, net %v", b, got.Times[b], got.Net[b], lo, hi, start.AddDate(0, 0, lo).Unix(), net/float64(hi-lo))
		}
	}
}
