package engine

import "fmt"

// ErrorPolicy is what a failing handler or deferred call does to a run.
type ErrorPolicy uint8

// The error policies.
const (
	// ContinueOnError isolates the failure: it is published as an
	// ErrorEvent, counted by the component's circuit breaker, and the run
	// goes on.
	ContinueOnError ErrorPolicy = iota
	// StopOnError ends the run at the first failure (see SetStopOnError).
	StopOnError
)

// String returns "continue" or "stop".
func (p ErrorPolicy) String() string {
	if p == StopOnError {
		return "stop"
	}
	return "continue"
}

// ParseErrorPolicy returns the policy named s ("" is continue).
func ParseErrorPolicy(s string) (ErrorPolicy, error) {
	switch s {
	case "", "continue":
		return ContinueOnError, nil
	case "stop":
		return StopOnError, nil
	}
	return 0, fmt.Errorf("on error %q: want continue or stop", s)
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
