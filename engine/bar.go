package engine

import "time"

// Bar is one OHLCV bar of one symbol.
//
// Time is the bar's timestamp as read from the data (for daily bars, the
// session date at midnight in the data's zone). Prices are exact; volume is
// an observation and stays float64.
type Bar struct {
	Symbol string
	Time   time.Time
	Open   Price
	High   Price
	Low    Price
	Close  Price
	Volume float64
	// SymbolIndex is the engine's dense index of Symbol: 0 for the first
	// symbol of the run, 1 for the next new one, and so on, in the order
	// in which the feed first delivers them. The engine sets it on every
	// bar it reads (a feed's value is overwritten), so that components
	// can keep per-symbol state in slices; see SymbolCache.
	SymbolIndex int
}
