package store

import (
	"bytes"
	"context"
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
	if err := walkMetrics(b, got, nil); err != nil {
		t.Fatal(err)
	}
	// A NaN is no number: it reads as text.
	ms["nan"] = Value{Text: "NaN"}
	if fmt.Sprint(got) != fmt.Sprint(ms) {
		t.Fatalf("metrics read %v, want %v", got, ms)
	}
	for n := range len(b) {
		if err := walkMetrics(b[:n], map[string]Value{}, nil); err == nil {
			t.Fatalf("metrics cut to %d bytes read", n)
		}
	}
	// Only the metrics kept, whatever kind the ones skipped are.
	some := map[string]Value{}
	keep := func(name string) bool { return name == "cash" || name == "sharpe" || name == "yes" || name == "none" }
	if err := walkMetrics(b, some, keep); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprint(map[string]Value{"cash": ms["cash"], "sharpe": ms["sharpe"], "yes": ms["yes"]}); fmt.Sprint(some) != want {
		t.Fatalf("metrics kept %v, want %v", some, want)
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

// TestJoined checks which texts joined takes as the rows joined: the
// text they were split from when that is all of them, nothing else.
func TestJoined(t *testing.T) {
	text := "time,equity\na,\"b\r\nc\"\n1,2\n"
	rows, err := csvRows(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		rows []string
		text string
		want bool
	}{
		{rows, text, true},
		{slices.Clone(rows), text, true}, // equal rows, another copy
		{rows[:2], text, false},          // a row left out
		{rows, text + "\n", false},       // a blank line more
		{rows, strings.TrimSuffix(text, "\n"), false},
		{rows, strings.ReplaceAll(text, "\n1,2", "\r\n1,2"), false},
		{nil, "", true},
	} {
		if got := joined(c.rows, c.text); got != c.want {
			t.Errorf("joined(%q, %q) = %v, want %v", c.rows, c.text, got, c.want)
		}
		if c.want && joinRows(c.rows) != c.text {
			t.Errorf("joined(%q, %q), but joinRows gives %q", c.rows, c.text, joinRows(c.rows))
		}
	}
}

// TestViews reads a recorded run's values through the views parameters
// and metrics.
func TestViews(t *testing.T) {
	s, err := Open(t.TempDir() + "/s.db")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	run := fakeRun("aa", 1, 0)
	run.Params = map[string]string{"strategy.params.fast": "10", "data.files": "a.csv,b.csv"}
	run.Metrics = map[string]Value{
		"sharpe": {Text: "0.40660199132035874", Num: 0.40660199132035874, Numeric: true},
		"big":    {Text: "-2.875168192086e+06", Num: -2.875168192086e+06, Numeric: true},
		"tiny":   {Text: "1e-07", Num: 1e-7, Numeric: true}, "trades": {Text: "38", Num: 38, Numeric: true},
		"final_equity": {Text: "109992.73433", Num: 109992.73433, Numeric: true, Quoted: true},
		"flag":         {Text: "false"}, "mode": {Text: `say "hi" <x>`},
		"fees":  {Text: "-45090.477055", Num: -45090.477055, Numeric: true, Quoted: true},
		"start": {Text: "2020-01-02T00:00:00Z"}, "span": {Text: "24h0m0s"}, "ip": {Text: "1.2.3"},
		"analysis.returns.omega": {Text: "1.0691461527034547", Num: 1.0691461527034547, Numeric: true},
	}
	if _, err := s.Record(context.Background(), run, ""); err != nil {
		t.Fatal(err)
	}
	rows, err := s.db.Query(`SELECT run_id || ' ' || path || '=' || value FROM parameters ORDER BY path`)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := scanStrings(rows); err != nil || fmt.Sprint(got) != "[aa data.files=a.csv,b.csv aa strategy.params.fast=10]" {
		t.Fatalf("parameters %q, %v", got, err)
	}
	rows, err = s.db.Query(`SELECT name || ' ' || typeof(value) || ' ' || quote(value) || ' ' || text FROM metrics WHERE run_id = 'aa' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := scanStrings(rows)
	want := []string{
		"analysis.returns.omega real 1.0691461527034547 1.0691461527034547",
		"big real -2875168.192086 -2.875168192086e+06",
		"fees real -45090.477055 -45090.477055",
		"final_equity real 109992.73433 109992.73433",
		"flag null NULL false",
		"ip null NULL 1.2.3",
		`mode null NULL say "hi" <x>`,
		"sharpe real 0.40660199132035874 0.40660199132035874",
		"span null NULL 24h0m0s",
		"start null NULL 2020-01-02T00:00:00Z",
		"tiny real 1.0e-07 1e-07",
		"trades integer 38 38",
	}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("metrics\n%q, %v; want\n%q", got, err, want)
	}
	var omega float64
	var equity string
	if err := s.db.QueryRow(`SELECT json_extract(metrics, '$."analysis.returns.omega"'), json_extract(metrics, '$.final_equity') FROM run_values`).Scan(&omega, &equity); err != nil || omega != 1.0691461527034547 || equity != "109992.73433" {
		t.Fatalf("json_extract: %v %q, %v", omega, equity, err)
	}
}
