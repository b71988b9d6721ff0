package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/quantloop/quantloop/internal/atomicfile"
)

// exitCleanups are what a process exiting at once (on a second
// interrupt) must still do, such as removing a run's unfinished output
// folder.
type exitCleanups struct {
	making sync.RWMutex // held for reading by holdExit
	mu     sync.Mutex
	next   int
	fns    map[int]func()
}

type exitCleanupsKey struct{}

// withExitCleanups returns ctx carrying a new, empty exitCleanups.
func withExitCleanups(ctx context.Context) (context.Context, *exitCleanups) {
	c := &exitCleanups{fns: map[int]func(){}}
	return context.WithValue(ctx, exitCleanupsKey{}, c), c
}

// onExit registers fn with the exitCleanups of ctx, if it carries any,
// and returns the function that unregisters it.
func onExit(ctx context.Context, fn func()) (unregister func()) {
	c, ok := ctx.Value(exitCleanupsKey{}).(*exitCleanups)
	if !ok {
		return func() {}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.next
	c.next++
	c.fns[id] = fn
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.fns, id)
	}
}

// holdExit makes an exit on a second interrupt wait until the returned
// function is called. It covers the making of what such an exit must
// remove and the registering of its removal with onExit, so that no exit
// falls between the two. Holds must not nest: a hold taken while an exit
// waits for an earlier one of the same goroutine would wait for that exit
// in turn, and neither would end.
func holdExit(ctx context.Context) (release func()) {
	c, ok := ctx.Value(exitCleanupsKey{}).(*exitCleanups)
	if !ok {
		return func() {}
	}
	c.making.RLock()
	return sync.OnceFunc(c.making.RUnlock)
}

// run waits for every holdExit to be released, then calls the registered
// functions. They run at most once.
func (c *exitCleanups) run() {
	c.making.Lock()
	defer c.making.Unlock()
	c.mu.Lock()
	fns := c.fns
	c.fns = map[int]func(){}
	c.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// checkFileOut reports, before any work, why the file path, named by
// what (a flag or a kind of file), could not be written in place: it is
// a folder, or its folder is not there.
func checkFileOut(what, path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s %s is a folder: give a file", what, path)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
		return fmt.Errorf("%s %s: the folder %s is not there", what, path, filepath.Dir(path))
	}
	return nil
}

// writeAtomic is atomicfile.Write of the file at path through fn, with
// its temporary file removed by an exit on a second interrupt too.
func writeAtomic(ctx context.Context, path string, fn func(io.Writer) error) error {
	release := holdExit(ctx)
	f, err := atomicfile.Create(path)
	if err != nil {
		release()
		return err
	}
	defer onExit(ctx, func() { os.Remove(f.TempName()) })()
	release()
	if err := fn(f); err != nil {
		f.Abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}
