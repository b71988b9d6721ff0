package data

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/quantloop/quantloop/engine"
)

// toParquet writes the bars of the CSV file at path (read with opts) as
// Parquet and returns the file's bytes.
func toParquet(t testing.TB, path string, opts Options) []byte {
	t.Helper()
	r, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var b bytes.Buffer
	if _, err := WriteParquet(&b, r, opts.Location); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// readParquet reads every bar of a Parquet file held in b.
func readParquet(b []byte, name string, opts Options) ([]engine.Bar, error) {
	r, err := NewParquetReader(b, name, opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var bars []engine.Bar
	for {
		bar, err := r.Next()
		if err == io.EOF {
			return bars, nil
		}
		if err != nil {
			return bars, err
		}
		bars = append(bars, bar)
	}
}

// sameParquetBars fails t unless got and want are the same bars: equal fields,
// equal instants, and times shown alike (same offset and zone name).
func sameParquetBars(t *testing.T, got, want []engine.Bar) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d bars, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		gn, goff := g.Time.Zone()
		wn, woff := w.Time.Zone()
		if !g.Time.Equal(w.Time) || gn != wn || goff != woff || g.Time.Location().String() != w.Time.Location().String() {
			t.Fatalf("bar %d: time %v (%s), want %v (%s)", i, g.Time, g.Time.Location(), w.Time, w.Time.Location())
		}
		g.Time, w.Time = time.Time{}, time.Time{}
		if g != w {
			t.Fatalf("bar %d: %+v, want %+v", i, g, w)
		}
	}
}

// TestParquetRoundTrip writes CSV files as Parquet and reads them back:
// the bars are the CSV reader's, to the last unit and nanosecond, with
// times in the same zones.
func TestParquetRoundTrip(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	files, _ := filepath.Glob("../testdata/*/*.csv")
	type tc struct {
		path string
		opts Options
	}
	var cases []tc
	for _, f := range files {
		// bad holds broken bar files; actions.csv and orders.csv beside
		// the bars of testdata/actions are not bar files.
		if filepath.Base(filepath.Dir(f)) == "bad" || filepath.Base(f) == "actions.csv" || filepath.Base(f) == "orders.csv" {
			continue
		}
		cases = append(cases, tc{f, Options{}})
	}
	zones := "Datetime,Open,High,Low,Close,Volume\n" +
		"2020-03-06T09:30:00-05:00,1.5,2,1,1.75,100\n" +
		"2020-03-06T15:00:00Z,1.5,2,1,1.75,0.25\n" +
		"2020-03-09T09:30:00.123456789-04:00,1.5,2,1,1.75,1e3\n" +
		"2020-03-10T06:00:00+05:30,1.5,2,1,1.75,7\n" +
		"2020-03-10T23:00:00+00:00,0.00000001,90071992.54740991,0.00000001,3,7\n"
	local := "Datetime,Open,High,Low,Close,Volume\n" +
		"2020-03-06 09:30:00,1.5,2,1,1.75,100\n" +
		"2020-03-09 09:30:00,1.5,2,1,1.75,7\n" +
		"2020-11-02 09:30:00,1.5,2,1,1.75,7\n"
	cases = append(cases,
		tc{write("zones.csv", zones), Options{}},
		tc{write("zones_ny.csv", zones), Options{Location: ny}},
		tc{write("local_ny.csv", local), Options{Location: ny}},
		tc{write("unix.csv", "1577923200,1,1,1,1\n1577923260,1,2,1,1\n"), Options{Location: ny}},
		tc{write("split.csv", "Date,Time,Open,High,Low,Close\n2006-01-02,09:05:00,1,2,1,1.5\n2006-01-02,09:10:00,1,2,1,1.5\n"), Options{Location: ny}},
	)
	for _, c := range cases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			want, err := readFile(c.path, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			b := toParquet(t, c.path, c.opts)
			got, err := readParquet(b, "x/"+strings.TrimSuffix(filepath.Base(c.path), ".csv")+".parquet", Options{})
			if err != nil {
				t.Fatal(err)
			}
			sameParquetBars(t, got, want)
			if again := toParquet(t, c.path, c.opts); !bytes.Equal(again, b) {
				t.Error("a second WriteParquet of the same file gave other bytes")
			}
		})
	}
}

// TestWriteParquetMetadata checks the metadata that names the source
// and the price scale, against a hash computed apart.
func TestWriteParquetMetadata(t *testing.T) {
	path := "../testdata/daily/AAA.csv"
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(src)
	b := toParquet(t, path, Options{})
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		MetaPriceScale:   "100000000",
		MetaSymbol:       "AAA",
		MetaTimezone:     "UTC",
		MetaSourceName:   "AAA.csv",
		MetaSourceSHA256: hex.EncodeToString(sum[:]),
		MetaSourceBytes:  strconv.Itoa(len(src)),
	} {
		if got, _ := f.Lookup(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

// mustPrice parses a price a test writes.
func mustPrice(s string) engine.Price {
	p, err := engine.ParsePrice(s)
	if err != nil {
		panic(err)
	}
	return p
}

// Rows of user Parquet files for the tests.
type (
	floatRow struct {
		Date   string  `parquet:"Date"`
		Open   float64 `parquet:"Open"`
		High   float64 `parquet:"High"`
		Low    float64 `parquet:"Low"`
		Close  float64 `parquet:"Close"`
		Volume int64   `parquet:"Volume"`
	}
	tsRow struct {
		Timestamp int64  `parquet:"ts,timestamp(millisecond)"`
		O         int32  `parquet:"o"`
		H         int32  `parquet:"h"`
		L         int32  `parquet:"l"`
		C         int32  `parquet:"c"`
		Vol       string `parquet:"vol"`
	}
	decRow struct {
		Time  int32  `parquet:"time,date"`
		Open  int64  `parquet:"open,decimal(2:18)"`
		High  int64  `parquet:"high,decimal(2:18)"`
		Low   int64  `parquet:"low,decimal(2:18)"`
		Close *int64 `parquet:"close,decimal(2:18),optional"`
	}
	fineRow struct {
		Time  int32 `parquet:"time,date"`
		Open  int64 `parquet:"open,decimal(10:18)"`
		High  int64 `parquet:"high,decimal(10:18)"`
		Low   int64 `parquet:"low,decimal(10:18)"`
		Close int64 `parquet:"close,decimal(10:18)"`
	}
	noCloseRow struct {
		Time string  `parquet:"time"`
		Open float64 `parquet:"open"`
		High float64 `parquet:"high"`
		Low  float64 `parquet:"low"`
	}
	boolRow struct {
		Time  string  `parquet:"time"`
		Open  bool    `parquet:"open"`
		High  float64 `parquet:"high"`
		Low   float64 `parquet:"low"`
		Close float64 `parquet:"close"`
	}
)

// writeRows returns rows written as a Parquet file with metadata kv
// (key, value pairs).
func writeRows[T any](t testing.TB, rows []T, kv ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := parquet.NewGenericWriter[T](&b)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		w.SetKeyValueMetadata(kv[i], kv[i+1])
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func ptr[T any](v T) *T { return &v }

// dateValue is the DATE value of a day of January 2020.
func dateValue(d int) int32 { return int32(time.Date(2020, 1, d, 0, 0, 0, 0, time.UTC).Unix() / 86400) }

// TestParquetUserFiles reads Parquet files as other programs write them:
// columns found by the usual names or by Options.Columns, every type the
// reader converts, and the CSV reader's checks, with errors naming the
// file, the row and the column.
func TestParquetUserFiles(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2020, 1, day, 0, 0, 0, 0, time.UTC) }
	p := mustPrice
	good := writeRows(t, []floatRow{
		{"2020-01-02", 10.1, 11.25, 9.5, 10.3, 100},
		{"2020-01-03", 0.1, 0.3, 0.1, 0.2, 0},
	})
	tests := []struct {
		name    string
		file    []byte
		opts    Options
		want    []engine.Bar // when no error
		wantErr string       // the whole message
		skipped int
	}{
		{name: "floats and text", file: good, want: []engine.Bar{
			{Symbol: "u", Time: d(2), Open: p("10.1"), High: p("11.25"), Low: p("9.5"), Close: p("10.3"), Volume: 100},
			{Symbol: "u", Time: d(3), Open: p("0.1"), High: p("0.3"), Low: p("0.1"), Close: p("0.2")},
		}},
		{name: "timestamps, ints and text volume, by Columns", file: writeRows(t, []tsRow{
			{Timestamp: d(2).UnixMilli() + 1, O: 5, H: 6, L: 4, C: 5, Vol: "1.5"},
		}), opts: Options{Columns: Columns{Time: "ts", Open: "o", High: "h", Low: "l", Close: "c", Volume: "vol"}}, want: []engine.Bar{
			{Symbol: "u", Time: d(2).Add(time.Millisecond), Open: p("5"), High: p("6"), Low: p("4"), Close: p("5"), Volume: 1.5},
		}},
		{name: "decimals and dates", file: writeRows(t, []decRow{
			{Time: dateValue(2), Open: 1234, High: 1300, Low: 1200, Close: ptr[int64](1250)},
		}), want: []engine.Bar{
			{Symbol: "u", Time: d(2), Open: p("12.34"), High: p("13"), Low: p("12"), Close: p("12.5")},
		}},
		{name: "null", file: writeRows(t, []decRow{
			{Time: dateValue(2), Open: 1234, High: 1300, Low: 1200, Close: ptr[int64](1250)},
			{Time: dateValue(3), Open: 1234, High: 1300, Low: 1200},
		}), wantErr: `u.parquet: row 2: field "close": no close (a null value)`},
		{name: "null skipped", file: writeRows(t, []decRow{
			{Time: dateValue(3), Open: 1234, High: 1300, Low: 1200},
			{Time: dateValue(2), Open: 1234, High: 1300, Low: 1200, Close: ptr[int64](1250)},
		}), opts: Options{BadRows: SkipBadRow}, skipped: 1, want: []engine.Bar{
			{Symbol: "u", Time: d(2), Open: p("12.34"), High: p("13"), Low: p("12"), Close: p("12.5")},
		}},
		{name: "too many decimals", file: writeRows(t, []fineRow{{Time: dateValue(2), Open: 1, High: 1, Low: 1, Close: 1}}),
			wantErr: `u.parquet: row 1: field "open": price 0.0000000001 has more than 8 decimals`},
		{name: "price out of range", file: writeRows(t, []tsRow{{Timestamp: 1, O: 5, H: 1e9, L: 4, C: 5, Vol: "1"}}),
			opts:    Options{Columns: Columns{Time: "ts", Open: "o", High: "h", Low: "l", Close: "c", Volume: "vol"}},
			wantErr: `u.parquet: row 1: field "h": price "1000000000": out of range: a price's magnitude is at most 90071992.54740991`},
		{name: "adjusted prices", file: good, opts: Options{Adjust: AdjustPrices},
			wantErr: `u.parquet: adjust "adjusted": a Parquet file is read with its prices as written; adjusted prices are read from a CSV file's Adj Close column (or use raw prices with a corporate-actions file, data.actions)`},
		{name: "negative price", file: writeRows(t, []floatRow{{"2020-01-02", 1, 1, 1, -1, 0}}),
			wantErr: `u.parquet: row 1: field "Close": price -1 must be positive`},
		{name: "high below low", file: writeRows(t, []floatRow{{"2020-01-02", 1, 1, 2, 1, 0}}),
			wantErr: `u.parquet: row 1: field "High": high 1 is below low 2`},
		{name: "negative volume", file: writeRows(t, []floatRow{{"2020-01-02", 1, 1, 1, 1, -5}}),
			wantErr: `u.parquet: row 1: field "Volume": volume -5 must not be negative`},
		{name: "time not increasing", file: writeRows(t, []floatRow{
			{"2020-01-02", 1, 1, 1, 1, 0}, {"2020-01-03", 1, 1, 1, 1, 0}, {"2020-01-03", 1, 1, 1, 1, 0},
		}), wantErr: `u.parquet: row 3: field "Date": time 2020-01-03 00:00:00 Z is not after the previous row's 2020-01-03 00:00:00 Z (row 2); times must strictly increase`},
		{name: "bad time text", file: writeRows(t, []floatRow{{"2020-01-02", 1, 1, 1, 1, 0}, {"02/01/2020", 1, 1, 1, 1, 0}}),
			wantErr: `u.parquet: row 2: field "Date": time "02/01/2020" does not match the layout 2006-01-02 of the first row (row 1); every row must use the same layout`},
		{name: "NaN price", file: writeRows(t, []floatRow{{"2020-01-02", 1, 1, 1, math.NaN(), 0}}),
			wantErr: `u.parquet: row 1: field "Close": invalid price NaN; expected a finite number`},
		{name: "no close column", file: writeRows(t, []noCloseRow{{"2020-01-02", 1, 1, 1}}),
			wantErr: `u.parquet: field "close": no close column in the header ["time" "open" "high" "low"]; expected a column named Close, Last or C (or name it with --columns, Options.Columns)`},
		{name: "boolean price", file: writeRows(t, []boolRow{{"2020-01-02", true, 1, 1, 1}}),
			wantErr: `u.parquet: field "open": the column is BOOLEAN; expected a DECIMAL, a whole number, a FLOAT or DOUBLE, or text`},
		{name: "wrong scale", file: writeRows(t, []floatRow{{"2020-01-02", 1, 1, 1, 1, 0}}, MetaPriceScale, "10000"),
			wantErr: `u.parquet: field "quantloop.price_scale": the file's prices are in units of 1/10000; quantloop's are in units of 1/100000000 (1e-8): ingest the source again`},
		{name: "scale without decimals", file: writeRows(t, []floatRow{{"2020-01-02", 1, 1, 1, 1, 0}}, MetaPriceScale, "100000000"),
			wantErr: `u.parquet: field "Open": the file's quantloop.price_scale says prices are at scale 100000000, but the column is not a DECIMAL with scale 8`},
		{name: "truncated", file: good[:len(good)-10],
			wantErr: `u.parquet: not a Parquet file (no PAR1 magic at both ends): is it truncated, or a CSV file named .parquet?`},
		{name: "csv", file: []byte("Date,Open,High,Low,Close\n2020-01-02,1,1,1,1\n"),
			wantErr: `u.parquet: not a Parquet file (no PAR1 magic at both ends): is it truncated, or a CSV file named .parquet?`},
		{name: "order", file: good, opts: Options{Order: []string{"time"}},
			wantErr: `u.parquet: Options.Order maps CSV columns by position; a Parquet file's columns are found by name (use Options.Columns)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewParquetReader(tt.file, "u.parquet", tt.opts)
			var got []engine.Bar
			if err == nil {
				for {
					var b engine.Bar
					b, err = r.Next()
					if err == io.EOF {
						err = nil
						break
					}
					if err != nil {
						break
					}
					got = append(got, b)
				}
			}
			if tt.wantErr != "" {
				var e *Error
				if err == nil || err.Error() != tt.wantErr || !errors.As(err, &e) {
					t.Fatalf("error %v,\nwant %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			sameParquetBars(t, got, tt.want)
			if n, _ := r.Skipped(); n != tt.skipped {
				t.Errorf("skipped %d, want %d", n, tt.skipped)
			}
		})
	}
}

// TestOpenParquetDigest checks that OpenParquet hashes the file's bytes
// and that OpenNamed opens a .parquet path as Parquet.
func TestOpenParquetDigest(t *testing.T) {
	b := toParquet(t, "../testdata/daily/BBB.csv", Options{})
	path := filepath.Join(t.TempDir(), "B.parquet")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := OpenNamed([]string{"../testdata/daily/AAA.csv", path}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if got := m.Symbols(); strings.Join(got, ",") != "AAA,B" {
		t.Errorf("symbols %v", got)
	}
	var dst []engine.Bar
	for {
		var err error
		if dst, err = m.Next(dst[:0]); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	ds, err := m.Digests()
	if err != nil || len(ds) != 2 {
		t.Fatalf("digests %v, %v", ds, err)
	}
	if ds[1].Path != path || ds[1].SHA256 != sha256.Sum256(b) || ds[1].Bytes != int64(len(b)) {
		t.Errorf("digest %+v", ds[1])
	}
}

// TestOpenParquetDigestBeside: the hash OpenParquet computes beside the
// decoding is the file's, whether Digest is asked before any bar, after
// the reader is closed without reading, or after every bar; a replaced
// file changes neither the bars nor the digest of the file opened.
func TestOpenParquetDigestBeside(t *testing.T) {
	b := toParquet(t, "../testdata/daily/BBB.csv", Options{})
	want, err := readParquet(b, "B.parquet", Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "B.parquet")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	wantDigest := Digest{Path: path, SHA256: sha256.Sum256(b), Bytes: int64(len(b))}
	for _, when := range []string{"first", "closed", "last"} {
		r, err := OpenParquet(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		check := func() {
			t.Helper()
			if d, err := r.Digest(); err != nil || d != wantDigest {
				t.Errorf("%s: digest %+v, %v; want %+v", when, d, err, wantDigest)
			}
		}
		switch when {
		case "first":
			check()
		case "closed":
			r.Close()
			check()
			continue
		}
		// Another file in its place: the open one is read and hashed.
		other := filepath.Join(t.TempDir(), "other.parquet")
		if err := os.WriteFile(other, toParquet(t, "../testdata/daily/AAA.csv", Options{}), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(other, path); err != nil {
			t.Fatal(err)
		}
		got, err := nextAll(r)
		if err != io.EOF {
			t.Fatal(err)
		}
		sameParquetBars(t, got, want)
		check()
		r.Close()
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzParquetReader feeds arbitrary bytes, seeded with valid files, to a
// ParquetReader and checks that it never panics, that every error is an
// *Error naming the input, and that every bar it returns keeps the rules.
func FuzzParquetReader(f *testing.F) {
	f.Add(toParquet(f, "../testdata/daily/AAA.csv", Options{}))
	f.Add(writeRows(f, []floatRow{{"2020-01-02", 10.1, 11.25, 9.5, 10.3, 100}, {"2020-01-03", 1, 1, 1, 1, 0}}))
	f.Add(writeRows(f, []decRow{{Time: dateValue(2), Open: 1234, High: 1300, Low: 1200}}))
	f.Add([]byte("PAR1PAR1PAR1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, opts := range []Options{{}, {BadRows: SkipBadRow}} {
			r, err := NewParquetReader(b, "fuzz.parquet", opts)
			if err != nil {
				checkParquetFuzzError(t, err)
				continue
			}
			var prev engine.Bar
			for n := 0; ; n++ {
				bar, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					checkParquetFuzzError(t, err)
					break
				}
				if bar.Open <= 0 || bar.High <= 0 || bar.Low <= 0 || bar.Close <= 0 ||
					bar.High < max(bar.Open, bar.Close) || bar.Low > min(bar.Open, bar.Close) ||
					bar.Volume < 0 || math.IsNaN(bar.Volume) || math.IsInf(bar.Volume, 0) {
					t.Fatalf("bar breaks the OHLC rules: %+v", bar)
				}
				if n > 0 && !bar.Time.After(prev.Time) {
					t.Fatalf("time %v after %v", bar.Time, prev.Time)
				}
				prev = bar
			}
			r.Close()
		}
	})
}

func checkParquetFuzzError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.File != "fuzz.parquet" || e.Err == nil {
		t.Fatalf("error %v (%T) is not an *Error naming the file", err, err)
	}
}

// TestParquetManyRowGroups round-trips more bars than a row group holds,
// so that reading crosses row groups and pages.
func TestParquetManyRowGroups(t *testing.T) {
	n := parquetRowGroup + parquetRowGroup/2
	want := make([]engine.Bar, n)
	start := time.Date(2020, 1, 2, 9, 30, 0, 0, time.UTC)
	for i := range want {
		p := engine.Price(100*engine.PriceScale + (i*7919)%1000003)
		want[i] = engine.Bar{Symbol: "G", Time: start.Add(time.Duration(i) * time.Minute), Open: p, High: p + 5, Low: p - 3, Close: p + 1, Volume: float64(i % 977)}
	}
	m, err := NewMemory("G", want)
	if err != nil {
		t.Fatal(err)
	}
	var pq bytes.Buffer
	if _, err := WriteParquet(&pq, m, nil); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(pq.Bytes()), int64(pq.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if g := len(f.RowGroups()); g != 2 {
		t.Fatalf("%d row groups, want 2", g)
	}
	got, err := readParquet(pq.Bytes(), "G.parquet", Options{})
	if err != nil {
		t.Fatal(err)
	}
	sameParquetBars(t, got, want)
}
