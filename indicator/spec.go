package indicator

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/quantloop/quantloop/engine"
)

// Param is one parameter of a Kind.
type Param struct {
	Name    string // as shown in usage, for example "fast"
	Default string // the value used when the parameter is left out
	kind    paramKind
}

type paramKind int

const (
	length paramKind = iota // a whole number from 1 to MaxWindow
	factor                  // a finite number above 0
	field                   // a bar field name
)

// Kind is an indicator that ParseSpec knows.
type Kind struct {
	Name    string   // the spec's first word and the column prefix
	Summary string   // what it is, in a few words
	Params  []Param  // in spec order
	Parts   []string // output columns' suffixes; one empty part means the bare name
	build   func(p []float64, f []Field) (BarIndicator, func(dst []float64) []float64)
}

func lengthParam(name, def string) Param { return Param{Name: name, Default: def} }
func factorParam(name, def string) Param { return Param{Name: name, Default: def, kind: factor} }
func fieldParam(name, def string) Param  { return Param{Name: name, Default: def, kind: field} }

// single builds a kind of one Indicator of one bar field (its last param).
func single(make func(p []float64) Indicator) func(p []float64, f []Field) (BarIndicator, func([]float64) []float64) {
	return func(p []float64, f []Field) (BarIndicator, func([]float64) []float64) {
		c := On(make(p), f[0])
		return c, func(dst []float64) []float64 { return append(dst, c.Value()) }
	}
}

// bar builds a kind of one BarIndicator with one output.
func bar(make func(p []float64) BarIndicator) func(p []float64, f []Field) (BarIndicator, func([]float64) []float64) {
	return func(p []float64, f []Field) (BarIndicator, func([]float64) []float64) {
		b := make(p)
		return b, func(dst []float64) []float64 { return append(dst, b.Value()) }
	}
}

var kinds = []Kind{
	{Name: "sma", Summary: "simple moving average (exact sums of prices)", Params: []Param{lengthParam("n", "20"), fieldParam("field", "close")},
		build: func(p []float64, f []Field) (BarIndicator, func([]float64) []float64) {
			if f[0] == Volume || f[0] == Typical || f[0] == Median {
				return single(func(p []float64) Indicator { return NewSMA(int(p[0])) })(p, f)
			}
			s := &priceFieldSMA{PriceSMA: *NewPriceSMA(int(p[0])), f: f[0]}
			return s, func(dst []float64) []float64 { return append(dst, s.Value()) }
		}},
	{Name: "ema", Summary: "exponential moving average (seed: SMA of the first n)", Params: []Param{lengthParam("n", "20"), fieldParam("field", "close")},
		build: single(func(p []float64) Indicator { return NewEMA(int(p[0])) })},
	{Name: "wma", Summary: "linearly weighted moving average", Params: []Param{lengthParam("n", "20"), fieldParam("field", "close")},
		build: single(func(p []float64) Indicator { return NewWMA(int(p[0])) })},
	{Name: "dema", Summary: "double exponential moving average", Params: []Param{lengthParam("n", "20"), fieldParam("field", "close")},
		build: single(func(p []float64) Indicator { return NewDEMA(int(p[0])) })},
	{Name: "tema", Summary: "triple exponential moving average", Params: []Param{lengthParam("n", "20"), fieldParam("field", "close")},
		build: single(func(p []float64) Indicator { return NewTEMA(int(p[0])) })},
	{Name: "rsi", Summary: "Wilder's relative strength index (50 when flat)", Params: []Param{lengthParam("n", "14"), fieldParam("field", "close")},
		build: single(func(p []float64) Indicator { return NewRSI(int(p[0])) })},
	{Name: "macd", Summary: "MACD line, signal and histogram (TA-Lib)", Params: []Param{lengthParam("fast", "12"), lengthParam("slow", "26"), lengthParam("signal", "9"), fieldParam("field", "close")},
		Parts: []string{"line", "signal", "hist"},
		build: func(p []float64, f []Field) (BarIndicator, func([]float64) []float64) {
			m := NewMACD(int(p[0]), int(p[1]), int(p[2]))
			return On(m, f[0]), func(dst []float64) []float64 { return append(dst, m.Line(), m.Signal(), m.Hist()) }
		}},
	{Name: "bbands", Summary: "Bollinger bands, population deviation (%B 0.5 when flat)", Params: []Param{lengthParam("n", "20"), factorParam("k", "2"), fieldParam("field", "close")},
		Parts: []string{"upper", "middle", "lower", "percent_b", "bandwidth"},
		build: func(p []float64, f []Field) (BarIndicator, func([]float64) []float64) {
			b := NewBollinger(int(p[0]), p[1])
			return On(b, f[0]), func(dst []float64) []float64 {
				return append(dst, b.Upper(), b.Middle(), b.Lower(), b.PercentB(), b.Bandwidth())
			}
		}},
	{Name: "tr", Summary: "true range", build: bar(func(p []float64) BarIndicator { return NewTrueRange() })},
	{Name: "atr", Summary: "Wilder's average true range", Params: []Param{lengthParam("n", "14")},
		build: bar(func(p []float64) BarIndicator { return NewATR(int(p[0])) })},
	{Name: "adx", Summary: "Wilder's ADX with +DI and -DI", Params: []Param{lengthParam("n", "14")}, Parts: []string{"", "plus_di", "minus_di"},
		build: func(p []float64, f []Field) (BarIndicator, func([]float64) []float64) {
			a := NewADX(int(p[0]))
			return a, func(dst []float64) []float64 { return append(dst, a.Value(), a.PlusDI(), a.MinusDI()) }
		}},
	{Name: "stoch", Summary: "stochastic %K and %D (50 when flat)", Params: []Param{lengthParam("k", "14"), lengthParam("slowing", "3"), lengthParam("d", "3")},
		Parts: []string{"k", "d"},
		build: func(p []float64, f []Field) (BarIndicator, func([]float64) []float64) {
			s := NewStochastic(int(p[0]), int(p[1]), int(p[2]))
			return s, func(dst []float64) []float64 { return append(dst, s.K(), s.D()) }
		}},
	{Name: "willr", Summary: "Williams %R (-50 when flat)", Params: []Param{lengthParam("n", "14")},
		build: bar(func(p []float64) BarIndicator { return NewWilliamsR(int(p[0])) })},
	{Name: "cci", Summary: "commodity channel index of the typical price", Params: []Param{lengthParam("n", "20")},
		build: bar(func(p []float64) BarIndicator { return NewCCI(int(p[0])) })},
	{Name: "roc", Summary: "rate of change, percent", Params: []Param{lengthParam("n", "10"), fieldParam("field", "close")},
		build: single(func(p []float64) Indicator { return NewROC(int(p[0])) })},
	{Name: "mom", Summary: "momentum (change over n)", Params: []Param{lengthParam("n", "10"), fieldParam("field", "close")},
		build: single(func(p []float64) Indicator { return NewMomentum(int(p[0])) })},
	{Name: "stddev", Summary: "rolling population standard deviation", Params: []Param{lengthParam("n", "20"), fieldParam("field", "close")},
		build: single(func(p []float64) Indicator { return NewStdDev(int(p[0])) })},
	{Name: "zscore", Summary: "rolling z-score (0 when flat)", Params: []Param{lengthParam("n", "20"), fieldParam("field", "close")},
		build: single(func(p []float64) Indicator { return NewZScore(int(p[0])) })},
	{Name: "highest", Summary: "highest value over n", Params: []Param{lengthParam("n", "20"), fieldParam("field", "high")},
		build: single(func(p []float64) Indicator { return NewHighest(int(p[0])) })},
	{Name: "lowest", Summary: "lowest value over n", Params: []Param{lengthParam("n", "20"), fieldParam("field", "low")},
		build: single(func(p []float64) Indicator { return NewLowest(int(p[0])) })},
	{Name: "donchian", Summary: "Donchian channel (highest high, lowest low)", Params: []Param{lengthParam("n", "20")},
		Parts: []string{"upper", "middle", "lower"},
		build: func(p []float64, f []Field) (BarIndicator, func([]float64) []float64) {
			d := NewDonchian(int(p[0]))
			return d, func(dst []float64) []float64 { return append(dst, d.Upper(), d.Middle(), d.Lower()) }
		}},
	{Name: "obv", Summary: "on-balance volume", build: bar(func(p []float64) BarIndicator { return NewOBV() })},
	{Name: "vwap", Summary: "VWAP of the typical price since the session's (day's) first bar",
		build: bar(func(p []float64) BarIndicator { return NewVWAP() })},
	{Name: "rvwap", Summary: "VWAP of the typical price over the last n bars", Params: []Param{lengthParam("n", "20")},
		build: bar(func(p []float64) BarIndicator { return NewRollingVWAP(int(p[0])) })},
	{Name: "keltner", Summary: "Keltner channel: EMA(n) of the close +/- k ATR(atr)", Params: []Param{lengthParam("n", "20"), factorParam("k", "2"), lengthParam("atr", "10")},
		Parts: []string{"upper", "middle", "lower"},
		build: func(p []float64, f []Field) (BarIndicator, func([]float64) []float64) {
			c := NewKeltner(int(p[0]), p[1], int(p[2]))
			return c, func(dst []float64) []float64 { return append(dst, c.Upper(), c.Middle(), c.Lower()) }
		}},
	{Name: "slope", Summary: "linear-regression slope per bar", Params: []Param{lengthParam("n", "14"), fieldParam("field", "close")},
		build: func(p []float64, f []Field) (BarIndicator, func([]float64) []float64) {
			if p[0] < 2 {
				return nil, nil
			}
			return single(func(p []float64) Indicator { return NewLinRegSlope(int(p[0])) })(p, f)
		}},
	{Name: "correl", Summary: "rolling correlation of two bar fields", Params: []Param{lengthParam("n", "20"), fieldParam("a", "close"), fieldParam("b", "volume")},
		build: func(p []float64, f []Field) (BarIndicator, func([]float64) []float64) {
			if p[0] < 2 {
				return nil, nil
			}
			c := &fieldPair{Correlation: *NewCorrelation(int(p[0])), a: f[0], b: f[1]}
			return c, func(dst []float64) []float64 { return append(dst, c.Value()) }
		}},
}

// priceFieldSMA is a PriceSMA of a price field (open, high, low or close)
// of each bar, so that the averages of a spec are the exact ones that
// strategies compare.
type priceFieldSMA struct {
	PriceSMA
	f Field
}

func (s *priceFieldSMA) UpdateBar(b engine.Bar) { s.Push(s.f.price(&b)) }

func (s *priceFieldSMA) Value() float64 {
	if !s.Ready() {
		return 0
	}
	return s.PriceSMA.Value()
}

// fieldPair is a Correlation of two fields of each bar.
type fieldPair struct {
	Correlation
	a, b Field
}

func (c *fieldPair) UpdateBar(b engine.Bar) { c.Update(c.a.Of(&b), c.b.Of(&b)) }

// Kinds returns the indicators ParseSpec knows, in the order of Help.
func Kinds() []Kind { return append([]Kind(nil), kinds...) }

// Usage returns the kind's spec pattern, for example
// "macd[:fast[:slow[:signal[:field]]]]".
func (k Kind) Usage() string {
	var b strings.Builder
	b.WriteString(k.Name)
	for _, p := range k.Params {
		b.WriteString("[:" + p.Name)
	}
	b.WriteString(strings.Repeat("]", len(k.Params)))
	return b.String()
}

// Columns returns the kind's output column names when requested once.
func (k Kind) Columns() []string { return columns(k.Name, k.Parts) }

func columns(base string, parts []string) []string {
	if len(parts) == 0 {
		return []string{base}
	}
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = base
		if p != "" {
			out[i] += "_" + p
		}
	}
	return out
}

// Help returns two lines per known indicator: its spec pattern and
// defaults, then its summary and output columns.
func Help() string {
	var b strings.Builder
	for _, k := range kinds {
		defs := make([]string, len(k.Params))
		for i, p := range k.Params {
			defs[i] = p.Default
		}
		d := ""
		if len(defs) > 0 {
			d = "defaults " + strings.Join(defs, ":")
		}
		fmt.Fprintf(&b, "  %-36s %s\n      %s; columns %s\n", k.Usage(), d, k.Summary, strings.Join(k.Columns(), ", "))
	}
	b.WriteString("  A field is one of close, open, high, low, volume, typical, median.\n")
	return b.String()
}

// Computed is an indicator made by ParseSpec: a BarIndicator with named
// output columns.
type Computed struct {
	BarIndicator
	spec    string   // canonical spec, every param given
	name    string   // kind name
	params  []string // param texts, defaults filled in
	parts   []string
	columns []string
	values  func(dst []float64) []float64
}

// ParseSpec parses an indicator spec: a kind name (see Kinds), then its
// params separated by colons, as in "rsi:14", "macd:12:26:9",
// "bbands:20:2" or "sma:50:high". Params left out take their defaults.
// Lengths are whole numbers from 1 to MaxWindow, factors finite numbers
// above 0, and fields bar field names (see ParseField).
func ParseSpec(s string) (*Computed, error) {
	words := strings.Split(strings.TrimSpace(s), ":")
	name := strings.ToLower(words[0])
	var kind *Kind
	for i := range kinds {
		if kinds[i].Name == name {
			kind = &kinds[i]
		}
	}
	if kind == nil {
		names := make([]string, len(kinds))
		for i, k := range kinds {
			names[i] = k.Name
		}
		return nil, fmt.Errorf("indicator %q: unknown indicator %q (known: %s)", s, name, strings.Join(names, ", "))
	}
	args := words[1:]
	if len(args) > len(kind.Params) {
		return nil, fmt.Errorf("indicator %q: %d params, %s takes at most %d: %s", s, len(args), name, len(kind.Params), kind.Usage())
	}
	var nums []float64
	var fields []Field
	texts := make([]string, len(kind.Params))
	for i, p := range kind.Params {
		t := p.Default
		if i < len(args) {
			t = strings.TrimSpace(args[i])
		}
		switch p.kind {
		case field:
			f, err := ParseField(strings.ToLower(t))
			if err != nil {
				return nil, fmt.Errorf("indicator %q: param %s: %w", s, p.Name, err)
			}
			fields, texts[i] = append(fields, f), f.String()
		case length:
			v, err := strconv.Atoi(t)
			if err != nil || v < 1 || v > MaxWindow {
				return nil, fmt.Errorf("indicator %q: param %s: %q is not a whole number from 1 to %d", s, p.Name, t, MaxWindow)
			}
			nums, texts[i] = append(nums, float64(v)), strconv.Itoa(v)
		default:
			v, err := strconv.ParseFloat(t, 64)
			if err != nil || !(v > 0) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("indicator %q: param %s: %q is not a number above 0", s, p.Name, t)
			}
			nums, texts[i] = append(nums, v), strconv.FormatFloat(v, 'g', -1, 64)
		}
	}
	if name == "macd" && nums[0] >= nums[1] {
		return nil, fmt.Errorf("indicator %q: fast (%v) must be less than slow (%v)", s, nums[0], nums[1])
	}
	ind, values := kind.build(nums, fields)
	if ind == nil {
		return nil, fmt.Errorf("indicator %q: param %s must be at least 2", s, kind.Params[0].Name)
	}
	c := &Computed{BarIndicator: ind, name: name, params: texts, parts: kind.Parts, values: values,
		columns: columns(name, kind.Parts)}
	c.spec = strings.Join(append([]string{name}, texts...), ":")
	return c, nil
}

// ParseSpecs parses every spec with ParseSpec. When one kind is asked for
// more than once, its columns carry its params after the name, defaults
// filled in and fields left out when they are the default
// ("rsi_14", "rsi_7"; "macd_12_26_9_line"). The same spec twice is an
// error.
func ParseSpecs(specs []string) ([]*Computed, error) {
	out := make([]*Computed, 0, len(specs))
	count := map[string]int{}
	seen := map[string]string{}
	for _, s := range specs {
		c, err := ParseSpec(s)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[c.spec]; dup {
			return nil, fmt.Errorf("indicator %q: the same as %q (%s)", s, prev, c.spec)
		}
		seen[c.spec] = s
		count[c.name]++
		out = append(out, c)
	}
	for _, c := range out {
		if count[c.name] > 1 {
			c.columns = columns(c.suffixed(), c.parts)
		}
	}
	return out, nil
}

// suffixed returns the name with the params appended, fields left out
// where they are the default.
func (c *Computed) suffixed() string {
	var kind Kind
	for _, k := range kinds {
		if k.Name == c.name {
			kind = k
		}
	}
	base := c.name
	for i, p := range kind.Params {
		if p.kind == field && c.params[i] == p.Default {
			continue
		}
		base += "_" + c.params[i]
	}
	return base
}

// Spec returns the canonical spec, every param given.
func (c *Computed) Spec() string { return c.spec }

// Columns returns the output column names.
func (c *Computed) Columns() []string { return c.columns }

// AppendValues appends the current value of every column to dst (zeros
// before Ready) and returns the extended slice.
func (c *Computed) AppendValues(dst []float64) []float64 { return c.values(dst) }
