package store

import (
	"strings"
	"testing"
)

func TestWhere(t *testing.T) {
	vals := map[string]Value{
		"sharpe":               number("1.5"),
		"max_drawdown":         number("-0.2"),
		"strategy.params.fast": number("10"),
		"fast":                 number("10"),
		"slow":                 number("30"),
		"intrabar_path":        {Text: "nearest"},
		"win_rate":             {Text: "NaN"},
	}
	lookup := func(name string) (Value, bool) { v, ok := vals[name]; return v, ok }
	tests := []struct {
		expr string
		want bool
	}{
		{"sharpe > 1", true},
		{"sharpe > 1.5", false},
		{"sharpe >= 1.5", true},
		{"sharpe = 1.5 and fast == 10", true},
		{"sharpe < 1 or fast < slow", true},
		{"sharpe < 1 or fast > slow", false},
		{"not (fast > slow)", true},
		{"not fast > slow and sharpe > 2", false},
		{"max_drawdown > -0.25", true},
		{"max_drawdown > -2e-1", false},
		{"strategy.params.fast != 10", false},
		{"intrabar_path = 'nearest'", true},
		{`intrabar_path = "pessimistic"`, false},
		{"intrabar_path > 1", false}, // text against a number
		{"win_rate > 0", false},      // NaN is not a number
		{"win_rate < 0", false},      //
		{"missing > 0", false},       // a name the run lacks
		{"not missing > 0", true},    //
		{"1 < 2", true},              // constants
		{"(sharpe > 1 OR fast > 50) AND slow = 30", true},
		{"fast < slow and (sharpe > 5 or max_drawdown < -0.1)", true},
	}
	for _, tt := range tests {
		w, err := ParseWhere(tt.expr)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if got := w.Match(lookup); got != tt.want {
			t.Errorf("%s = %v, want %v", tt.expr, got, tt.want)
		}
	}
	w, _ := ParseWhere("fast < slow and sharpe > 1")
	if strings.Join(w.Names, ",") != "fast,slow,sharpe" {
		t.Errorf("names %v", w.Names)
	}
}

func TestWhereErrors(t *testing.T) {
	tests := []struct{ expr, msg string }{
		{"sharpe >", "at the end"},
		{"sharpe", "want a comparison"},
		{"sharpe > 1 and", "at the end"},
		{"(sharpe > 1", "want ')'"},
		{"sharpe > 1)", `position 11: unexpected ")"`},
		{"sharpe ! 1", "position 8"},
		{"sharpe > 'x", "not closed"},
		{"sharpe; DROP TABLE runs", "position 7: unexpected character ';'"},
		{"1.2.3 > 1", "not a number"},
		{"and > 1", `want a name, number or text, got "and"`},
		{"", "at the end"},
	}
	for _, tt := range tests {
		_, err := ParseWhere(tt.expr)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%q: error %v, want one containing %q", tt.expr, err, tt.msg)
		}
	}
}
