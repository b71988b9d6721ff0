package broker

import "fmt"

// MarshalText returns the path's name, as String.
func (p IntrabarPath) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText sets p to the path named by text, as ParseIntrabarPath.
func (p *IntrabarPath) UnmarshalText(text []byte) error {
	v, err := ParseIntrabarPath(string(text))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// MarshalText returns the account type's name, as String.
func (a AccountType) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText sets a to the account type named by text, as
// ParseAccountType.
func (a *AccountType) UnmarshalText(text []byte) error {
	v, err := ParseAccountType(string(text))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// SlippageKind names a slippage model: the kind of SlippageModel a
// configuration asks for.
type SlippageKind uint8

// The slippage models.
const (
	// FixedSlippage moves every fill price by a fixed number of basis
	// points against the trader (Slippage).
	FixedSlippage SlippageKind = iota
	// VolumeSlippage moves it by an impact factor times the square of the
	// share of the bar's volume the fill takes (VolumeShare).
	VolumeSlippage
)

// String returns "fixed" or "volume".
func (k SlippageKind) String() string {
	if k == VolumeSlippage {
		return "volume"
	}
	return "fixed"
}

// ParseSlippageKind returns the slippage model named s ("" is fixed).
func ParseSlippageKind(s string) (SlippageKind, error) {
	switch s {
	case "", "fixed":
		return FixedSlippage, nil
	case "volume":
		return VolumeSlippage, nil
	}
	return 0, fmt.Errorf("slippage model %q: want fixed or volume", s)
}

// MarshalText returns the model's name, as String.
func (k SlippageKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText sets k to the model named by text, as ParseSlippageKind.
func (k *SlippageKind) UnmarshalText(text []byte) error {
	v, err := ParseSlippageKind(string(text))
	if err != nil {
		return err
	}
	*k = v
	return nil
}
