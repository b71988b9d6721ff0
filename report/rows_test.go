package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
)

// rowTexts are text fields that encoding/csv writes as they are and
// ones it quotes.
var rowTexts = []string{"", "A", "AAA.X", "a b", "a,b", `say "hi"`, " lead", "\tx", `\.`, `\x`, "é",
	"\u00a0nbsp", "line\nbreak", "cr\r", "trail ", "margin: 5 × 2 %", "=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)",
	"\rcr", "'=quoted", "a=b"}

// cellText is the cell a text field becomes, spelled out independently
// of spreadsheetText: a quote in front of a first character that makes a
// spreadsheet read a formula.
func cellText(s string) string {
	for _, c := range []string{"=", "+", "-", "@", "\t", "\r"} {
		if strings.HasPrefix(s, c) {
			return "'" + s
		}
	}
	return s
}

// rowDecimals are decimals of every shape: whole, fractional, with
// trailing zeros, positive exponents, and beyond int64.
var rowDecimals = []decimal.Decimal{
	decimal.Zero, decimal.New(0, -8), decimal.NewFromInt(100), decimal.New(10025, -2), decimal.New(20050000, -8),
	decimal.New(-15, 3), decimal.New(1, -20), decimal.RequireFromString("123456789012345678901234.5678"),
	decimal.RequireFromString("-0.000000000000000000001234"), decimal.New(math.MaxInt64, -4), decimal.New(math.MinInt64, 0),
}

// csvText returns the bytes encoding/csv writes for rows.
func csvText(t *testing.T, rows [][]string) string {
	t.Helper()
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if err := cw.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// testRows returns a rowWriter writing fills, trades and orders into
// the three buffers.
func testRows() (*rowWriter, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	var fb, tb, ob bytes.Buffer
	file := func(b *bytes.Buffer) *csvFile {
		o := &outFile{w: bufio.NewWriter(b)}
		return &csvFile{outFile: o, cw: csv.NewWriter(o)}
	}
	e := &rowWriter{fills: file(&fb), trades: file(&tb), orders: file(&ob)}
	return e, &fb, &tb, &ob
}

func flushRows(t *testing.T, e *rowWriter) {
	t.Helper()
	for _, c := range []*csvFile{e.fills, e.trades, e.orders} {
		c.cw.Flush()
		if err := c.cw.Error(); err != nil {
			t.Fatal(err)
		}
		if err := c.w.Flush(); err != nil {
			t.Fatal(err)
		}
	}
}

// wantTradeRow is a trade's row of trades.csv spelled out field by field,
// independently of tradeRow: the test's reference.
func wantTradeRow(t *portfolio.Trade) []string {
	exitPrice := ""
	if !t.Open {
		exitPrice = t.ExitPrice.String()
	}
	return []string{cellText(t.Symbol), t.Side(), t.Quantity.String(), FormatTime(t.EntryTime), t.EntryPrice.String(),
		FormatTime(t.ExitTime), exitPrice, t.Commission.String(), t.PnLGross.String(), t.PnLNet.String(),
		strconv.Itoa(t.Bars), t.Status(), formatFloat(t.MAE), formatFloat(t.MFE), formatFloat(TradeReturn(t))}
}

// wantOrderRow is an order's row of orders.csv spelled out field by
// field, independently of orderRow: the test's reference.
func wantOrderRow(o *backtest.OrderRecord) []string {
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
	return []string{cellText(orderName(o.ID, o.Label)), strconv.FormatUint(o.ID, 10), FormatTime(o.Time), cellText(o.Symbol), o.Side.String(),
		o.Type.String(), o.Quantity.String(), o.FilledQuantity.String(), priceText(o.Limit), priceText(o.Stop),
		trail, o.TIF.String(), FormatTime(o.ExpireAt), cellText(orderName(o.Parent, o.ParentLabel)), cellText(o.OCO), reduce,
		cellText(o.Source), o.Status, cellText(o.Reason),
		FormatTime(trig), FormatTime(o.FillTime), fillPrice}
}

// TestRowsAsEncodingCSV: the rows of fills.csv, trades.csv and orders.csv
// are byte for byte what encoding/csv writes for the rows' text, quoted
// fields and rows in between included, for decimals of every shape.
func TestRowsAsEncodingCSV(t *testing.T) {
	e, fb, tb, ob := testRows()
	e.table.n = maxTradeRows - 3 // the first rows take the table's path, the rest the fast one
	var fills, trades, orders [][]string
	at := time.Date(2024, 3, 1, 9, 30, 0, 500, time.FixedZone("", 3600))
	for i := range 3 * len(rowTexts) * len(rowDecimals) {
		s := rowTexts[i%len(rowTexts)]
		d := rowDecimals[i%len(rowDecimals)]
		d2 := rowDecimals[(i/len(rowDecimals)+1)%len(rowDecimals)]
		f := &engine.FillEvent{Time: at, OrderID: uint64(i % 4), Symbol: s, Side: engine.Side(1 - 2*(i%2)),
			Quantity: d, Price: d2, Commission: d.Abs(), Slippage: d2, Remaining: decimal.NewFromInt(int64(i))}
		label := rowTexts[(i+3)%len(rowTexts)]
		// Every other round of the decimals, the records' decimals are
		// read beforehand, as the rows' queue does.
		queued := (i/len(rowDecimals))%2 == 1
		var fx *decs
		if queued {
			x := fillDecs(f)
			fx = &x
		}
		if err := e.writeFill(f, label, fx); err != nil {
			t.Fatal(err)
		}
		fills = append(fills, []string{cellText(orderName(f.OrderID, label)), FormatTime(f.Time), cellText(f.Symbol), f.Side.String(),
			f.Quantity.String(), f.Price.String(), f.Commission.String(), f.Slippage.String(), f.Remaining.String()})

		tr := &portfolio.Trade{Symbol: s, Short: i%2 == 0, Quantity: d.Abs().Add(decimal.NewFromInt(1)), EntryTime: at,
			EntryPrice: d2.Abs().Add(decimal.New(1, -3)), ExitTime: at.Add(time.Duration(i) * time.Hour), ExitPrice: d,
			Commission: d2, PnLGross: d, PnLNet: d.Sub(d2), Bars: i, Open: i%5 == 0, MAE: -0.25 / float64(i+1), MFE: float64(i)}
		if tr.Open {
			tr.ExitTime = time.Time{}
		}
		var tx *decs
		if queued {
			x := tradeDecs(tr)
			tx = &x
		}
		if err := e.writeTrade(tr, tx); err != nil {
			t.Fatal(err)
		}
		trades = append(trades, wantTradeRow(tr))

		o := &backtest.OrderRecord{Order: engine.Order{ID: uint64(i + 1), Time: at, Symbol: s, Side: engine.Buy,
			Type: engine.OrderType(1 + i%6), Quantity: d, Limit: engine.Price(i * 12345), Stop: engine.Price(i % 3),
			TrailAmount: engine.Price(i % 2), TIF: engine.TimeInForce(i % 5), Parent: uint64(i % 3), OCO: label,
			ReduceOnly: i%3 == 0, Source: rowTexts[(i+5)%len(rowTexts)], Label: rowTexts[(i+7)%len(rowTexts)]},
			Status: backtest.StatusFilled, Reason: rowTexts[(i+1)%len(rowTexts)], ParentLabel: label,
			FilledQuantity: d2, FillPrice: d, Triggered: i%4 == 0, TriggerTime: at, FillTime: at}
		if i%7 == 0 {
			o.TrailPercent = d.Abs()
			o.ExpireAt = at.Add(time.Hour)
		}
		var ox *decs
		if queued {
			x := orderDecs(o)
			ox = &x
		}
		if err := e.writeOrder(o, ox); err != nil {
			t.Fatal(err)
		}
		orders = append(orders, wantOrderRow(o))
	}
	// IDs beyond int64, a library user's own, are written unsigned.
	big := &backtest.OrderRecord{Order: engine.Order{ID: math.MaxUint64, Time: at, Symbol: "X", Side: engine.Sell,
		Type: engine.Market, Quantity: decimal.NewFromInt(1), Parent: 1 << 63}, Status: backtest.StatusRejected}
	bx := orderDecs(big)
	if err := e.writeOrder(big, &bx); err != nil {
		t.Fatal(err)
	}
	orders = append(orders, wantOrderRow(big))
	flushRows(t, e)
	for _, c := range []struct {
		name string
		got  string
		rows [][]string
	}{{"fills", fb.String(), fills}, {"trades", tb.String(), trades}, {"orders", ob.String(), orders}} {
		if want := csvText(t, c.rows); c.got != want {
			t.Errorf("%s.csv differs from encoding/csv's:\ngot:\n%s\nwant:\n%s", c.name, c.got, want)
		}
	}
	if e.table.n != maxTradeRows-3+len(trades) || len(e.table.rows) != 3 {
		t.Errorf("table: %d rows counted, %d kept; want %d, 3", e.table.n, len(e.table.rows), maxTradeRows-3+len(trades))
	}
}

// TestTradeTableCount: rows beyond the report's first ones add to the
// table what its add would: the return of a closed trade, unless NaN or
// infinite.
func TestTradeTableCount(t *testing.T) {
	for _, ret := range []float64{0.5, -0.125, math.NaN(), math.Inf(1), math.Inf(-1), 0} {
		for _, closed := range []bool{true, false} {
			var viaAdd, viaCount tradeTable
			status := "open"
			if closed {
				status = "closed"
			}
			row := make([]string, 15)
			row[0], row[9], row[11], row[14] = "AAA", "-12.5", status, formatFloat(ret)
			if err := viaAdd.add(row); err != nil {
				t.Fatal(err)
			}
			viaCount.count("AAA", closed, -12.5, ret)
			if !reflect.DeepEqual(viaAdd.symbols, viaCount.symbols) {
				t.Errorf("closed %v: add counts %+v by symbol, count %+v", closed, viaAdd.symbols, viaCount.symbols)
			}
			added, counted := viaAdd.returns.values(), viaCount.returns.values()
			if viaAdd.n != viaCount.n || len(added) != len(counted) ||
				(len(added) == 1 && added[0] != counted[0]) {
				t.Errorf("return %v, closed %v: add keeps %v, count %v", ret, closed, added, counted)
			}
		}
	}
}

// TestTradeReturnMatchesDecimal: a trade's return, worked out from int64
// coefficients where they fit, is the float64 division of the decimal
// figures rounded to float64.
func TestTradeReturnMatchesDecimal(t *testing.T) {
	for _, q := range rowDecimals {
		for _, p := range rowDecimals {
			for _, pnl := range rowDecimals {
				tr := &portfolio.Trade{Quantity: q.Abs().Add(decimal.New(3, -1)), EntryPrice: p.Abs().Add(decimal.New(7, -9)), PnLNet: pnl}
				want := tr.PnLNet.InexactFloat64() / tr.Quantity.Mul(tr.EntryPrice).InexactFloat64()
				if got := TradeReturn(tr); got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Errorf("TradeReturn(%s / (%s × %s)) = %v, want %v", pnl, tr.Quantity, tr.EntryPrice, got, want)
				}
			}
		}
	}
}

// TestTimeTexts: the kept texts of a csvLine's times are FormatTime's,
// for times repeated right away and after others, more distinct times
// than are kept, and the same instant in other locations, which has
// other texts.
func TestTimeTexts(t *testing.T) {
	at := time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)
	east := time.FixedZone("E", 2*3600)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("NY", -5*3600)
	}
	times := []time.Time{
		at, at, at.Add(time.Minute), at, at.In(east), at, at.In(ny), at.In(east),
		at.Add(1500 * time.Millisecond), at.Add(time.Nanosecond), at.Add(2 * time.Minute), at.Add(3 * time.Minute),
		at, at.Add(time.Nanosecond), at.In(east).Add(time.Minute), at.Add(time.Minute).In(east), at.AddDate(1, 0, 0),
	}
	var l csvLine
	for i, tm := range times {
		l.start(nil)
		l.time(tm)
		if got, want := string(l.end()), FormatTime(tm)+"\n"; got != want {
			t.Errorf("time %d (%v): %q, want %q", i, tm, got, want)
		}
	}
}

// TestPlainWords: every text the rows write with word, rather than
// text, is written as text writes it: spreadsheetText leaves it as it is
// and encoding/csv does not quote it. That is every name of a side, an
// order type and a time in force (the names of values out of range
// included), a trade's side and status, "true" and "".
func TestPlainWords(t *testing.T) {
	words := []string{"true", ""}
	for i := range 256 {
		words = append(words, engine.Side(int8(i)).String(), engine.OrderType(i).String(), engine.TimeInForce(i).String())
	}
	for _, tr := range []portfolio.Trade{{}, {Short: true, Open: true}} {
		words = append(words, tr.Side(), tr.Status())
	}
	for _, w := range words {
		if spreadsheetText(w) != w || needsQuotes(w) {
			t.Errorf("%q is not a plain word", w)
		}
		var l csvLine
		l.start(nil).word(w)
		var m csvLine
		m.start(nil).text(w)
		if string(l.end()) != string(m.end()) {
			t.Errorf("word %q: %q, text: %q", w, l.b, m.b)
		}
	}
}
