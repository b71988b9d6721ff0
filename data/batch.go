package data

import "github.com/quantloop/quantloop/engine"

// batchSource is a Source that hands over several bars a call, which
// costs less a bar than a call of Next for each: *Reader, *ParquetReader
// and *Memory are batchSources.
type batchSource interface {
	Source
	// appendBars appends to dst the source's next bars, at most n of
	// them, exactly those that n calls of Next would return, and returns
	// the extended slice. The error is the one Next would return after
	// the last bar appended; it is nil only when n bars were appended.
	appendBars(dst []engine.Bar, n int) ([]engine.Bar, error)
}

// appendNext appends up to n bars of src to dst by calling Next, as
// batchSource.appendBars does.
func appendNext(src Source, dst []engine.Bar, n int) ([]engine.Bar, error) {
	for range n {
		bar, err := src.Next()
		if err != nil {
			return dst, err
		}
		dst = append(dst, bar)
	}
	return dst, nil
}

// appendBars implements batchSource.
func (r *Reader) appendBars(dst []engine.Bar, n int) ([]engine.Bar, error) {
	return appendNext(r, dst, n)
}

// appendBars implements batchSource.
func (m *Memory) appendBars(dst []engine.Bar, n int) ([]engine.Bar, error) {
	k := min(n, len(m.bars)-m.next)
	dst = append(dst, m.bars[m.next:m.next+k]...)
	m.next += k
	if k < n {
		_, err := m.Next()
		return dst, err
	}
	return dst, nil
}

// oneSource reports whether m merges a single source and has not been
// read yet, so that appendOne may read it in its place.
func (m *Merged) oneSource() bool { return len(m.sources) == 1 && !m.started && m.err == nil }

// appendOne reads m's only source in batches, for a reader that takes
// every bar as a timestamp of its own, as Next returns it: it appends up
// to n bars to dst and returns the extended slice, with the error Next
// would return after the last of them (io.EOF at the end of the data);
// the error is nil only when n bars were appended. It checks the times
// as Next does. It must be called only when oneSource reported true,
// and Next must not be called afterwards: m reads no bar ahead of the
// ones appendOne returns.
func (m *Merged) appendOne(dst []engine.Bar, n int) ([]engine.Bar, error) {
	m.started = true
	if m.err != nil {
		return dst, m.err
	}
	start := len(dst)
	var err error
	if b, ok := m.sources[0].(batchSource); ok {
		dst, err = b.appendBars(dst, n)
	} else {
		dst, err = appendNext(m.sources[0], dst, n)
	}
	// heads[0] holds the last bar returned, whose time the next must
	// follow.
	prev := m.heads[0].Time
	for i := start; i < len(dst); i++ {
		t := dst[i].Time
		if !prev.IsZero() && !t.After(prev) {
			dst, err = dst[:i], m.timeBack(0, t, prev)
			break
		}
		prev = t
	}
	if len(dst) > start {
		m.heads[0] = dst[len(dst)-1]
	}
	if err != nil {
		m.err = err
	}
	return dst, err
}
