package strategy

import (
	"fmt"
	"strconv"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/indicator"
)

// RSIReversion is long-only mean reversion on Wilder's RSI of the close
// (see [indicator.RSI]: the first average gain and loss are the simple
// means of the first Period changes, then avg = (prev (Period-1) +
// current) / Period; RSI = 100 G / (G + L), and 50 when G + L = 0).
//
// When flat and the RSI crosses below Low (previous >= Low, current <
// Low) it signals long; when long and the RSI crosses above High
// (previous <= High, current > High) it signals flat. A cross needs two
// RSI values, so the first possible signal is at bar Period+1. Orders are
// the run's: market orders at the next open, sized by its sizer. It is a
// Warmer (see SMACross).
type RSIReversion struct {
	Period    int
	Low, High float64
	state     map[string]*rsiState
	byIndex   engine.SymbolCache[rsiState]
}

type rsiState struct {
	rsi     *indicator.RSI
	prev    float64
	hasPrev bool
}

// NewRSIReversion makes an RSIReversion from params period (default 14),
// low (30) and high (70), with 0 <= low <= high <= 100.
func NewRSIReversion(p Params) (Strategy, error) {
	r := paramReader{strategy: "rsi", p: p}
	period := r.int("period", 14)
	low := r.float("low", 30)
	high := r.float("high", 70)
	if err := r.done(); err != nil {
		return nil, err
	}
	if period < 1 || period > MaxWindow {
		return nil, fmt.Errorf("strategy rsi: period (%d) must be from 1 to %d", period, MaxWindow)
	}
	if !(0 <= low && low <= high && high <= 100) {
		return nil, fmt.Errorf("strategy rsi: want 0 <= low (%v) <= high (%v) <= 100", low, high)
	}
	return &RSIReversion{Period: period, Low: low, High: high}, nil
}

// Params returns the effective params, defaults included.
func (s *RSIReversion) Params() Params {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	return Params{"period": strconv.Itoa(s.Period), "low": f(s.Low), "high": f(s.High)}
}

// Lookback reports that RSIReversion keeps its own state and needs only
// the current bar in its History.
func (s *RSIReversion) Lookback() int { return 1 }

// OnBar updates the RSI of bar's symbol and signals on a cross.
func (s *RSIReversion) OnBar(ctx *Context, bar engine.Bar) error {
	prev, cur, ok := s.update(&bar)
	if !ok {
		return nil
	}
	pos := ctx.Position(bar.Symbol)
	switch {
	case pos.IsZero() && prev >= s.Low && cur < s.Low:
		ctx.Signal(bar.Symbol, engine.TargetLong)
	case pos.IsPositive() && prev <= s.High && cur > s.High:
		ctx.Signal(bar.Symbol, engine.TargetFlat)
	}
	return nil
}

// Warm updates the RSI of bar's symbol as OnBar does, without signaling
// (see Warmer).
func (s *RSIReversion) Warm(_ *Context, bar engine.Bar) error {
	s.update(&bar)
	return nil
}

// update pushes bar's close to its symbol's RSI and returns the previous
// and current values; ok is false until there are two.
func (s *RSIReversion) update(bar *engine.Bar) (prev, cur float64, ok bool) {
	st := s.byIndex.Get(bar)
	if st == nil {
		if s.state == nil {
			s.state = make(map[string]*rsiState)
		}
		if st = s.state[bar.Symbol]; st == nil {
			st = &rsiState{rsi: indicator.NewRSI(s.Period)}
			s.state[bar.Symbol] = st
		}
		s.byIndex.Put(bar, st)
	}
	st.rsi.Update(bar.Close.Float64())
	if !st.rsi.Ready() {
		return 0, 0, false
	}
	cur, prev, ok = st.rsi.Value(), st.prev, st.hasPrev
	st.prev, st.hasPrev = cur, true
	return prev, cur, ok
}

// MACDCross trades the crossing of the MACD line and its signal line (see
// [indicator.MACD], TA-Lib's convention) of the close, with the tie rule
// of SMACross ([indicator.Cross]): a bar where the two are exactly equal
// never signals, and passing through a tie fires on the first bar past
// it. No cross is seen until the signal line is defined.
//
// In mode "long" an up-cross while flat signals long and a down-cross
// while long signals flat; in mode "longshort" an up-cross signals long
// and a down-cross short, whatever the position. It is a Warmer (see
// SMACross).
type MACDCross struct {
	Fast, Slow, Signal int
	LongShort          bool
	state              map[string]*macdState
	byIndex            engine.SymbolCache[macdState]
}

type macdState struct {
	macd  *indicator.MACD
	cross indicator.Cross
}

// NewMACDCross makes a MACDCross from params fast (default 12), slow (26),
// signal (9) and mode ("long", the default, or "longshort").
func NewMACDCross(p Params) (Strategy, error) {
	r := paramReader{strategy: "macd", p: p}
	fast := r.int("fast", 12)
	slow := r.int("slow", 26)
	signal := r.int("signal", 9)
	mode := r.choice("mode", "long", "long", "longshort")
	if err := r.done(); err != nil {
		return nil, err
	}
	if fast < 1 || signal < 1 || slow > MaxWindow || signal > MaxWindow {
		return nil, fmt.Errorf("strategy macd: fast (%d), slow (%d) and signal (%d) must be from 1 to %d", fast, slow, signal, MaxWindow)
	}
	if fast >= slow {
		return nil, fmt.Errorf("strategy macd: fast (%d) must be less than slow (%d)", fast, slow)
	}
	return &MACDCross{Fast: fast, Slow: slow, Signal: signal, LongShort: mode == "longshort"}, nil
}

// Params returns the effective params, defaults included.
func (s *MACDCross) Params() Params {
	mode := "long"
	if s.LongShort {
		mode = "longshort"
	}
	return Params{"fast": strconv.Itoa(s.Fast), "slow": strconv.Itoa(s.Slow), "signal": strconv.Itoa(s.Signal), "mode": mode}
}

// Lookback reports that MACDCross keeps its own state and needs only the
// current bar in its History.
func (s *MACDCross) Lookback() int { return 1 }

// OnBar updates the MACD of bar's symbol and signals on a cross.
func (s *MACDCross) OnBar(ctx *Context, bar engine.Bar) error {
	up, down := s.update(&bar)
	actOnCross(ctx, bar.Symbol, s.LongShort, up, down)
	return nil
}

// Warm updates the MACD of bar's symbol and the cross state as OnBar
// does, without signaling (see Warmer).
func (s *MACDCross) Warm(_ *Context, bar engine.Bar) error {
	s.update(&bar)
	return nil
}

// update pushes bar's close to its symbol's MACD and reports a cross.
func (s *MACDCross) update(bar *engine.Bar) (up, down bool) {
	st := s.byIndex.Get(bar)
	if st == nil {
		if s.state == nil {
			s.state = make(map[string]*macdState)
		}
		if st = s.state[bar.Symbol]; st == nil {
			st = &macdState{macd: indicator.NewMACD(s.Fast, s.Slow, s.Signal)}
			s.state[bar.Symbol] = st
		}
		s.byIndex.Put(bar, st)
	}
	st.macd.Update(bar.Close.Float64())
	if !st.macd.Ready() {
		return false, false
	}
	return st.cross.Update(st.macd.Line(), st.macd.Signal())
}
