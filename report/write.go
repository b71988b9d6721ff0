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
)

// The files WriteDir writes.
const (
	TradesFile  = "trades.csv"
	FillsFile   = "fills.csv"
	OrdersFile  = "orders.csv"
	EquityFile  = "equity.csv"
	ResultsFile = "results.json"
)

// WriteDir writes every output of res into dir, creating it if needed.
// Each file is written to a temporary name and renamed into place, so a
// reader never sees half a file. results.json is written last.
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
		{ResultsFile, WriteResults},
	}
	for _, f := range files {
		if err := writeAtomic(filepath.Join(dir, f.name), func(w io.Writer) error { return f.write(w, res) }); err != nil {
			return err
		}
	}
	return nil
}

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

// WriteTrades writes the round trips as CSV, open ones with empty exit
// fields.
func WriteTrades(w io.Writer, res *backtest.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"symbol", "side", "quantity", "entry_time", "entry_price", "exit_time", "exit_price",
		"commission", "pnl_gross", "pnl_net", "bars", "status"})
	for _, t := range res.Trades {
		exitTime, exitPrice := FormatTime(t.ExitTime), ""
		if !t.Open {
			exitPrice = t.ExitPrice.String()
		}
		cw.Write([]string{t.Symbol, t.Side(), t.Quantity.String(), FormatTime(t.EntryTime), t.EntryPrice.String(),
			exitTime, exitPrice, t.Commission.String(), t.PnLGross.String(), t.PnLNet.String(),
			strconv.Itoa(t.Bars), t.Status()})
	}
	cw.Flush()
	return cw.Error()
}

// WriteFills writes every fill as CSV, in the order they happened.
func WriteFills(w io.Writer, res *backtest.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"order_id", "time", "symbol", "side", "quantity", "price", "commission"})
	for _, f := range res.Fills {
		cw.Write([]string{strconv.FormatUint(f.OrderID, 10), FormatTime(f.Time), f.Symbol, f.Side.String(),
			f.Quantity.String(), f.Price.String(), f.Commission.String()})
	}
	cw.Flush()
	return cw.Error()
}

// WriteOrders writes every order and what became of it as CSV.
func WriteOrders(w io.Writer, res *backtest.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"order_id", "time", "symbol", "side", "type", "quantity", "source", "status", "reason",
		"fill_time", "fill_price"})
	for _, o := range res.Orders {
		fillPrice := ""
		if o.Status == backtest.StatusFilled {
			fillPrice = o.FillPrice.String()
		}
		cw.Write([]string{strconv.FormatUint(o.ID, 10), FormatTime(o.Time), o.Symbol, o.Side.String(),
			o.Type.String(), o.Quantity.String(), o.Source, o.Status, o.Reason, FormatTime(o.FillTime), fillPrice})
	}
	cw.Flush()
	return cw.Error()
}

// WriteEquity writes one row per bar time: the time, the cash and the
// equity (cash plus positions marked at the close), exactly.
func WriteEquity(w io.Writer, res *backtest.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "cash", "equity"})
	for _, p := range res.Equity {
		cw.Write([]string{FormatTime(p.Time), p.Cash.String(), p.Equity().String()})
	}
	cw.Flush()
	return cw.Error()
}
