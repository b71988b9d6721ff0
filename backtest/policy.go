package backtest

import "fmt"

// ErrorPolicy is what a failing handler or deferred call does to a run.
// Its zero value, StopOnStrategyError, is the default: a broken strategy
// must not give a plausible number.
type ErrorPolicy uint8

// The error policies.
const (
	// StopOnStrategyError ends the run at the strategy's first failure (a
	// panic or an error of OnBar), with an error wrapping
	// engine.ErrHandlerFailed and the result marked partial; a failure of
	// any other component is isolated as under ContinueOnError.
	StopOnStrategyError ErrorPolicy = iota
	// ContinueOnError isolates every failure, the strategy's included: it
	// is published as an ErrorEvent, counted by the component's circuit
	// breaker, and the run goes on; the run's warnings (see
	// Result.Warnings) say so.
	ContinueOnError
	// StopOnError ends the run at the first failure of any component.
	StopOnError
)

// policyNames are the policies' texts, by value.
var policyNames = [...]string{StopOnStrategyError: "stop-strategy", ContinueOnError: "continue", StopOnError: "stop"}

// String returns "stop-strategy", "continue" or "stop".
func (p ErrorPolicy) String() string {
	if int(p) < len(policyNames) {
		return policyNames[p]
	}
	return fmt.Sprintf("ErrorPolicy(%d)", p)
}

// ParseErrorPolicy returns the policy named s ("" is stop-strategy).
func ParseErrorPolicy(s string) (ErrorPolicy, error) {
	if s == "" {
		return StopOnStrategyError, nil
	}
	for p, name := range policyNames {
		if s == name {
			return ErrorPolicy(p), nil
		}
	}
	return 0, fmt.Errorf("on error %q: want stop-strategy, continue or stop", s)
}

// MarshalText returns the policy's name, as String.
func (p ErrorPolicy) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText sets p to the policy named by text, as ParseErrorPolicy.
func (p *ErrorPolicy) UnmarshalText(text []byte) error {
	v, err := ParseErrorPolicy(string(text))
	if err != nil {
		return err
	}
	*p = v
	return nil
}
