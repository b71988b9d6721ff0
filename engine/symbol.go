package engine

// symbolTable assigns the dense symbol indices of Bar.SymbolIndex.
type symbolTable struct {
	index map[string]int
	names []string // by index
	// hint[k] is the index of the k-th bar of the previous timestamp. A
	// feed usually delivers its symbols in the same order at every
	// timestamp, so checking the hint (a string comparison of what is
	// mostly the same string) nearly always saves the map lookup.
	hint []int
}

// assign sets the SymbolIndex of every bar.
func (t *symbolTable) assign(bars []Bar) {
	for k := range bars {
		b := &bars[k]
		if k < len(t.hint) {
			if i := t.hint[k]; t.names[i] == b.Symbol {
				b.SymbolIndex = i
				continue
			}
		}
		i := t.lookup(b.Symbol)
		b.SymbolIndex = i
		if k < len(t.hint) {
			t.hint[k] = i
		} else {
			t.hint = append(t.hint, i)
		}
	}
}

// lookup returns symbol's index, assigning the next one to a new symbol.
func (t *symbolTable) lookup(symbol string) int {
	if i, ok := t.index[symbol]; ok {
		return i
	}
	if t.index == nil {
		t.index = make(map[string]int)
	}
	i := len(t.names)
	t.index[symbol] = i
	t.names = append(t.names, symbol)
	return i
}

// SymbolCache finds a component's per-symbol state from a bar without a
// lookup by name: it holds one pointer per Bar.SymbolIndex, each checked
// against the bar's symbol. A bar whose index does not match (a bar made
// by hand, not read by the engine) is a miss, never a wrong hit. The zero
// value is empty and ready to use.
//
//	pos := c.Get(bar)
//	if pos == nil {
//		pos = byName(bar.Symbol) // the component's own lookup or creation
//		c.Put(bar, pos)
//	}
type SymbolCache[T any] struct {
	slots []symbolSlot[T]
}

// maxCacheGrowth bounds how far past its slots in use a SymbolCache grows
// at once, so that a bar made by hand with an absurd index cannot make it
// allocate without bound.
const maxCacheGrowth = 1 << 12

type symbolSlot[T any] struct {
	symbol string
	v      *T
}

// Get returns the pointer cached for b's symbol, or nil.
func (c *SymbolCache[T]) Get(b *Bar) *T {
	if i := b.SymbolIndex; uint(i) < uint(len(c.slots)) {
		if s := &c.slots[i]; s.symbol == b.Symbol {
			return s.v
		}
	}
	return nil
}

// Put caches v for b's symbol, in the slot of b.SymbolIndex. A negative
// index, or one far past the slots in use (not one the engine sets, since
// a component meets the engine's indices in increasing order), is not
// cached.
func (c *SymbolCache[T]) Put(b *Bar, v *T) {
	i := b.SymbolIndex
	if i < 0 || i-len(c.slots) > maxCacheGrowth {
		return
	}
	if i >= len(c.slots) {
		c.slots = append(c.slots, make([]symbolSlot[T], i+1-len(c.slots))...)
	}
	c.slots[i] = symbolSlot[T]{symbol: b.Symbol, v: v}
}
