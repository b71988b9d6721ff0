package data

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
)

// Digest is the SHA-256 of the bytes of an input file as a [Reader] read
// them, and their number: the identity of the data a run used, whatever
// happens to the file afterwards.
type Digest struct {
	Path   string
	SHA256 [sha256.Size]byte
	Bytes  int64
}

// hashingReader passes on the bytes of r and hashes each of them, once,
// in order, as it passes it on.
type hashingReader struct {
	r   io.Reader
	sum hash.Hash
	n   int64
	eof bool // r returned io.EOF
}

func newHashingReader(r io.Reader) *hashingReader {
	return &hashingReader{r: r, sum: sha256.New()}
}

// Read implements io.Reader.
func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.sum.Write(p[:n])
	h.n += int64(n)
	if err == io.EOF {
		h.eof = true
	}
	return n, err
}

// errNoDigest is Digest's error for a Reader made by NewReader.
var errNoDigest = errors.New("no digest: the Reader was not opened from a file by Open")

// Digest returns the SHA-256 and the size of the file that Open opened, as
// read through this Reader: the bytes the CSV reader took, hashed as they
// were read, and then, if reading stopped before the end of the file (a run
// that ended early, a bad row), the rest of the file, read now from the
// same open file. Bytes appended after the reader met the end of the file
// are not included. So a file replaced or deleted by its path after it was
// opened does not change the digest, and one edited in place is hashed as
// it was read. Call Digest after the last Next and before Close; Next
// returns io.EOF afterwards. For a Reader made by NewReader it returns an
// error.
func (r *Reader) Digest() (Digest, error) {
	h := r.hashed
	if h == nil {
		return Digest{}, errNoDigest
	}
	if !r.digested {
		if r.closer == nil {
			return Digest{}, fmt.Errorf("no digest of %s: the Reader was closed first", r.name)
		}
		r.digested = true
		if r.err == nil {
			r.err = io.EOF
		}
		if !h.eof {
			if _, err := io.Copy(io.Discard, h); err != nil {
				r.digestErr = fmt.Errorf("hash %s: %w", r.name, err)
			}
		}
	}
	if r.digestErr != nil {
		return Digest{}, r.digestErr
	}
	d := Digest{Path: r.name, Bytes: h.n}
	h.sum.Sum(d.SHA256[:0])
	return d, nil
}

// Digests returns the [Reader.Digest] or [ParquetReader.Digest] of each
// source opened from a file, in source order; other sources have none. See Reader.Digest: call it
// after the last Next.
func (m *Merged) Digests() ([]Digest, error) {
	var out []Digest
	var errs []error
	for _, s := range m.sources {
		r, ok := s.(interface{ Digest() (Digest, error) })
		if !ok {
			continue
		}
		d, err := r.Digest()
		if errors.Is(err, errNoDigest) {
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, d)
	}
	return out, errors.Join(errs...)
}
