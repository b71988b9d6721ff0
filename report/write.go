// Package report analyzes a run and writes its results: CSV tables of
// trades, fills, orders and equity; results.json with every metric, the
// tables, the effective configuration and the manifest; config.yaml, the
// canonical configuration to re-run from; a self-contained report.html;
// and manifest.json with the SHA-256 of every input and output. A Writer
// writes them while a run goes, in memory that does not grow with the
// run; WriteDir writes those of a run kept in memory. A run's files are
// written into a fresh folder that then replaces the output folder in one
// step, so that the folder holds one whole run at every moment, and the
// same run gives byte-identical files. Readers trust only the files the
// manifest lists (CheckDir). The metrics themselves live in the package
// metrics, and the manifest and its hashes in the package manifest.
package report

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
)

// The files a run writes.
const (
	TradesFile   = "trades.csv"
	FillsFile    = "fills.csv"
	OrdersFile   = "orders.csv"
	EquityFile   = "equity.csv"
	FeesFile     = "fees.csv"
	ActionsFile  = "actions.csv"
	ConfigFile   = "config.yaml"
	ResultsFile  = "results.json"
	ReportFile   = "report.html"
	ManifestFile = "manifest.json"
)

// Outputs returns the names of the files every run writes, in writing
// order. A run with a corporate-actions file also writes ActionsFile
// (see OutputsOf).
func Outputs() []string {
	return []string{TradesFile, FillsFile, OrdersFile, EquityFile, FeesFile, ConfigFile, ResultsFile, ReportFile, ManifestFile}
}

// OutputsOf returns the names of the files a run of cfg writes, in
// writing order: at the output level metrics (analysis.outputs),
// config.yaml, results.json and manifest.json; at full and lean, Outputs,
// with ActionsFile after FeesFile when cfg has data.actions.
func OutputsOf(cfg backtest.Config) []string {
	if cfg.Analysis.Outputs == backtest.OutputsMetrics {
		return []string{ConfigFile, ResultsFile, ManifestFile}
	}
	out := Outputs()
	if cfg.Data.Actions == "" {
		return out
	}
	i := slices.Index(out, FeesFile) + 1
	return slices.Insert(out, i, ActionsFile)
}

// File is one output file: its name in the output directory and its bytes.
type File struct {
	Name string
	Data []byte
}

// formatFloat writes x with the shortest text that reads back to it.
func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// FormatTime formats t as ISO 8601 (RFC 3339), with fractional seconds only
// when there are any. The zero time is written as an empty string.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// The CSV headers.
var (
	tradesHeader = []string{"symbol", "side", "quantity", "entry_time", "entry_price", "exit_time", "exit_price",
		"commission", "pnl_gross", "pnl_net", "bars", "status", "mae", "mfe", "return"}
	fillsHeader  = []string{"order_id", "time", "symbol", "side", "quantity", "price", "commission", "slippage", "remaining"}
	ordersHeader = []string{"id", "engine_id", "time", "symbol", "side", "type", "quantity", "filled_quantity",
		"limit", "stop", "trail", "tif", "expire", "parent", "oco", "reduce_only", "source", "status", "reason",
		"trigger_time", "fill_time", "fill_price"}
	feesHeader = []string{"time", "symbol", "kind", "amount"}
)

// orderName is the name the output files give an order: its label (an
// orders file's id) when it has one, else its ID; "" for no order.
func orderName(id uint64, label string) string {
	switch {
	case id == 0:
		return ""
	case label != "":
		return label
	}
	return strconv.FormatUint(id, 10)
}

// priceText is a price column's text: empty for no price.
func priceText(p engine.Price) string {
	if p == 0 {
		return ""
	}
	return p.String()
}

// writeFees writes fees.csv: the fees that are not commissions (borrow
// fees), one row per charge.
func writeFees(w io.Writer, fees []portfolio.Fee) error {
	cw := csv.NewWriter(w)
	cw.Write(feesHeader)
	for i := range fees {
		f := &fees[i]
		cw.Write([]string{FormatTime(f.Time), spreadsheetText(f.Symbol), spreadsheetText(f.Kind), f.Amount.String()})
	}
	cw.Flush()
	return cw.Error()
}

// appendTime appends FormatTime(t) to b.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	return t.AppendFormat(b, time.RFC3339Nano)
}
