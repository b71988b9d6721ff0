package data

import "fmt"

// String returns "auto", "present", "absent" or "skip".
func (m HeaderMode) String() string {
	switch m {
	case HeaderPresent:
		return "present"
	case HeaderAbsent:
		return "absent"
	case HeaderSkip:
		return "skip"
	}
	return "auto"
}

// ParseHeaderMode returns the header mode named s ("" is auto).
func ParseHeaderMode(s string) (HeaderMode, error) {
	switch s {
	case "", "auto":
		return HeaderAuto, nil
	case "present":
		return HeaderPresent, nil
	case "absent":
		return HeaderAbsent, nil
	case "skip":
		return HeaderSkip, nil
	}
	return 0, fmt.Errorf("header %q: want auto, present, absent or skip", s)
}

// MarshalText returns the mode's name, as String.
func (m HeaderMode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText sets m to the mode named by text, as ParseHeaderMode.
func (m *HeaderMode) UnmarshalText(text []byte) error {
	v, err := ParseHeaderMode(string(text))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// String returns "fail" or "skip".
func (p BadRowPolicy) String() string {
	if p == SkipBadRow {
		return "skip"
	}
	return "fail"
}

// ParseBadRowPolicy returns the policy named s ("" is fail).
func ParseBadRowPolicy(s string) (BadRowPolicy, error) {
	switch s {
	case "", "fail":
		return FailOnBadRow, nil
	case "skip":
		return SkipBadRow, nil
	}
	return 0, fmt.Errorf("on bad row %q: want fail or skip", s)
}

// MarshalText returns the policy's name, as String.
func (p BadRowPolicy) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText sets p to the policy named by text, as ParseBadRowPolicy.
func (p *BadRowPolicy) UnmarshalText(text []byte) error {
	v, err := ParseBadRowPolicy(string(text))
	if err != nil {
		return err
	}
	*p = v
	return nil
}
