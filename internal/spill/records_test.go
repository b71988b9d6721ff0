package spill

import (
	"os"
	"testing"
)

// rec is a 16-byte record with no pointers, as a Records user stores.
type rec struct {
	a int64
	b int32
	c uint32
}

// TestRecords writes blocks and single values at any index, out of
// order, and reads them back; holes and the end of the file read as zero.
func TestRecords(t *testing.T) {
	dir := t.TempDir()
	r := NewRecords[rec](dir)
	got := make([]rec, 3)
	if err := r.ReadAt(got, 5); err != nil || got[0] != (rec{}) {
		t.Fatalf("before any write: %v %v", got, err)
	}
	block := []rec{{1, 2, 3}, {4, 5, 6}, {-7, -8, 9}}
	if err := r.WriteAt(block, 10); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteAt([]rec{{100, 0, 0}}, 2); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteAt([]rec{{-1, 1, 1}}, 11); err != nil { // overwrite
		t.Fatal(err)
	}
	tests := []struct {
		i    int64
		want []rec
	}{
		{0, []rec{{}, {}, {100, 0, 0}}},
		{9, []rec{{}, {1, 2, 3}, {-1, 1, 1}}},
		{12, []rec{{-7, -8, 9}, {}, {}}}, // past the end of the file
		{1 << 20, []rec{{}, {}, {}}},
	}
	for _, tc := range tests {
		got := make([]rec, len(tc.want))
		for i := range got {
			got[i] = rec{42, 42, 42} // must be overwritten
		}
		if err := r.ReadAt(got, tc.i); err != nil {
			t.Fatal(err)
		}
		for k := range got {
			if got[k] != tc.want[k] {
				t.Errorf("index %d: %v, want %v", tc.i+int64(k), got[k], tc.want[k])
			}
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	if err := r.ReadAt(got, 10); err != nil || got[0] != (rec{}) {
		t.Errorf("after Close: %v %v", got, err)
	}
}

// TestRecordsUnwritableDir: a write that cannot make the file fails.
func TestRecordsUnwritableDir(t *testing.T) {
	r := NewRecords[rec]("/nonexistent/quantloop")
	if err := r.WriteAt([]rec{{1, 1, 1}}, 0); err == nil {
		t.Fatal("no error")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}
