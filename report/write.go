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
		{FeesFile, WriteFees},
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

// orderNames maps order IDs to the names output files use: the order's
// label (an orders file's id) when it has one, else its ID.
func orderNames(res *backtest.Result) func(uint64) string {
	labels := make(map[uint64]string)
	for _, o := range res.Orders {
		if o.Label != "" {
			labels[o.ID] = o.Label
		}
	}
	return func(id uint64) string {
		if id == 0 {
			return ""
		}
		if l, ok := labels[id]; ok {
			return l
		}
		return strconv.FormatUint(id, 10)
	}
}

// WriteFills writes every fill as CSV, in the order they happened.
// remaining is what was left of the order after the fill.
func WriteFills(w io.Writer, res *backtest.Result) error {
	name := orderNames(res)
	cw := csv.NewWriter(w)
	cw.Write([]string{"order_id", "time", "symbol", "side", "quantity", "price", "commission", "slippage", "remaining"})
	for _, f := range res.Fills {
		cw.Write([]string{name(f.OrderID), FormatTime(f.Time), f.Symbol, f.Side.String(),
			f.Quantity.String(), f.Price.String(), f.Commission.String(), f.Slippage.String(), f.Remaining.String()})
	}
	cw.Flush()
	return cw.Error()
}

func priceText(p engine.Price) string {
	if p == 0 {
		return ""
	}
	return p.String()
}

// WriteOrders writes every order and what became of it as CSV: id is its
// label when it has one, engine_id the engine's ID.
func WriteOrders(w io.Writer, res *backtest.Result) error {
	name := orderNames(res)
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "engine_id", "time", "symbol", "side", "type", "quantity", "filled_quantity",
		"limit", "stop", "trail", "tif", "expire", "parent", "oco", "reduce_only", "source", "status", "reason",
		"trigger_time", "fill_time", "fill_price"})
	for _, o := range res.Orders {
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
		cw.Write([]string{name(o.ID), strconv.FormatUint(o.ID, 10), FormatTime(o.Time), o.Symbol, o.Side.String(),
			o.Type.String(), o.Quantity.String(), o.FilledQuantity.String(), priceText(o.Limit), priceText(o.Stop),
			trail, o.TIF.String(), FormatTime(o.ExpireAt), name(o.Parent), o.OCO, reduce, o.Source, o.Status, o.Reason,
			FormatTime(trig), FormatTime(o.FillTime), fillPrice})
	}
	cw.Flush()
	return cw.Error()
}

// WriteFees writes the fees that are not commissions (borrow fees), one
// row per charge.
func WriteFees(w io.Writer, res *backtest.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "symbol", "kind", "amount"})
	for _, f := range res.Fees {
		cw.Write([]string{FormatTime(f.Time), f.Symbol, f.Kind, f.Amount.String()})
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
