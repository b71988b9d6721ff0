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
// Where the target cannot be renamed, because it is a mount point (a
// container's volume, say) or its parent is not writable, the stage is
// made inside the target instead, and Commit replaces the target's
// entries in place: the commit record (the entry that says the content is
// complete, such as a manifest) is removed first, the old entries next,
// the new ones are renamed in, and the record last. A swap that finds the
// target busy (a mount point not seen as one before) does the same. A kill in between
// leaves a folder without its record, which readers refuse, never one
// that looks complete; the content before is lost then.
//
// Each stage holds an exclusive lock on a file ".NAME.lock-X" in the
// same folder as the stage while its process lives (flock on Unix, LockFileEx on Windows; the
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
	"time"
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
	dir    string // the stage: parent/.NAME.tmp-X, or target/.NAME.tmp-X
	old    string // the aside folder: parent/.NAME.old-X
	inside bool   // the stage is inside the target: commit in place
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
	_, statErr := os.Stat(abs)
	inside := statErr == nil && !sameDevice(abs, filepath.Dir(abs))
	s, err := newStage(abs, inside)
	if statErr == nil && !inside && errors.Is(err, fs.ErrPermission) {
		s, err = newStage(abs, true) // the parent is not writable, the target may be
	}
	return s, err
}

// newStage makes a stage of the absolute target beside it, or inside it.
func newStage(target string, inside bool) (*Stage, error) {
	where := filepath.Dir(target)
	if inside {
		where = target
	}
	lock, suffix, err := newLock(where, target)
	if err != nil {
		return nil, err
	}
	s := &Stage{target: target, dir: name(where, target, tmpInfix, suffix),
		old: name(filepath.Dir(target), target, oldInfix, suffix), inside: inside, lock: lock}
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
// which carry returns true are kept: carried over into the stage (folders
// recursively; files as hard links, or copies where a link fails; links
// as links), unless the stage has an entry of that name. The stage takes
// the target's permission bits. Afterwards the stage is gone and the
// content the target had is removed. record names the stage's entry that
// marks the content complete, for a commit in place; "" if none. On error
// the stage is removed, and the target is as it was unless the commit was
// in place.
func (s *Stage) Commit(carry func(name string) bool, record string) (err error) {
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
	if s.inside {
		return s.commitInPlace(carry, record)
	}
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
	case isBusy(err):
		return s.commitInPlace(carry, record) // a mount point
	case !errors.Is(err, errNoExchange):
		return err
	}
	return s.swapAside(carry, record)
}

// swapAside replaces the target by the stage with two renames, the
// target going aside first.
func (s *Stage) swapAside(carry func(string) bool, record string) error {
	if err := os.Rename(s.target, s.old); err != nil {
		if isBusy(err) {
			return s.commitInPlace(carry, record) // a mount point
		}
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

// commitInPlace replaces the target's entries by the stage's: the record
// is removed first and renamed in last. Entries for which carry returns
// true, and stages, are kept.
func (s *Stage) commitInPlace(carry func(string) bool, record string) error {
	if record != "" {
		if err := os.Remove(filepath.Join(s.target, record)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	entries, err := os.ReadDir(s.target)
	if err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		if carry(n) || Owns(s.target, n) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(s.target, n)); err != nil {
			return err
		}
	}
	if entries, err = os.ReadDir(s.dir); err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		if n == record {
			continue
		}
		if _, err := os.Lstat(filepath.Join(s.target, n)); err == nil {
			continue // carried over: the same entry
		}
		if err := move(filepath.Join(s.dir, n), filepath.Join(s.target, n)); err != nil {
			return err
		}
	}
	if record != "" {
		if err := move(filepath.Join(s.dir, record), filepath.Join(s.target, record)); err != nil {
			return err
		}
	}
	return os.RemoveAll(s.dir)
}

// move renames src to dst, or links or copies it where src cannot be
// renamed there (another mount).
func move(src, dst string) error {
	if os.Rename(src, dst) == nil {
		return nil
	}
	return linkTree(src, dst)
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
	err := removeTree(s.dir)
	s.unlock()
	if err != nil {
		return fmt.Errorf("remove %s: %w", s.dir, err)
	}
	return nil
}

// removeTree removes dir and everything in it. A writer that has not
// stopped yet (a run's write-behind goroutine, when a second interrupt
// exits at once) can add a file while os.RemoveAll empties dir, which then
// fails with "directory not empty"; removeTree tries again, for up to
// about a second, until dir is gone.
func removeTree(dir string) error {
	err := os.RemoveAll(dir)
	for i := 0; err != nil && i < 200; i++ {
		time.Sleep(5 * time.Millisecond)
		err = os.RemoveAll(dir)
	}
	return err
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

// Owns reports whether name, an entry beside or inside the folder target,
// is a stage's, an aside folder or a lock file of target.
func Owns(target, name string) bool {
	prefix := "." + filepath.Base(target)
	for _, infix := range []string{tmpInfix, oldInfix, lockInfix} {
		if suffix, ok := strings.CutPrefix(name, prefix+infix); ok && suffix != "" {
			return true
		}
	}
	return false
}

// recoverAbs is Recover of an absolute, resolved target: it looks for
// left-overs beside the target and inside it.
func recoverAbs(target string) error {
	var errs []error
	for _, where := range []string{filepath.Dir(target), target} {
		entries, err := os.ReadDir(where)
		if errors.Is(err, fs.ErrNotExist) || (err != nil && where == target) {
			continue
		}
		if err != nil {
			return fmt.Errorf("output directory: %w", err)
		}
		prefix := "." + filepath.Base(target)
		suffixes := map[string]bool{}
		for _, e := range entries {
			for _, infix := range []string{tmpInfix, oldInfix, lockInfix} {
				if suffix, ok := strings.CutPrefix(e.Name(), prefix+infix); ok && suffix != "" && !suffixes[suffix] {
					suffixes[suffix] = true
					errs = append(errs, recoverOne(where, target, suffix))
				}
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("output directory: clean up: %w", err)
	}
	return nil
}

// recoverOne cleans up the left-overs in where of one stage of target,
// named by its suffix, unless a live process holds its lock.
func recoverOne(where, target, suffix string) error {
	lockPath := name(where, target, lockInfix, suffix)
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
	if err := os.RemoveAll(name(where, target, tmpInfix, suffix)); err != nil {
		return err
	}
	old := name(where, target, oldInfix, suffix)
	if where == target {
		return nil // no aside folder inside the target
	}
	if _, err := os.Lstat(old); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(old, target)
	}
	return os.RemoveAll(old)
}

// newLock creates and locks a lock file of a stage of target in the
// folder where, with a fresh suffix. A lock file that a concurrent Recover
// removed before it was locked is not used.
func newLock(where, target string) (*os.File, string, error) {
	prefix := "." + filepath.Base(target) + lockInfix
	for range 10 {
		f, err := os.CreateTemp(where, prefix+"*")
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

// name returns the path in the folder where of a left-over of target with
// the given infix and suffix.
func name(where, target, infix, suffix string) string {
	return filepath.Join(where, "."+filepath.Base(target)+infix+suffix)
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
