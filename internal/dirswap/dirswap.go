// Package dirswap replaces a folder by another in one step, so that a
// reader of the folder's path sees either the folder before or the folder
// after, never a mixture.
//
// A Stage is a fresh folder beside the target, ".NAME.tmp-X" in the
// target's parent, where the new content is written. Commit carries over
// the target's entries the caller names (hard links, or copies where a
// link cannot be made), then swaps the stage in:
//
//   - on Linux with renameat2(RENAME_EXCHANGE): the two folders trade
//     places in one system call, and the old content, now at the stage's
//     path, is removed;
//   - elsewhere (macOS, Windows, or a Linux file system without the
//     exchange): the target is renamed aside to ".NAME.old-X", the stage
//     renamed to the target, and the aside folder removed. Between the
//     two renames the target does not exist; it is never a mixture.
//
// Each stage holds an exclusive lock on a file ".NAME.lock-X" beside it
// while its process lives (flock on Unix, LockFileEx on Windows; the
// system drops it when the process dies, kill -9 included). New and
// Recover clean up what dead processes left: a stage is removed; an
// aside folder is renamed back to the target if the target is missing
// (the swap did not finish: the content before it returns), else
// removed. Left-overs of live processes are not touched. Where no file
// lock exists (neither Unix nor Windows) left-overs are ignored.
package dirswap

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// The infixes of a target's left-over names: ".NAME" + infix + suffix.
const (
	tmpInfix  = ".tmp-"
	oldInfix  = ".old-"
	lockInfix = ".lock-"
)

// errNoExchange is returned by exchange where the system cannot swap two
// folders in one step.
var errNoExchange = errors.New("no atomic exchange")

// errNoLock is returned by tryLock where the system has no file locks.
var errNoLock = errors.New("no file locks")

// Stage is a folder being prepared to replace a target folder. Its
// methods may be called from several goroutines: Remove from a signal
// handler while Commit runs waits for it and removes what is left.
type Stage struct {
	target string // the absolute path of the folder to replace
	dir    string // the stage: parent/.NAME.tmp-X
	old    string // the aside folder: parent/.NAME.old-X
	lock   *os.File

	mu   sync.Mutex
	done bool // committed or removed
}

// New cleans up the left-overs of dead processes beside target (see
// Recover) and creates a stage to replace it, making target's parent if
// needed. target need not exist; if it does, it must be a folder. A
// symbolic link as target is followed: the folder it points to is
// replaced and the link kept.
func New(target string) (*Stage, error) {
	abs, err := resolve(target)
	if err != nil {
		return nil, err
	}
	if info, err := os.Stat(abs); err == nil && !info.IsDir() {
		return nil, fmt.Errorf("output directory %s: not a directory", target)
	}
	if holdsWorkingDir(abs) {
		return nil, fmt.Errorf("output directory %s: holds the current directory, which a run cannot replace", target)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	if err := recoverAbs(abs); err != nil {
		return nil, err
	}
	lock, suffix, err := newLock(abs)
	if err != nil {
		return nil, err
	}
	s := &Stage{target: abs, dir: name(abs, tmpInfix, suffix), old: name(abs, oldInfix, suffix), lock: lock}
	if err := os.Mkdir(s.dir, 0o755); err != nil {
		s.unlock()
		return nil, fmt.Errorf("output directory: %w", err)
	}
	return s, nil
}

// Dir returns the path of the stage, where the new content goes.
func (s *Stage) Dir() string { return s.dir }

// Target returns the absolute path of the folder the stage replaces.
func (s *Stage) Target() string { return s.target }

// Commit makes the stage the target. Entries of the existing target for
// which carry returns true are first carried over into the stage (folders
// recursively; files as hard links, or copies where a link fails; links
// as links), unless the stage has an entry of that name. The stage takes
// the target's permission bits. Afterwards the stage is gone and the
// content the target had is removed. On error the target is as it was
// and the stage is removed.
func (s *Stage) Commit(carry func(name string) bool) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return fmt.Errorf("output directory %s: stage already committed or removed", s.target)
	}
	s.done = true
	defer s.unlock()
	defer func() {
		if err != nil {
			os.RemoveAll(s.dir)
			err = fmt.Errorf("output directory %s: %w", s.target, err)
		}
	}()
	info, err := os.Stat(s.target)
	if errors.Is(err, fs.ErrNotExist) {
		return os.Rename(s.dir, s.target)
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("not a directory")
	}
	if err := carryOver(s.target, s.dir, carry); err != nil {
		return err
	}
	if err := os.Chmod(s.dir, info.Mode().Perm()); err != nil {
		return err
	}
	switch err := exchange(s.dir, s.target); {
	case err == nil:
		// The stage's path holds the content the target had.
		return os.RemoveAll(s.dir)
	case !errors.Is(err, errNoExchange):
		return err
	}
	return s.swapAside()
}

// swapAside replaces the target by the stage with two renames, the
// target going aside first.
func (s *Stage) swapAside() error {
	if err := os.Rename(s.target, s.old); err != nil {
		return err
	}
	if err := os.Rename(s.dir, s.target); err != nil {
		if rerr := os.Rename(s.old, s.target); rerr != nil {
			return fmt.Errorf("%w; the previous content is in %s: %w", err, s.old, rerr)
		}
		return err
	}
	return os.RemoveAll(s.old)
}

// Remove removes the stage and releases its lock, leaving the target as
// it is. It does nothing after Commit or a first Remove.
func (s *Stage) Remove() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return nil
	}
	s.done = true
	err := os.RemoveAll(s.dir)
	s.unlock()
	if err != nil {
		return fmt.Errorf("remove %s: %w", s.dir, err)
	}
	return nil
}

// unlock closes and removes the lock file.
func (s *Stage) unlock() {
	if s.lock == nil {
		return
	}
	s.lock.Close()
	os.Remove(s.lock.Name())
	s.lock = nil
}

// Recover cleans up what processes that died while replacing target left
// beside it: stages are removed, and an aside folder is renamed back to
// target if target is missing, else removed. Left-overs of live
// processes are kept.
func Recover(target string) error {
	abs, err := resolve(target)
	if err != nil {
		return err
	}
	return recoverAbs(abs)
}

// recoverAbs is Recover of an absolute, resolved target.
func recoverAbs(target string) error {
	entries, err := os.ReadDir(filepath.Dir(target))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	prefix := "." + filepath.Base(target)
	suffixes := map[string]bool{}
	var order []string
	for _, e := range entries {
		for _, infix := range []string{tmpInfix, oldInfix, lockInfix} {
			if suffix, ok := strings.CutPrefix(e.Name(), prefix+infix); ok && suffix != "" && !suffixes[suffix] {
				suffixes[suffix] = true
				order = append(order, suffix)
			}
		}
	}
	var errs []error
	for _, suffix := range order {
		errs = append(errs, recoverOne(target, suffix))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("output directory: clean up: %w", err)
	}
	return nil
}

// recoverOne cleans up the left-overs of one stage, named by its suffix,
// unless a live process holds its lock.
func recoverOne(target, suffix string) error {
	lockPath := name(target, lockInfix, suffix)
	f, err := os.OpenFile(lockPath, os.O_RDWR, 0)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// The lock file goes last: its owner is gone.
	case err != nil:
		return fmt.Errorf("lock %s: %w", lockPath, err)
	default:
		locked, err := tryLock(f)
		if err != nil || !locked {
			f.Close()
			if err == nil || errors.Is(err, errNoLock) {
				return nil // alive, or cannot tell: leave it
			}
			return fmt.Errorf("lock %s: %w", lockPath, err)
		}
		defer func() {
			f.Close()
			os.Remove(lockPath)
		}()
	}
	if err := os.RemoveAll(name(target, tmpInfix, suffix)); err != nil {
		return err
	}
	old := name(target, oldInfix, suffix)
	if _, err := os.Lstat(old); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(old, target)
	}
	return os.RemoveAll(old)
}

// newLock creates and locks a lock file beside target with a fresh
// suffix. A lock file that a concurrent Recover removed before it was
// locked is not used.
func newLock(target string) (*os.File, string, error) {
	prefix := "." + filepath.Base(target) + lockInfix
	for range 10 {
		f, err := os.CreateTemp(filepath.Dir(target), prefix+"*")
		if err != nil {
			return nil, "", fmt.Errorf("output directory: %w", err)
		}
		locked, err := tryLock(f)
		if err != nil && !errors.Is(err, errNoLock) {
			f.Close()
			os.Remove(f.Name())
			return nil, "", fmt.Errorf("output directory: lock %s: %w", f.Name(), err)
		}
		if (locked || err != nil) && sameFile(f) {
			return f, strings.TrimPrefix(filepath.Base(f.Name()), prefix), nil
		}
		f.Close()
	}
	return nil, "", fmt.Errorf("output directory: cannot lock a file beside %s", target)
}

// sameFile reports whether f is still the file at its path.
func sameFile(f *os.File) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(f.Name())
	return err == nil && os.SameFile(a, b)
}

// name returns the path beside target with the given infix and suffix.
func name(target, infix, suffix string) string {
	return filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+infix+suffix)
}

// resolve returns the absolute path of target with symbolic links
// resolved, where target exists, and checks that it can be replaced.
func resolve(target string) (string, error) {
	abs, err := filepath.Abs(target)
	if err != nil {
		return "", fmt.Errorf("output directory: %w", err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if filepath.Dir(abs) == abs {
		return "", fmt.Errorf("output directory %s: a root folder cannot be replaced", target)
	}
	return abs, nil
}

// holdsWorkingDir reports whether the folder abs is the current directory
// or one of its parents.
func holdsWorkingDir(abs string) bool {
	wd, err := os.Getwd()
	if err != nil {
		return false
	}
	if real, err := filepath.EvalSymlinks(wd); err == nil {
		wd = real
	}
	rel, err := filepath.Rel(abs, wd)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// carryOver links or copies the entries of from for which carry returns
// true into to, unless to has an entry of that name.
func carryOver(from, to string, carry func(string) bool) error {
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !carry(e.Name()) {
			continue
		}
		dst := filepath.Join(to, e.Name())
		if _, err := os.Lstat(dst); err == nil {
			continue
		}
		if err := linkTree(filepath.Join(from, e.Name()), dst); err != nil {
			return fmt.Errorf("carry over %s: %w", e.Name(), err)
		}
	}
	return nil
}

// linkTree makes dst the same tree as src: folders are made, files hard
// linked (copied where a link fails), symbolic links copied as links.
func linkTree(src, dst string) error {
	info, err := os.Lstat(src)
	if err != nil {
		return err
	}
	switch mode := info.Mode(); {
	case mode.IsDir():
		if err := os.Mkdir(dst, mode.Perm()); err != nil {
			return err
		}
		entries, err := os.ReadDir(src)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := linkTree(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())); err != nil {
				return err
			}
		}
		return nil
	case mode&fs.ModeSymlink != 0:
		link, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(link, dst)
	case mode.IsRegular():
		if os.Link(src, dst) == nil {
			return nil
		}
		return copyFile(src, dst, mode.Perm())
	default:
		return fmt.Errorf("%s is not a file, folder or link", src)
	}
}

// copyFile copies the file src to a new file dst with permissions perm.
func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
