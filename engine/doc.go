// Package engine is the kernel of quantloop: exact prices and bars, typed
// events, the priority queue that orders them, the bus that delivers them,
// and the single-threaded loop that drives a simulation in simulated time.
//
// The engine imports no other quantloop package. Data sources, strategies,
// the portfolio and the broker plug into it as bus subscribers.
package engine
