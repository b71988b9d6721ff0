package strategy

import (
	"fmt"
	"sort"
	"strings"
)

// Factory makes a strategy from its params.
type Factory func(Params) (Strategy, error)

// builtins are the strategies the CLI knows by name. The map is never
// written after initialization.
var builtins = map[string]Factory{
	"breakout": NewBreakout,
	"buyhold":  NewBuyHold,
	"macd":     NewMACDCross,
	"rsi":      NewRSIReversion,
	"smacross": NewSMACross,
}

// Names returns the names of the built-in strategies, sorted.
func Names() []string {
	names := make([]string, 0, len(builtins))
	for n := range builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// New makes the built-in strategy called name.
func New(name string, p Params) (Strategy, error) {
	f, ok := builtins[name]
	if !ok {
		return nil, fmt.Errorf("unknown strategy %q (built-in: %s)", name, strings.Join(Names(), ", "))
	}
	return f(p)
}
