package strategy

import (
	"fmt"
	"strconv"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/indicator"
)

// SMACross trades the crossing of a fast and a slow simple moving average
// of the close.
//
// An up-cross happens at bar t when fast[t] > slow[t] and the most recent
// non-zero fast - slow before t was negative; a down-cross mirrors it. A
// bar where the averages are exactly equal never signals, and passing
// through an exact tie fires on the first bar past it. No cross is seen
// until both averages have full windows. The averages are compared
// exactly (see SMA), so equal prices give equal averages.
//
// In mode "long" an up-cross while flat signals long and a down-cross while
// long signals flat; other crosses are ignored. In mode "longshort" an
// up-cross signals long and a down-cross signals short, whatever the
// position; the sizer orders the difference, so a reversal is one order.
//
// It is a Warmer: the bars before data.from, or before its step of a
// schedule, fill its averages, so its first decision is the one a run
// from the start of the data would make there. A literal SMACross{Fast:
// 10, Slow: 30} is ready to use; NewSMACross also checks the params.
type SMACross struct {
	Fast, Slow int
	LongShort  bool
	state      map[string]*crossState
	byIndex    engine.SymbolCache[crossState]
}

type crossState struct {
	fast, slow *SMA
	cross      indicator.Cross
}

// actOnCross signals on a cross: in long-short mode long on an up-cross
// and short on a down-cross; in long mode long on an up-cross while flat
// and flat on a down-cross while long.
func actOnCross(ctx *Context, symbol string, longShort, up, down bool) {
	if !up && !down {
		return
	}
	if longShort {
		if up {
			ctx.Signal(symbol, engine.TargetLong)
		} else {
			ctx.Signal(symbol, engine.TargetShort)
		}
		return
	}
	pos := ctx.Position(symbol)
	switch {
	case up && pos.IsZero():
		ctx.Signal(symbol, engine.TargetLong)
	case down && pos.IsPositive():
		ctx.Signal(symbol, engine.TargetFlat)
	}
}

// NewSMACross makes an SMACross from params fast (default 10), slow
// (default 30) and mode ("long", the default, or "longshort").
func NewSMACross(p Params) (Strategy, error) {
	r := paramReader{strategy: "smacross", p: p}
	fast := r.int("fast", 10)
	slow := r.int("slow", 30)
	mode := r.choice("mode", "long", "long", "longshort")
	if err := r.done(); err != nil {
		return nil, err
	}
	if fast < 1 || slow < 1 {
		return nil, fmt.Errorf("strategy smacross: fast (%d) and slow (%d) must be at least 1", fast, slow)
	}
	if slow > MaxWindow {
		return nil, fmt.Errorf("strategy smacross: slow (%d) must be at most %d", slow, MaxWindow)
	}
	if fast >= slow {
		return nil, fmt.Errorf("strategy smacross: fast (%d) must be less than slow (%d)", fast, slow)
	}
	return &SMACross{Fast: fast, Slow: slow, LongShort: mode == "longshort", state: make(map[string]*crossState)}, nil
}

// Params returns the effective params, defaults included.
func (s *SMACross) Params() Params {
	mode := "long"
	if s.LongShort {
		mode = "longshort"
	}
	return Params{"fast": strconv.Itoa(s.Fast), "slow": strconv.Itoa(s.Slow), "mode": mode}
}

// Lookback reports that SMACross keeps its own windows and needs only the
// current bar in its History.
func (s *SMACross) Lookback() int { return 1 }

// OnBar updates the averages of bar's symbol and signals on a cross.
func (s *SMACross) OnBar(ctx *Context, bar engine.Bar) error {
	up, down := s.update(&bar)
	actOnCross(ctx, bar.Symbol, s.LongShort, up, down)
	return nil
}

// Warm updates the averages of bar's symbol and the cross state as OnBar
// does, without signaling (see Warmer).
func (s *SMACross) Warm(_ *Context, bar engine.Bar) error {
	s.update(&bar)
	return nil
}

// update pushes bar's close to its symbol's averages and reports a cross.
func (s *SMACross) update(bar *engine.Bar) (up, down bool) {
	if s.state == nil {
		s.state = make(map[string]*crossState)
	}
	st := s.byIndex.Get(bar)
	if st == nil {
		if st = s.state[bar.Symbol]; st == nil {
			st = &crossState{fast: NewSMA(s.Fast), slow: NewSMA(s.Slow)}
			s.state[bar.Symbol] = st
		}
		s.byIndex.Put(bar, st)
	}
	st.fast.Push(bar.Close)
	st.slow.Push(bar.Close)
	if !st.slow.Ready() {
		return false, false
	}
	return st.cross.Step(CompareSMA(st.fast, st.slow))
}

// ParamSpecs describes the params fast, slow and mode.
func (s *SMACross) ParamSpecs() ParamSpecs {
	return ParamSpecs{
		{Name: "fast", Type: Int, Default: "10", Min: "1", Doc: "bars of the fast average"},
		{Name: "slow", Type: Int, Default: "30", Min: "1", Max: strconv.Itoa(MaxWindow), Doc: "bars of the slow average, more than fast"},
		{Name: "mode", Type: Choice, Default: "long", Choices: []string{"long", "longshort"}, Doc: "long only, or long and short"},
	}
}
