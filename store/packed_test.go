package store

import (
	"fmt"
	"math"
	"testing"
)

func TestPackedRoundTrip(t *testing.T) {
	rows := []string{"time,equity", "", "a,\"b\r\nc\"", string(make([]byte, 300))}
	got, err := unpackRows(packRows(rows))
	if err != nil || fmt.Sprintf("%q", got) != fmt.Sprintf("%q", rows) {
		t.Fatalf("rows %q, %v; want %q", got, err, rows)
	}
	params := map[string]string{"b": "2", "a": "", "strategy.params.fast": "10"}
	gotParams := map[string]string{}
	if err := unpackParams(packParams(params), func(p, v string) { gotParams[p] = v }); err != nil || fmt.Sprint(gotParams) != fmt.Sprint(params) {
		t.Fatalf("params %v, %v; want %v", gotParams, err, params)
	}
	ms := map[string]Value{
		"sharpe": {"0.1", 0.1, true}, "mode": {Text: "long"}, "tiny": {"5e-324", 5e-324, true},
		"nan": {"NaN", math.NaN(), true}, "neg": {"-3", -3, true},
	}
	want := map[string]Value{
		"sharpe": {"0.1", 0.1, true}, "mode": {Text: "long"}, "tiny": {"5e-324", 5e-324, true},
		"nan": {Text: "NaN"}, "neg": {"-3", -3, true},
	}
	gotMetrics := map[string]Value{}
	if err := unpackMetrics(packMetrics(ms), func(n string, v Value) { gotMetrics[n] = v }); err != nil || fmt.Sprint(gotMetrics) != fmt.Sprint(want) {
		t.Fatalf("metrics %v, %v; want %v", gotMetrics, err, want)
	}
	// The packed metric "a": "1" numeric 1 is 1 'a' 1 '1' 1 and 8 bytes.
	b := packMetrics(map[string]Value{"a": {"1", 1, true}})
	if len(b) != 13 || string(b[:5]) != "\x01a\x011\x01" {
		t.Fatalf("packed %q", b)
	}
	for n := range len(b) {
		if err := unpackMetrics(b[:n], func(string, Value) {}); n > 0 && err == nil {
			t.Fatalf("a value cut to %d bytes unpacked", n)
		}
	}
	if _, err := unpackRows([]byte{5, 'a'}); err == nil {
		t.Fatal("a row cut short unpacked")
	}
}
