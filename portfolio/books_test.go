package portfolio

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// TestBooksForRisk checks what the risk package reads of the books. Long
// 10 AAA at 100 and short 5 BBB at 50; then orders on AAA: #1 buy 7, #2 a
// bracket exit selling 3 (contingent), #3 buy 4 of which 1 fills (AAA is
// then 11). Outstanding counts every order at its full quantity:
// 7 − 3 + 4 = 8, or 1 without #1; Working leaves out the contingent order
// and what has filled: 7 + (4 − 1) = 10.
func TestBooksForRisk(t *testing.T) {
	b := newBook(t, "100000")
	b.mark("AAA", "100")
	b.mark("BBB", "50")
	b.fill("AAA", engine.Buy, "10", "100", "0")
	b.fill("BBB", engine.Sell, "5", "50", "0")
	p := b.p
	order := func(id uint64, side engine.Side, qty string, parent uint64) engine.Order {
		return engine.Order{ID: id, Symbol: "AAA", Side: side, Type: engine.Market, Quantity: testkit.MustDec(qty), Parent: parent}
	}
	p.Track(order(1, engine.Buy, "7", 0))
	p.Track(order(2, engine.Sell, "3", 1))
	p.Track(order(3, engine.Buy, "4", 0))
	p.Track(order(1, engine.Buy, "700", 0)) // tracked already: ignored
	if err := p.onFill(&engine.FillEvent{Time: t0, OrderID: 3, Symbol: "AAA", Side: engine.Buy,
		Quantity: testkit.MustDec("1"), Price: testkit.MustDec("100"), Remaining: testkit.MustDec("3")}); err != nil {
		t.Fatal(err)
	}
	var held []string
	for sym, q := range p.Holdings() {
		held = append(held, sym+"="+q.String())
	}
	tests := []struct {
		name string
		got  any
		want string
	}{
		{"holdings", strings.Join(held, " "), "AAA=11 BBB=-5"},
		{"mark AAA", p.Mark("AAA"), "100"},
		{"mark unseen", p.Mark("CCC"), "0"},
		{"outstanding", p.Outstanding("AAA", 0), "8"},
		{"outstanding without #1", p.Outstanding("AAA", 1), "1"},
		{"outstanding BBB", p.Outstanding("BBB", 0), "0"},
		{"working", p.Working("AAA"), "10"},
	}
	for _, tc := range tests {
		if got := fmt.Sprint(tc.got); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.name, got, tc.want)
		}
	}
	p.Untrack(1)
	if got := p.Outstanding("AAA", 0); !got.Equal(decimal.NewFromInt(1)) {
		t.Errorf("outstanding after untracking #1 = %s, want 1", got)
	}
}
