// Package report writes a run's results: CSV tables of trades, fills,
// orders and equity, and results.json with the metrics and the effective
// configuration. Every file is written atomically. The metrics themselves
// live in the subpackage metrics, which does not depend on the engine.
package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
)

// The files WriteDir writes.
const (
	TradesFile  = "trades.csv"
	FillsFile   = "fills.csv"
	OrdersFile  = "orders.csv"
	EquityFile  = "equity.csv"
	FeesFile    = "fees.csv"
	ResultsFile = "results.json"
)

// WriteDir writes every output of res into dir, creating it if needed.
// Each file is written to a temporary name and renamed into place, so a
// reader never sees half a file. results.json is written last. When the
// run streamed its records (res.Streamed), the trades, fills, orders and
// equity files are the Stream's and are not written again.
func WriteDir(dir string, res *backtest.Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	files := []struct {
		name  string
		write func(io.Writer, *backtest.Result) error
	}{
		{TradesFile, WriteTrades},
		{FillsFile, WriteFills},
		{OrdersFile, WriteOrders},
		{EquityFile, WriteEquity},
		{FeesFile, WriteFees},
		{ResultsFile, WriteResults},
	}
	for _, f := range files {
		if res.Streamed && streamed[f.name] {
			continue
		}
		if err := writeAtomic(filepath.Join(dir, f.name), func(w io.Writer) error { return f.write(w, res) }); err != nil {
			return err
		}
	}
	return nil
}

// streamed are the files a Stream writes.
var streamed = map[string]bool{TradesFile: true, FillsFile: true, OrdersFile: true, EquityFile: true}

// writeAtomic writes a file through fn to a temporary file beside path and
// renames it to path once complete.
func writeAtomic(path string, fn func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err = fn(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

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
		"commission", "pnl_gross", "pnl_net", "bars", "status"}
	fillsHeader  = []string{"order_id", "time", "symbol", "side", "quantity", "price", "commission", "slippage", "remaining"}
	ordersHeader = []string{"id", "engine_id", "time", "symbol", "side", "type", "quantity", "filled_quantity",
		"limit", "stop", "trail", "tif", "expire", "parent", "oco", "reduce_only", "source", "status", "reason",
		"trigger_time", "fill_time", "fill_price"}
	feesHeader = []string{"time", "symbol", "kind", "amount"}
)

// WriteTrades writes the round trips as CSV, open ones with empty exit
// fields.
func WriteTrades(w io.Writer, res *backtest.Result) error {
	return writeCSV(w, tradesHeader, res.Trades, tradeRow)
}

// writeCSV writes header and one row per record.
func writeCSV[T any](w io.Writer, header []string, records []T, row func(*T) []string) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	for i := range records {
		cw.Write(row(&records[i]))
	}
	cw.Flush()
	return cw.Error()
}

func tradeRow(t *portfolio.Trade) []string {
	exitPrice := ""
	if !t.Open {
		exitPrice = t.ExitPrice.String()
	}
	return []string{t.Symbol, t.Side(), t.Quantity.String(), FormatTime(t.EntryTime), t.EntryPrice.String(),
		FormatTime(t.ExitTime), exitPrice, t.Commission.String(), t.PnLGross.String(), t.PnLNet.String(),
		strconv.Itoa(t.Bars), t.Status()}
}

// WriteFills writes every fill as CSV, in the order they happened. The
// order_id is the engine's order ID (orders.csv's engine_id).
func WriteFills(w io.Writer, res *backtest.Result) error {
	return writeCSV(w, fillsHeader, res.Fills, fillRow)
}

func fillRow(f *engine.FillEvent) []string {
	return []string{strconv.FormatUint(f.OrderID, 10), FormatTime(f.Time), f.Symbol, f.Side.String(),
		f.Quantity.String(), f.Price.String(), f.Commission.String(), f.Slippage.String(), f.Remaining.String()}
}

// priceText is a price column's text: empty for no price.
func priceText(p engine.Price) string {
	if p == 0 {
		return ""
	}
	return p.String()
}

// WriteOrders writes every order and what became of it as CSV: id is its
// label (an orders file's id) when it has one, else the engine's ID, which
// engine_id always holds; parent is the parent's engine ID.
func WriteOrders(w io.Writer, res *backtest.Result) error {
	return writeCSV(w, ordersHeader, res.Orders, orderRow)
}

func orderRow(o *backtest.OrderRecord) []string {
	fillPrice := ""
	if o.FilledQuantity.IsPositive() {
		fillPrice = o.FillPrice.String()
	}
	trail := priceText(o.TrailAmount)
	if o.TrailPercent.IsPositive() {
		trail = o.TrailPercent.String() + "%"
	}
	reduce := ""
	if o.ReduceOnly {
		reduce = "true"
	}
	trig := time.Time{}
	if o.Triggered {
		trig = o.TriggerTime
	}
	id := strconv.FormatUint(o.ID, 10)
	name := id
	if o.Label != "" {
		name = o.Label
	}
	parent := ""
	if o.Parent != 0 {
		parent = strconv.FormatUint(o.Parent, 10)
	}
	return []string{name, id, FormatTime(o.Time), o.Symbol, o.Side.String(),
		o.Type.String(), o.Quantity.String(), o.FilledQuantity.String(), priceText(o.Limit), priceText(o.Stop),
		trail, o.TIF.String(), FormatTime(o.ExpireAt), parent, o.OCO, reduce, o.Source, o.Status, o.Reason,
		FormatTime(trig), FormatTime(o.FillTime), fillPrice}
}

// WriteFees writes the fees that are not commissions (borrow fees), one
// row per charge.
func WriteFees(w io.Writer, res *backtest.Result) error {
	return writeCSV(w, feesHeader, res.Fees, feeRow)
}

func feeRow(f *portfolio.Fee) []string {
	return []string{FormatTime(f.Time), f.Symbol, f.Kind, f.Amount.String()}
}

// WriteEquity writes one row per bar time: the time, the cash and the
// equity (cash plus positions marked at the close), exactly. No field
// needs CSV quoting, so rows are formatted straight into one buffer.
func WriteEquity(w io.Writer, res *backtest.Result) error {
	if _, err := io.WriteString(w, equityHeader); err != nil {
		return err
	}
	var buf []byte
	for i := range res.Equity {
		buf = appendEquityRow(buf[:0], &res.Equity[i])
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

const equityHeader = "time,cash,equity\n"

// appendEquityRow appends p's equity.csv row to b.
func appendEquityRow(b []byte, p *backtest.EquityPoint) []byte {
	b = appendTime(b, p.Time)
	b = append(b, ',')
	b = p.AppendCash(b)
	b = append(b, ',')
	b = p.AppendEquity(b)
	return append(b, '\n')
}

// appendTime appends FormatTime(t) to b.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	return t.AppendFormat(b, time.RFC3339Nano)
}
