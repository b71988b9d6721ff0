package data

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// readAll reads every bar of text.
func readAll(text, name string, opts Options) ([]engine.Bar, error) {
	r, err := NewReader(strings.NewReader(text), name, opts)
	if err != nil {
		return nil, err
	}
	return drain(r)
}

// drain reads the bars of r to its end: all of them, or those before an
// error and the error.
func drain(r *Reader) ([]engine.Bar, error) {
	var bars []engine.Bar
	for {
		b, err := r.Next()
		if err == io.EOF {
			return bars, nil
		}
		if err != nil {
			return bars, err
		}
		bars = append(bars, b)
	}
}

// bar builds an expected bar from text.
func bar(sym string, tm time.Time, o, h, l, c string, v float64) engine.Bar {
	b := testkit.OHLC(sym, tm, o+" "+h+" "+l+" "+c)
	b.Volume = v
	return b
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func sameBars(t *testing.T, got, want []engine.Bar) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d bars, want %d:\n got %v\nwant %v", len(got), len(want), got, want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Symbol != w.Symbol || !g.Time.Equal(w.Time) || g.Time.Location().String() != w.Time.Location().String() ||
			g.Open != w.Open || g.High != w.High || g.Low != w.Low || g.Close != w.Close || g.Volume != w.Volume {
			t.Errorf("bar %d:\n got %v %v %d %d %d %d %v\nwant %v %v %d %d %d %d %v", i,
				g.Symbol, g.Time, g.Open, g.High, g.Low, g.Close, g.Volume,
				w.Symbol, w.Time, w.Open, w.High, w.Low, w.Close, w.Volume)
		}
	}
}

func TestReaderLayouts(t *testing.T) {
	d2, d3 := day(2020, 1, 2), day(2020, 1, 3)
	two := func(sym string, t2, t3 time.Time, v2, v3 float64) []engine.Bar {
		return []engine.Bar{
			bar(sym, t2, "10", "10.5", "9.8", "10.2", v2),
			bar(sym, t3, "10.1", "10.6", "9.9", "10.3", v3),
		}
	}
	tests := []struct {
		name string
		text string
		opts Options
		want []engine.Bar
	}{
		{"yahoo", "Date,Open,High,Low,Close,Adj Close,Volume\n" +
			"2020-01-02,10.00,10.50,9.80,10.20,1.00,1000\n2020-01-03,10.10,10.60,9.90,10.30,1.01,1100\n",
			Options{}, two("t", d2, d3, 1000, 1100)},
		{"adj close first", "Date,Adj Close,Open,High,Low,Close,Volume\n" +
			"2020-01-02,1.00,10.00,10.50,9.80,10.20,1000\n2020-01-03,1.01,10.10,10.60,9.90,10.30,1100\n",
			Options{}, two("t", d2, d3, 1000, 1100)},
		{"short aliases", "timestamp,o,h,l,c,v\n" +
			"2020-01-02,10.00,10.50,9.80,10.20,1000\n2020-01-03,10.10,10.60,9.90,10.30,1100\n",
			Options{}, two("t", d2, d3, 1000, 1100)},
		{"case and spaces", " DATE , OPEN,high,LoW , Close,VOL\n" +
			"2020-01-02,10.00,10.50,9.80,10.20,1000\n2020-01-03,10.10,10.60,9.90,10.30,1100\n",
			Options{}, two("t", d2, d3, 1000, 1100)},
		{"last is close", "Datetime,Open,High,Low,Last\n" +
			"2020-01-02,10.00,10.50,9.80,10.20\n2020-01-03,10.10,10.60,9.90,10.30\n",
			Options{}, two("t", d2, d3, 0, 0)},
		{"date/time column", "Date/Time,Open,High,Low,Close,Volume\n" +
			"2020-01-02,10.00,10.50,9.80,10.20,1000\n2020-01-03,10.10,10.60,9.90,10.30,1100\n",
			Options{}, two("t", d2, d3, 1000, 1100)},
		{"time column alone", "Time,Open,High,Low,Close\n" +
			"1577923200,10.00,10.50,9.80,10.20\n1578009600,10.10,10.60,9.90,10.30\n",
			Options{}, two("t", d2, d3, 0, 0)},
		{"date and time columns", "Date,Time,Open,High,Low,Close,Volume,OpenInterest\n" +
			"2020-01-02,09:30:00,10.00,10.50,9.80,10.20,1000,5\n2020-01-02,09:35:00,10.10,10.60,9.90,10.30,1100,5\n",
			Options{}, two("t", d2.Add(9*time.Hour+30*time.Minute), d2.Add(9*time.Hour+35*time.Minute), 1000, 1100)},
		{"symbol option", "Date,Open,High,Low,Close\n2020-01-02,10.00,10.50,9.80,10.20\n2020-01-03,10.10,10.60,9.90,10.30\n",
			Options{Symbol: "XYZ"}, two("XYZ", d2, d3, 0, 0)},
		{"explicit columns", "when,first,top,bottom,final,Close\n" +
			"2020-01-02,10.00,10.50,9.80,10.20,99\n2020-01-03,10.10,10.60,9.90,10.30,99\n",
			Options{Columns: Columns{Time: "When", Open: "FIRST", High: "top", Low: "bottom", Close: "final"}}, two("t", d2, d3, 0, 0)},
		{"explicit date and clock", "d,c2,Open,High,Low,Close\n" +
			"20200102,16:00,10.00,10.50,9.80,10.20\n20200103,16:00,10.10,10.60,9.90,10.30\n",
			Options{Columns: Columns{Date: "d", Clock: "c2"}}, two("t", d2.Add(16*time.Hour), d3.Add(16*time.Hour), 0, 0)},
		{"no header", "2020-01-02,10.00,10.50,9.80,10.20,1000\n2020-01-03,10.10,10.60,9.90,10.30,1100\n",
			Options{}, two("t", d2, d3, 1000, 1100)},
		{"no header five fields", "2020-01-02,10.00,10.50,9.80,10.20\n2020-01-03,10.10,10.60,9.90,10.30\n",
			Options{}, two("t", d2, d3, 0, 0)},
		{"no header date clock", "2020-01-02,09:30:00,10.00,10.50,9.80,10.20,1000,0\n2020-01-02,09:31:00,10.10,10.60,9.90,10.30,1100,0\n",
			Options{Header: HeaderAbsent}, two("t", d2.Add(570*time.Minute), d2.Add(571*time.Minute), 1000, 1100)},
		{"no header order", "x,10.20,10.00,9.80,10.50,2020-01-02,1000\nx,10.30,10.10,9.90,10.60,2020-01-03,1100\n",
			Options{Header: HeaderAbsent, Order: []string{"", "close", "open", "low", "high", "date", "volume"}}, two("t", d2, d3, 1000, 1100)},
		{"header skipped", "a,b,c\n2020-01-02,10.00,10.50,9.80,10.20,1000\n2020-01-03,10.10,10.60,9.90,10.30,1100\n",
			Options{Header: HeaderSkip}, two("t", d2, d3, 1000, 1100)},
		{"order skips header", "Close,Open,High,Low,Date\n10.20,10.00,10.50,9.80,2020-01-02\n10.30,10.10,10.60,9.90,2020-01-03\n",
			Options{Order: []string{"open", "close", "high", "low", "time"}}, []engine.Bar{
				bar("t", d2, "10.2", "10.5", "9.8", "10", 0),
				bar("t", d3, "10.3", "10.6", "9.9", "10.1", 0),
			}},
		{"semicolons", "Date;Open;High;Low;Close\n2020-01-02;10.00;10.50;9.80;10.20\n2020-01-03;10.10;10.60;9.90;10.30\n",
			Options{Comma: ';'}, two("t", d2, d3, 0, 0)},
		{"tabs no header", "2020-01-02\t10.00\t10.50\t9.80\t10.20\n2020-01-03\t10.10\t10.60\t9.90\t10.30\n",
			Options{Comma: '\t'}, two("t", d2, d3, 0, 0)},
		{"crlf and bom", "\ufeffDate,Open,High,Low,Close\r\n2020-01-02,10.00,10.50,9.80,10.20\r\n2020-01-03,10.10,10.60,9.90,10.30\r\n",
			Options{}, two("t", d2, d3, 0, 0)},
		{"bom and quoted header", "\ufeff\"Date\",\"Open\",\"High\",\"Low\",\"Close\"\n2020-01-02,10.00,10.50,9.80,10.20\n2020-01-03,10.10,10.60,9.90,10.30\n",
			Options{}, two("t", d2, d3, 0, 0)},
		{"no final newline", "Date,Open,High,Low,Close\n2020-01-02,10.00,10.50,9.80,10.20\n2020-01-03,10.10,10.60,9.90,10.30",
			Options{}, two("t", d2, d3, 0, 0)},
		{"spaces around values", "Date,Open,High,Low,Close,Volume\n2020-01-02, 10.00 ,10.50,9.80,10.20, 1000\n 2020-01-03,10.10,10.60,9.90,10.30,1100.5 \n",
			Options{}, two("t", d2, d3, 1000, 1100.5)},
		{"exponent and plus", "Date,Open,High,Low,Close,Volume\n2020-01-02,1e1,+10.5,9.8,10.2,1e3\n2020-01-03,10.1,10.6,9.9,10.3,1.1e3\n",
			Options{}, two("t", d2, d3, 1000, 1100)},
		{"explicit layout", "Date,Open,High,Low,Close\n02/01/2020,10.00,10.50,9.80,10.20\n03/01/2020,10.10,10.60,9.90,10.30\n",
			Options{TimeLayout: "02/01/2006"}, two("t", d2, d3, 0, 0)},
		{"explicit layout no header", "Jan 2 2020,10.00,10.50,9.80,10.20\nJan 3 2020,10.10,10.60,9.90,10.30\n",
			Options{TimeLayout: "Jan 2 2006"}, two("t", d2, d3, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(tt.text, "t.csv", tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			sameBars(t, got, tt.want)
		})
	}
}

func TestReaderTimeFormats(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	plus2 := time.FixedZone("", 2*3600)
	tests := []struct {
		a, b   string
		loc    *time.Location
		layout string
		want   [2]time.Time
	}{
		{"2020-01-02", "2020-01-03", nil, "", [2]time.Time{day(2020, 1, 2), day(2020, 1, 3)}},
		{"20200102", "20200103", nil, "", [2]time.Time{day(2020, 1, 2), day(2020, 1, 3)}},
		{"2020-01-02 09:30:00", "2020-01-02 09:31:00", nil, "", [2]time.Time{
			time.Date(2020, 1, 2, 9, 30, 0, 0, time.UTC), time.Date(2020, 1, 2, 9, 31, 0, 0, time.UTC)}},
		{"2020-01-02T09:30:00", "2020-01-02T09:30:01", nil, "", [2]time.Time{
			time.Date(2020, 1, 2, 9, 30, 0, 0, time.UTC), time.Date(2020, 1, 2, 9, 30, 1, 0, time.UTC)}},
		{"2015-09-23T20:57:42.146", "2015-09-23T20:57:42.1465", nil, "", [2]time.Time{
			time.Date(2015, 9, 23, 20, 57, 42, 146e6, time.UTC), time.Date(2015, 9, 23, 20, 57, 42, 146.5e6, time.UTC)}},
		{"2020-01-02 09:30:00.000000001", "2020-01-02 09:30:00.5", nil, "", [2]time.Time{
			time.Date(2020, 1, 2, 9, 30, 0, 1, time.UTC), time.Date(2020, 1, 2, 9, 30, 0, 5e8, time.UTC)}},
		{"2020-01-02 09:30", "2020-01-02 09:31", nil, "", [2]time.Time{
			time.Date(2020, 1, 2, 9, 30, 0, 0, time.UTC), time.Date(2020, 1, 2, 9, 31, 0, 0, time.UTC)}},
		{"2020-01-02T09:30Z", "2020-01-02T09:31Z", nil, "", [2]time.Time{
			time.Date(2020, 1, 2, 9, 30, 0, 0, time.UTC), time.Date(2020, 1, 2, 9, 31, 0, 0, time.UTC)}},
		{"2020-01-02T09:30:00Z", "2020-01-02T09:31:00.25Z", ny, "", [2]time.Time{
			time.Date(2020, 1, 2, 9, 30, 0, 0, time.UTC), time.Date(2020, 1, 2, 9, 31, 0, 25e7, time.UTC)}},
		{"2020-01-02T09:30:00+02:00", "2020-01-02T08:31:00+00:00", nil, "", [2]time.Time{
			time.Date(2020, 1, 2, 9, 30, 0, 0, plus2), time.Date(2020, 1, 2, 8, 31, 0, 0, time.UTC)}},
		{"2020-01-02 09:30:00-05:00", "2020-01-02 09:31:00-05:00", nil, "", [2]time.Time{
			time.Date(2020, 1, 2, 9, 30, 0, 0, time.FixedZone("", -5*3600)), time.Date(2020, 1, 2, 9, 31, 0, 0, time.FixedZone("", -5*3600))}},
		{"1577923200", "1578009600", nil, "", [2]time.Time{day(2020, 1, 2), day(2020, 1, 3)}},
		{"1577923200000", "1577923200001", nil, "", [2]time.Time{day(2020, 1, 2), day(2020, 1, 2).Add(time.Millisecond)}},
		{"1577923200", "1578009600", ny, "", [2]time.Time{day(2020, 1, 2).In(ny), day(2020, 1, 3).In(ny)}},
		{"2020-01-02 09:30:00", "2020-07-02 09:30:00", ny, "", [2]time.Time{
			time.Date(2020, 1, 2, 9, 30, 0, 0, ny), time.Date(2020, 7, 2, 9, 30, 0, 0, ny)}},
		{"2020-01-02", "2020-01-03", ny, "", [2]time.Time{time.Date(2020, 1, 2, 0, 0, 0, 0, ny), time.Date(2020, 1, 3, 0, 0, 0, 0, ny)}},
		{"2020.01.02 9:30 PM", "2020.01.02 9:31 PM", nil, "2006.01.02 3:04 PM", [2]time.Time{
			time.Date(2020, 1, 2, 21, 30, 0, 0, time.UTC), time.Date(2020, 1, 2, 21, 31, 0, 0, time.UTC)}},
		{"2020.01.02 9:30 PM", "2020.01.02 9:31 PM", ny, "2006.01.02 3:04 PM", [2]time.Time{
			time.Date(2020, 1, 2, 21, 30, 0, 0, ny), time.Date(2020, 1, 2, 21, 31, 0, 0, ny)}},
	}
	for _, tt := range tests {
		t.Run(tt.a, func(t *testing.T) {
			text := "Time,Open,High,Low,Close\n" + tt.a + ",1,1,1,1\n" + tt.b + ",1,1,1,1\n"
			got, err := readAll(text, "t.csv", Options{Location: tt.loc, TimeLayout: tt.layout})
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range tt.want {
				g := got[i].Time
				if !g.Equal(w) {
					t.Errorf("time %d = %v, want %v", i, g, w)
				}
				_, goff := g.Zone()
				_, woff := w.Zone()
				if goff != woff || g.Location().String() != w.Location().String() {
					t.Errorf("time %d = %v in %q, want %v in %q", i, g, g.Location(), w, w.Location())
				}
			}
			// The same without a header, found by position.
			got2, err := readAll(text[len("Time,Open,High,Low,Close\n"):], "t.csv", Options{Location: tt.loc, TimeLayout: tt.layout, Header: HeaderAbsent})
			if err != nil {
				t.Fatal(err)
			}
			sameBars(t, got2, got)
		})
	}
}

// TestReaderTimeErrors covers timestamps that do not parse.
func TestReaderTimeErrors(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"2020-01-02", "2020-1-3", `t.csv:3: field "Time": time "2020-1-3" does not match the layout 2006-01-02 of the first row (line 2); every row must use the same layout`},
		{"2020-01-02 09:30:00", "2020-01-02T09:31:00", `t.csv:3: field "Time": time "2020-01-02T09:31:00" does not match the layout 2006-01-02 15:04:05 of the first row (line 2)`},
		{"2020-01-02T09:30:00Z", "2020-01-02T09:31:00", `t.csv:3: field "Time": time "2020-01-02T09:31:00" does not match the layout 2006-01-02T15:04:05Z07:00`},
		{"2020-01-02", "2020-01-32", `t.csv:3: field "Time": time "2020-01-32" is out of range`},
		{"2020-01-02 24:00:00", "x", `t.csv:2: field "Time": time "2020-01-02 24:00:00" is out of range`},
		{"2020-01-02 09:30:00.1234567891", "x", `t.csv:2: field "Time": time "2020-01-02 09:30:00.1234567891" is not in layout 2006-01-02 15:04:05`},
		{"2020-01-02T09:30:00+0100", "x", `t.csv:2: field "Time": time "2020-01-02T09:30:00+0100" is not in layout 2006-01-02T15:04:05Z07:00`},
		{"1577923200", "157792320000", `t.csv:3: field "Time": time "157792320000" does not match the layout unix seconds`},
		{"yesterday", "x", `t.csv:2: field "Time": time "yesterday" is not in a known layout; expected 2006-01-02`},
		{"2019-02-29", "x", `t.csv:2: field "Time": time "2019-02-29" is out of range`},
	}
	for _, tt := range tests {
		t.Run(tt.a, func(t *testing.T) {
			text := "Time,Open,High,Low,Close\n" + tt.a + ",1,1,1,1\n" + tt.b + ",1,1,1,1\n"
			_, err := readAll(text, "t.csv", Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v\nwant it to contain %s", err, tt.want)
			}
		})
	}
	// A leap day is fine.
	if _, err := readAll("Time,Open,High,Low,Close\n2020-02-29,1,1,1,1\n", "t.csv", Options{}); err != nil {
		t.Error(err)
	}
	// An explicit layout that does not match.
	_, err := readAll("Date,Open,High,Low,Close\n2020-01-02,1,1,1,1\n", "t.csv", Options{TimeLayout: "02/01/2006", Header: HeaderPresent})
	if want := `t.csv:2: field "Date": time "2020-01-02" does not match Options.TimeLayout "02/01/2006"`; err == nil || err.Error() != want {
		t.Errorf("error %v\nwant %s", err, want)
	}
	// Date and time-of-day columns.
	_, err = readAll("Date,Time,Open,High,Low,Close\n2020-01-02,09:30:00,1,1,1,1\n2020-01-02,09:31,1,1,1,1\n", "t.csv", Options{})
	if want := `t.csv:3: field "Time": time "09:31" does not match the layout 15:04:05 of the first row (line 2)`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v\nwant %s", err, want)
	}
	_, err = readAll("Date,Time,Open,High,Low,Close\n2020-01-02,9h30,1,1,1,1\n", "t.csv", Options{})
	if want := `t.csv:2: field "Time": time of day "9h30" is not in a known layout; expected 15:04:05 or 15:04`; err == nil || err.Error() != want {
		t.Errorf("error %v\nwant %s", err, want)
	}
	_, err = readAll("Date,Time,Open,High,Low,Close\n2020-01-02 09:30,09:30,1,1,1,1\n", "t.csv", Options{})
	if want := `t.csv:2: field "Date": date "2020-01-02 09:30" is not in a known layout; expected 2006-01-02 or 20060102`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v\nwant %s", err, want)
	}
}

func TestReaderOptionErrors(t *testing.T) {
	tests := []struct {
		name, text string
		opts       Options
		want       string
	}{
		{"columns and order", "Date,Open,High,Low,Close\n", Options{Columns: Columns{Open: "x"}, Order: []string{"time"}},
			"t.csv: set Options.Columns or Options.Order, not both"},
		{"column not found", "Date,Open,High,Low,Close\n", Options{Columns: Columns{Close: "Settle"}},
			`t.csv:1: no column "Settle" (Options.Columns.Close) in the header ["Date" "Open" "High" "Low" "Close"]`},
		{"columns without header", "2020-01-02,1,1,1,1\n", Options{Columns: Columns{Close: "x"}},
			"t.csv: Options.Columns needs a header line with column names"},
		{"time and date", "a,b,c,Open,High,Low,Close\n", Options{Columns: Columns{Time: "a", Date: "b", Clock: "c"}},
			"t.csv:1: Options.Columns: give either Time or Date and Clock, not both"},
		{"duplicate column", "Date,Open,High,Low,Close,close\n", Options{},
			`t.csv:1: column "close" appears twice in the header (columns 5 and 6)`},
		{"bad order name", "2020-01-02,1,1,1,1\n", Options{Order: []string{"time", "opn"}},
			`t.csv:1: Options.Order: unknown field "opn"`},
		{"order too long", "2020-01-02,1,1,1,1\n", Options{Order: []string{"time", "open", "high", "low", "close", "volume"}},
			"t.csv:1: Options.Order names 6 columns but the row has 5 fields"},
		{"order without close", "2020-01-02,1,1,1,1\n", Options{Order: []string{"time", "open", "high", "low"}},
			`t.csv:1: Options.Order: no "close" field`},
		{"too few fields no header", "2020-01-02,1,1,1\n", Options{},
			"t.csv:1: a row without a header needs at least 5 fields, time,open,high,low,close; this one has 4"},
		{"no time column", "When,Open,High,Low,Close\n", Options{},
			`t.csv:1: field "time": no time column in the header ["When" "Open" "High" "Low" "Close"]; expected a column named Date, Datetime, Date/Time, Timestamp or Time (or name it with --columns, Options.Columns)`},
		{"no symbol", "Date,Open,High,Low,Close\n", Options{}, "no symbol: set Options.Symbol or name the input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "t.csv"
			if tt.name == "no symbol" {
				name = ""
			}
			_, err := readAll(tt.text, name, tt.opts)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v\nwant it to contain %s", err, tt.want)
			}
		})
	}
}

// TestReaderSymbol checks the default symbol and the Bars count.
func TestReaderSymbol(t *testing.T) {
	r, err := NewReader(strings.NewReader("Date,Open,High,Low,Close\n2020-01-02,1,1,1,1\n"), "dir/sub/AAPL.US.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Symbol(); got != "AAPL.US" {
		t.Errorf("Symbol() = %q, want AAPL.US", got)
	}
	b, err := r.Next()
	if err != nil || b.Symbol != "AAPL.US" {
		t.Fatalf("Next() = %v, %v", b, err)
	}
	for range 2 {
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("Next() error %v, want io.EOF", err)
		}
	}
	if r.Bars() != 1 {
		t.Errorf("Bars() = %d, want 1", r.Bars())
	}
	if err := r.Close(); err != nil {
		t.Error(err)
	}
}

func TestSkipBadRow(t *testing.T) {
	text := "Date,Open,High,Low,Close,Volume\n" +
		"2020-01-02,10,11,9,10,1\n" + // line 2: ok
		"2020-01-03,10,9,9,10,1\n" + // 3: high below close
		"2020-01-01,10,11,9,10,1\n" + // 4: before line 2
		"2020-01-03,10,11,9,10\n" + // 5: too few fields
		"2020-01-03,10,11,9,10,1\n" + // 6: ok: after line 2, the last accepted
		"2020-01-03,10,11,9,10,1\n" + // 7: repeats line 6
		"2020-01-06,x,11,9,10,1\n" + // 8: bad price
		"2020-01-07,10,11,9,10,1\n" // 9: ok
	r, err := NewReader(strings.NewReader(text), "s.csv", Options{BadRows: SkipBadRow})
	if err != nil {
		t.Fatal(err)
	}
	var days []int
	for {
		b, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		days = append(days, b.Time.Day())
	}
	if want := []int{2, 3, 7}; !equalInts(days, want) {
		t.Errorf("days %v, want %v", days, want)
	}
	n, errs := r.Skipped()
	if n != 5 || len(errs) != 5 {
		t.Fatalf("Skipped() = %d, %d errors; want 5, 5", n, len(errs))
	}
	lines := []int{3, 4, 5, 7, 8}
	for i, e := range errs {
		if e.Line != lines[i] || e.File != "s.csv" {
			t.Errorf("error %d: %v, want line %d", i, e, lines[i])
		}
	}
	if want := `s.csv:7: field "Date": time 2020-01-03 is not after the previous row's 2020-01-03 (line 6)`; !strings.HasPrefix(errs[3].Error(), want) {
		t.Errorf("error 3: %v\nwant %s", errs[3], want)
	}
	if r.Bars() != 3 {
		t.Errorf("Bars() = %d", r.Bars())
	}
}

func TestSkipBadRowKeepsFewErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("Date,Open,High,Low,Close\n")
	for range 50 {
		b.WriteString("2020-01-02,1,1,1,x\n")
	}
	r, err := NewReader(strings.NewReader(b.String()), "s.csv", Options{BadRows: SkipBadRow})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("Next() error %v, want io.EOF", err)
	}
	if n, errs := r.Skipped(); n != 50 || len(errs) != maxKeptErrors || errs[9].Line != 11 {
		t.Errorf("Skipped() = %d, %d errors", n, len(errs))
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestLongLine checks that a line over MaxLineBytes is an error naming it,
// however the line is built.
func TestLongLine(t *testing.T) {
	long := strings.Repeat("1", MaxLineBytes+10)
	tests := []struct{ name, text, want string }{
		{"long row", "Date,Open,High,Low,Close\n2020-01-02,1,1,1,1\n2020-01-03,1,1,1," + long + "\n2020-01-06,1,1,1,1\n",
			"big.csv:3: line is longer than 1048576 bytes"},
		{"long header", long + "\n", "big.csv:1: line is longer than 1048576 bytes"},
		{"no newline", long, "big.csv:1: line is longer than 1048576 bytes"},
		{"unclosed quote", "Date,Open,High,Low,Close\n2020-01-02,1,1,1,1\n2020-01-03,1,1,1,\"1\n" +
			strings.Repeat("2020-01-06,1,1,1,1\n", MaxLineBytes/19+4000),
			"big.csv:3: the record starting on this line is longer than 1048576 bytes; is a closing quote missing?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bars, err := readAll(tt.text, "big.csv", Options{})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error %v\nwant %s", err, tt.want)
			}
			if tt.name == "long row" && len(bars) != 1 {
				t.Errorf("read %d bars before the long line, want 1", len(bars))
			}
		})
	}
	// A line just under the limit is fine.
	pad := strings.Repeat(" ", MaxLineBytes-40)
	if _, err := readAll("Date,Open,High,Low,Close\n2020-01-02,1,1,1,1"+pad+"\n", "ok.csv", Options{}); err != nil {
		t.Error(err)
	}
}

// errReader fails after its text.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, e.err
	}
	return n, err
}

func TestReadErrorIsReturned(t *testing.T) {
	boom := errors.New("disk on fire")
	r, err := NewReader(&errReader{strings.NewReader("Date,Open,High,Low,Close\n2020-01-02,1,1,1,1\n"), boom}, "f.csv", Options{BadRows: SkipBadRow})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, err = r.Next()
	if !errors.Is(err, boom) || err.Error() != "f.csv: disk on fire" {
		t.Errorf("error %v, want f.csv: disk on fire", err)
	}
}

// engineBar shortens test tables.
type engineBar = engine.Bar
