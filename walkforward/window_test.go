package walkforward

import (
	"slices"
	"testing"
	"time"
)

func TestParseSpan(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Span
		ok   bool
	}{
		{"30d", Span{30, Days}, true},
		{"6w", Span{6, Weeks}, true},
		{"18mo", Span{18, Months}, true},
		{"3y", Span{3, Years}, true},
		{"1000b", Span{1000, Bars}, true},
		{" 2y ", Span{2, Years}, true},
		{"0d", Span{}, false},
		{"-3y", Span{}, false},
		{"3", Span{}, false},
		{"y", Span{}, false},
		{"3m", Span{}, false},
		{"1.5y", Span{}, false},
	} {
		got, err := ParseSpan(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseSpan(%q) = %v, %v; want %v (ok %v)", c.in, got, err, c.want, c.ok)
		}
		if c.ok && got.String() != c.want.String() {
			t.Errorf("%v.String() = %q", got, got.String())
		}
	}
}

// days returns a bar time at midnight UTC of each day from 2020-01-01
// plus each offset.
func days(offsets ...int) []time.Time {
	var out []time.Time
	for _, d := range offsets {
		out = append(out, time.Date(2020, 1, 1+d, 0, 0, 0, 0, time.UTC))
	}
	return out
}

func span(s string) Span {
	sp, err := ParseSpan(s)
	if err != nil {
		panic(err)
	}
	return sp
}

// Windows worked out by hand (starts inclusive, ends exclusive).
func TestWindows(t *testing.T) {
	ten := days(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
	var monthly []time.Time
	for m := range 12 {
		monthly = append(monthly, time.Date(2020, time.Month(1+m), 15, 16, 0, 0, 0, time.UTC))
	}
	for _, c := range []struct {
		name  string
		spec  Spec
		times []time.Time
		want  []Window
	}{
		{"bars rolling", Spec{Train: span("4b"), Test: span("2b")}, ten,
			[]Window{{0, 4, 4, 6}, {2, 6, 6, 8}, {4, 8, 8, 10}}},
		{"bars anchored", Spec{Train: span("4b"), Test: span("2b"), Anchored: true}, ten,
			[]Window{{0, 4, 4, 6}, {0, 6, 6, 8}, {0, 8, 8, 10}}},
		{"bars last cut short", Spec{Train: span("4b"), Test: span("4b")}, ten,
			[]Window{{0, 4, 4, 8}, {4, 8, 8, 10}}},
		{"bars step below test", Spec{Train: span("6b"), Test: span("2b"), Step: span("1b")}, ten,
			[]Window{{0, 6, 6, 8}, {1, 7, 7, 9}, {2, 8, 8, 10}, {3, 9, 9, 10}}},
		{"bars train longer than data", Spec{Train: span("10b"), Test: span("2b")}, ten, nil},
		{"days", Spec{Train: span("4d"), Test: span("3d")}, ten,
			[]Window{{0, 4, 4, 7}, {3, 7, 7, 10}}},
		{"weeks", Spec{Train: span("1w"), Test: span("1w")}, days(0, 2, 6, 7, 8, 13, 14, 20),
			// t0 2020-01-01: test [01-08, 01-15) holds offsets 7, 8, 13; then [01-15, 01-22) holds 14, 20.
			[]Window{{0, 3, 3, 6}, {3, 6, 6, 8}}},
		{"months, from midnight of the first day", Spec{Train: span("6mo"), Test: span("3mo")}, monthly,
			[]Window{{0, 6, 6, 9}, {3, 9, 9, 12}}},
		{"months anchored", Spec{Train: span("6mo"), Test: span("3mo"), Anchored: true}, monthly,
			[]Window{{0, 6, 6, 9}, {0, 9, 9, 12}}},
		{"years", Spec{Train: span("1y"), Test: span("6mo")}, monthly, nil},
		{"gap: empty windows left out", Spec{Train: span("3d"), Test: span("2d")}, days(0, 1, 2, 3, 9, 10, 11),
			// tests [01-04,01-06) = {3}; [01-06,01-08) and [01-08,01-10) empty;
			// [01-10,01-12) = {4,5} but its training [01-07,01-10) is empty;
			// [01-12,01-14) = {6} trains on [01-09,01-12) = {4,5}.
			[]Window{{0, 3, 3, 4}, {4, 6, 6, 7}}},
	} {
		got, err := c.spec.Windows(c.times)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestWindowsRefuses(t *testing.T) {
	ten := days(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
	for _, spec := range []Spec{
		{Train: span("4b"), Test: span("2d")},
		{Train: span("4d"), Test: span("2d"), Step: span("1b")},
		{Train: span("4b"), Test: span("2b"), Step: span("3b")},
		{Train: span("4d"), Test: span("1w"), Step: span("1mo")},
		{Train: span("4d")},
	} {
		if w, err := spec.Windows(ten); err == nil {
			t.Errorf("%+v: no error, windows %v", spec, w)
		}
	}
}
