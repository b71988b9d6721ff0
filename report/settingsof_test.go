package report

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/quantloop/quantloop/backtest"
)

// TestConfigSettingsOf checks ConfigSettingsOf against ConfigSettings of
// the canonical config file: a zero config, an effective one, one with
// every setting given a value of its kind, and strings that YAML writes
// plain, quoted, folded or as base64.
func TestConfigSettingsOf(t *testing.T) {
	check := func(name string, cfg backtest.Config, typed bool) {
		t.Helper()
		canon, err := cfg.CanonicalYAML()
		if err != nil {
			t.Fatal(err)
		}
		want, err := ConfigSettings(canon)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ConfigSettingsOf(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, want)
		}
		w := settingsWalker{out: map[string]string{}}
		if w.value("", reflect.ValueOf(cfg)) != typed {
			t.Errorf("%s: read from the typed config %v, want %v", name, !typed, typed)
		}
	}
	var zero backtest.Config
	check("zero", zero, true)

	var cfg backtest.Config
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv", "../testdata/daily/BBB.csv"}
	eff, err := cfg.Effective()
	if err != nil {
		t.Fatal(err)
	}
	check("effective", eff, true)

	values := map[string]string{"decimal": "12.50", "integer": "7", "number": "0.1", "bool": "true", "duration": "90m",
		"character": ";", "file or none": "bench.csv", "date": "2020-01-02", "list": "a,b", "text": "x y"}
	all := eff
	set := 0
	for _, f := range backtest.Fields() {
		v, ok := values[f.Kind]
		if strings.Contains(f.Kind, "|") {
			words := strings.Split(f.Kind, "|")
			v, ok = words[len(words)-1], true
		}
		path := strings.Replace(f.Path, ".KEY", ".k", 1)
		if f.Kind == "map" {
			v, ok = "v", true
		}
		if ok && all.Set(path, v) == nil {
			set++
		}
	}
	if set < 40 {
		t.Fatalf("only %d settings took a value", set)
	}
	check("every setting", all, true)

	for _, s := range []string{"", " lead", "trail ", "a: b", "#x", "a #b", "- x", "'", `"`, "é ü", "null", "~", "true", "1e3",
		"0x10", "a,b", "[x]", "{x}", "&a", "*a", "!t", "%x", "@x", "`x", "? x", strings.Repeat("long words ", 20),
		"line\nbreak", "tab\there", "cr\r\n", "bad \xff utf-8", "\x7f"} {
		c := eff
		c.Data.Symbol = s
		c.Strategy.Params = map[string]string{"fast": s, s: "v"}
		c.Data.Files = []string{s, "x"}
		text := strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == utf8.RuneError })
		check(fmt.Sprintf("string %q", s), c, !text)
	}
}
