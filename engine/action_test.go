package engine

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
)

// Scheduled actions are handled at their time before the bars of that
// time, in the order scheduled within a time; one before the first bar
// comes first, one between bars at its own time, and one after the last
// bar is dropped.
func TestScheduleActions(t *testing.T) {
	feed := &sliceFeed{bars: []Bar{bar("A", 0, 10), bar("A", 2, 11), bar("A", 4, 12)}}
	e := New(feed)
	var got []string
	Subscribe(e.Bus(), "log", func(m *MarketEvent) error {
		got = append(got, fmt.Sprintf("bar %s", m.Time.Format("01-02")))
		return nil
	})
	Subscribe(e.Bus(), "log", func(a *ActionEvent) error {
		if e.Phase() != PhaseAction {
			t.Errorf("action %d in phase %d, want PhaseAction", a.Seq, e.Phase())
		}
		got = append(got, fmt.Sprintf("action %d %s", a.Seq, e.Now().Format("01-02")))
		return nil
	})
	two := decimal.NewFromInt(2)
	for i, d := range []int{-1, 2, 2, 3, 5} {
		e.Schedule(day(d), &ActionEvent{Time: day(d), Symbol: "A", Split: two, Seq: i})
	}
	if _, err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{"action 0 01-01", "bar 01-02", "action 1 01-04", "action 2 01-04", "bar 01-04", "action 3 01-05", "bar 01-06"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestPriceDivRound(t *testing.T) {
	tests := []struct {
		p     Price
		r     string
		want  Price
		isErr bool
	}{
		{12_000_000_000, "2", 6_000_000_000, false},  // 120 / 2 = 60
		{4_500_000_001, "2", 2_250_000_000, false},   // 45.00000001 / 2 = 22.500000005: half to even, down
		{4_500_000_003, "2", 2_250_000_002, false},   // 45.00000003 / 2 = 22.500000015: half to even, up
		{1_000_000_000, "3", 333_333_333, false},     // 10 / 3 = 3.333333333...
		{2_000_000_000, "3", 666_666_667, false},     // 20 / 3 = 6.666666666...
		{1_000_000_000, "0.5", 2_000_000_000, false}, // a 1-for-2 reverse split doubles
		{1_000_000_000, "1.5", 666_666_667, false},   // 10 / 1.5 = 6.666...
		{-4_500_000_001, "2", -2_250_000_000, false}, // sign kept, half to even
		{MaxPrice, "0.001", 0, true},                 // beyond MaxPrice
		{1_000_000_000, "0", 0, true},                // not positive
		{1_000_000_000, "1e2", 10_000_000, false},    // 10 / 100
	}
	for _, tc := range tests {
		got, err := tc.p.DivRound(decimal.RequireFromString(tc.r))
		if (err != nil) != tc.isErr || got != tc.want {
			t.Errorf("%s.DivRound(%s) = %s, %v; want %s (error %v)", tc.p, tc.r, got, err, tc.want, tc.isErr)
		}
	}
}
