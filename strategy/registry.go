package strategy

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Factory makes a strategy from its params.
type Factory func(Params) (Strategy, error)

// registry holds the strategies known by name: the built-ins, registered
// by this package's init, and a program's own, registered with Register
// before it runs anything (as database/sql's drivers are). It is written
// only by Register.
var registry = struct {
	sync.RWMutex
	factories map[string]Factory
}{factories: make(map[string]Factory)}

func init() {
	Register("breakout", NewBreakout)
	Register("buyhold", NewBuyHold)
	Register("macd", NewMACDCross)
	Register("rotation", NewRotation)
	Register("rsi", NewRSIReversion)
	Register("smacross", NewSMACross)
}

// Register makes the strategy f known as name, to New, to the command
// line's --strategy and to the strategy.name of a config file, so that a
// run saved with it can be re-run and verified by the same program.
//
// A strategy describes its params by implementing Describer (on the
// strategy that f returns for empty Params); then New checks the params
// given against the description, fills in the defaults, and refuses
// unknown ones. A strategy that does not describe its params takes none
// unless it reports them (Parameterized): then a param is known when its
// default strategy's Params lists it.
//
// Register panics if name is empty or already registered, or f is nil:
// those are mistakes in the program, made before it runs.
func Register(name string, f Factory) {
	if name == "" || f == nil {
		panic("strategy: Register with an empty name or a nil factory")
	}
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.factories[name]; dup {
		panic(fmt.Sprintf("strategy: Register called twice for %q", name))
	}
	registry.factories[name] = f
}

// Names returns the names of the registered strategies, sorted.
func Names() []string {
	registry.RLock()
	defer registry.RUnlock()
	names := make([]string, 0, len(registry.factories))
	for n := range registry.factories {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func lookup(name string) (Factory, error) {
	registry.RLock()
	f, ok := registry.factories[name]
	registry.RUnlock()
	if !ok {
		return nil, fmt.Errorf("unknown strategy %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return f, nil
}

// New makes the registered strategy called name with params p, checked
// as Register describes.
func New(name string, p Params) (Strategy, error) {
	f, err := lookup(name)
	if err != nil {
		return nil, err
	}
	specs, reported, err := describe(f)
	if err != nil {
		return nil, fmt.Errorf("strategy %s: %w", name, err)
	}
	if specs == nil {
		return checked(f, name, p, reported)
	}
	if err := checkKnown(name, p, specs.Names()); err != nil {
		return nil, err
	}
	full := specs.Defaults()
	for k, v := range p {
		full[k] = v
	}
	// The factory's own message about a bad value comes first; the
	// description's check then catches what the factory lets through.
	s, err := f(full)
	if err != nil {
		return nil, err
	}
	if _, err := specs.check(name, p); err != nil {
		return nil, err
	}
	return s, nil
}

// checked makes a strategy that does not describe its params: the keys of
// p must be among those its default strategy reports.
func checked(f Factory, name string, p Params, reported []string) (Strategy, error) {
	if err := checkKnown(name, p, reported); err != nil {
		return nil, err
	}
	return f(p)
}

// Describe returns the params of the registered strategy called name, as
// it describes them (nil when it does not).
func Describe(name string) (ParamSpecs, error) {
	f, err := lookup(name)
	if err != nil {
		return nil, err
	}
	specs, _, err := describe(f)
	return specs, err
}

// describe makes f's default strategy and returns its param descriptions
// or, failing those, the names of the params it reports.
func describe(f Factory) (ParamSpecs, []string, error) {
	s, err := f(Params{})
	if err != nil {
		return nil, nil, fmt.Errorf("with default params: %w", err)
	}
	if d, ok := s.(Describer); ok {
		return d.ParamSpecs(), nil, nil
	}
	if p, ok := s.(Parameterized); ok {
		known := make([]string, 0, len(p.Params()))
		for k := range p.Params() {
			known = append(known, k)
		}
		slices.Sort(known)
		return nil, known, nil
	}
	return nil, nil, nil
}

// checkKnown returns an error naming the first key of p, by name, that is
// not in known, and listing known in its order.
func checkKnown(strategy string, p Params, known []string) error {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(known, k) {
			list := "none"
			if len(known) > 0 {
				list = strings.Join(known, ", ")
			}
			return fmt.Errorf("strategy %s: unknown param %q (known: %s)", strategy, k, list)
		}
	}
	return nil
}
