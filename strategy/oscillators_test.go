package strategy

import (
	"slices"
	"strings"
	"testing"
)

func TestRSIReversionRule(t *testing.T) {
	tests := []struct {
		name   string
		p      Params
		closes []string
		follow bool
		want   []string
	}{
		// RSI(2) by hand (changes +1 +1 -1 -2 -1 +2 +2 +1 -1):
		// 2: 100; 3: G .5, L .5 -> 50; 4: G .25, L 1.25 -> 16.67, crosses
		// below 30 from 50: long; 5: 10; 6: G 1.0625, L .5625 -> 65.38;
		// 7: G 1.53125, L .28125 -> 84.48, crosses above 70: flat;
		// 8: 90; 9: 52.6.
		{"hand", Params{"period": "2"}, []string{"10", "11", "12", "11", "9", "8", "10", "12", "13", "12"}, true,
			[]string{"4:long", "7:flat"}},
		// an entry that never fills: the exit finds no position
		{"unfilled", Params{"period": "2"}, []string{"10", "11", "12", "11", "9", "8", "10", "12", "13", "12"}, false,
			[]string{"4:long"}},
		// RSI(1) is 100 up, 0 down, 50 flat. With low = high = 50 the
		// boundaries are exact: previous = 50 counts (>= low, <= high),
		// current = 50 does not cross. RSI from bar 1: 50 0 100 50 0 50 100.
		{"ties", Params{"period": "1", "low": "50", "high": "50"}, []string{"10", "10", "9", "10", "10", "9", "9", "10"}, true,
			[]string{"2:long", "3:flat", "5:long", "7:flat"}},
		// a flat series has RSI 50 throughout: no signal
		{"flat", Params{}, slices.Repeat([]string{"100"}, 40), true, nil},
	}
	for _, tc := range tests {
		s, err := NewRSIReversion(tc.p)
		if err != nil {
			t.Fatal(err)
		}
		if got := signals(t, s, tc.closes, tc.follow); !slices.Equal(got, tc.want) {
			t.Errorf("%s: signals %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestMACDCrossRule(t *testing.T) {
	// MACD(1, 2, 2) by hand: the fast EMA(1) is the close from bar 1 on
	// (it skips slow-fast = 1 input); the slow EMA(2) is seeded at bar 1
	// with 10 and moves 2/3 of the way to each close; the signal EMA(2)
	// of the line is seeded at bar 2.
	// bar  close  slow      line     signal
	// 2    12     11.3333   .6667    .3333   line above: first side, no signal
	// 3    12     11.7778   .2222    .2593   below: down-cross
	// 4    10     10.5926   -.5926   -.3086  below
	// 5    10     10.1975   -.1975   -.2346  above: up-cross
	// 6    13     12.0658   .9342    .5446   above
	closes := []string{"10", "10", "12", "12", "10", "10", "13"}
	tests := []struct {
		mode   string
		follow bool
		want   []string
	}{
		{"longshort", false, []string{"3:short", "5:long"}},
		// long mode: the down-cross at 3 finds no position
		{"long", true, []string{"5:long"}},
	}
	for _, tc := range tests {
		s, err := NewMACDCross(Params{"fast": "1", "slow": "2", "signal": "2", "mode": tc.mode})
		if err != nil {
			t.Fatal(err)
		}
		if got := signals(t, s, closes, tc.follow); !slices.Equal(got, tc.want) {
			t.Errorf("mode %s: signals %v, want %v", tc.mode, got, tc.want)
		}
	}
	// A flat series: line = signal = 0, an exact tie on every bar: no signal.
	s, _ := NewMACDCross(Params{"fast": "3", "slow": "5", "signal": "2", "mode": "longshort"})
	if got := signals(t, s, slices.Repeat([]string{"7.5"}, 20), false); got != nil {
		t.Errorf("flat: signals %v", got)
	}
}

func TestOscillatorParams(t *testing.T) {
	tests := []struct {
		name string
		p    Params
		err  string
		eff  string
	}{
		{"rsi", Params{}, "", "high=70 low=30 period=14"},
		{"rsi", Params{"low": "20.5", "high": "80"}, "", "high=80 low=20.5 period=14"},
		{"rsi", Params{"low": "70", "high": "30"}, "want 0 <= low (70) <= high (30) <= 100", ""},
		{"rsi", Params{"low": "x"}, `param low: "x" is not a number`, ""},
		{"rsi", Params{"period": "0"}, "period (0) must be from 1", ""},
		{"rsi", Params{"len": "3"}, `unknown param "len"`, ""},
		{"macd", Params{}, "", "fast=12 mode=long signal=9 slow=26"},
		{"macd", Params{"fast": "26", "slow": "12"}, "fast (26) must be less than slow (12)", ""},
		{"macd", Params{"signal": "0"}, "must be from 1", ""},
		{"macd", Params{"mode": "short"}, `param mode: "short" is not one of long, longshort`, ""},
	}
	for _, tc := range tests {
		s, err := New(tc.name, tc.p)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s %v: error %v, want %q", tc.name, tc.p, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var kv []string
		for k, v := range s.(Parameterized).Params() {
			kv = append(kv, k+"="+v)
		}
		slices.Sort(kv)
		if got := strings.Join(kv, " "); got != tc.eff {
			t.Errorf("%s %v: params %s, want %s", tc.name, tc.p, got, tc.eff)
		}
	}
}
