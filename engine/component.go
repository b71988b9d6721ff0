package engine

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Component is a part of a run with a lifecycle. The engine starts
// components in registration order before the first event and stops them
// in reverse order after the last one, giving each Stop a time limit.
type Component interface {
	Name() string
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// Register adds c to the components the engine starts and stops.
func (e *Engine) Register(c Component) { e.components = append(e.components, c) }

// SetStopTimeout sets how long each component's Stop may take (default 5s).
// Stop timeouts are the one place the engine measures wall-clock time; it
// affects no simulated result.
func (e *Engine) SetStopTimeout(d time.Duration) { e.stopAfter = d }

// start starts the components in order. If one fails, those already
// started are stopped in reverse order and the errors are joined.
func (e *Engine) start(ctx context.Context) error {
	for i, c := range e.components {
		if err := c.Start(ctx); err != nil {
			err = fmt.Errorf("start %s: %w", c.Name(), err)
			return errors.Join(err, e.stopFirst(i))
		}
	}
	return nil
}

func (e *Engine) stop() error { return e.stopFirst(len(e.components)) }

// stopFirst stops the first n components in reverse order.
func (e *Engine) stopFirst(n int) error {
	var errs []error
	for i := n - 1; i >= 0; i-- {
		c := e.components[i]
		ctx, cancel := context.WithTimeout(context.Background(), e.stopAfter)
		err := c.Stop(ctx)
		cancel()
		if err != nil {
			errs = append(errs, fmt.Errorf("stop %s: %w", c.Name(), err))
		}
	}
	return errors.Join(errs...)
}
