package indicator

import (
	"fmt"

	"github.com/quantloop/quantloop/engine"
)

// Indicator is an indicator of one float64 series.
type Indicator interface {
	// Update adds x as the newest input; a NaN is ignored.
	Update(x float64)
	// Value returns the current value, 0 before Ready.
	Value() float64
	// Ready reports whether Value is defined.
	Ready() bool
	// WarmUp returns the number of inputs before the first value.
	WarmUp() int
}

// BarIndicator is an indicator of bars.
type BarIndicator interface {
	// UpdateBar adds b as the newest bar.
	UpdateBar(b engine.Bar)
	// Value returns the current value, 0 before Ready.
	Value() float64
	// Ready reports whether Value is defined.
	Ready() bool
	// WarmUp returns the number of bars before the first value.
	WarmUp() int
}

// Field is a number read from a bar.
type Field int

// The bar fields.
const (
	Close   Field = iota // the close
	Open                 // the open
	High                 // the high
	Low                  // the low
	Volume               // the volume
	Typical              // the typical price (high + low + close) / 3
	Median               // the median price (high + low) / 2
)

var fieldNames = [...]string{"close", "open", "high", "low", "volume", "typical", "median"}

// String returns the field's name: close, open, high, low, volume, typical
// or median.
func (f Field) String() string {
	if f < 0 || int(f) >= len(fieldNames) {
		return fmt.Sprintf("Field(%d)", int(f))
	}
	return fieldNames[f]
}

// ParseField returns the field called name (see Field.String).
func ParseField(name string) (Field, error) {
	for i, n := range fieldNames {
		if n == name {
			return Field(i), nil
		}
	}
	return 0, fmt.Errorf("unknown bar field %q (known: close, open, high, low, volume, typical, median)", name)
}

// Of returns f's value in b, as float64.
func (f Field) Of(b *engine.Bar) float64 {
	switch f {
	case Volume:
		return b.Volume
	case Typical:
		return typical(b)
	case Median:
		return (b.High.Float64() + b.Low.Float64()) / 2
	}
	return f.price(b).Float64()
}

// price returns the price of f in b: the open, high, low or close (the
// close for the other fields).
func (f Field) price(b *engine.Bar) engine.Price {
	switch f {
	case Open:
		return b.Open
	case High:
		return b.High
	case Low:
		return b.Low
	}
	return b.Close
}

func typical(b *engine.Bar) float64 {
	return (b.High.Float64() + b.Low.Float64() + b.Close.Float64()) / 3
}

// Chain is a BarIndicator that feeds an Indicator from a bar field or from
// another BarIndicator. Its value is the fed indicator's.
type Chain struct {
	ind   Indicator
	src   BarIndicator // nil: read field
	field Field
}

// On returns ind fed with field f of each bar.
func On(ind Indicator, f Field) *Chain { return &Chain{ind: ind, field: f} }

// Of returns ind fed with src's value on every bar where src is Ready.
func Of(ind Indicator, src BarIndicator) *Chain { return &Chain{ind: ind, src: src} }

// UpdateBar updates the source with b and then the indicator with the
// source's value.
func (c *Chain) UpdateBar(b engine.Bar) {
	if c.src == nil {
		c.ind.Update(c.field.Of(&b))
		return
	}
	c.src.UpdateBar(b)
	if c.src.Ready() {
		c.ind.Update(c.src.Value())
	}
}

// Value returns the fed indicator's value.
func (c *Chain) Value() float64 { return c.ind.Value() }

// Ready reports whether the fed indicator is ready.
func (c *Chain) Ready() bool { return c.ind.Ready() }

// WarmUp returns the source's warm-up plus the indicator's.
func (c *Chain) WarmUp() int {
	if c.src == nil {
		return c.ind.WarmUp()
	}
	return c.src.WarmUp() + c.ind.WarmUp()
}

// Piped is an Indicator that feeds one Indicator's value into another.
type Piped struct {
	outer, inner Indicator
}

// Pipe returns outer fed with inner's value on every input where inner is
// Ready: Pipe(NewRSI(14), NewSMA(10)) is the RSI of a 10-input SMA.
func Pipe(outer, inner Indicator) *Piped { return &Piped{outer: outer, inner: inner} }

// Update adds x to inner and then inner's value to outer.
func (p *Piped) Update(x float64) {
	if x != x {
		return
	}
	p.inner.Update(x)
	if p.inner.Ready() {
		p.outer.Update(p.inner.Value())
	}
}

// Value returns outer's value.
func (p *Piped) Value() float64 { return p.outer.Value() }

// Ready reports whether outer is ready.
func (p *Piped) Ready() bool { return p.outer.Ready() }

// WarmUp returns inner's warm-up plus outer's.
func (p *Piped) WarmUp() int { return p.inner.WarmUp() + p.outer.WarmUp() }
