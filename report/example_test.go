package report_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/metrics"
	"github.com/quantloop/quantloop/report"
)

func ExampleAnalyze() {
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	a := report.Analyze(report.Series{
		Times:          metrics.TimeSlice{day(1), day(2), day(3), day(4), day(5), day(8)},
		Returns:        metrics.Slice{0.02, -0.01, 0.03, -0.02, 0.00, 0.01},
		PeriodsPerYear: 252,
	})
	fmt.Printf("sharpe %.5f, max drawdown %.2f, PSR %.4f\n", a.Returns.Sharpe, a.Returns.MaxDrawdown, a.Returns.ProbabilisticSharpe)
	fmt.Printf("worst drawdown: peak %s, valley %s, recovered: %v\n", a.Drawdowns[0].Peak[:10], a.Drawdowns[0].Valley[:10], a.Drawdowns[0].Recovery != "")
	// Output:
	// sharpe 4.24264, max drawdown -0.02, PSR 0.7237
	// worst drawdown: peak 2024-01-03, valley 2024-01-04, recovered: false
}

// A run whose records stream to disk as they are made: memory stays
// bounded however long the data. The files are those of the CLI.
func ExampleNewWriter() {
	cfg := backtest.DefaultConfig()
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv"}
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	w, err := report.NewWriter(dir, cfg)
	if err != nil {
		log.Fatal(err)
	}
	res, err := backtest.Options{Sink: w}.Run(context.Background(), cfg)
	if err != nil {
		w.Abort()
		log.Fatal(err)
	}
	defer res.Close()
	if err := w.Finish(res); err != nil {
		log.Fatal(err)
	}
	r := w.Results()
	fmt.Printf("%d bars, %d closed trades, final equity %s\n", r.Bars, r.ClosedTrades, r.FinalEquity)
	_, err = os.Stat(filepath.Join(dir, report.ReportFile))
	fmt.Println("report.html written:", err == nil)
	// Output:
	// 500 bars, 10 closed trades, final equity 93383.31
	// report.html written: true
}
