package data

import (
	"errors"
	"fmt"
	"math/bits"

	"github.com/quantloop/quantloop/engine"
)

// Adjust says how a Reader turns a file's prices into bars.
type Adjust uint8

const (
	// RawPrices reads open, high, low and close as written. It is the
	// default.
	RawPrices Adjust = iota
	// AdjustPrices scales open, high, low and close of each bar by the
	// bar's Adj Close / Close, so that later splits and dividends are in
	// the prices (back-adjusted prices, as Yahoo's Adj Close is). Each
	// scaled price is p × AdjClose / Close rounded half to even to
	// engine.PriceDecimals (8) decimal places, in exact integer
	// arithmetic; the bar's checks then apply to the scaled prices. The
	// close becomes the adjusted close itself. Volume is left as written.
	AdjustPrices
)

// errTotalReturn explains why there is no total-return mode.
var errTotalReturn = errors.New(`adjust "total_return" is not offered: a total-return series needs each dividend and the price it is reinvested at, ` +
	`which a file of bars does not state exactly (Adj Close only approximates it with a rounded factor). ` +
	`Use "adjusted" for back-adjusted prices, or "raw" with a corporate-actions file (--actions, data.actions) to pay dividends as cash on their ex-dates`)

// String returns "raw" or "adjusted".
func (a Adjust) String() string {
	switch a {
	case RawPrices:
		return "raw"
	case AdjustPrices:
		return "adjusted"
	}
	return fmt.Sprintf("adjust(%d)", uint8(a))
}

// ParseAdjust returns the mode named s: "raw" (or "") or "adjusted".
// "total_return" is refused with an error that says why and which mode
// to use instead.
func ParseAdjust(s string) (Adjust, error) {
	switch s {
	case "", "raw":
		return RawPrices, nil
	case "adjusted":
		return AdjustPrices, nil
	case "total_return":
		return 0, errTotalReturn
	}
	return 0, fmt.Errorf("adjust %q: want raw or adjusted", s)
}

// MarshalText returns the mode's name, as String.
func (a Adjust) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText sets a to the mode named by text, as ParseAdjust.
func (a *Adjust) UnmarshalText(text []byte) error {
	v, err := ParseAdjust(string(text))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// check reports a mode that is not one of the constants.
func (a Adjust) check() error {
	if a > AdjustPrices {
		return fmt.Errorf("unknown Options.Adjust %d", a)
	}
	return nil
}

// adjustBar scales bar's prices by adj / close, where adj is the text of
// the row's adjusted close (see AdjustPrices).
func (r *Reader) adjustBar(bar *engine.Bar, adj string) error {
	a, err := r.price(fAdjClose, adj)
	if err != nil {
		return err
	}
	c := bar.Close
	for _, p := range []struct {
		f  field
		at *engine.Price
	}{{fOpen, &bar.Open}, {fHigh, &bar.High}, {fLow, &bar.Low}, {fClose, &bar.Close}} {
		v, err := ScalePrice(*p.at, a, c)
		if err != nil {
			return r.fieldError(p.f, fmt.Errorf("adjusted price %s × %s / %s: %w", *p.at, a, c, err))
		}
		*p.at = v
	}
	return nil
}

// ErrAdjustedZero is returned by ScalePrice for a price that rounds to
// zero.
var ErrAdjustedZero = errors.New("rounds to zero at 8 decimal places")

// ScalePrice returns p × num / den rounded half to even to a Price (8
// decimal places), computed exactly in 128-bit integer arithmetic. p, num
// and den must be positive. A result above engine.MaxPrice is an error
// wrapping engine.ErrPriceRange; one that rounds to zero wraps
// ErrAdjustedZero.
func ScalePrice(p, num, den engine.Price) (engine.Price, error) {
	if p <= 0 || num <= 0 || den <= 0 {
		return 0, fmt.Errorf("%s × %s / %s: the values must be positive", p, num, den)
	}
	hi, lo := bits.Mul64(uint64(p), uint64(num))
	d := uint64(den)
	if hi >= d {
		return 0, engine.ErrPriceRange
	}
	q, rem := bits.Div64(hi, lo, d)
	if twice := 2 * rem; twice > d || twice == d && q%2 == 1 {
		q++
	}
	switch {
	case q > uint64(engine.MaxPrice):
		return 0, engine.ErrPriceRange
	case q == 0:
		return 0, ErrAdjustedZero
	}
	return engine.Price(q), nil
}
