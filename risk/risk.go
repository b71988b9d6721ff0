// Package risk keeps a run inside its limits: the pre-trade Guard, which
// refuses orders that break a rule, and the KillSwitch, which stops
// trading when a loss rule trips or when asked to.
//
// Both read the books of the run through Books, which
// *portfolio.Portfolio implements, and act only through the engine: the
// guard is asked about each order by the broker, and the kill switch sends
// its cancels and closing orders as commands on the engine's bus.
package risk

import (
	"iter"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// Books is what the guard and the kill switch read of a run's books, and
// how they tell the books about orders ahead of the bus.
// *portfolio.Portfolio is one.
type Books interface {
	// Equity returns cash plus every position marked at its last close,
	// in float64.
	Equity() float64
	// EquityDecimal returns the same, exactly.
	EquityDecimal() decimal.Decimal
	// Holdings yields every symbol seen, in order of its first bar, with
	// the signed quantity held in it.
	Holdings() iter.Seq2[string, decimal.Decimal]
	// Position returns the signed quantity held in symbol.
	Position(symbol string) decimal.Decimal
	// Mark returns symbol's last close; zero before its first bar.
	Mark(symbol string) engine.Price
	// Outstanding returns the signed quantity of symbol in every order
	// not yet done other than the one with ID except (0 leaves none
	// out), each at its full quantity.
	Outstanding(symbol string, except uint64) decimal.Decimal
	// Track counts o as not yet done before the bus delivers its
	// SubmitOrder; tracking an order twice does nothing.
	Track(o engine.Order)
	// Untrack stops counting the order with ID id as not yet done,
	// before the bus delivers the event that ends it.
	Untrack(id uint64)
}
