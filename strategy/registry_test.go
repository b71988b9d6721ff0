package strategy_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// described is a user strategy that describes its params.
type described struct{ n int }

func (described) OnBar(*strategy.Context, engine.Bar) error { return nil }
func (described) ParamSpecs() strategy.ParamSpecs {
	return strategy.ParamSpecs{{Name: "n", Type: strategy.Int, Default: "5", Min: "1", Max: "10"}}
}

// plain is a user strategy that neither describes nor reports params.
type plain struct{}

func (plain) OnBar(*strategy.Context, engine.Bar) error { return nil }

func init() {
	strategy.Register("test-described", func(p strategy.Params) (strategy.Strategy, error) {
		n, _ := strconv.Atoi(p["n"]) // lenient: New checks the value
		return described{n: n}, nil
	})
	strategy.Register("test-plain", func(strategy.Params) (strategy.Strategy, error) { return plain{}, nil })
}

func TestRegistry(t *testing.T) {
	for _, c := range []struct {
		name string
		p    strategy.Params
		want string // error, "" for none
	}{
		{"test-described", strategy.Params{"n": "7"}, ""},
		{"test-described", strategy.Params{"m": "7"}, `strategy test-described: unknown param "m" (known: n)`},
		{"test-described", strategy.Params{"n": "11"}, `strategy test-described: param n: 11 is out of range: want 1 to 10`},
		{"test-described", strategy.Params{"n": "1.5"}, `strategy test-described: param n: "1.5" is not a whole number`},
		{"test-plain", strategy.Params{}, ""},
		{"test-plain", strategy.Params{"x": "1"}, `strategy test-plain: unknown param "x" (known: none)`},
		{"smacross", strategy.Params{"fats": "1"}, `strategy smacross: unknown param "fats" (known: fast, slow, mode)`},
	} {
		s, err := strategy.New(c.name, c.p)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s %v: %v", c.name, c.p, err)
		case c.want != "" && (err == nil || err.Error() != c.want):
			t.Errorf("%s %v: error %v, want %s", c.name, c.p, err, c.want)
		case c.want == "" && c.name == "test-described" && s.(described).n != 7:
			t.Errorf("n = %d, want 7", s.(described).n)
		}
	}
	s, _ := strategy.New("test-described", strategy.Params{})
	if got := strategy.ParamsOf(s, strategy.Params{}); got["n"] != "5" || len(got) != 1 {
		t.Errorf("ParamsOf = %v, want the default n=5", got)
	}
	for _, n := range []string{"breakout", "buyhold", "macd", "rotation", "rsi", "smacross", "test-described", "test-plain"} {
		if !slices.Contains(strategy.Names(), n) {
			t.Errorf("Names() = %v lacks %s", strategy.Names(), n)
		}
	}
	specs, err := strategy.Describe("rotation")
	if err != nil || len(specs) != 3 || specs[2].Range() != "equal, inverse_vol, min_variance, risk_parity" || specs[0].Range() != "1 to 999999" {
		t.Errorf("Describe(rotation) = %+v, %v", specs, err)
	}
}

func TestRegisterTwicePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	strategy.Register("smacross", strategy.NewSMACross)
}
