package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
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

// TestWriteAtomicExit: an exit on a second interrupt while writeAtomic's
// file is being written removes its temporary file, and the path keeps
// what it held.
func TestWriteAtomicExit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sweep.html")
	if err := os.WriteFile(path, []byte("v1"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, c := withExitCleanups(context.Background())
	stop := errors.New("the process exits here")
	err := writeAtomic(ctx, path, func(w io.Writer) error {
		io.WriteString(w, "v2")
		if entries, _ := os.ReadDir(dir); len(entries) != 2 {
			t.Errorf("while writing, the folder holds %v, want the file and its temporary file", entries)
		}
		c.run() // what the second interrupt does before os.Exit
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("after the exit's cleanups, the folder holds %v, want only sweep.html", entries)
		}
		return stop
	})
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want the writer's", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "v1" {
		t.Errorf("the path reads %q, want v1", b)
	}
}
