package spill

import (
	"fmt"
	"io"
	"unsafe"
)

// Records is a temporary file of values of a fixed-size type, written and
// read at any index: value i is at byte offset i × the size of T. It is
// for values that leave memory in blocks and are read back one at a time,
// rarely. A value never written reads as the zero value of T (the file
// has a hole there, or ends before it).
//
// T must hold no pointers: its memory goes to the file as it is, in the
// machine's byte order, as a Series' values do.
//
// The file is made at the first write, in the directory given to
// [NewRecords], and unlinked at once where the system allows it; Close
// releases it. The zero value is not usable.
type Records[T any] struct {
	tmp tempFile
}

// NewRecords returns an empty file of records that will be made in dir
// (os.TempDir when dir is "") at the first write.
func NewRecords[T any](dir string) *Records[T] { return &Records[T]{tmp: tempFile{dir: dir}} }

// size is the size of a T in bytes.
func (r *Records[T]) size() int64 {
	var v T
	return int64(unsafe.Sizeof(v))
}

// WriteAt writes vs at index i and the ones after it.
func (r *Records[T]) WriteAt(vs []T, i int64) error {
	if len(vs) == 0 {
		return nil
	}
	if err := r.tmp.open(); err != nil {
		return err
	}
	if _, err := r.tmp.file.WriteAt(bytesOf(vs), i*r.size()); err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	return nil
}

// ReadAt reads the values at index i and the ones after it into vs.
// Values never written, beyond the end of the file included, read as
// zero values.
func (r *Records[T]) ReadAt(vs []T, i int64) error {
	b := bytesOf(vs)
	if r.tmp.file == nil {
		clear(b)
		return nil
	}
	n, err := r.tmp.file.ReadAt(b, i*r.size())
	if err == io.EOF {
		clear(b[n:])
		err = nil
	}
	if err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	return nil
}

// Close releases the temporary file. Reads afterwards find zero values.
func (r *Records[T]) Close() error {
	if err := r.tmp.close(); err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	return nil
}
