package engine

// Feed supplies market data to the loop one timestamp at a time.
//
// Next appends to dst every bar that carries the next timestamp, in a
// deterministic symbol order, and returns the extended slice. Timestamps
// returned by successive calls strictly increase. At the end of the data
// Next returns io.EOF; any other error ends the run.
type Feed interface {
	Next(dst []Bar) ([]Bar, error)
}
