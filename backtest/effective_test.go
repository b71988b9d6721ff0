package backtest

import (
	"strings"
	"testing"
)

// TestEffectiveSpellings checks that configs spelling defaults
// differently have one effective config, and that settings which are not
// defaults keep it apart.
func TestEffectiveSpellings(t *testing.T) {
	const base = "data:\n  files: [a.csv]\n"
	canon := func(t *testing.T, y string) string {
		t.Helper()
		var c Config
		if err := DecodeYAML("t.yaml", []byte(y), &c, nil); err != nil {
			t.Fatal(err)
		}
		e, err := c.Effective()
		if err != nil {
			t.Fatal(err)
		}
		b, err := e.CanonicalYAML()
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	want := canon(t, base)
	for _, tt := range []struct {
		extra string
		same  bool
	}{
		{"account: {cash: 100000}", true},
		{"account: {cash: '100000.000'}", true},
		{"strategy: {name: smacross}", true},
		{"strategy: {params: {fast: 10, slow: 30}}", true},
		{"sizing: {pct: 100}", true},
		{"costs: {slippage: {volume_impact: 0.1}}", true},
		{"breaker: {failures: 0}", true},
		{"account: {cash: 5000}", false},
		{"strategy: {params: {fast: 11}}", false},
		{"analysis: {periods_per_year: 252}", false}, // inferred from the data when 0
	} {
		got := canon(t, base+tt.extra+"\n")
		if (got == want) != tt.same {
			t.Errorf("%s: same effective config %v, want %v", tt.extra, got == want, tt.same)
		}
	}
	if !strings.Contains(want, "cash: \"100000\"") || !strings.Contains(want, "slow: \"30\"") || !strings.Contains(want, "name: smacross") {
		t.Errorf("defaults not filled in:\n%s", want)
	}
	var bad Config
	if _, err := bad.Effective(); err == nil {
		t.Error("a config without data files has an effective config")
	}
}
