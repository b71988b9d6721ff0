package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestParamsText(t *testing.T) {
	params := map[string]string{"b": "2", "a": "", "strategy.params.fast": "10", "q": "x\"<y>\n"}
	b := appendParams(nil, params)
	want := `{"a":"","b":"2","q":"x\"\u003cy\u003e\n","strategy.params.fast":"10"}`
	if string(b) != want {
		t.Fatalf("parameters %s, want %s", b, want)
	}
	var decoded map[string]string
	if err := json.Unmarshal(b, &decoded); err != nil || fmt.Sprint(decoded) != fmt.Sprint(params) {
		t.Fatalf("encoding/json reads %v, %v; want %v", decoded, err, params)
	}
	got := map[string]string{}
	if err := walkParams(b, func(p, v string) { got[p] = v }); err != nil || fmt.Sprint(got) != fmt.Sprint(params) {
		t.Fatalf("parameters read %v, %v; want %v", got, err, params)
	}
	if b := appendParams(nil, nil); string(b) != "{}" {
		t.Fatalf("no parameters: %s", b)
	}
	for n := range len(b) {
		if err := walkParams(b[:n], func(string, string) {}); err == nil {
			t.Fatalf("parameters cut to %d bytes read", n)
		}
	}
	if err := walkParams([]byte(`{"a":1}`), func(string, string) {}); err == nil {
		t.Fatal("a parameter that is a number read")
	}
}

func TestMetricsText(t *testing.T) {
	ms := map[string]Value{
		"sharpe": {Text: "0.1", Num: 0.1, Numeric: true}, "mode": {Text: "long"},
		"cash": {Text: "100000", Num: 1e5, Numeric: true, Quoted: true}, "flag": {Text: "false"},
		"nan": {Text: "NaN", Num: math.NaN(), Numeric: true}, "half": {Text: ".5", Num: 0.5, Numeric: true},
		"a.b.c": {Text: "-1.5e-07", Num: -1.5e-7, Numeric: true}, "yes": {Text: "true", Quoted: true},
	}
	b := appendMetrics(nil, ms)
	want := `{"a.b.c":-1.5e-07,"cash":"100000","flag":false,"half":".5","mode":"long","nan":"NaN","sharpe":0.1,"yes":"true"}`
	if string(b) != want {
		t.Fatalf("metrics %s, want %s", b, want)
	}
	// encoding/json reads the kinds: numbers, strings and a bool.
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var decoded map[string]any
	if err := dec.Decode(&decoded); err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprintf("%#v %#v %#v %#v", decoded["sharpe"], decoded["cash"], decoded["flag"], decoded["a.b.c"]); s != `"0.1" "100000" false "-1.5e-07"` ||
		fmt.Sprintf("%T %T", decoded["sharpe"], decoded["cash"]) != "json.Number string" {
		t.Fatalf("decoded %v", decoded)
	}
	got := map[string]Value{}
	if err := walkMetrics(b, got); err != nil {
		t.Fatal(err)
	}
	// A NaN is no number: it reads as text.
	ms["nan"] = Value{Text: "NaN"}
	if fmt.Sprint(got) != fmt.Sprint(ms) {
		t.Fatalf("metrics read %v, want %v", got, ms)
	}
	for n := range len(b) {
		if err := walkMetrics(b[:n], map[string]Value{}); err == nil {
			t.Fatalf("metrics cut to %d bytes read", n)
		}
	}
}

func TestJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `a"b`, `c:\d`, "<&>", "\x00\x1f\x7f", "é", "\u2028\u2029", "\xff", "tab\there"} {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Errorf("%q: %s, want x%s", s, got, want)
		}
	}
}

func TestIsJSONNumber(t *testing.T) {
	for _, s := range []string{"0", "-0", "12", "-1.5", "1e5", "1E+5", "2.5e-07", "0.1",
		"", "-", "01", "1.", ".5", "+1", "1e", "1e+", "0x10", "NaN", "Inf", "1_0", " 1", "1 ", "--1", "1.2.3"} {
		// encoding/json, the independent reader: one number and nothing
		// else.
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		var x any
		err := dec.Decode(&x)
		_, num := x.(json.Number)
		want := err == nil && num && !dec.More() && strings.TrimSpace(s) == s && json.Valid([]byte(s))
		if got := isJSONNumber(s); got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
}

func TestJoinRows(t *testing.T) {
	rows := []string{"time,equity", "a,\"b\r\nc\"", "x,\"say \"\"hi\"\"\"", "1,2"}
	text := joinRows(rows)
	if want := "time,equity\na,\"b\r\nc\"\nx,\"say \"\"hi\"\"\"\n1,2\n"; text != want {
		t.Fatalf("%q, want %q", text, want)
	}
	if got, err := CSVRows([]byte(text)); err != nil || !slices.Equal(got, rows) {
		t.Fatalf("rows read %q, %v; want %q", got, err, rows)
	}
	if joinRows(nil) != "" {
		t.Fatal("no rows give text")
	}
}
