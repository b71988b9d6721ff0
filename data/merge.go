package data

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/quantloop/quantloop/engine"
)

// Source supplies the bars of one symbol in strictly increasing time order.
// Next returns io.EOF after the last bar. *Reader and *Memory are Sources.
type Source interface {
	Next() (engine.Bar, error)
	Symbol() string
}

// Merged is an engine.Feed over many Sources: each call to Next returns the
// bars that carry the earliest time not yet returned. It holds one bar per
// source, in a heap ordered by time and then by source index, so its memory
// does not grow with the length of the data.
type Merged struct {
	sources []Source
	heads   []engine.Bar // the next bar of each source
	heap    []headKey    // the sources with a bar in heads
	started bool
	err     error // sticky: io.EOF or the first error
}

// Merge returns a Merged reading sources. Each source must have its own
// symbol. Bars with equal times come out in the order of sources.
func Merge(sources ...Source) (*Merged, error) {
	seen := make(map[string]int, len(sources))
	for i, s := range sources {
		if s == nil {
			return nil, fmt.Errorf("data: Merge: source %d is nil", i)
		}
		sym := s.Symbol()
		if sym == "" {
			return nil, fmt.Errorf("data: Merge: source %d has no symbol", i)
		}
		if j, ok := seen[sym]; ok {
			return nil, fmt.Errorf("data: Merge: sources %d and %d have the same symbol %q", j, i, sym)
		}
		seen[sym] = i
	}
	return &Merged{
		sources: sources,
		heads:   make([]engine.Bar, len(sources)),
		heap:    make([]headKey, 0, len(sources)),
	}, nil
}

// OpenAll opens the files at paths with Open (a Parquet file, see
// [IsParquet], with OpenParquet) and merges them. Each file's
// symbol is its base name without extension, so opts.Symbol must be empty
// when there is more than one path. On error it closes what it opened.
func OpenAll(paths []string, opts Options) (*Merged, error) {
	if opts.Symbol != "" && len(paths) > 1 {
		return nil, errors.New("data: OpenAll: Options.Symbol must be empty when opening more than one file")
	}
	return OpenNamed(paths, nil, opts)
}

// OpenNamed is OpenAll with the symbol of each file given (a path that
// [IsParquet] is opened with [OpenParquet]): symbols[i], when
// symbols is long enough and it is not empty, is the symbol of paths[i]
// (it replaces opts.Symbol); otherwise OpenAll's rule names it.
//
// Several files are opened at once, as many as GOMAXPROCS, each reading
// its header and first buffer; the error returned is that of the first
// path in order that fails, the one opening them one by one would return.
func OpenNamed(paths, symbols []string, opts Options) (*Merged, error) {
	sources := make([]Source, len(paths))
	errs := make([]error, len(paths))
	open := func(i int) {
		o := opts
		if i < len(symbols) && symbols[i] != "" {
			o.Symbol = symbols[i]
		}
		sources[i], errs[i] = OpenSource(paths[i], o)
	}
	if len(paths) == 1 {
		open(0)
	} else {
		eachAtOnce(len(paths), runtime.GOMAXPROCS(0), open)
	}
	closeAll := func() {
		for _, s := range sources {
			if s != nil {
				s.(io.Closer).Close()
			}
		}
	}
	for _, err := range errs {
		if err != nil {
			closeAll()
			return nil, err
		}
	}
	m, err := Merge(sources...)
	if err != nil {
		closeAll()
		return nil, err
	}
	return m, nil
}

// eachAtOnce calls fn(i) for every i from 0 to n-1, at most workers of
// them at a time, and returns when all have returned.
func eachAtOnce(n, workers int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, max(workers, 1)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// Next appends to dst every bar with the earliest time not yet returned,
// ordered by source index, and returns the extended slice. It returns
// io.EOF when every source is exhausted. An error from a source is returned
// unchanged by the call after the one that returned the source's last good
// bar, and again by later calls.
func (m *Merged) Next(dst []engine.Bar) ([]engine.Bar, error) {
	if m.err != nil {
		return dst, m.err
	}
	if !m.started {
		m.started = true
		for i := range m.sources {
			if err := m.advance(i); err != nil {
				m.err = err
				return dst, err
			}
		}
	}
	if len(m.heap) == 0 {
		m.err = io.EOF
		return dst, io.EOF
	}
	sec, nsec := m.heap[0].sec, m.heap[0].nsec
	for len(m.heap) > 0 {
		top := m.heap[0]
		if top.sec != sec || top.nsec != nsec {
			break
		}
		i := int(top.src)
		dst = append(dst, m.heads[i])
		m.pop()
		if err := m.advance(i); err != nil && m.err == nil {
			// Finish this step; the next call reports the error.
			m.err = err
		}
	}
	return dst, nil
}

// advance reads the next bar of source i into heads[i] and pushes i on the
// heap, unless the source is exhausted.
func (m *Merged) advance(i int) error {
	prev := m.heads[i].Time
	bar, err := m.sources[i].Next()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return err
	}
	if m.started && !prev.IsZero() && !bar.Time.After(prev) {
		return m.timeBack(i, bar.Time, prev)
	}
	m.heads[i] = bar
	m.push(headKey{sec: bar.Time.Unix(), nsec: int32(bar.Time.Nanosecond()), src: int32(i)})
	return nil
}

// timeBack is the error of source i's bar at t, which is not after the
// bar before it at prev.
func (m *Merged) timeBack(i int, t, prev time.Time) error {
	return fmt.Errorf("data: source %d (%s): time %s is not after the previous bar's %s",
		i, m.sources[i].Symbol(), t.Format(timeText), prev.Format(timeText))
}

// Close closes every source that is an io.Closer and returns their errors
// joined.
func (m *Merged) Close() error {
	var errs []error
	for _, s := range m.sources {
		if c, ok := s.(io.Closer); ok {
			if err := c.Close(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// Skipped returns how many bad rows the sources skipped in all (under
// SkipBadRow) and the errors of the first of them, at most limit, taken
// source by source in the order of the sources. Sources that do not skip
// rows (anything but a *Reader) count none.
func (m *Merged) Skipped(limit int) (int, []string) {
	type skipper interface{ Skipped() (int, []*Error) }
	n := 0
	var first []string
	for _, s := range m.sources {
		sk, ok := s.(skipper)
		if !ok {
			continue
		}
		c, errs := sk.Skipped()
		n += c
		for _, e := range errs {
			if len(first) < limit {
				first = append(first, e.Error())
			}
		}
	}
	return n, first
}

// Symbols returns the symbols of the sources, in order.
func (m *Merged) Symbols() []string {
	syms := make([]string, len(m.sources))
	for i, s := range m.sources {
		syms[i] = s.Symbol()
	}
	return syms
}

// headKey is a heap entry: the time of source src's next bar, held
// inline (in Unix seconds and nanoseconds, exact for every time) so that
// comparing two entries reads neither the bars nor time.Time.
type headKey struct {
	sec  int64
	nsec int32
	src  int32
}

// less orders sources by the time of their next bar, then by index.
func (a headKey) less(b headKey) bool {
	if a.sec != b.sec {
		return a.sec < b.sec
	}
	if a.nsec != b.nsec {
		return a.nsec < b.nsec
	}
	return a.src < b.src
}

func (m *Merged) push(k headKey) {
	h := append(m.heap, k)
	j := len(h) - 1
	for j > 0 {
		parent := (j - 1) / 2
		if !h[j].less(h[parent]) {
			break
		}
		h[j], h[parent] = h[parent], h[j]
		j = parent
	}
	m.heap = h
}

func (m *Merged) pop() {
	h := m.heap
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	j := 0
	for {
		l := 2*j + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && h[r].less(h[l]) {
			c = r
		}
		if !h[c].less(h[j]) {
			break
		}
		h[j], h[c] = h[c], h[j]
		j = c
	}
	m.heap = h
}

// Compile-time check that Merged is an engine.Feed.
var _ engine.Feed = (*Merged)(nil)

// Symbol returns the symbol of the i-th source.
func (m *Merged) Symbol(i int) string { return m.sources[i].Symbol() }
