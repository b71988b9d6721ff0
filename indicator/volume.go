package indicator

import "github.com/quantloop/quantloop/engine"

// OBV is Granville's on-balance volume (TA-Lib OBV): it starts at the
// first bar's volume and adds each later bar's volume when its close is
// above the previous close, subtracts it when below, and keeps it when
// equal. The warm-up is 0 bars.
type OBV struct {
	prev  float64
	value float64
	ready bool
}

// NewOBV returns an on-balance volume.
func NewOBV() *OBV { return &OBV{} }

// UpdateBar adds b as the newest bar.
func (o *OBV) UpdateBar(b engine.Bar) {
	c := b.Close.Float64()
	switch {
	case !o.ready:
		o.value, o.ready = b.Volume, true
	case c > o.prev:
		o.value += b.Volume
	case c < o.prev:
		o.value -= b.Volume
	}
	o.prev = c
}

// Value returns the on-balance volume, 0 before Ready.
func (o *OBV) Value() float64 { return o.value }

// Ready reports whether a bar has been seen.
func (o *OBV) Ready() bool { return o.ready }

// WarmUp returns 0.
func (o *OBV) WarmUp() int { return 0 }

// VWAP is the volume-weighted average of the typical price
// (high + low + close) / 3 since the first bar of the current session,
// where a session is a calendar day in the zone of the bars' times:
//
//	VWAP = Σ tp_i v_i / Σ v_i, and Σ tp_i / k when Σ v_i = 0
//
// over the k bars of the session so far (a session without volume gets
// the plain mean of its typical prices). The warm-up is 0 bars.
type VWAP struct {
	y, d      int
	m         int
	pv, v, tp float64
	k         int
	ready     bool
}

// NewVWAP returns a per-session VWAP.
func NewVWAP() *VWAP { return &VWAP{} }

// UpdateBar adds b as the newest bar, first starting a new session if b
// is on another day than the previous bar.
func (w *VWAP) UpdateBar(b engine.Bar) {
	y, m, d := b.Time.Date()
	if !w.ready || y != w.y || int(m) != w.m || d != w.d {
		w.y, w.m, w.d = y, int(m), d
		w.pv, w.v, w.tp, w.k = 0, 0, 0, 0
	}
	tp := typical(&b)
	w.pv += tp * b.Volume
	w.v += b.Volume
	w.tp += tp
	w.k++
	w.ready = true
}

// Value returns the VWAP, 0 before Ready.
func (w *VWAP) Value() float64 { return weighted(w.pv, w.v, w.tp, w.k) }

func weighted(pv, v, tp float64, k int) float64 {
	switch {
	case k == 0:
		return 0
	case v == 0:
		return tp / float64(k)
	}
	return pv / v
}

// Ready reports whether a bar has been seen.
func (w *VWAP) Ready() bool { return w.ready }

// WarmUp returns 0.
func (w *VWAP) WarmUp() int { return 0 }

// RollingVWAP is the volume-weighted average of the typical price over the
// last n bars:
//
//	VWAP = Σ tp_i v_i / Σ v_i, and Σ tp_i / n when Σ v_i = 0
//
// The warm-up is n-1 bars.
type RollingVWAP struct {
	pv, v, tp sum[float64]
}

// NewRollingVWAP returns a VWAP over the last n bars (n >= 1).
func NewRollingVWAP(n int) *RollingVWAP {
	checkLen("RollingVWAP", n)
	return &RollingVWAP{pv: newSum[float64](n), v: newSum[float64](n), tp: newSum[float64](n)}
}

// UpdateBar adds b as the newest bar.
func (w *RollingVWAP) UpdateBar(b engine.Bar) {
	tp := typical(&b)
	w.pv.push(tp * b.Volume)
	w.v.push(b.Volume)
	w.tp.push(tp)
}

// Value returns the VWAP, 0 before Ready.
func (w *RollingVWAP) Value() float64 {
	if !w.Ready() {
		return 0
	}
	return weighted(w.pv.total, w.v.total, w.tp.total, w.tp.count)
}

// Ready reports whether n bars have been seen.
func (w *RollingVWAP) Ready() bool { return w.tp.full() }

// WarmUp returns n-1.
func (w *RollingVWAP) WarmUp() int { return len(w.tp.buf) - 1 }
