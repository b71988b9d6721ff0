package portfolio

import (
	"reflect"
	"testing"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// TestReuseClosed drives two portfolios, one with ReuseClosed, through the
// same fills: a long scaled into and closed in two parts, a flip to a
// short, a flip back, and a flat close. The trades told to OnClose (copied
// there) are the same in both, field by field, so nothing of a closed
// trade leaks into the next one that reuses its Trade; the reusing
// portfolio holds every trade after the first in that first Trade.
func TestReuseClosed(t *testing.T) {
	var kept [2][]Trade
	var seen [2]map[*Trade]bool
	books := [2]*book{}
	for i, reuse := range []bool{false, true} {
		e := engine.New(testkit.EmptyFeed{})
		seen[i] = map[*Trade]bool{}
		p := New(e, Options{Cash: testkit.MustDec("100000"), Sizer: Sizer{Quantity: testkit.MustDec("1")},
			DropClosed: true, ReuseClosed: reuse,
			OnClose: func(tr *Trade) { kept[i] = append(kept[i], *tr); seen[i][tr] = true }})
		books[i] = &book{t: t, p: p}
	}
	steps := []func(b *book){
		func(b *book) { b.markRange("A", "99", "101", "100") },
		func(b *book) { b.fill("A", engine.Buy, "10", "100", "1") },
		func(b *book) { b.markRange("A", "97", "108", "105") },
		func(b *book) { b.fill("A", engine.Buy, "5", "105.5", "0.5") },
		func(b *book) { b.fill("A", engine.Sell, "6", "106", "0.6") },
		func(b *book) { b.markRange("A", "95", "107", "96") },
		func(b *book) { b.fill("A", engine.Sell, "12", "96.25", "1.2") }, // closes 9, opens a short of 3
		func(b *book) { b.markRange("A", "90", "99", "92") },
		func(b *book) { b.fill("A", engine.Buy, "7", "92.5", "0.7") }, // closes 3, opens a long of 4
		func(b *book) { b.markRange("A", "91", "94", "93") },
		func(b *book) { b.fill("A", engine.Sell, "4", "93", "0") },
	}
	for _, step := range steps {
		for _, b := range books {
			step(b)
		}
	}
	if len(kept[0]) != 3 || len(kept[1]) != 3 {
		t.Fatalf("%d and %d trades closed, want 3 each", len(kept[0]), len(kept[1]))
	}
	for j := range kept[0] {
		if !reflect.DeepEqual(kept[0][j], kept[1][j]) {
			t.Errorf("trade %d reusing:\n%+v\nwant\n%+v", j, kept[1][j], kept[0][j])
		}
	}
	if len(seen[0]) != 3 || len(seen[1]) != 1 {
		t.Errorf("closed trades in %d and %d Trades, want 3 without reuse and 1 with it", len(seen[0]), len(seen[1]))
	}
	// Hand-checked: the second trade is the short of 3 entered at 96.25
	// and bought back at 92.5, with 3/12 of 1.2 and 3/7 of 0.7; open at
	// the close of the bar of 95 to 107, its exit at the next bar.
	short := kept[1][1]
	if !short.Short || !short.Quantity.Equal(testkit.MustDec("3")) || !short.PnLGross.Equal(testkit.MustDec("11.25")) ||
		!short.Commission.Equal(testkit.MustDec("0.6")) || short.MaxPrice != 107 || short.MinPrice != 92.5 {
		t.Errorf("short trade = %+v", short)
	}
}
