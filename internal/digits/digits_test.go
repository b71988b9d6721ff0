package digits

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// edges returns the powers of 10 and 2, each with its neighbours, 0 and
// the largest uint64.
func edges() []uint64 {
	fs := []uint64{0, math.MaxUint64}
	for i := range pow10 {
		fs = append(fs, pow10[i], pow10[i]-1, pow10[i]+1)
	}
	for i := range 64 {
		fs = append(fs, 1<<i, 1<<i-1, 1<<i+1)
	}
	return fs
}

// TestLen compares Len with the length of strconv's text.
func TestLen(t *testing.T) {
	for _, f := range edges() {
		if got, want := Len(f), len(strconv.FormatUint(f, 10)); got != want {
			t.Errorf("Len(%d) = %d, want %d", f, got, want)
		}
	}
}

// TestPut compares Put, at every width from 0 to 25, with the last digits
// of strconv's text padded with zeros, and what it returns with f divided
// by 10 width times.
func TestPut(t *testing.T) {
	for _, f := range edges() {
		text := strings.Repeat("0", 25) + strconv.FormatUint(f, 10)
		rest := f
		for n := range 26 {
			d := make([]byte, n)
			got := Put(d, f)
			if want := text[len(text)-n:]; string(d) != want || got != rest {
				t.Fatalf("Put(%d digits, %d) wrote %q and returned %d; want %q and %d", n, f, d, got, want, rest)
			}
			rest /= 10
		}
	}
}
