package backtest

import (
	"io"
	"time"

	"github.com/quantloop/quantloop/engine"
)

// untilFeed is a feed that ends after the last timestamp at or before
// until. The bars of the first later timestamp, which its feed has
// written into the caller's buffer, are cleared before it reports the
// end, so that nothing of them stays where a strategy holding on to an
// old bars slice could read it: the data looks exactly as if it ended at
// until.
type untilFeed struct {
	feed  engine.Feed
	until time.Time
	done  bool
}

// Next returns the next timestamp's bars, or io.EOF after until.
func (f *untilFeed) Next(dst []engine.Bar) ([]engine.Bar, error) {
	if f.done {
		return dst, io.EOF
	}
	n := len(dst)
	out, err := f.feed.Next(dst)
	if len(out) > n && out[n].Time.After(f.until) {
		clear(out[n:])
		f.done = true
		return out[:n], io.EOF
	}
	return out, err
}
