package spill

import (
	"math"
	"os"
	"testing"
)

// collect reads s back into one slice.
func collect[T Number](t *testing.T, s *Series[T]) []T {
	t.Helper()
	var out []T
	for c := range s.Chunks() {
		if len(c) > ChunkLen {
			t.Fatalf("chunk of %d values", len(c))
		}
		out = append(out, c...)
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestChunks appends n values under several limits and reads them back
// twice: the same values, in chunks of exactly ChunkLen but the last.
func TestChunks(t *testing.T) {
	for _, limit := range []int{0, 1, ChunkLen, 3 * ChunkLen} {
		for _, n := range []int{0, 1, ChunkLen - 1, ChunkLen, ChunkLen + 1, 5*ChunkLen + 7} {
			s := New[float64](limit, t.TempDir())
			for i := range n {
				s.Append(float64(i) + 0.5)
			}
			if s.Len() != n {
				t.Fatalf("limit %d: Len %d, want %d", limit, s.Len(), n)
			}
			if limit > 0 && n >= s.limit && s.disk == 0 {
				t.Errorf("limit %d, n %d: nothing spilled", limit, n)
			}
			for pass := range 2 {
				got := collect(t, s)
				if len(got) != n {
					t.Fatalf("limit %d pass %d: read %d values, want %d", limit, pass, len(got), n)
				}
				for i, v := range got {
					if v != float64(i)+0.5 {
						t.Fatalf("limit %d pass %d: value %d is %v", limit, pass, i, v)
					}
				}
				k := 0
				for c := range s.Chunks() {
					if k*ChunkLen+len(c) < n && len(c) != ChunkLen {
						t.Fatalf("limit %d: chunk %d has %d values", limit, k, len(c))
					}
					k++
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestBits: every float64 bit pattern and int64 survives the file.
func TestBits(t *testing.T) {
	fs := []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), math.SmallestNonzeroFloat64, math.MaxFloat64, -1.25}
	is := []int64{math.MinInt64, -1, 0, 1, math.MaxInt64}
	f := New[float64](1, t.TempDir())
	i := New[int64](1, t.TempDir())
	for range ChunkLen {
		for _, v := range fs {
			f.Append(v)
		}
		for _, v := range is {
			i.Append(v)
		}
	}
	for k, v := range collect(t, f) {
		if math.Float64bits(v) != math.Float64bits(fs[k%len(fs)]) {
			t.Fatalf("float %d: %v, want %v", k, v, fs[k%len(fs)])
		}
	}
	for k, v := range collect(t, i) {
		if v != is[k%len(is)] {
			t.Fatalf("int %d: %v, want %v", k, v, is[k%len(is)])
		}
	}
	f.Close()
	i.Close()
}

// TestNoFileLeft: the temporary file is gone while the series is open
// (unlinked) or at the latest after Close.
func TestNoFileLeft(t *testing.T) {
	dir := t.TempDir()
	s := New[int64](ChunkLen, dir)
	for k := range 3 * ChunkLen {
		s.Append(int64(k))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	left, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	if s.Len() != 0 {
		t.Errorf("Len after Close: %d", s.Len())
	}
}

// TestStopEarly: a reader that stops early leaves the series readable.
func TestStopEarly(t *testing.T) {
	s := New[int64](ChunkLen, t.TempDir())
	for k := range 4 * ChunkLen {
		s.Append(int64(k))
	}
	for c := range s.Chunks() {
		if c[0] != 0 {
			t.Fatal(c[0])
		}
		break
	}
	if got := collect(t, s); len(got) != 4*ChunkLen || got[len(got)-1] != 4*ChunkLen-1 {
		t.Fatalf("read %d values", len(got))
	}
	s.Close()
}

// TestUnwritableDir: a spill that cannot create its file reports it and
// keeps the values in memory.
func TestUnwritableDir(t *testing.T) {
	s := New[int64](1, "/nonexistent/quantloop")
	for k := range 2 * ChunkLen {
		s.Append(int64(k))
	}
	if s.Err() == nil {
		t.Fatal("no error")
	}
	n := 0
	for c := range s.Chunks() {
		n += len(c)
	}
	if n != 2*ChunkLen {
		t.Errorf("read %d values", n)
	}
}

func BenchmarkRead(b *testing.B) {
	s := New[float64](ChunkLen, b.TempDir())
	for k := range 1 << 20 {
		s.Append(float64(k))
	}
	b.SetBytes(8 << 20)
	b.ReportAllocs()
	for b.Loop() {
		var x float64
		for c := range s.Chunks() {
			for _, v := range c {
				x += v
			}
		}
		_ = x
	}
}

// TestGrow: after Grow(n), n values append without reallocating, up to
// the limit; the values read back are the ones appended.
func TestGrow(t *testing.T) {
	s := New[int64](0, "")
	s.Append(7)
	s.Grow(100)
	before := &s.mem[:cap(s.mem)][0]
	for i := range 100 {
		s.Append(int64(i))
	}
	if &s.mem[0] != before || cap(s.mem) < 101 {
		t.Fatal("appending what Grow made room for reallocated")
	}
	if got := collect(t, s); len(got) != 101 || got[0] != 7 || got[100] != 99 {
		t.Fatalf("read back %d values: %v ... %v", len(got), got[0], got[len(got)-1])
	}
	lim := New[float64](1, t.TempDir())
	lim.Grow(10 * ChunkLen)
	if cap(lim.mem) < ChunkLen || cap(lim.mem) >= 2*ChunkLen {
		t.Fatalf("Grow past a limit of %d values made room for %d", ChunkLen, cap(lim.mem))
	}
	lim.Close()
}

// TestReset empties a series held in memory, keeping its memory, and
// leaves one that wrote to its file as it is.
func TestReset(t *testing.T) {
	s := New[float64](0, "")
	for i := range 3 * ChunkLen {
		s.Append(float64(i))
	}
	before := &s.mem[0]
	if !s.Reset() || s.Len() != 0 || len(collect(t, s)) != 0 {
		t.Fatalf("Reset of a series in memory: %d values left", s.Len())
	}
	s.Append(-1)
	if &s.mem[0] != before {
		t.Fatal("the value appended after Reset is not in the series' memory")
	}
	if got := collect(t, s); len(got) != 1 || got[0] != -1 {
		t.Fatalf("read back %v, want [-1]", got)
	}
	spilled := New[int64](ChunkLen, t.TempDir())
	defer spilled.Close()
	for i := range 2*ChunkLen + 5 {
		spilled.Append(int64(i))
	}
	if spilled.Reset() {
		t.Fatal("Reset emptied a series with values in its file")
	}
	if got := collect(t, spilled); len(got) != 2*ChunkLen+5 || got[2*ChunkLen+4] != 2*ChunkLen+4 {
		t.Fatalf("a series that refused Reset reads back %d values", len(got))
	}
}
