package cli

import (
	"context"
	"testing"
	"time"
)

// TestHoldExit checks that an exit's cleanups wait for a holdExit to be
// released, so a removal registered while the exit waits still runs, and
// that cleanups run once and unregistered ones not at all.
func TestHoldExit(t *testing.T) {
	ctx, c := withExitCleanups(context.Background())
	var ran []string
	unregister := onExit(ctx, func() { ran = append(ran, "unregistered") })
	unregister()
	release := holdExit(ctx)
	done := make(chan struct{})
	go func() { c.run(); close(done) }()
	// run is waiting for the hold once a new reader cannot get in.
	for deadline := time.Now().Add(10 * time.Second); c.making.TryRLock(); {
		c.making.RUnlock()
		if time.Now().After(deadline) {
			t.Fatal("run did not wait for the hold")
		}
		time.Sleep(time.Millisecond)
	}
	onExit(ctx, func() { ran = append(ran, "made while held") })
	release()
	release() // a second call does nothing
	<-done
	c.run()
	if len(ran) != 1 || ran[0] != "made while held" {
		t.Errorf("ran %q, want the removal registered while the exit waited, once", ran)
	}
}
