package strategy

import (
	"fmt"
	"strconv"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio/weights"
)

// Rotation is a momentum rotation. On the first bar of each month
// (FirstBarOf(Month)) it ranks the symbols of its universe that have at
// least Window+1 bars by their momentum over Window bars (the param
// lookback),
//
//	momentum = close[t] / close[t−Window] − 1,
//
// highest first, equal momenta by symbol name, and moves (Context.Rebalance)
// to the Top best at the weights Weighting gives them from their last
// Window+1 closes; every other symbol of the universe goes to zero. A
// month in which no symbol has enough bars trades nothing.
//
// A literal Rotation{Window: 126, Top: 2} is ready to use; NewRotation
// also checks the params.
type Rotation struct {
	Window    int
	Top       int
	Weighting weights.Method
}

// rotationParams describes Rotation's params.
var rotationParams = ParamSpecs{
	{Name: "lookback", Type: Int, Default: "126", Min: "1", Max: strconv.Itoa(MaxWindow - 1), Doc: "bars over which momentum (and the covariance) is measured"},
	{Name: "top", Type: Int, Default: "2", Min: "1", Doc: "how many symbols are held"},
	{Name: "weighting", Type: Choice, Default: "equal", Choices: []string{"equal", "inverse_vol", "min_variance", "risk_parity"}, Doc: "how the held symbols are weighted"},
}

// NewRotation makes a Rotation from params lookback (default 126), top
// (default 2) and weighting (equal, the default, inverse_vol,
// min_variance or risk_parity).
func NewRotation(p Params) (Strategy, error) {
	full, err := rotationParams.check("rotation", p)
	if err != nil {
		return nil, err
	}
	lookback, _ := strconv.Atoi(full["lookback"])
	top, _ := strconv.Atoi(full["top"])
	m, err := weights.ParseMethod(full["weighting"])
	if err != nil {
		return nil, fmt.Errorf("strategy rotation: %w", err)
	}
	return &Rotation{Window: lookback, Top: top, Weighting: m}, nil
}

// ParamSpecs describes the params lookback, top and weighting.
func (s *Rotation) ParamSpecs() ParamSpecs { return rotationParams }

// Params returns the effective params, defaults included.
func (s *Rotation) Params() Params {
	return Params{"lookback": strconv.Itoa(s.Window), "top": strconv.Itoa(s.Top), "weighting": s.Weighting.String()}
}

// Lookback asks for the closes of the momentum window.
func (s *Rotation) Lookback() int { return s.Window + 1 }

// OnStart schedules the monthly rotation.
func (s *Rotation) OnStart(ctx *Context) error {
	if s.Window < 1 || s.Top < 1 {
		return fmt.Errorf("rotation: lookback (%d) and top (%d) must be at least 1", s.Window, s.Top)
	}
	return ctx.Schedule(FirstBarOf(Month), s.rotate)
}

// OnBar does nothing: Rotation decides in its schedule.
func (s *Rotation) OnBar(*Context, engine.Bar) error { return nil }

// rotate ranks the universe and rebalances to the best.
func (s *Rotation) rotate(ctx *Context) error {
	var symbols []string
	var scores []float64
	for _, sym := range ctx.Universe() {
		h := ctx.History(sym)
		if h.Len() <= s.Window {
			continue
		}
		symbols = append(symbols, sym)
		scores = append(scores, float64(h.Ago(0).Close)/float64(h.Ago(s.Window).Close)-1)
	}
	if len(symbols) == 0 {
		return nil
	}
	best := weights.Top(scores, s.Top)
	closes := make([][]float64, len(best))
	for j, i := range best {
		h := ctx.History(symbols[i])
		closes[j] = make([]float64, s.Window+1)
		for k := range closes[j] {
			closes[j][k] = h.Ago(s.Window - k).Close.Float64()
		}
	}
	w, err := s.Weighting.FromCloses(closes, weights.Constraints{})
	if err != nil {
		return fmt.Errorf("rotation: %s weights: %w", s.Weighting, err)
	}
	targets := make(map[string]float64, len(best))
	for j, i := range best {
		targets[symbols[i]] = w[j]
	}
	_, err = ctx.Rebalance(targets)
	return err
}
