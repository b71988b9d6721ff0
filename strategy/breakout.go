package strategy

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// Breakout is a channel breakout with brackets. When a symbol is flat and
// its close rises above the highest high of the N bars before it, it buys
// Quantity at market with a take-profit limit TakeProfit % above that
// close and a stop-loss stop StopLoss % below it (both rounded half to
// even to the 1e-8 price grid). The exits work once the entry fills, as
// one OCO pair, so a trade ends at one of them; then it waits for the
// next breakout.
type Breakout struct {
	N          int
	TakeProfit decimal.Decimal // percent
	StopLoss   decimal.Decimal // percent
	Quantity   decimal.Decimal

	state map[string]*breakoutState
}

type breakoutState struct {
	pending bool // a bracket was sent and has not ended
	held    bool // its entry has filled
}

// NewBreakout makes a Breakout from params n (default 20), tp (take
// profit, percent, default 4), sl (stop loss, percent, default 2) and qty
// (default 1).
func NewBreakout(p Params) (Strategy, error) {
	r := paramReader{strategy: "breakout", p: p}
	n := r.int("n", 20)
	tp := r.decimal("tp", "4")
	sl := r.decimal("sl", "2")
	qty := r.decimal("qty", "1")
	if err := r.done(); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("strategy breakout: n (%d) must be at least 1", n)
	}
	if sl.GreaterThanOrEqual(decimal.NewFromInt(100)) {
		return nil, fmt.Errorf("strategy breakout: sl (%s) must be below 100", sl)
	}
	return &Breakout{N: n, TakeProfit: tp, StopLoss: sl, Quantity: qty, state: make(map[string]*breakoutState)}, nil
}

// Params returns the effective params, defaults included.
func (s *Breakout) Params() Params {
	return Params{"n": strconv.Itoa(s.N), "tp": s.TakeProfit.String(), "sl": s.StopLoss.String(), "qty": s.Quantity.String()}
}

// Lookback asks for the channel and the current bar.
func (s *Breakout) Lookback() int { return s.N + 1 }

// OnBar sends a bracket on a breakout.
func (s *Breakout) OnBar(ctx *Context, bar engine.Bar) error {
	st := s.state[bar.Symbol]
	if st == nil {
		st = &breakoutState{}
		s.state[bar.Symbol] = st
	}
	pos := ctx.Position(bar.Symbol)
	if st.pending {
		if !pos.IsZero() {
			st.held = true
			return nil
		}
		if !st.held {
			return nil // the entry has not filled yet
		}
		st.pending, st.held = false, false // an exit closed the trade
	}
	h := ctx.History(bar.Symbol)
	if h.Len() < s.N+1 || !pos.IsZero() {
		return nil
	}
	hi := h.Ago(1).High
	for i := 2; i <= s.N; i++ {
		hi = max(hi, h.Ago(i).High)
	}
	if bar.Close <= hi {
		return nil
	}
	hundred := decimal.NewFromInt(100)
	c := bar.Close.Decimal()
	tp, err := engine.ParsePrice(c.Mul(hundred.Add(s.TakeProfit)).Shift(-2).String())
	if err != nil {
		return fmt.Errorf("take-profit price: %w", err)
	}
	sl, err := engine.ParsePrice(c.Mul(hundred.Sub(s.StopLoss)).Shift(-2).String())
	if err != nil {
		return fmt.Errorf("stop-loss price: %w", err)
	}
	ctx.Bracket(engine.Order{Symbol: bar.Symbol, Side: engine.Buy, Type: engine.Market, Quantity: s.Quantity}, tp, sl)
	st.pending = true
	return nil
}

// ParamSpecs describes the params n, tp, sl and qty.
func (s *Breakout) ParamSpecs() ParamSpecs {
	return ParamSpecs{
		{Name: "n", Type: Int, Default: "20", Min: "1", Doc: "bars of the channel"},
		{Name: "tp", Type: Decimal, Default: "4", Doc: "take profit, percent above the entry, positive"},
		{Name: "sl", Type: Decimal, Default: "2", Max: "100", Doc: "stop loss, percent below the entry, positive and below 100"},
		{Name: "qty", Type: Decimal, Default: "1", Doc: "units bought, positive"},
	}
}
