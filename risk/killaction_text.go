package risk

// MarshalText returns the action's name, as String.
func (a KillAction) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText sets a to the action named by text, as ParseKillAction.
func (a *KillAction) UnmarshalText(text []byte) error {
	v, err := ParseKillAction(string(text))
	if err != nil {
		return err
	}
	*a = v
	return nil
}
