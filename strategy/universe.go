package strategy

import (
	"slices"
)

// Universe is the set of symbols a strategy trades: Context.Universe and
// Context.Rebalance work on it. The zero value is every symbol of the run
// that has had a bar.
type Universe struct {
	// Symbols, when not empty, keeps only these symbols.
	Symbols []string
	// MinHistory, when positive, keeps only symbols with at least that
	// many bars so far (the current one included).
	MinHistory int
}

// SetUniverse narrows (or widens) the strategy's universe from now on.
func (c *Context) SetUniverse(u Universe) {
	c.act("SetUniverse")
	u.Symbols = slices.Clone(u.Symbols)
	c.r.universe = u
}

// Universe returns the symbols of the strategy's universe at this time,
// sorted by name: the symbols of the run that have had a bar, kept by the
// universe's rules (see SetUniverse). A symbol of the run whose data has
// not begun yet is not in it.
func (c *Context) Universe() []string {
	u := &c.r.universe
	out := make([]string, 0, len(c.r.symbols))
	for _, s := range c.r.symbols {
		if len(u.Symbols) > 0 && !slices.Contains(u.Symbols, s) {
			continue
		}
		if u.MinHistory > 0 && c.r.history[s].seen < u.MinHistory {
			continue
		}
		out = append(out, s)
	}
	return out
}

// Symbols returns every symbol of the run that has had a bar so far,
// sorted by name.
func (c *Context) Symbols() []string { return slices.Clone(c.r.symbols) }
