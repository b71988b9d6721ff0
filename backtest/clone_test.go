package backtest

import (
	"reflect"
	"strings"
	"testing"
)

// TestClone: a clone of a config with every setting given equals it,
// and changing each of the clone's lists and maps leaves the config's as
// they were.
func TestClone(t *testing.T) {
	values := map[string]string{"decimal": "12.50", "integer": "7", "number": "0.1", "bool": "true", "duration": "90m",
		"character": ";", "file or none": "bench.csv", "date": "2020-01-02", "list": "a,b", "text": "x", "map": "v"}
	var c Config
	set := 0
	for _, f := range Fields() {
		v, ok := values[f.Kind]
		if strings.Contains(f.Kind, "|") {
			words := strings.Split(f.Kind, "|")
			v, ok = words[len(words)-1], true
		}
		if ok && c.Set(strings.Replace(f.Path, ".KEY", ".k", 1), v) == nil {
			set++
		}
	}
	if set < 40 {
		t.Fatalf("only %d settings took a value", set)
	}
	d := c.Clone()
	if !reflect.DeepEqual(c, d) {
		t.Fatalf("the clone differs:\n%+v\n%+v", c, d)
	}
	lists, maps := 0, 0
	var walk func(path string, a, b reflect.Value)
	walk = func(path string, a, b reflect.Value) {
		switch a.Kind() {
		case reflect.Struct:
			for i := range a.NumField() {
				if a.Type().Field(i).IsExported() {
					walk(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i))
				}
			}
		case reflect.Slice:
			if a.Len() > 0 {
				lists++
				b.Index(0).Set(reflect.Zero(b.Type().Elem()))
				if a.Index(0).IsZero() {
					t.Errorf("%s: the clone's list is the config's", path)
				}
			}
		case reflect.Map:
			maps++
			b.SetMapIndex(reflect.ValueOf("added"), reflect.Zero(b.Type().Elem()))
			if a.MapIndex(reflect.ValueOf("added")).IsValid() {
				t.Errorf("%s: the clone's map is the config's", path)
			}
		}
	}
	walk("config", reflect.ValueOf(&c).Elem(), reflect.ValueOf(&d).Elem())
	if lists < 4 || maps < 2 {
		t.Errorf("%d lists and %d maps checked", lists, maps)
	}
}

// TestCanonicalYAMLOver: CanonicalYAMLOver gives CanonicalYAML's bytes
// for a config that is the base with a periods_per_year filled in, the
// base itself, and one that differs from the base elsewhere.
func TestCanonicalYAMLOver(t *testing.T) {
	var cfg Config
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv"}
	cfg.Data.Symbol = "analysis:\n    periods_per_year: 0\n" // a block scalar, indented
	base, err := cfg.Effective()
	if err != nil {
		t.Fatal(err)
	}
	canon, err := base.CanonicalYAML()
	if err != nil {
		t.Fatal(err)
	}
	other := base.Clone()
	other.Strategy.Params["fast"] = "3"
	for _, P := range []float64{0, 252, 365, 12, 0.5, 1.0 / 3, 98280, 1e21, 5e-324} {
		for _, c := range []Config{base.Clone(), other.Clone()} {
			c.Analysis.PeriodsPerYear = P
			want, err := c.CanonicalYAML()
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.CanonicalYAMLOver(base, canon)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("P=%v:\n%s\nwant\n%s", P, got, want)
			}
		}
	}
}
