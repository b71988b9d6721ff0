package backtest

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/equity"
	"github.com/quantloop/quantloop/internal/fixed"
	"github.com/quantloop/quantloop/portfolio"
)

// recorder collects a run's outputs as bus subscribers: into slices for
// the Result, or, when a Sink is set, into the sink as each record becomes
// final, so that memory does not grow with the length of the run.
type recorder struct {
	e    *engine.Engine
	sink Sink
	err  error // the first sink error; it aborts the run

	equity []EquityPoint
	curve  Curve
	point  EquityPoint // the point being recorded
	fills  []engine.FillEvent
	errors []ErrorRecord
	logs   []engine.LogEvent
	orders []OrderRecord           // kept orders, in the order they ended
	trades []portfolio.Trade       // kept trades, in the order they closed
	byID   map[uint64]*OrderRecord // orders still open
	spare  *OrderRecord            // an ended order's record, to hold the next order's
	labels map[uint64]string       // the labels of orders that have one
	counts Counts

	// benchmark is the symbol of the benchmark when it is one of the
	// run's data files: its bars are recorded with each equity point.
	benchmark string
	benchBar  BenchmarkBar

	// noOrdersFills drops the ended orders and the fills of a run
	// without a sink instead of keeping them (Options.NoOrdersFills).
	noOrdersFills bool

	// exposureSum and exposureN sum gross exposure / equity over the
	// equity points whose equity is positive.
	exposureSum float64
	exposureN   int

	kills    []engine.KillSwitchEvent
	breakers []engine.BreakerEvent
	markers  []Marker // notable events for the report's charts
}

func newRecorder(e *engine.Engine, sink Sink) *recorder {
	r := &recorder{e: e, sink: sink, byID: make(map[uint64]*OrderRecord), labels: make(map[uint64]string)}
	if sink != nil {
		r.curve = newCurve(curveMemory)
	}
	bus := e.Bus()
	engine.Subscribe(bus, "recorder", func(f *engine.FillEvent) error {
		r.counts.Fills++
		if o := r.byID[f.OrderID]; o != nil {
			o.FillTime = f.Time
			if o.FilledQuantity.IsZero() {
				o.FilledQuantity, o.FillPrice = f.Quantity, f.Price
			} else {
				if o.value.IsZero() {
					o.value = fixed.Mul(o.FilledQuantity, o.FillPrice)
				}
				o.value = fixed.Add(o.value, fixed.Mul(f.Quantity, f.Price))
				o.FilledQuantity = fixed.Add(o.FilledQuantity, f.Quantity)
				o.FillPrice = fixed.DivRound(o.value, o.FilledQuantity, 16)
			}
			o.Status = StatusPartial
			if f.Remaining.IsZero() {
				o.Status = StatusFilled
				r.done(o)
			}
		}
		if r.sink != nil {
			r.write(r.sink.WriteFill(f, r.labels[f.OrderID]))
			return nil
		}
		if !r.noOrdersFills {
			r.fills = append(r.fills, *f)
		}
		return nil
	})
	engine.Subscribe(bus, "recorder", func(c *engine.SubmitOrder) error {
		r.counts.Orders++
		if c.Order.Source == broker.SourceMarginCall && !r.marked(c.Order.Time, "margin call") {
			r.markers = append(r.markers, Marker{Time: c.Order.Time, Label: "margin call"})
		}
		o := r.spare
		if o == nil {
			o = new(OrderRecord)
		}
		r.spare = nil
		*o = OrderRecord{Order: c.Order, Status: StatusSubmitted, ParentLabel: r.labels[c.Order.Parent]}
		r.byID[o.ID] = o
		if o.Label != "" {
			// Orders from an orders file have labels: as many as its rows.
			r.labels[o.ID] = o.Label
		}
		return nil
	})
	engine.Subscribe(bus, "recorder", func(a *engine.OrderAccepted) error {
		if o := r.byID[a.Order.ID]; o != nil && o.Status == StatusSubmitted {
			o.Status = StatusWorking
		}
		return nil
	})
	engine.Subscribe(bus, "recorder", func(m *engine.OrderModified) error {
		if o := r.byID[m.Order.ID]; o != nil {
			o.Order = m.Order
		}
		return nil
	})
	engine.Subscribe(bus, "recorder", func(x *engine.OrderTriggered) error {
		if o := r.byID[x.Order.ID]; o != nil {
			o.Triggered, o.TriggerTime = true, x.Time
		}
		return nil
	})
	engine.Subscribe(bus, "recorder", func(x *engine.OrderExpired) error {
		r.set(x.Order.ID, StatusExpired, x.Reason)
		return nil
	})
	engine.Subscribe(bus, "recorder", func(x *engine.OrderRejected) error {
		r.counts.Rejected++
		r.set(x.Order.ID, StatusRejected, x.Reason)
		return nil
	})
	engine.Subscribe(bus, "recorder", func(c *engine.OrderCanceled) error {
		r.set(c.Order.ID, StatusCanceled, c.Reason)
		return nil
	})
	engine.Subscribe(bus, "recorder", func(x *engine.ErrorEvent) error {
		r.errors = append(r.errors, ErrorRecord{Time: x.Time, Component: x.Component, Message: x.Err.Error()})
		return nil
	})
	engine.Subscribe(bus, "recorder", func(k *engine.KillSwitchEvent) error {
		r.kills = append(r.kills, *k)
		switch k.Action {
		case engine.KillTrip:
			r.markers = append(r.markers, Marker{Time: k.Time, Label: "kill switch"})
		case engine.KillReset:
			r.markers = append(r.markers, Marker{Time: k.Time, Label: "kill switch reset"})
		}
		return nil
	})
	engine.Subscribe(bus, "recorder", func(b *engine.BreakerEvent) error {
		r.breakers = append(r.breakers, *b)
		return nil
	})
	engine.Subscribe(bus, "recorder", func(l *engine.LogEvent) error {
		r.logs = append(r.logs, *l)
		return nil
	})
	return r
}

// marked reports whether the last marker is label at t.
func (r *recorder) marked(t time.Time, label string) bool {
	n := len(r.markers)
	return n > 0 && r.markers[n-1].Label == label && r.markers[n-1].Time.Equal(t)
}

// write notes a sink error; the first one aborts the run.
func (r *recorder) write(err error) {
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("output: %w", err)
		r.e.Abort(r.err)
	}
}

func (r *recorder) set(id uint64, status, reason string) {
	if o := r.byID[id]; o != nil && o.Status != StatusFilled {
		o.Status, o.Reason = status, reason
		switch status {
		case StatusCanceled:
			r.counts.Canceled++
		case StatusExpired:
			r.counts.Expired++
		}
		r.done(o)
	}
}

// done records an order whose fate is sealed. Its record then holds the
// next order's: a sink's argument is valid only during the call, and a
// kept order is a copy.
func (r *recorder) done(o *OrderRecord) {
	delete(r.byID, o.ID)
	if r.sink != nil {
		r.write(r.sink.WriteOrder(o))
	} else if !r.noOrdersFills {
		r.orders = append(r.orders, *o)
	}
	r.spare = o
}

// trade records a trade that closed, or is still open at the end.
func (r *recorder) trade(t *portfolio.Trade) {
	r.counts.add(t)
	if r.sink != nil {
		r.write(r.sink.WriteTrade(t))
		return
	}
	r.trades = append(r.trades, *t)
}

// finish records what is still open when the run ends: the orders left
// working, by ID, as working (or partially filled), and the open trades,
// in order of opening.
// Streamed or kept, records come in the same order.
func (r *recorder) finish(pf *portfolio.Portfolio) {
	left := make([]*OrderRecord, 0, len(r.byID))
	for _, o := range r.byID {
		left = append(left, o)
	}
	slices.SortFunc(left, func(a, b *OrderRecord) int { return cmp.Compare(a.ID, b.ID) })
	for _, o := range left {
		o.Status = StatusWorking
		if o.FilledQuantity.IsPositive() {
			o.Status = StatusPartial
		}
		r.counts.Unfilled++
		r.done(o)
	}
	for _, t := range pf.Trades() { // the open ones: closed trades were dropped
		r.trade(t)
	}
}

// watchEquity records pf's cash and exact equity once per bar time, in
// PhaseObserve, after everything else at that time has happened.
func (r *recorder) watchEquity(pf *portfolio.Portfolio) {
	fills := -1 // the fill count the cached cash units belong to
	var cashUnits int64
	var cashExact bool
	record := func() error {
		if n := pf.Fills(); n != fills { // cash changes only at fills
			fills = n
			cashUnits, cashExact = equity.PriceUnits(pf.Cash())
		}
		// r.point is reused: a point handed to the sink must not escape
		// per bar. Its fields are set one by one, the units by SetUnits
		// below, rather than by copying a point literal over it.
		p := &r.point
		m := pf.Marks()
		p.Time, p.Cash, p.Value, p.Benchmark = r.e.Now(), pf.Cash(), m.Equity, r.benchBar
		r.benchBar.Open, r.benchBar.Close = 0, 0
		u := equity.Units{Cash: cashUnits, CashExact: cashExact, Market: m.Units, MarketExact: m.UnitsExact}
		if !u.MarketExact {
			u.MarketDecimal = pf.MarketValueDecimal()
		}
		equity.SetUnits(p, u)
		r.curve.add(p.Time, p.Value)
		if p.Value > 0 {
			r.exposureSum += m.Gross / p.Value
			r.exposureN++
		}
		if r.sink != nil {
			r.write(r.sink.WriteEquity(p))
			return nil
		}
		r.equity = append(r.equity, *p)
		return nil
	}
	r.benchBar.Tracked = r.benchmark != ""
	d := r.e.Deferrer("recorder")
	bars, _ := r.sink.(BarSink)
	engine.Subscribe(r.e.Bus(), "recorder", func(m *engine.MarketEvent) error {
		if bars != nil {
			r.write(bars.WriteBars(m.Bars))
		}
		if r.benchmark != "" {
			for i := range m.Bars {
				if b := &m.Bars[i]; b.Symbol == r.benchmark {
					r.benchBar.Open, r.benchBar.Close = b.Open, b.Close
				}
			}
		}
		d.Defer(engine.PhaseObserve, record)
		return nil
	})
}
