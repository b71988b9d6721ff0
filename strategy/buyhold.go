package strategy

import "github.com/quantloop/quantloop/engine"

// BuyHold signals long on the first bar of every symbol and holds. With
// the default market orders it enters at the second bar's open. The zero
// value is ready to use.
type BuyHold struct {
	entered map[string]bool
	byIndex engine.SymbolCache[struct{}] // the entered symbols, found without the map
}

// NewBuyHold makes a BuyHold; it takes no params.
func NewBuyHold(p Params) (Strategy, error) {
	r := paramReader{strategy: "buyhold", p: p}
	if err := r.done(); err != nil {
		return nil, err
	}
	return &BuyHold{entered: make(map[string]bool)}, nil
}

// Params returns no params: BuyHold has none.
func (s *BuyHold) Params() Params { return Params{} }

// OnBar signals long once per symbol.
func (s *BuyHold) OnBar(ctx *Context, bar engine.Bar) error {
	if s.byIndex.Get(&bar) != nil {
		return nil
	}
	if s.entered == nil {
		s.entered = make(map[string]bool)
	}
	if !s.entered[bar.Symbol] {
		s.entered[bar.Symbol] = true
		ctx.Signal(bar.Symbol, engine.TargetLong)
	}
	s.byIndex.Put(&bar, &struct{}{}) // any pointer that is not nil
	return nil
}

// ParamSpecs describes no params: BuyHold has none.
func (s *BuyHold) ParamSpecs() ParamSpecs { return ParamSpecs{} }
