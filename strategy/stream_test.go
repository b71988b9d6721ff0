package strategy

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
)

// TestOrdersLimits: an overlong line or record, and an id, parent, oco
// or symbol that is not UTF-8, give an error naming the line.
func TestOrdersLimits(t *testing.T) {
	const h = "time,symbol,side,type,quantity,limit,stop,trail,tif,expire,id,parent,oco\n"
	long := strings.Repeat("x", MaxOrdersLineBytes)
	tests := []struct {
		name, text, want string
	}{
		{"long line", h + "2024-01-02,X,buy,market,1,,,,,,,,\n2024-01-02,X,buy,market,1,,,,,," + long + ",,\n",
			"o.csv:3: line is longer than 1048576 bytes"},
		{"long record", h + "2024-01-02,X,buy,market,1,,,,,,\"" + strings.Repeat("y\n", MaxOrdersLineBytes/2+3000) + "\",,\n",
			"o.csv:2: the record starting on this line is longer than 1048576 bytes; is a closing quote missing?"},
		{"id not UTF-8", h + "2024-01-02,X,buy,market,1,,,,,,a\xffb,,\n", `o.csv:2:32: field "id": "a\xffb" is not valid UTF-8 text`},
		{"parent not UTF-8", h + "2024-01-02,X,buy,market,1,,,,,,,\xc3,\n", `o.csv:2:33: field "parent": "\xc3" is not valid UTF-8 text`},
		{"oco not UTF-8", h + "2024-01-02,X,buy,market,1,,,,,,,,\xed\xa0\x80\n", `o.csv:2:34: field "oco": "\xed\xa0\x80" is not valid UTF-8 text`},
		{"symbol not UTF-8", h + "2024-01-02,\xfe,buy,market,1,,,,,,,,\n", `o.csv:2:12: field "symbol": "\xfe" is not valid UTF-8 text`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, err := NewOrdersReader(strings.NewReader(tc.text), "o.csv", nil)
			if err != nil {
				t.Fatal(err)
			}
			for err == nil {
				_, err = o.Next()
			}
			var fe *OrdersFileError
			if !errors.As(err, &fe) || err.Error() != tc.want {
				t.Errorf("error %v (%T)\nwant %q", err, err, tc.want)
			}
			if _, again := o.Next(); again != err {
				t.Errorf("the next call returns %v, not the error again", again)
			}
		})
	}
	// A line of exactly the limit is read.
	text := h + "2024-01-02,X,buy,market,1,,,,,,," + strings.Repeat(" ", MaxOrdersLineBytes-len("2024-01-02,X,buy,market,1,,,,,,,,")) + ",\n"
	if rows, err := ParseOrders(strings.NewReader(text), "o.csv", nil); err != nil || len(rows) != 1 {
		t.Errorf("a line of %d bytes: %d rows, %v", MaxOrdersLineBytes, len(rows), err)
	}
}

// replayed returns what r submits for bars: a line per row handled, in
// order, as "time symbol: line N".
func replayed(r *Replay, bars []engine.Bar) []string {
	var got []string
	for _, b := range bars {
		r.due(b, func(row OrderRow) {
			got = append(got, fmt.Sprintf("%s %s: line %d", b.Time.Format("01-02"), b.Symbol, row.Line))
		})
	}
	return got
}

// dailyBars returns the bars of symbols at days from, ..., to of January
// 2024, the symbols of one day in order.
func dailyBars(from, to int, symbols ...string) []engine.Bar {
	var bars []engine.Bar
	for d := from; d <= to; d++ {
		for _, s := range symbols {
			bars = append(bars, engine.Bar{Symbol: s, Time: time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC)})
		}
	}
	return bars
}

// TestOpenReplay: a file in time order is read as the run goes, and one
// out of order is held; both submit each row at its symbol's first bar at
// or after its time, rows of a bar in file order, as NewReplay does.
func TestOpenReplay(t *testing.T) {
	const h = "time,symbol,side,type,quantity,id\n"
	sorted := h + "2024-01-02,X,buy,market,1,a\n2024-01-02,Y,buy,market,1,\n2024-01-03,X,sell,market,1,\n" +
		"2024-01-03 12:00,Y,buy,market,1,\n2024-01-05,X,,cancel,,a\n2024-01-09,Y,buy,market,1,\n"
	// Y has no bar on the 4th and none after the 6th: its row of the
	// 3rd noon goes at the 5th, that of the 9th never.
	bars := append(dailyBars(1, 3, "X", "Y"), dailyBars(4, 4, "X")...)
	bars = append(bars, dailyBars(5, 6, "X", "Y")...)
	want := []string{"01-02 X: line 2", "01-02 Y: line 3", "01-03 X: line 4", "01-05 X: line 6", "01-05 Y: line 5"}
	unsorted := h + "2024-01-03,X,sell,market,1,\n2024-01-02,X,buy,market,1,a\n2024-01-02,Y,buy,market,1,\n" +
		"2024-01-05,X,,cancel,,a\n2024-01-09,Y,buy,market,1,\n2024-01-03 12:00,Y,buy,market,1,\n"
	wantUnsorted := []string{"01-02 X: line 3", "01-02 Y: line 4", "01-03 X: line 2", "01-05 X: line 5", "01-05 Y: line 7"}
	for _, tc := range []struct {
		name, text string
		sorted     bool
		want       []string
	}{{"sorted", sorted, true, want}, {"unsorted", unsorted, false, wantUnsorted}} {
		t.Run(tc.name, func(t *testing.T) {
			r, sum, err := OpenReplay(strings.NewReader(tc.text), "o.csv", nil)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Rows != 6 || sum.Sorted != tc.sorted || len(sum.Symbols) != 2 || sum.Symbols["Y"] != (SymbolPos{Line: 3, Column: 12}) && tc.sorted {
				t.Errorf("summary %+v", sum)
			}
			if (r.src != nil) != tc.sorted {
				t.Errorf("read as the run goes: %v, want %v", r.src != nil, tc.sorted)
			}
			got := replayed(r, bars)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("replayed\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			rows, err := ParseOrders(strings.NewReader(tc.text), "o.csv", nil)
			if err != nil {
				t.Fatal(err)
			}
			if inMemory := replayed(NewReplay(rows), bars); strings.Join(inMemory, "\n") != strings.Join(got, "\n") {
				t.Errorf("NewReplay replays\n%s", strings.Join(inMemory, "\n"))
			}
			if r.Pending() != 1 {
				t.Errorf("pending %d, want 1", r.Pending())
			}
			if err := r.Close(); err != nil {
				t.Error(err)
			}
		})
	}
}

// changingFile is a file whose bytes change after the first reading.
// Seek, which OpenReplay calls between its readings, changes them.
type changingFile struct {
	r      *strings.Reader
	second string
}

func (f *changingFile) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *changingFile) Seek(off int64, whence int) (int64, error) {
	f.r = strings.NewReader(f.second)
	return off, nil
}

// TestOpenReplayFileChanged: a file that changes between its check and
// the run's reading is an error at Close, whether the change breaks a row
// or not.
func TestOpenReplayFileChanged(t *testing.T) {
	const h = "time,symbol,side,type,quantity\n"
	first := h + "2024-01-02,X,buy,market,1\n2024-01-03,X,buy,market,1\n"
	for _, tc := range []struct{ second, want string }{
		{h + "2024-01-02,X,buy,market,1\n2024-01-03,X,buy,market,2\n", "orders file o.csv changed during the run: its bytes differ from those checked before it"},
		{h + "2024-01-02,X,buy,market,1\n2024-01-03,X,buy,hold,1\n", `orders file changed during the run: o.csv:3:18: field "type": unknown type "hold"`},
	} {
		f := &changingFile{r: strings.NewReader(first), second: tc.second}
		r, _, err := OpenReplay(f, "o.csv", nil)
		if err != nil {
			t.Fatal(err)
		}
		replayed(r, dailyBars(1, 5, "X"))
		if err := r.Close(); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Close: %v, want %q", err, tc.want)
		}
	}
	// A file out of time order is read twice before the run.
	unsorted := h + "2024-01-03,X,buy,market,1\n2024-01-02,X,buy,market,1\n"
	f := &changingFile{r: strings.NewReader(unsorted), second: strings.Replace(unsorted, "market,1", "market,3", 1)}
	want := "o.csv changed while it was read: its bytes differ from those checked before"
	if _, _, err := OpenReplay(f, "o.csv", nil); err == nil || err.Error() != want {
		t.Errorf("OpenReplay of an unsorted file that changed: %v, want %q", err, want)
	}
}

// TestOpenReplayUnsortedLimit: a file out of time order beyond
// MaxUnsortedOrders rows is refused, naming the first line out of order.
func TestOpenReplayUnsortedLimit(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("time,symbol,side,type,quantity\n")
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range MaxUnsortedOrders + 1 {
		at := day.Add(time.Duration(i) * time.Minute)
		if i == 7 {
			at = day // line 9 goes back in time
		}
		fmt.Fprintf(&b, "%s,X,buy,market,1\n", at.Format(time.RFC3339))
	}
	_, _, err := OpenReplay(bytes.NewReader(b.Bytes()), "o.csv", nil)
	want := `o.csv:9:1: field "time": 2024-01-01T00:00:00Z is before 2024-01-01T00:06:00Z, the time of line 8: the rows are not in time order, and a file of more than 100000 rows must be (this one has 100001): sort it by time`
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant  %s", err, want)
	}
}

// heapInUse returns the bytes of live heap objects after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestReplayMemoryBounded: replaying a generated file of 200,000 rows in
// time order, one a minute over four symbols, keeps the heap small at
// every step: rows without an id are forgotten once handled, and an order
// with an id keeps under 300 bytes (what later rows may refer to).
// Holding the rows, as ParseOrders does, takes over 300 bytes a row.
func TestReplayMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and replays 200,000 rows")
	}
	const n = 200_000
	symbols := []string{"AAA", "BBB", "CCC", "DDD"}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	file := func(ids bool) []byte {
		var b bytes.Buffer
		b.WriteString("time,symbol,side,type,quantity,limit,tif,id\n")
		for i := range n {
			id := ""
			if ids {
				id = fmt.Sprintf("order-%07d", i)
			}
			fmt.Fprintf(&b, "%s,%s,buy,limit,%d.5,%d.25,day,%s\n", start.Add(time.Duration(i)*time.Minute).Format("2006-01-02 15:04"),
				symbols[i%len(symbols)], 1+i%100, 100+i%50, id)
		}
		return b.Bytes()
	}
	for _, tc := range []struct {
		ids   bool
		bound uint64 // of the heap's growth, in bytes
	}{{false, 4 << 20}, {true, 4<<20 + n*300}} {
		t.Run(fmt.Sprintf("ids=%v", tc.ids), func(t *testing.T) {
			text := file(tc.ids)
			before := heapInUse()
			held, err := ParseOrders(bytes.NewReader(text), "o.csv", nil)
			if err != nil {
				t.Fatal(err)
			}
			heldBytes := heapInUse() - before
			runtime.KeepAlive(held)
			held = nil

			before = heapInUse()
			r, sum, err := OpenReplay(bytes.NewReader(text), "o.csv", nil)
			if err != nil || !sum.Sorted {
				t.Fatalf("sorted %v, %v", sum != nil && sum.Sorted, err)
			}
			var peak uint64
			handled := 0
			for i := range n {
				bar := engine.Bar{Symbol: symbols[i%len(symbols)], Time: start.Add(time.Duration(i) * time.Minute)}
				r.due(bar, func(OrderRow) { handled++ })
				if i%50_000 == 0 || i == n-1 {
					if h := heapInUse(); h > before {
						peak = max(peak, h-before)
					}
				}
			}
			if handled != n || r.Pending() != 0 {
				t.Fatalf("%d rows handled, %d pending", handled, r.Pending())
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			t.Logf("heap growth: replay at most %d KB, all rows held %d KB", peak>>10, heldBytes>>10)
			if peak > tc.bound {
				t.Errorf("the replay's heap grew by %d bytes, more than %d", peak, tc.bound)
			}
			if heldBytes < n*300 {
				t.Errorf("all rows held take %d bytes, less than the 300 a row this test expects", heldBytes)
			}
		})
	}
}

func BenchmarkParseOrders(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("time,symbol,side,type,quantity,limit,tif,id\n")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 10000 {
		fmt.Fprintf(&buf, "%s,AAA,buy,limit,%d.5,%d.25,day,\n", start.Add(time.Duration(i)*time.Minute).Format("2006-01-02 15:04"), 1+i%100, 100+i%50)
	}
	for b.Loop() {
		if _, err := ParseOrders(bytes.NewReader(buf.Bytes()), "o.csv", nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOrdersHeaderRecordLimit: a header record left open by a missing
// closing quote is named by its first line.
func TestOrdersHeaderRecordLimit(t *testing.T) {
	text := "time,\"" + strings.Repeat("y\n", MaxOrdersLineBytes/2+3000)
	_, err := NewOrdersReader(strings.NewReader(text), "o.csv", nil)
	want := "o.csv:1: the record starting on this line is longer than 1048576 bytes; is a closing quote missing?"
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant %q", err, want)
	}
}
