// Package spill stores long series of numbers in bounded memory. Values
// are appended in order and read back, in order, any number of times, in
// chunks of [ChunkLen]. Beyond a memory limit a series writes its full
// chunks to a temporary file, so that a run of ten million bars holds
// only the last chunks in memory. The chunking is the one metrics
// Columns use, so a Series of float64 is a metrics.Column.
//
// [Runs] holds a series whose values mostly repeat, or step by a
// constant, as runs in memory, and becomes a Series when they are too
// many. [Records] is the random-access counterpart: a temporary file of
// fixed-size values written and read at any index.
package spill

import (
	"errors"
	"fmt"
	"iter"
	"os"
	"runtime"
	"slices"
	"sync"
	"unsafe"
)

// ChunkLen is the length of every chunk a Series yields except the last.
// It equals metrics.ChunkLen (a test checks).
const ChunkLen = 4096

// Number is the kind of value a Series holds: eight bytes without
// pointers.
type Number interface{ ~int64 | ~float64 }

// Series is an append-only series of numbers that can be read back any
// number of times. The zero value is not usable; see [New].
//
// Read errors of the temporary file cannot be returned by Chunks: the
// iteration stops early and Err reports the error. Callers that read a
// spilled Series check Err after reading.
type Series[T Number] struct {
	limit int // values kept in memory before spilling; 0: no limit
	mem   []T // the values not in the file
	tmp   tempFile
	disk  int // values in the file: a multiple of ChunkLen
	// err is the first error; mu guards it, as reads that run at the same
	// time may each fail.
	mu  sync.Mutex
	err error
}

// New returns an empty series that keeps at most limit values in memory
// (rounded up to a whole number of chunks) and writes the rest to a
// temporary file in dir (os.TempDir when dir is ""). A limit of 0 keeps
// everything in memory.
func New[T Number](limit int, dir string) *Series[T] {
	s := &Series[T]{tmp: tempFile{dir: dir}}
	if limit > 0 {
		s.limit = (limit + ChunkLen - 1) / ChunkLen * ChunkLen
	}
	return s
}

// Len returns the number of values appended.
func (s *Series[T]) Len() int { return s.disk + len(s.mem) }

// Err returns the first error writing or reading the temporary file.
func (s *Series[T]) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// fail records err if it is the first error.
func (s *Series[T]) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = err
	}
}

// Grow makes room in memory for n more values, or as many as the limit
// lets it keep, so that appending them does not reallocate.
func (s *Series[T]) Grow(n int) {
	if s.limit > 0 {
		n = min(n, s.limit-len(s.mem))
	}
	if n > 0 {
		s.mem = slices.Grow(s.mem, n)
	}
}

// Reset empties s, keeping the memory its values held for those appended
// next, when it holds them all in memory, and reports whether it did: a
// series that wrote values to its file, or failed, is left as it is.
func (s *Series[T]) Reset() bool {
	if s.disk > 0 || s.Err() != nil {
		return false
	}
	s.mem = s.mem[:0]
	return true
}

// Append adds v at the end.
func (s *Series[T]) Append(v T) {
	s.mem = append(s.mem, v)
	if s.limit > 0 && len(s.mem) >= s.limit {
		s.flush()
	}
}

// flush writes the values in memory, a whole number of chunks, to the
// file.
func (s *Series[T]) flush() {
	if s.Err() != nil {
		// Keep going in memory: the error is reported by Err, and values
		// are not lost.
		return
	}
	if err := s.tmp.open(); err != nil {
		s.fail(err)
		return
	}
	if _, err := s.tmp.file.WriteAt(bytesOf(s.mem), int64(s.disk)*8); err != nil {
		s.fail(fmt.Errorf("spill: %w", err))
		return
	}
	s.disk += len(s.mem)
	s.mem = s.mem[:0]
}

// Chunks returns the values in order, in chunks of ChunkLen values (the
// last may be shorter). A chunk is valid only until the next is
// requested, and must not be modified. Each read has buffers of its own,
// so a series may be read again while a read is under way (two columns
// read side by side), but not appended to.
func (s *Series[T]) Chunks() iter.Seq[[]T] {
	return func(yield func([]T) bool) {
		if s.disk > 0 {
			vals := make([]T, ChunkLen)
			for off := 0; off < s.disk; off += ChunkLen {
				if _, err := s.tmp.file.ReadAt(bytesOf(vals), int64(off)*8); err != nil {
					s.fail(fmt.Errorf("spill: %w", err))
					return
				}
				if !yield(vals) {
					return
				}
			}
		}
		for off := 0; off < len(s.mem); off += ChunkLen {
			if !yield(s.mem[off:min(off+ChunkLen, len(s.mem)):min(off+ChunkLen, len(s.mem))]) {
				return
			}
		}
	}
}

// Close releases the temporary file. The series is empty afterwards.
func (s *Series[T]) Close() error {
	err := s.tmp.close()
	s.disk, s.mem = 0, nil
	return err
}

// tempFile is the temporary file behind a Series or a Records, made at
// its first write: in dir (os.TempDir when dir is ""), and unlinked at
// once where the system allows it, so that nothing is left behind however
// the program ends; elsewhere close removes it.
type tempFile struct {
	dir  string
	file *os.File // nil until the first write
	path string   // the file's name while it exists on disk; "" once unlinked
	stop runtime.Cleanup
}

// open makes the file if it is not made yet. Its owner's memory holding
// t, once unreachable, closes it.
func (t *tempFile) open() error {
	if t.file != nil {
		return nil
	}
	f, err := os.CreateTemp(t.dir, "quantloop-spill-*")
	if err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	t.file = f
	if os.Remove(f.Name()) != nil {
		t.path = f.Name()
	}
	t.stop = runtime.AddCleanup(t, func(f *os.File) { f.Close() }, f)
	return nil
}

// close closes and removes the file, if there is one.
func (t *tempFile) close() error {
	if t.file == nil {
		return nil
	}
	t.stop.Stop()
	err := t.file.Close()
	if t.path != "" {
		err = errors.Join(err, os.Remove(t.path))
	}
	t.file, t.path = nil, ""
	return err
}

// bytesOf returns the memory of vs as bytes. The temporary file holds
// the values in the machine's own byte order: only the process that wrote
// it reads it, so they go to and from the file without conversion. T
// must hold no pointers.
func bytesOf[T any](vs []T) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(vs))), len(vs)*int(unsafe.Sizeof(vs[0])))
}
