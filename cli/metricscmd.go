package cli

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/quantloop/quantloop/metrics"
	"github.com/quantloop/quantloop/report"
)

// metricsCommand returns the metrics command.
func metricsCommand(stdout io.Writer) *cobra.Command {
	var m metricsOptions
	c := &cobra.Command{
		Use:   "metrics [flags] FILE",
		Short: "compute the metrics of an equity or returns CSV",
		Args:  oneArg,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmdMetrics(&m, args[0], stdout) },
	}
	fs := c.Flags()
	fs.SortFlags = false
	fs.Float64Var(&m.periods, "periods-per-year", 0, "periods per year (default: from the time spacing, 252 for daily)")
	fs.Float64Var(&m.riskFree, "risk-free", 0, "annual risk-free `rate` (0.02 = 2 %)")
	fs.StringVar(&m.bench, "benchmark", "", "CSV `file` of the benchmark in the same form (returns, equity or close column)")
	fs.IntVar(&m.trials, "trials", 1, "`number` of configurations tried, for the deflated Sharpe ratio")
	fs.StringVar(&m.column, "column", "", "`name` of the value column (default: the first of returns, return, equity, close, value)")
	fs.Float64Var(&m.initial, "initial", 0, "`level` before the first row of a level column (a run's initial cash): the first row's return is its level / this − 1, as quantloop run computes it (default: the first row only starts the series)")
	return c
}

// metricsOptions are metrics' flags.
type metricsOptions struct {
	periods, riskFree float64
	initial           float64
	bench, column     string
	trials            int
}

func cmdMetrics(m *metricsOptions, file string, stdout io.Writer) error {
	P, rf, bench, trials, column := &m.periods, &m.riskFree, &m.bench, &m.trials, &m.column
	if *P < 0 || math.IsNaN(*P) || math.IsInf(*P, 0) {
		return badInput(fmt.Errorf("--periods-per-year %v must be positive", *P))
	}
	if *rf <= -1 || math.IsNaN(*rf) {
		return badInput(fmt.Errorf("--risk-free %v must be above -1", *rf))
	}
	if *trials < 1 {
		return badInput(fmt.Errorf("--trials %d must be at least 1", *trials))
	}
	if m.initial < 0 || math.IsNaN(m.initial) || math.IsInf(m.initial, 0) {
		return badInput(fmt.Errorf("--initial %v must be positive", m.initial))
	}
	times, r, err := readSeries(file, *column, m.initial)
	if err != nil {
		return badInput(err)
	}
	s := report.Series{Times: metrics.TimeSlice(times), Returns: metrics.Slice(r), PeriodsPerYear: *P, RiskFree: *rf, Trials: *trials}
	if s.PeriodsPerYear == 0 {
		s.PeriodsPerYear = metrics.InferPeriodsPerYear(times)
		if math.IsNaN(s.PeriodsPerYear) || s.PeriodsPerYear <= 0 {
			s.PeriodsPerYear = metrics.Daily
		}
	}
	if *bench != "" {
		bt, br, err := readSeries(*bench, "", 0)
		if err != nil {
			return badInput(err)
		}
		s.Benchmark, s.BenchmarkName = metrics.Slice(align(times, bt, br)), *bench
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(report.Analyze(s))
}

// align returns the values of (bt, br) at times, NaN where bt lacks one.
func align(times, bt []time.Time, br []float64) []float64 {
	out := make([]float64, len(times))
	j := 0
	for i, t := range times {
		for j < len(bt) && bt[j].Before(t) {
			j++
		}
		out[i] = math.NaN()
		if j < len(bt) && bt[j].Equal(t) {
			out[i] = br[j]
		}
	}
	return out
}

// timeColumns and valueColumns return the header names readSeries looks
// for, in order of preference.
func timeColumns() []string  { return []string{"time", "date", "datetime", "timestamp"} }
func valueColumns() []string { return []string{"returns", "return", "equity", "close", "value"} }

// timeLayouts returns the time formats readSeries accepts.
func timeLayouts() []string {
	return []string{time.RFC3339Nano, "2006-01-02", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05"}
}

// readSeries reads a CSV with a header, a time column and a returns or
// level (equity, price) column, and returns one simple return per time: a
// returns column as is, levels as e[i]/e[i-1]-1 from the second row on,
// or from the first with e[-1] = initial when initial is positive.
// Errors name the file, the line and the column.
func readSeries(path, column string, initial float64) ([]time.Time, []float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("%s:1: header: %w", path, err)
	}
	find := func(names []string) (int, string) {
		for _, n := range names {
			for i, h := range header {
				if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), n) {
					return i, n
				}
			}
		}
		return -1, ""
	}
	ti, _ := find(timeColumns())
	if ti < 0 {
		return nil, nil, fmt.Errorf("%s:1: no time column (want one of %s)", path, strings.Join(timeColumns(), ", "))
	}
	names := valueColumns()
	if column != "" {
		names = []string{column}
	}
	vi, vname := find(names)
	if vi < 0 {
		return nil, nil, fmt.Errorf("%s:1: no value column (want one of %s)", path, strings.Join(names, ", "))
	}
	returns := vname == "returns" || vname == "return"
	var times []time.Time
	var vals []float64
	layout := ""
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		ts := strings.TrimSpace(rec[ti])
		var t time.Time
		if layout == "" {
			for _, l := range timeLayouts() {
				if t, err = time.Parse(l, ts); err == nil {
					layout = l
					break
				}
			}
		} else {
			t, err = time.Parse(layout, ts)
		}
		if err != nil || layout == "" {
			return nil, nil, fmt.Errorf("%s:%d: field %q: cannot read time %q", path, line, header[ti], ts)
		}
		if n := len(times); n > 0 && !t.After(times[n-1]) {
			return nil, nil, fmt.Errorf("%s:%d: field %q: time %s is not after the previous row's; times must strictly increase", path, line, header[ti], ts)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[vi]), 64)
		if err != nil || math.IsInf(v, 0) || (!returns && !(v > 0) && !math.IsNaN(v)) {
			return nil, nil, fmt.Errorf("%s:%d: field %q: %q is not a valid %s", path, line, header[vi], rec[vi], vname)
		}
		times, vals = append(times, t), append(vals, v)
	}
	if returns {
		return times, vals, nil
	}
	if len(vals) == 0 {
		return nil, nil, nil
	}
	if initial > 0 {
		return times, metrics.SimpleReturns(append([]float64{initial}, vals...)), nil
	}
	return times[1:], metrics.SimpleReturns(vals), nil
}
