package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/quantloop/quantloop/backtest"
)

// Tables are the bytes of a run's trades.csv, fills.csv, orders.csv and
// equity.csv, headers included, and of its config.yaml, as a Writer
// writes them.
type Tables struct {
	Trades, Fills, Orders, Equity []byte
	// Config is config.yaml: the canonical config file of the run's
	// config (backtest.Config.CanonicalYAML), which the manifest hashes.
	Config []byte
}

// Summarize returns what a Writer given the run res would write to
// results.json, the analysis and the manifest (without output hashes)
// included, and, when tables is not nil, fills it with the run's CSV
// files; it writes no file. res must have kept its records (a run
// without Options.Sink). The manifest's inputs are res.Inputs; a benchmark
// file that is not a data file is read again, as a Writer reads it.
func Summarize(res *backtest.Result, tables *Tables) (*Results, error) {
	return summarize(res, tables, true, 0)
}

// SummarizeTradesEquity is Summarize without the rows of fills.csv and
// orders.csv, which it does not format: tables.Fills and tables.Orders
// stay nil, and the results are Summarize's. It is what a sweep that keeps
// only a run's trades and equity needs.
func SummarizeTradesEquity(res *backtest.Result, tables *Tables) (*Results, error) {
	return summarize(res, tables, false, 0)
}

// SummarizeThin is SummarizeTradesEquity with equity.csv thinned to at
// most n points, the ones ThinKeep keeps: the rows of the other points
// are not formatted. tables.Equity is the header and the kept rows of
// the full equity.csv, byte for byte; the results are Summarize's. n < 2
// keeps every row.
func SummarizeThin(res *backtest.Result, tables *Tables, n int) (*Results, error) {
	return summarize(res, tables, false, n)
}

// ThinKeep reports whether thinning points rows to at most n keeps the
// i-th (counting from 0): every row when points <= n or n < 2, else
// every k-th row from the first, with k = ceil((points-1)/(n-1)) the
// least stride that keeps at most n-1 of them, and the last row.
func ThinKeep(i, points, n int) bool {
	if points <= n || n < 2 {
		return true
	}
	k := (points - 1 + n - 2) / (n - 1)
	return i == points-1 || (i < points-1 && i%k == 0)
}

// tradeRowBytes and equityRowBytes are about the length of a row of
// trades.csv and of equity.csv, a little more than most: about 176 and
// 87 bytes in W5's sweep.
const (
	tradeRowBytes  = 192
	equityRowBytes = 96
)

// summarize is Summarize, with the rows of fills.csv and orders.csv when
// rows is true, and equity.csv thinned to thin points when thin >= 2 (see
// ThinKeep).
func summarize(res *backtest.Result, tables *Tables, rows bool, thin int) (*Results, error) {
	if res.Streamed {
		return nil, errors.New("report: summarize: the run's records went to a sink, not into the result")
	}
	var bufs [4]bytes.Buffer
	if tables != nil {
		// Room for the rows at their usual length, so that the buffers
		// grow once, if at all.
		rows := len(res.Equity)
		if thin >= 2 {
			rows = min(rows, thin)
		}
		bufs[0].Grow((len(res.Trades) + 1) * tradeRowBytes)
		bufs[3].Grow((rows + 1) * equityRowBytes)
	}
	files := make([]*outFile, len(bufs))
	for i := range bufs {
		var dst io.Writer = io.Discard
		if tables != nil {
			dst = &bufs[i]
		}
		files[i] = &outFile{w: bufio.NewWriter(dst)}
	}
	csvOf := func(f *outFile, header []string) (*csvFile, error) {
		c := &csvFile{outFile: f, cw: csv.NewWriter(f)}
		return c, c.cw.Write(header)
	}
	trades, err1 := csvOf(files[0], tradesHeader)
	var fills, orders *csvFile
	var err2, err3 error
	if rows {
		fills, err2 = csvOf(files[1], fillsHeader)
		orders, err3 = csvOf(files[2], ordersHeader)
	}
	_, err4 := io.WriteString(files[3], equityHeader)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return nil, fmt.Errorf("summarize: %w", err)
	}
	w := &Writer{fills: fills, trades: trades, orders: orders,
		rows: newRowWriter(res.Config, res.Config.InitialCash().InexactFloat64(), files[3], fills, trades, orders, false, false)}
	defer w.release()
	w.rows.noPage, w.rows.sizeHint = true, len(res.Equity)
	if points := len(res.Equity); thin >= 2 && points > thin {
		w.rows.keepRow = func(i int) bool { return ThinKeep(i, points, thin) }
	}
	if err := errors.Join(replay(w, res), w.Err()); err != nil {
		return nil, fmt.Errorf("summarize: %w", err)
	}
	for _, c := range []*csvFile{fills, trades, orders} {
		if c == nil {
			continue
		}
		c.cw.Flush()
		if err := c.cw.Error(); err != nil {
			return nil, fmt.Errorf("summarize: %w", err)
		}
	}
	for _, f := range files {
		if err := f.w.Flush(); err != nil {
			return nil, fmt.Errorf("summarize: %w", err)
		}
	}
	results := newResults(res)
	if err := w.analyze(res, results); err != nil {
		return nil, err
	}
	man, canon, err := w.newManifest(res)
	if err != nil {
		return nil, err
	}
	results.Manifest = man
	if tables != nil {
		*tables = Tables{Trades: bufs[0].Bytes(), Equity: bufs[3].Bytes(), Config: canon}
		if rows {
			tables.Fills, tables.Orders = bufs[1].Bytes(), bufs[2].Bytes()
		}
	}
	return results, nil
}

// replay hands w the records res kept, in the order a run hands them to
// its sink, by kind, as one batch; the orders only when w writes
// orders.csv, and the fills only when it writes fills.csv or a page,
// whose exposure sums them: the uses of them. The row goroutine reads
// the equity points in place, without a copy: the run has ended.
func replay(w *Writer, res *backtest.Result) error {
	b := &rowBatch{equity: res.Equity, trades: make([]queuedTrade, len(res.Trades))}
	if w.fills != nil || !w.rows.noPage {
		labels := make(map[uint64]string)
		for _, o := range res.Orders {
			if o.Label != "" {
				labels[o.ID] = o.Label
			}
		}
		b.fills = make([]labeledFill, len(res.Fills))
		for i := range res.Fills {
			f := &res.Fills[i]
			b.fills[i] = labeledFill{*f, labels[f.OrderID], fillDecs(f)}
		}
	}
	for i := range res.Trades {
		b.trades[i] = queuedTrade{res.Trades[i], tradeDecs(&res.Trades[i])}
	}
	if w.orders != nil {
		b.orders = make([]queuedOrder, len(res.Orders))
		for i := range res.Orders {
			b.orders[i] = queuedOrder{res.Orders[i], orderDecs(&res.Orders[i])}
		}
	}
	return w.fail(w.rows.addAll(b))
}
