package broker

import (
	"time"

	"github.com/quantloop/quantloop/engine"
)

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// eligible reports whether w can trade on bar.
func (b *Broker) eligible(w *order, bar *engine.Bar) bool {
	if w.done || (w.parent != nil && !w.parent.filled.IsPositive()) {
		return false
	}
	if w.o.Type == engine.MarketOnOpen && sameDay(w.o.Time, bar.Time.In(w.o.Time.Location())) {
		return false // waits for the next session
	}
	return true
}

// expiry returns why w's time in force has run out at bar, or "".
func expiry(w *order, bar *engine.Bar) string {
	switch w.o.TIF {
	case engine.GTD:
		if bar.Time.After(w.o.ExpireAt) {
			return "GTD: expired at " + w.o.ExpireAt.Format(time.RFC3339)
		}
	case engine.Day:
		if !w.day.IsZero() && !sameDay(w.day, bar.Time) {
			return "DAY: session " + w.day.Format("2006-01-02") + " ended"
		}
	}
	return ""
}
