package data

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/quantloop/quantloop/internal/atomicfile"
)

// GenOptions configures Generate. Zero fields take the defaults shown.
type GenOptions struct {
	Symbols []string // one series each; default ["SYN"]
	Bars    int      // bars per symbol, at least 1
	// Start is the first bar, or where to look for it: the first weekday on
	// or after Start's date for daily bars, the first session slot at or
	// after it for intraday bars. Only its wall clock counts, not its zone.
	// Default 2020-01-01.
	Start time.Time
	// Interval is the bar length. At least 24h makes daily bars, one per
	// weekday, dated "2006-01-02". Less makes intraday bars in 09:30-16:00
	// sessions on weekdays, stamped "2006-01-02 15:04:05" at their start; it
	// must be a whole number of seconds. Default 24h.
	Interval   time.Duration
	Seed       uint64  // with the symbol's index, seeds the symbol's random stream
	StartPrice float64 // open of the first bar; default 100
	Volatility float64 // annualized, default 0.25
	// Drift is the annualized drift, default 0.05. Since zero means the
	// default, ask for a driftless walk with a tiny value such as 1e-12.
	Drift float64
}

// Defaults of GenOptions.
const (
	DefaultStartPrice = 100
	DefaultVolatility = 0.25
	DefaultDrift      = 0.05
)

// Session hours of intraday bars, in seconds after midnight.
const (
	sessionOpen  = 9*3600 + 30*60
	sessionClose = 16 * 3600
	tradingDays  = 252 // per year, to scale annual rates
)

// genHeader is the header line Generate writes.
const genHeader = "time,open,high,low,close,volume\n"

// Generate writes the CSV of the series of opts.Symbols[symbolIndex] to w,
// with the header "time,open,high,low,close,volume".
//
// The series is a geometric Brownian motion with opts.Drift and
// opts.Volatility scaled to the bar interval, with small gaps at each
// session's open. Prices are rounded to cents and stay positive; each bar
// has low <= min(open, close) <= max(open, close) <= high, with wicks of
// random length. Volumes are whole numbers drawn from a log-normal law.
//
// The walk reflects at 1/1000 and 1000 times the start price (and at 0.05
// and 1e7), so that long series stay readable.
//
// The output depends only on opts.Seed, symbolIndex and the other options:
// each symbol has its own PCG stream, so adding symbols does not change the
// others, and the arithmetic is done so that the bytes are the same on
// every platform (no transcendental library functions, no fused
// multiply-add).
func Generate(w io.Writer, symbolIndex int, opts GenOptions) error {
	g, err := newGenerator(symbolIndex, opts)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(genHeader)
	var line []byte
	for range g.bars {
		line = g.appendBar(line[:0])
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// GenerateFiles writes one file per symbol, dir/SYMBOL.csv, creating dir if
// needed, and returns their paths in the order of opts.Symbols. The files
// appear whole or not at all: each is written to a temporary file, and
// all are renamed into place once every one is written, so a failure (a
// full disk, say) leaves no file that looks like a shorter series, and
// leaves files of earlier runs at those paths as they were.
func GenerateFiles(dir string, opts GenOptions) ([]string, error) {
	syms := opts.Symbols
	if len(syms) == 0 {
		syms = []string{"SYN"}
	}
	if err := checkSymbols(syms); err != nil {
		return nil, err
	}
	if _, err := newGenerator(0, opts); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	paths := make([]string, len(syms))
	files := make([]*atomicfile.File, 0, len(syms))
	abort := func() {
		for _, f := range files {
			f.Abort()
		}
	}
	for i, s := range syms {
		paths[i] = filepath.Join(dir, s+".csv")
		f, err := atomicfile.Create(paths[i])
		if err != nil {
			abort()
			return nil, err
		}
		files = append(files, f)
		if err := Generate(f, i, opts); err != nil {
			abort()
			return nil, fmt.Errorf("write %s: %w", paths[i], err)
		}
		if err := f.Close(); err != nil {
			abort()
			return nil, err
		}
	}
	for k, f := range files {
		if err := f.Commit(); err != nil {
			files = files[k+1:]
			abort()
			return nil, err
		}
	}
	return paths, nil
}

// checkSymbols checks that symbols make distinct, plain file names.
func checkSymbols(syms []string) error {
	seen := make(map[string]bool, len(syms))
	for _, s := range syms {
		if s == "" || s == "." || s == ".." {
			return fmt.Errorf("data: GenOptions.Symbols: invalid symbol %q", s)
		}
		for _, c := range []byte(s) {
			if !isDigit(c) && !('a' <= c && c <= 'z') && !('A' <= c && c <= 'Z') && c != '.' && c != '-' && c != '_' {
				return fmt.Errorf("data: GenOptions.Symbols: symbol %q has a character other than letters, digits, '.', '-' and '_'", s)
			}
		}
		if seen[s] {
			return fmt.Errorf("data: GenOptions.Symbols: symbol %q appears twice", s)
		}
		seen[s] = true
	}
	return nil
}

// generator makes one symbol's bars.
type generator struct {
	rng   *rand.Rand
	bars  int
	daily bool

	// calendar
	day      time.Time // current session date, midnight UTC
	clock    int       // seconds after midnight of the next intraday bar
	step     int       // seconds between intraday bars
	first    bool      // the next bar is the first of all
	newDay   bool      // the next bar opens a session
	dateText [10]byte  // "2006-01-02" of day

	// random walk, all per bar
	drift   float64 // (mu - sigma^2/2) dt
	sigma   float64 // sigma sqrt(dt)
	gap     float64 // sigma of the opening gap
	volBase float64 // median volume
	lo, hi  float64 // bounds of the walk
	close   int64   // previous close, cents
}

func newGenerator(symbolIndex int, opts GenOptions) (*generator, error) {
	syms := opts.Symbols
	if len(syms) == 0 {
		syms = []string{"SYN"}
	}
	if symbolIndex < 0 || symbolIndex >= len(syms) {
		return nil, fmt.Errorf("data: Generate: symbol index %d out of range [0, %d)", symbolIndex, len(syms))
	}
	if opts.Bars < 1 {
		return nil, fmt.Errorf("data: GenOptions.Bars is %d; it must be at least 1", opts.Bars)
	}
	interval := opts.Interval
	if interval == 0 {
		interval = 24 * time.Hour
	}
	if interval < 0 || (interval < 24*time.Hour && interval%time.Second != 0) {
		return nil, fmt.Errorf("data: GenOptions.Interval %v must be positive and a whole number of seconds", interval)
	}
	price, vol, mu := opts.StartPrice, opts.Volatility, opts.Drift
	if price == 0 {
		price = DefaultStartPrice
	}
	if vol == 0 {
		vol = DefaultVolatility
	}
	if mu == 0 {
		mu = DefaultDrift
	}
	if !(price >= 0.01 && price <= 1e6) {
		return nil, fmt.Errorf("data: GenOptions.StartPrice %v must be between 0.01 and 1e6", price)
	}
	if !(vol > 0 && vol < 10) {
		return nil, fmt.Errorf("data: GenOptions.Volatility %v must be between 0 and 10", vol)
	}
	if !(mu > -10 && mu < 10) {
		return nil, fmt.Errorf("data: GenOptions.Drift %v must be between -10 and 10", mu)
	}

	g := &generator{
		rng:   rand.New(rand.NewPCG(mix(opts.Seed, 2*uint64(symbolIndex)), mix(opts.Seed, 2*uint64(symbolIndex)+1))),
		bars:  opts.Bars,
		daily: interval >= 24*time.Hour,
		first: true,
	}
	// dt in years: a daily bar is one trading day, an intraday bar its
	// share of a 6.5-hour session.
	dt := 1.0 / tradingDays
	sessionShare := 1.0
	if !g.daily {
		g.step = int(interval / time.Second)
		sessionShare = float64(g.step) / (sessionClose - sessionOpen)
		dt = float64(sessionShare * dt)
	}
	sqrtDt := math.Sqrt(dt)
	g.drift = float64(float64(mu-float64(0.5*float64(vol*vol))) * dt)
	g.sigma = float64(vol * sqrtDt)
	g.gap = float64(float64(0.3*vol) * math.Sqrt(1.0/tradingDays))
	g.volBase = float64(1e6 * sessionShare)
	g.close = toCents(price)
	g.lo = max(float64(price/1000), 0.05)
	g.hi = min(float64(price*1000), 1e7)

	start := opts.Start
	if start.IsZero() {
		start = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	y, m, d := start.Date()
	g.day = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if !g.daily {
		h, mi, s := start.Clock()
		c := h*3600 + mi*60 + s
		g.clock = sessionOpen
		if c > sessionOpen {
			g.clock = sessionOpen + (c-sessionOpen+g.step-1)/g.step*g.step
		}
		if g.clock >= sessionClose {
			g.day = g.day.AddDate(0, 0, 1)
			g.clock = sessionOpen
		}
	}
	g.skipWeekend()
	g.newDay = true
	return g, nil
}

// mix is the SplitMix64 finalizer of a and b, to seed independent streams.
func mix(a, b uint64) uint64 {
	z := a + 0x9e3779b97f4a7c15*(b+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// skipWeekend moves day to the next weekday and formats it.
func (g *generator) skipWeekend() {
	for g.day.Weekday() == time.Saturday || g.day.Weekday() == time.Sunday {
		g.day = g.day.AddDate(0, 0, 1)
	}
	y, m, d := g.day.Date()
	b := g.dateText[:0]
	b = appendDigits(b, y, 4)
	b = append(b, '-')
	b = appendDigits(b, int(m), 2)
	b = append(b, '-')
	appendDigits(b, d, 2)
}

// appendBar appends the next bar as a CSV line and moves the calendar on.
func (g *generator) appendBar(b []byte) []byte {
	b = append(b, g.dateText[:]...)
	if !g.daily {
		b = append(b, ' ')
		b = appendDigits(b, g.clock/3600, 2)
		b = append(b, ':')
		b = appendDigits(b, g.clock/60%60, 2)
		b = append(b, ':')
		b = appendDigits(b, g.clock%60, 2)
	}

	open := g.close
	if !g.first && g.newDay {
		open = g.move(g.close, float64(g.gap*g.normal()))
	}
	close := g.move(open, g.drift+float64(g.sigma*g.normal()))
	hi, lo := max(open, close), min(open, close)
	high := toCents(float64(float64(hi) / 100 * (1 + float64(0.5*float64(g.sigma*math.Abs(g.normal()))))))
	low := toCents(float64(float64(lo) / 100 * (1 - float64(0.5*float64(g.sigma*math.Abs(g.normal()))))))
	high = max(high, hi)
	low = max(min(low, lo), 1)
	volume := int64(math.Round(float64(g.volBase * expDet(float64(0.5*g.normal())-0.125))))
	g.close = close

	for _, c := range [...]int64{open, high, low, close} {
		b = append(b, ',')
		b = appendCents(b, c)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, volume, 10)
	b = append(b, '\n')

	g.first, g.newDay = false, false
	if g.daily {
		g.day = g.day.AddDate(0, 0, 1)
		g.skipWeekend()
		g.newDay = true
	} else if g.clock += g.step; g.clock >= sessionClose {
		g.day = g.day.AddDate(0, 0, 1)
		g.skipWeekend()
		g.clock = sessionOpen
		g.newDay = true
	}
	return b
}

// move returns the price cents*exp(ret), rounded to cents. A move that
// would leave [lo, hi] goes the other way instead: the walk reflects at the
// bounds, so that no seed and no length of series makes prices that
// engine.ParsePrice rejects or that round to nothing.
func (g *generator) move(cents int64, ret float64) int64 {
	p := float64(cents) / 100
	q := float64(p * expDet(ret))
	if q > g.hi || q < g.lo {
		q = float64(p * expDet(-ret))
	}
	return toCents(q)
}

// normal returns an approximately standard normal number: the centered sum
// of twelve uniform 16-bit integers, scaled. It is exact integer arithmetic,
// so it is the same everywhere, and it never exceeds 6 in magnitude.
func (g *generator) normal() float64 {
	var sum uint64
	for range 3 {
		u := g.rng.Uint64()
		sum += u&0xffff + u>>16&0xffff + u>>32&0xffff + u>>48
	}
	return (float64(sum) - 6*65535) / 65536
}

// toCents rounds a price to whole cents, at least one.
func toCents(p float64) int64 {
	return max(int64(math.Round(float64(p*100))), 1)
}

// appendCents appends c cents as a decimal with two places.
func appendCents(b []byte, c int64) []byte {
	b = strconv.AppendInt(b, c/100, 10)
	b = append(b, '.')
	return appendDigits(b, int(c%100), 2)
}

// appendDigits appends n with at least width digits, zero padded.
func appendDigits(b []byte, n, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for n > 0 || width > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		width--
	}
	return append(b, buf[i:]...)
}

// expDet returns e**x for |x| < 700 using only correctly rounded basic
// operations, each product rounded on its own, so that the result is the
// same on every platform (math.Exp has assembly versions that may differ in
// the last bit, and a compiler may fuse a*b+c).
func expDet(x float64) float64 {
	const (
		ln2Hi  = 6.93147180369123816490e-01
		ln2Lo  = 1.90821492927058770002e-10
		invLn2 = 1.44269504088896338700e+00
	)
	k := math.Round(float64(x * invLn2))
	r := float64(x-float64(k*ln2Hi)) - float64(k*ln2Lo) // |r| <= ln2/2
	// Taylor series to degree 13: the remainder is below 1e-16 for |r| <= 0.35.
	p := 1.0 / 6227020800
	for _, c := range [...]float64{1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880,
		1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1, 1} {
		p = float64(p*r) + c
	}
	return math.Ldexp(p, int(k))
}
