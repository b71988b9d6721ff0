package backtest

import (
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
)

// recorder collects a run's outputs as bus subscribers.
type recorder struct {
	e      *engine.Engine
	equity []EquityPoint
	fills  []engine.FillEvent
	errors []ErrorRecord
	logs   []engine.LogEvent
	orders []*OrderRecord          // in order of submission
	byID   map[uint64]*OrderRecord // the same records by order ID
}

func newRecorder(e *engine.Engine) *recorder {
	r := &recorder{e: e, byID: make(map[uint64]*OrderRecord)}
	bus := e.Bus()
	engine.Subscribe(bus, "recorder", func(f *engine.FillEvent) error {
		r.fills = append(r.fills, *f)
		if o := r.byID[f.OrderID]; o != nil {
			o.FillTime = f.Time
			if o.FilledQuantity.IsZero() {
				o.FilledQuantity, o.FillPrice = f.Quantity, f.Price
			} else {
				if o.value.IsZero() {
					o.value = o.FilledQuantity.Mul(o.FillPrice)
				}
				o.value = o.value.Add(f.Quantity.Mul(f.Price))
				o.FilledQuantity = o.FilledQuantity.Add(f.Quantity)
				o.FillPrice = o.value.DivRound(o.FilledQuantity, 16)
			}
			o.Status = StatusPartial
			if f.Remaining.IsZero() {
				o.Status = StatusFilled
			}
		}
		return nil
	})
	engine.Subscribe(bus, "recorder", func(c *engine.SubmitOrder) error {
		o := &OrderRecord{Order: c.Order, Status: StatusSubmitted}
		r.orders = append(r.orders, o)
		r.byID[o.ID] = o
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
	engine.Subscribe(bus, "recorder", func(l *engine.LogEvent) error {
		r.logs = append(r.logs, *l)
		return nil
	})
	return r
}

func (r *recorder) set(id uint64, status, reason string) {
	if o := r.byID[id]; o != nil && o.Status != StatusFilled {
		o.Status, o.Reason = status, reason
	}
}

// watchEquity records pf's cash and exact equity once per bar time, in
// PhaseObserve, after everything else at that time has happened.
func (r *recorder) watchEquity(pf *portfolio.Portfolio) {
	record := func() error {
		p := EquityPoint{Time: r.e.Now(), Cash: pf.Cash(), Value: pf.Equity()}
		if p.mv, p.mvExact = pf.MarketValue(); !p.mvExact {
			p.mvD = pf.MarketValueDecimal()
		}
		r.equity = append(r.equity, p)
		return nil
	}
	engine.Subscribe(r.e.Bus(), "recorder", func(*engine.MarketEvent) error {
		r.e.Defer(engine.PhaseObserve, "recorder", record)
		return nil
	})
}

// orderList returns the orders in submission order; one never accepted
// nor rejected (submitted too late to be handled) counts as working.
func (r *recorder) orderList() []OrderRecord {
	out := make([]OrderRecord, len(r.orders))
	for i, o := range r.orders {
		out[i] = *o
		if out[i].Status == StatusSubmitted {
			out[i].Status = StatusWorking
		}
	}
	return out
}
