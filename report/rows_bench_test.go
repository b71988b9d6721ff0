package report

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"io"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/cputime"
	"github.com/quantloop/quantloop/portfolio"
)

// BenchmarkFillRows measures the rows' goroutine's work for one fill of a
// strategy that flips its position on every fill, as W1-flip's do: the
// fill's row of fills.csv, the closed trade's row of trades.csv with the
// trade statistics and the report's trade table, and the order's row of
// orders.csv, each hashed as the files are. The bytes go nowhere. Each
// fill is a minute after the one before; its trade entered at the fill
// before, and its order was made then. cpu-ns/fill is the process's
// user and system time over the fills.
func BenchmarkFillRows(b *testing.B) {
	file := func() *csvFile {
		o := &outFile{sum: sha256.New()}
		o.w = bufio.NewWriterSize(io.MultiWriter(io.Discard, o.sum), 1<<16)
		return &csvFile{outFile: o, cw: csv.NewWriter(o)}
	}
	e := newRowWriter(backtest.DefaultConfig(), 1e7, nil, file(), file(), file(), false, true)
	defer func() {
		e.wait()
		e.release()
	}()
	e.table.n = maxTradeRows // the report's first rows are a run's start, not its cost per fill
	type rows struct {
		f engine.FillEvent
		t portfolio.Trade
		o backtest.OrderRecord
		x [3]decs
	}
	const n = 1024
	recs := make([]rows, n)
	at := time.Date(2024, 1, 2, 9, 30, 0, 0, time.UTC)
	qty, hundred := decimal.New(200, 0), decimal.New(100, 0)
	for i := range recs {
		r := &recs[i]
		before, now := at.Add(time.Duration(i)*time.Minute), at.Add(time.Duration(i+1)*time.Minute)
		px, prev := decimal.New(10000_000+int64(i%977)*131, -5), decimal.New(10000_000+int64((i+976)%977)*131, -5)
		comm := px.Mul(qty).Mul(decimal.New(2, -4))
		side := engine.Buy
		if i%2 == 1 {
			side = engine.Sell
		}
		r.f = engine.FillEvent{Time: now, OrderID: uint64(i + 1), Symbol: "W1", Side: side, Quantity: qty, Price: px,
			Commission: comm, Slippage: decimal.Zero, Remaining: decimal.Zero}
		r.t = portfolio.Trade{Symbol: "W1", Short: side == engine.Buy, Quantity: hundred, EntryTime: before, EntryPrice: prev,
			ExitTime: now, ExitPrice: px, Commission: comm, PnLGross: px.Sub(prev).Mul(hundred)}
		r.t.PnLNet = r.t.PnLGross.Sub(r.t.Commission)
		r.t.MaxPrice, r.t.MinPrice = px.InexactFloat64()*1.001, prev.InexactFloat64()*0.999
		r.t.MAE, r.t.MFE = r.t.MinPrice/prev.InexactFloat64()-1, r.t.MaxPrice/prev.InexactFloat64()-1
		r.o = backtest.OrderRecord{Order: engine.Order{ID: uint64(i + 1), Time: before, Symbol: "W1", Side: side, Type: engine.Market,
			Quantity: qty, Source: "smacross"}, Status: backtest.StatusFilled, FilledQuantity: qty, FillTime: now, FillPrice: px}
		r.x = [3]decs{fillDecs(&r.f), tradeDecs(&r.t), orderDecs(&r.o)}
	}
	b.ReportAllocs()
	c0 := cputime.Process()
	for i := 0; b.Loop(); i++ {
		r := &recs[i%n]
		if err := e.writeFill(&r.f, "", &r.x[0]); err != nil {
			b.Fatal(err)
		}
		if err := e.writeTrade(&r.t, &r.x[1]); err != nil {
			b.Fatal(err)
		}
		if err := e.writeOrder(&r.o, &r.x[2]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cputime.Process()-c0)/float64(b.N), "cpu-ns/fill")
}
