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
}
