package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"math"
	"strconv"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
)

// maxExposurePoints bounds the points of the exposure and weight charts:
// a longer run is cut into that many runs of consecutive bars, each
// drawn as its mean.
const maxExposurePoints = 250

// exposure is what the report shows of a run's positions over time. Each
// fraction is of the equity at the bar, over the bars whose equity is
// positive, averaged over each of up to maxExposurePoints runs of
// consecutive bars. Net is the market value of the positions (equity
// minus cash, from equity.csv); gross, long, short and the weights by
// symbol come from replaying fills.csv against the closes of the data
// files, and are left out (Err says why) when the data cannot be read or
// the replay does not reproduce equity.csv's market value to within
// 1e-6 of the equity. With one symbol there is nothing to replay: its
// position's value is the market value, so the data files are not read.
type exposure struct {
	Times             []float64 // Unix seconds of each run's first bar
	Net               []float64
	Gross, Long, Shrt []float64 // nil when Err is set
	// Symbols are the data's symbols, in the order of the config; Weights
	// has a series for each, position value / equity.
	Symbols []string
	Weights [][]float64
	// MeanGross and MaxGross are the mean and largest gross leverage, Σ
	// |value| / equity, over the bars whose equity is positive.
	MeanGross, MaxGross float64
	// Traded is Σ |quantity × price| over the fills, by symbol in
	// TradedBy; Turnover is Traded / mean equity / years, years being the
	// bars / P.
	Traded   float64
	TradedBy map[string]float64
	Turnover float64
	Err      error
}

// tradedSums are Σ |quantity × price| over the fills of a run, in all
// and by symbol as fills.csv writes it, in the order of its rows: the
// sums exposureOf makes of the file, from the same float64 values
// (fixed.Float64 rounds a decimal as reading its text does).
type tradedSums struct {
	total float64
	by    map[string]float64 // the sums by symbol; the last fill's symbol's is in sum
	sym   string             // the symbol of the last fill
	sum   float64
	fills int
	last  int64 // the time of the last fill, Unix nanoseconds
}

// add adds a fill of symbol sym (as fills.csv writes it), whose decimals
// x holds (nil: read them from f). The sum of the last fill's symbol is
// kept beside the map while the fills are of that symbol.
func (s *tradedSums) add(sym string, f *engine.FillEvent, x *decs) {
	v := math.Abs(x.float(fillQty, f.Quantity) * x.float(fillPrice, f.Price))
	s.total += v
	if s.fills == 0 || sym != s.sym {
		if s.by == nil {
			s.by = map[string]float64{}
		}
		if s.fills > 0 {
			s.by[s.sym] = s.sum
		}
		s.sym, s.sum = sym, s.by[sym]
	}
	s.sum += v
	s.fills++
	s.last = f.Time.UnixNano()
}

// bySymbol returns the sums by symbol.
func (s *tradedSums) bySymbol() map[string]float64 {
	if s.fills > 0 {
		s.by[s.sym] = s.sum
	}
	return s.by
}

// fillCursor reads fills.csv a row at a time.
type fillCursor struct {
	r    *csv.Reader
	line int
	next []string // the row read and not yet applied, nil at the end
	t    int64    // its time, Unix nanoseconds
	err  error
}

func newFillCursor(r io.Reader) *fillCursor {
	c := &fillCursor{r: csv.NewReader(r)}
	c.r.ReuseRecord = true // a row is done with before the next is read
	head, err := c.r.Read()
	c.line = 1
	if err == nil && (len(head) != len(fillsHeader) || head[1] != "time" || head[4] != "quantity") {
		err = errors.New("unexpected columns")
	}
	if err != nil && err != io.EOF {
		c.err = fmt.Errorf("%s line 1: %w", FillsFile, err)
		return c
	}
	if err == nil {
		c.read()
	}
	return c
}

// read moves to the next row.
func (c *fillCursor) read() {
	row, err := c.r.Read()
	c.line++
	c.next = nil
	if err == io.EOF {
		return
	}
	if err == nil {
		var t time.Time
		if t, err = time.Parse(time.RFC3339Nano, row[1]); err == nil {
			c.next, c.t = row, t.UnixNano()
			return
		}
		err = fmt.Errorf("field \"time\": %w", err)
	}
	c.err = fmt.Errorf("%s line %d: %w", FillsFile, c.line, err)
}

// fill returns the symbol, the signed quantity and the price of the row.
func (c *fillCursor) fill() (sym string, qty, price float64, err error) {
	row := c.next
	if qty, err = strconv.ParseFloat(row[4], 64); err != nil {
		return "", 0, 0, fmt.Errorf("%s line %d: field \"quantity\": %w", FillsFile, c.line, err)
	}
	if price, err = strconv.ParseFloat(row[5], 64); err != nil {
		return "", 0, 0, fmt.Errorf("%s line %d: field \"price\": %w", FillsFile, c.line, err)
	}
	switch row[3] {
	case engine.Buy.String():
	case engine.Sell.String():
		qty = -qty
	default:
		return "", 0, 0, fmt.Errorf("%s line %d: field \"side\": %q is not buy or sell", FillsFile, c.line, row[3])
	}
	return row[2], qty, price, nil
}

// closeReader sets the closes of a run's symbols, numbered as in the
// exposure's Symbols, from the run's bars in time order.
type closeReader interface {
	// upTo sets last[k] to the close of each bar at or before the time
	// nanos (Unix nanoseconds) not yet read, k being its symbol's number,
	// in the order of the bars; a bar of another symbol is skipped. It
	// returns the error that ends the bars early.
	upTo(nanos int64, last []float64) error
}

// fileCloses reads the closes from a run's data files, the bars of a
// timestamp at a time.
type fileCloses struct {
	next  func(dst []engine.Bar) ([]engine.Bar, error)
	index map[string]int // the symbols' numbers
	buf   []engine.Bar   // the bars of the next timestamp, not yet read
	done  bool
}

func (f *fileCloses) upTo(nanos int64, last []float64) error {
	for !f.done && (len(f.buf) == 0 || f.buf[0].Time.UnixNano() <= nanos) {
		for _, bar := range f.buf {
			if k, ok := f.index[bar.Symbol]; ok {
				last[k] = bar.Close.Float64()
			}
		}
		next, err := f.next(f.buf[:0])
		switch {
		case err == io.EOF:
			f.done, f.buf = true, nil
		case err != nil:
			return err
		default:
			f.buf = next
		}
	}
	return nil
}

// logCloses reads the closes from a run's barLog, whose symbols' numbers
// are mapped to the exposure's once.
type logCloses struct {
	c   *logCursor
	num []int // the exposure's number of each of the log's symbols, -1 for none
}

func newLogCloses(log *barLog, index map[string]int) *logCloses {
	l := &logCloses{c: log.cursor(), num: make([]int, len(log.names))}
	for j, name := range log.names {
		l.num[j] = -1
		if k, ok := index[name]; ok {
			l.num[j] = k
		}
	}
	return l
}

func (l *logCloses) upTo(nanos int64, last []float64) error {
	c := l.c
	for !c.done && c.t <= nanos {
		if k := l.num[c.sym]; k >= 0 {
			last[k] = engine.Price(c.close).Float64()
		}
		c.advance()
	}
	if c.done {
		return c.err()
	}
	return nil
}

// exposureOf computes the exposure of a run of cfg whose equity.csv
// columns are c and whose fills.csv is fills, P periods a year. sums,
// when not nil, are the traded values of fills.csv summed as it was
// written: a run of one symbol then needs nothing else of the file, and
// fills is not read, when every fill is at or before c's last time. The
// closes come from log, the bars the run saw, when it is not nil, else
// from reading the data files again; with log, or with one data file,
// the symbols are those of cfg.Data.Symbols when it has them, and the
// data files are not opened.
func exposureOf(cfg backtest.Config, c *chartData, fills io.Reader, sums *tradedSums, P float64, log *barLog) *exposure {
	ex := &exposure{TradedBy: map[string]float64{}}
	n := c.len()
	useLog := false                                           // the closes come from log
	var fileNext func(dst []engine.Bar) ([]engine.Bar, error) // else from the data files
	named := len(cfg.Data.Symbols) > 0 && log != nil || len(cfg.Data.Symbols) == 1 && len(cfg.Data.Files) == 1
	if named {
		// The run's symbols, in the data's order, and the bars it saw,
		// or the one symbol of one data file, whose closes are not
		// needed: the data files need not be opened again.
		ex.Symbols, useLog = cfg.Data.Symbols, log != nil
	} else if d, err := cfg.OpenData(); err != nil {
		ex.Err = fmt.Errorf("the data files cannot be read: %w", err)
	} else {
		defer d.Close()
		ex.Symbols, fileNext, useLog = d.Symbols(), d.Next, log != nil
	}
	// known: the symbols are known; single: there is one, whose
	// position is worth the market value, and no closes are read.
	known := named || fileNext != nil
	single := known && len(ex.Symbols) == 1
	var fc *fillCursor
	if single && sums != nil && n > 0 && (sums.fills == 0 || sums.last <= c.last) {
		// Each fill would be read at or before the last row, and the
		// position of the one symbol is not needed.
		fc = &fillCursor{}
		ex.Traded = sums.total
		maps.Copy(ex.TradedBy, sums.bySymbol())
	} else {
		fc = newFillCursor(fills)
	}
	index := map[string]int{}
	for i, s := range ex.Symbols {
		index[s] = i
	}
	var bars closeReader
	switch {
	case single:
	case useLog:
		l := newLogCloses(log, index)
		defer l.c.stop()
		bars = l
	case fileNext != nil:
		bars = &fileCloses{next: fileNext, index: index}
	}
	pos := make([]float64, len(ex.Symbols))
	last := make([]float64, len(ex.Symbols))
	val := make([]float64, len(ex.Symbols)) // the positions' values at the bar
	buckets := min(n, maxExposurePoints)
	type acc struct {
		n                       int
		net, gross, long, short float64
		w                       []float64
	}
	var a acc
	newAcc := func() acc { return acc{w: make([]float64, len(ex.Symbols))} }
	a = newAcc()
	flush := func() {
		k := float64(a.n)
		if a.n == 0 {
			k = math.NaN()
		}
		ex.Net = append(ex.Net, a.net/k)
		ex.Gross = append(ex.Gross, a.gross/k)
		ex.Long = append(ex.Long, a.long/k)
		ex.Shrt = append(ex.Shrt, a.short/k)
		for i := range a.w {
			if len(ex.Weights) <= i {
				ex.Weights = append(ex.Weights, nil)
			}
			ex.Weights[i] = append(ex.Weights[i], a.w[i]/k)
		}
		a = newAcc()
	}
	var sumEquity, sumGross float64
	counted := 0
	i, b, end := 0, 0, 0
	if buckets > 0 {
		end = n / buckets
	}
	for nanos, row := range zipChart(c) {
		cash, eq := row[0], row[1]
		if i == b*n/buckets {
			ex.Times = append(ex.Times, unixNano(nanos))
		}
		if bars != nil && ex.Err == nil {
			if err := bars.upTo(nanos, last); err != nil {
				ex.Err = fmt.Errorf("the data files cannot be read: %w", err)
			}
		}
		for fc.err == nil && fc.next != nil && fc.t <= nanos {
			sym, qty, price, err := fc.fill()
			if err != nil {
				fc.err = err
				break
			}
			ex.Traded += math.Abs(qty * price)
			ex.TradedBy[sym] += math.Abs(qty * price)
			if k, ok := index[sym]; ok {
				pos[k] += qty
			} else if ex.Err == nil && known {
				ex.Err = fmt.Errorf("%s has a fill of %q, which is not a symbol of the data", FillsFile, sym)
			}
			fc.read()
		}
		sumEquity += eq
		market := eq - cash
		var long, short float64
		for k := range pos {
			val[k] = pos[k] * last[k]
			if single {
				val[k] = market // the one position is worth the market value
			}
			v := val[k]
			if v > 0 {
				long += v
			} else {
				short += v
			}
		}
		if ex.Err == nil && bars != nil && math.Abs(long+short-market) > 1e-6*math.Max(1, math.Abs(eq)) {
			ex.Err = fmt.Errorf("the positions replayed from %s and the data's closes are worth %s at %s, not the %s of %s",
				FillsFile, formatFloat(long+short), FormatTime(time.Unix(0, nanos).UTC()), formatFloat(market), EquityFile)
		}
		if eq > 0 {
			a.n++
			a.net += market / eq
			a.gross += (long - short) / eq
			a.long += long / eq
			a.short += short / eq
			for k := range val {
				a.w[k] += val[k] / eq
			}
			g := (long - short) / eq
			sumGross += g
			ex.MaxGross = max(ex.MaxGross, g)
			counted++
		}
		i++
		if i == end {
			flush()
			b++
			end = (b + 1) * n / buckets
		}
	}
	if fc.err != nil {
		ex.Err = fc.err
		ex.Traded, ex.Turnover = math.NaN(), math.NaN()
	}
	ex.MeanGross = math.NaN()
	if counted > 0 {
		ex.MeanGross = sumGross / float64(counted)
	}
	if fc.err == nil {
		ex.Turnover = math.NaN()
		if n > 0 && sumEquity > 0 && P > 0 {
			ex.Turnover = ex.Traded / (sumEquity / float64(n)) / (float64(n) / P)
		}
	}
	if ex.Err != nil || !known {
		ex.Gross, ex.Long, ex.Shrt, ex.Weights = nil, nil, nil, nil
		ex.MeanGross, ex.MaxGross = math.NaN(), math.NaN()
	}
	return ex
}

// zipChart yields each row's time, Unix nanoseconds, with its cash and
// equity.
func zipChart(c *chartData) iter.Seq2[int64, [2]float64] {
	return func(yield func(int64, [2]float64) bool) {
		nextCash, stop1 := iter.Pull(c.cash.Chunks())
		defer stop1()
		nextEq, stop2 := iter.Pull(c.equity.Chunks())
		defer stop2()
		for tc := range c.nanos.Chunks() {
			cc, _ := nextCash()
			ec, _ := nextEq()
			for i, t := range tc {
				if !yield(t, [2]float64{cc[i], ec[i]}) {
					return
				}
			}
		}
	}
}
