package indicator

// Cross detects the crossings of two series a and b. An up-cross happens
// at step t when a > b at t and the most recent step before t where a != b
// had a < b; a down-cross mirrors it. A step where a == b never signals,
// and passing through an exact tie fires on the first step past it. The
// first step with a != b sets the side without signaling. The zero Cross
// is ready to use.
type Cross struct {
	sign int // sign of the most recent non-zero a - b
}

// Step takes the sign of a - b at the newest step (negative, zero or
// positive, as a comparison returns) and reports whether a crossed b
// upward or downward at it.
func (c *Cross) Step(cmp int) (up, down bool) {
	switch {
	case cmp == 0:
		return false, false
	case cmp > 0:
		up, c.sign = c.sign < 0, 1
	default:
		down, c.sign = c.sign > 0, -1
	}
	return up, down
}

// Update compares a with b at the newest step and reports whether a
// crossed b upward or downward at it. A NaN counts as a tie: it never
// signals and does not change the side.
func (c *Cross) Update(a, b float64) (up, down bool) {
	switch {
	case a > b:
		return c.Step(1)
	case a < b:
		return c.Step(-1)
	}
	return false, false
}

// Side returns the sign of the most recent non-zero a - b: -1, +1, or 0
// before any.
func (c *Cross) Side() int { return c.sign }
