package engine

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Component is a part of a run with a lifecycle. The engine starts
// components in registration order before the first event and stops them
// in reverse order after the last one, giving each Start and Stop a time
// limit.
type Component interface {
	Name() string
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// ErrTimeout is wrapped by the error of a Start or Stop that did not
// return within its time limit.
var ErrTimeout = errors.New("timed out")

// Register adds c to the components the engine starts and stops.
func (e *Engine) Register(c Component) { e.components = append(e.components, c) }

// SetStartTimeout sets how long each component's Start may take (default
// 5s).
func (e *Engine) SetStartTimeout(d time.Duration) { e.startAfter = d }

// SetStopTimeout sets how long each component's Stop may take (default 5s).
//
// Start and Stop timeouts are the one place the engine measures wall-clock
// time and runs code on another goroutine: each Start and Stop is called on
// a goroutine of its own, with a context that is canceled at the limit. A
// call that honors its context returns then, with its own error; one that
// has not returned 100ms later is abandoned, still running, and reported
// as timed out (an error wrapping ErrTimeout that names the component). Start runs before
// the first event and Stop after the last, so neither touches the
// simulated run and the results stay deterministic.
func (e *Engine) SetStopTimeout(d time.Duration) { e.stopAfter = d }

// start starts the components in order. If one fails, those already
// started are stopped in reverse order and the errors are joined.
func (e *Engine) start(ctx context.Context) error {
	for i, c := range e.components {
		if err := bounded(ctx, e.startAfter, c.Start); err != nil {
			err = fmt.Errorf("start %s: %w", c.Name(), err)
			return errors.Join(err, e.stopFirst(i))
		}
	}
	return nil
}

func (e *Engine) stop() error { return e.stopFirst(len(e.components)) }

// stopFirst stops the first n components in reverse order. Stopping uses
// a fresh context: it must happen even when the run was canceled.
func (e *Engine) stopFirst(n int) error {
	var errs []error
	for i := n - 1; i >= 0; i-- {
		c := e.components[i]
		if err := bounded(context.Background(), e.stopAfter, c.Stop); err != nil {
			errs = append(errs, fmt.Errorf("stop %s: %w", c.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// bounded calls fn on its own goroutine with a context canceled after d,
// and waits for it or for the limit, whichever comes first. A panic in fn
// is returned as a *PanicError.
func bounded(parent context.Context, d time.Duration, fn func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(parent, d)
	defer cancel()
	done := make(chan error, 1) // buffered: an abandoned call must not block
	go func() {
		done <- call(func() error { return fn(ctx) })
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	// A call that honors its context returns now; give it a moment to.
	grace := time.NewTimer(timeoutGrace)
	defer grace.Stop()
	select {
	case err := <-done:
		return err
	case <-grace.C:
		return fmt.Errorf("%w after %v", ErrTimeout, d)
	}
}

// timeoutGrace is how long a Start or Stop whose context has been canceled
// gets to return before it is abandoned.
const timeoutGrace = 100 * time.Millisecond
