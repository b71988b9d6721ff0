package report

import (
	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/fixed"
	"github.com/quantloop/quantloop/portfolio"
)

// decs holds the fixed.Decs of a record's decimals, read on the run's
// goroutine when the record is queued, while the decimals it has just
// made are in its cache: the rows' goroutine then writes their text and
// takes their floats without reading the decimals' big.Ints. Bit i of ok
// says that f[i] holds the decimal numbered i (fixed.Of); when it does
// not fit, the decimal gives its text and its float itself.
type decs struct {
	f  [6]fixed.Dec
	ok uint8
}

// The numbers of the decimals of a fill, a trade and an order in decs.
const (
	fillQty = iota
	fillPrice
	fillCommission
	fillSlippage
	fillRemaining
)

const (
	tradeQty = iota
	tradeEntry
	tradeExit
	tradeCommission
	tradeGross
	tradeNet
)

const (
	orderQty = iota
	orderFilled
	orderFillPrice
)

// set reads d, the decimal numbered i.
func (x *decs) set(i int, d decimal.Decimal) {
	if f, ok := fixed.Of(d); ok {
		x.f[i] = f
		x.ok |= 1 << i
	}
}

// fillDecs returns the decimals of f.
func fillDecs(f *engine.FillEvent) decs {
	var x decs
	x.set(fillQty, f.Quantity)
	x.set(fillPrice, f.Price)
	x.set(fillCommission, f.Commission)
	x.set(fillSlippage, f.Slippage)
	x.set(fillRemaining, f.Remaining)
	return x
}

// tradeDecs returns the decimals of t.
func tradeDecs(t *portfolio.Trade) decs {
	var x decs
	x.set(tradeQty, t.Quantity)
	x.set(tradeEntry, t.EntryPrice)
	x.set(tradeExit, t.ExitPrice)
	x.set(tradeCommission, t.Commission)
	x.set(tradeGross, t.PnLGross)
	x.set(tradeNet, t.PnLNet)
	return x
}

// orderDecs returns the decimals of o.
func orderDecs(o *backtest.OrderRecord) decs {
	var x decs
	x.set(orderQty, o.Quantity)
	x.set(orderFilled, o.FilledQuantity)
	x.set(orderFillPrice, o.FillPrice)
	return x
}

// get returns the Dec of d, the decimal numbered i, as fixed.Of does:
// from x, or, when x is nil, from d.
func (x *decs) get(i int, d decimal.Decimal) (fixed.Dec, bool) {
	if x == nil {
		return fixed.Of(d)
	}
	return x.f[i], x.ok&(1<<i) != 0
}

// float returns d, the decimal numbered i, as fixed.Float64(d).
func (x *decs) float(i int, d decimal.Decimal) float64 {
	if f, ok := x.get(i, d); ok {
		if v, ok := f.Float64(); ok {
			return v
		}
	}
	return d.InexactFloat64()
}

// append appends the text of d, the decimal numbered i, to b, as
// fixed.Append(b, d).
func (x *decs) append(b []byte, i int, d decimal.Decimal) []byte {
	if f, ok := x.get(i, d); ok {
		if out, ok := f.Append(b); ok {
			return out
		}
	}
	return append(b, d.String()...)
}
