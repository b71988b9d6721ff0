package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/quantloop/quantloop/internal/atomicfile"
	"github.com/quantloop/quantloop/manifest"
)

// reportData is what report.html is drawn from: results.json, the
// columns of equity.csv and what the page shows of trades.csv.
type reportData struct {
	results Results
	chart   *chartData
	trades  tradeTable
	ex      *exposure
	prep    *chartPrep // nil: writeHTML prepares the charts itself
}

// ErrOutputLevel is wrapped by RenderDir's error for a run written at an
// output level other than full (backtest.OutputLevel), whose equity.csv
// does not hold every bar.
var ErrOutputLevel = errors.New("not a full run")

// RenderDir redraws DIR/report.html from the results.json, equity.csv,
// trades.csv and fills.csv in dir, and the closes of the data files its
// config names (for the exposure by position; see exposureOf), without
// running anything. The report is byte for byte the one the run wrote
// when those files are unchanged. It reads the CSV files a row at a time,
// in bounded memory. A results.json of another
// format version (see manifest.Format) is refused with an error wrapping
// manifest.ErrFormat, and so is a folder whose files do not match its
// manifest (see CheckDir), report.html excepted, which may be missing or
// differ.
func RenderDir(dir string) error {
	d := &reportData{chart: newChartData(seriesMemory)}
	defer d.chart.close()
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer root.Close()
	rb, err := root.ReadFile(ResultsFile)
	if err != nil {
		return fmt.Errorf("report: %s: %w", filepath.Join(dir, ResultsFile), err)
	}
	if err := manifest.CheckFormat(filepath.Join(dir, ResultsFile), rb); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := checkDir(root, dir, ReportFile); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := json.Unmarshal(rb, &d.results); err != nil {
		return fmt.Errorf("report: %s: %w", ResultsFile, err)
	}
	if o := d.results.Outputs; o != nil {
		return fmt.Errorf("report: %s was written with --outputs %s (equity.csv holds %s): report.html can be redrawn only from a run with --outputs full: %w",
			dir, o.Level, o.EquityRows, ErrOutputLevel)
	}
	if d.results.Analysis == nil || d.results.TradeStats == nil {
		return fmt.Errorf("report: %s: no analysis or trade_stats (written by an older version?)", ResultsFile)
	}
	d.chart.measureFrom(initialCash(&d.results))
	for _, f := range []struct {
		name   string
		header func([]string) error
		row    func([]string) error
	}{{EquityFile, equityHeaderOK, d.readEquity}, {TradesFile, tradesHeaderOK, d.readTrade}} {
		file, err := root.Open(f.name)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		err = eachRow(bufio.NewReaderSize(file, 1<<16), f.header, f.row)
		file.Close()
		if err != nil {
			return fmt.Errorf("report: %s: %w", filepath.Join(dir, f.name), err)
		}
	}
	if err := d.chart.err(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fills, err := root.Open(FillsFile)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	d.ex = exposureOf(d.results.Config, d.chart, bufio.NewReaderSize(fills, 1<<16), nil, float64(d.results.Analysis.PeriodsPerYear), nil)
	fills.Close()
	return atomicfile.Write(filepath.Join(dir, ReportFile), func(w io.Writer) error { return writeHTML(w, d) })
}

// eachRow reads CSV from r a row at a time: header checks the first, and
// row is called with each of the others. Errors name the line.
func eachRow(r io.Reader, header, row func([]string) error) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		check := row
		if line == 1 {
			check = header
		}
		if err := check(rec); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
}

// equityHeaderOK checks equity.csv's header.
func equityHeaderOK(row []string) error {
	if len(row) < 5 || row[0] != "time" || row[2] != "equity" || row[3] != "drawdown" || row[4] != "benchmark" {
		return fmt.Errorf("want columns time,cash,equity,drawdown,benchmark")
	}
	return nil
}

// tradesHeaderOK checks trades.csv's header.
func tradesHeaderOK(row []string) error {
	if len(row) != 15 || row[11] != "status" || row[14] != "return" {
		return fmt.Errorf("unexpected columns")
	}
	return nil
}

// readEquity adds a row of equity.csv to d.chart.
func (d *reportData) readEquity(row []string) error {
	t, err := time.Parse(time.RFC3339Nano, row[0])
	if err != nil {
		return fmt.Errorf("field \"time\": %w", err)
	}
	cash, err := strconv.ParseFloat(row[1], 64)
	if err != nil {
		return fmt.Errorf("field \"cash\": %w", err)
	}
	eq, err := strconv.ParseFloat(row[2], 64)
	if err != nil {
		return fmt.Errorf("field \"equity\": %w", err)
	}
	dd, err := strconv.ParseFloat(row[3], 64)
	if err != nil {
		return fmt.Errorf("field \"drawdown\": %w", err)
	}
	b := math.NaN()
	if row[4] != "" {
		if b, err = strconv.ParseFloat(row[4], 64); err != nil {
			return fmt.Errorf("field \"benchmark\": %w", err)
		}
	}
	d.chart.add(t, cash, eq, dd, b)
	return nil
}

// readTrade adds a row of trades.csv to d.trades.
func (d *reportData) readTrade(row []string) error {
	if err := d.trades.add(row); err != nil {
		return err
	}
	return nil
}

// rollingWindow returns the rolling Sharpe window: half a year of periods,
// at least 2.
func rollingWindow(P float64) int { return max(2, int(math.Round(P/2))) }

// maxRollingPoints bounds the points of the rolling Sharpe chart.
const maxRollingPoints = 1000

// rollingEnds returns the bars at which the rolling Sharpe chart
// evaluates a window of w of n returns: up to maxRollingPoints evenly
// spaced bars (every bar for short series), the last always included.
func rollingEnds(n, w int) []int {
	m := n - w + 1
	if m <= 0 {
		return nil
	}
	step := (m + maxRollingPoints - 1) / maxRollingPoints
	var ends []int
	for i := w - 1; i < n; i += step {
		ends = append(ends, i)
	}
	if ends[len(ends)-1] != n-1 {
		ends = append(ends, n-1)
	}
	return ends
}

// initialCash returns r's initial cash as the charts see it: its text
// parsed, so that a report redrawn from results.json agrees.
func initialCash(r *Results) float64 {
	f, _ := strconv.ParseFloat(r.InitialCash.String(), 64)
	return f
}
