package sweep

import (
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// section decodes the sweep: section of the config file text doc.
func section(t *testing.T, doc string) (*Section, error) {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Fatal(err)
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "sweep" {
			return DecodeSection("s.yaml", m.Content[i+1])
		}
	}
	t.Fatal("no sweep key")
	return nil, nil
}

func TestDecodeSection(t *testing.T) {
	doc := `data: {files: [a.csv]}
sweep:
  values:
    strategy.params.mode: [long, longshort]
    execution.intrabar_path: nearest, pessimistic
  grid:
    strategy.params.fast: 5:15:5
    costs.commission.pct: 0.1:0.3:0.1
  ranges:
    costs.slippage.bps: log:1:50
    risk.max_leverage: 1:2.5
  random: 3
  seed: 7
  where: fast < 15
  jobs: 2
  keep: full
  store: s.db
  shards: 4
  html: out.html
  heatmap: fast,mode
  objective: -max_drawdown
`
	got, err := section(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	want := &Section{
		Space: Space{
			Grid: []Dim{
				{"strategy.params.fast", []string{"5", "10", "15"}},
				{"costs.commission.pct", []string{"0.1", "0.2", "0.3"}},
				{"strategy.params.mode", []string{"long", "longshort"}},
				{"execution.intrabar_path", []string{"nearest", "pessimistic"}},
			},
			Ranges: []Range{
				{Path: "costs.slippage.bps", Lo: 1, Hi: 50, Log: true, Int: true},
				{Path: "risk.max_leverage", Lo: 1, Hi: 2.5},
			},
			Random: 3, Seed: 7, Where: "fast < 15",
		},
		Jobs: 2, Keep: "full", Store: "s.db", Shards: 4, HTML: "out.html",
		Heatmap: []string{"fast", "mode"}, Objective: "-max_drawdown",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if empty, err := section(t, "sweep:\n"); err != nil || !reflect.DeepEqual(empty, &Section{}) {
		t.Errorf("an empty section: %+v, %v", empty, err)
	}
}

func TestDecodeSectionErrors(t *testing.T) {
	for _, tt := range []struct {
		doc  string
		want []string
	}{
		{"sweep: 3\n", []string{"s.yaml:1: sweep: want a group"}},
		{"sweep:\n  grdi: {a: 1:2:1}\n", []string{"s.yaml:2: sweep.grdi: unknown key (want one of grid, values"}},
		{"sweep:\n  grid:\n    a.b: 1:x:1\n", []string{`s.yaml:3: sweep.grid.a.b: "x" is not a number`}},
		{"sweep:\n  grid:\n    a.b: 3:1:1\n", []string{"s.yaml:3: sweep.grid.a.b: stop 1 is below start 3"}},
		{"sweep:\n  grid: [a, b]\n", []string{"s.yaml:2: sweep.grid: want a mapping of config paths"}},
		{"sweep:\n  ranges:\n    a: log:0:1\n", []string{"s.yaml:3: sweep.ranges.a: a log range must be positive"}},
		{"sweep:\n  values:\n    a: []\n", []string{"s.yaml:3: sweep.values.a: want a list of values"}},
		{"sweep:\n  random: -1\n  jobs: x\n", []string{`s.yaml:2: sweep.random: "-1": want a whole number`, `s.yaml:3: sweep.jobs: "x": want a whole number`}},
		{"sweep:\n  keep: most\n", []string{`s.yaml:2: sweep.keep: "most": want thin or full`}},
		{"sweep:\n  objective: -sharp\n", []string{`s.yaml:2: sweep.objective: "-sharp": no run has a metric of this name`}},
		{"sweep:\n  heatmap: [a]\n", []string{"s.yaml:2: sweep.heatmap: want two paths"}},
		{"sweep:\n  where: [a]\n", []string{"s.yaml:2: sweep.where: want a single value"}},
		{"sweep:\n  seed: 1\n  seed: 2\n", []string{"s.yaml:3: sweep.seed: key given twice"}},
		{"sweep:\n  '': 1\n  ? [grid]\n  : 2\n", []string{"s.yaml:2: sweep: want a key, one of grid, values,", "s.yaml:3: sweep: want a key, one of grid,"}},
		{"sweep:\n  grid:\n    a: 1:2:1\n    a: 1:3:1\n", []string{"s.yaml:4: sweep.grid.a: key given twice"}},
	} {
		_, err := section(t, tt.doc)
		if err == nil {
			t.Errorf("%q: no error", tt.doc)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: error %q lacks %q", tt.doc, err, w)
			}
		}
	}
}
