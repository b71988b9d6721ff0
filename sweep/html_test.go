package sweep

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/store"
)

// summary returns a run of id with fast and slow set and the metric
// sharpe.
func summary(id, fast, slow string, sharpe float64) *store.Summary {
	return &store.Summary{ID: id, Params: map[string]string{"strategy.params.fast": fast, "strategy.params.slow": slow},
		Metrics:        map[string]store.Value{"sharpe": {Text: strconv.FormatFloat(sharpe, 'g', -1, 64), Num: sharpe, Numeric: true}},
		DeflatedSharpe: sharpe / 2}
}

func TestWriteHTML(t *testing.T) {
	runs := []*store.Summary{
		summary("aaaa", "5", "20", 0.5),
		summary("bbbb", "10", "20", 1.5),
		summary("cccc", "5", "30", -0.25),
		summary("dddd", "10", "30", 0.75),
		summary("eeee", "10", "30", math.NaN()),
	}
	runs[4].Metrics["sharpe"] = store.Value{Text: "NaN"}
	rep := Report{ID: "f00d", Store: "s.db", Runs: runs, Varied: []string{"strategy.params.fast", "strategy.params.slow"},
		Stats: &store.Stats{Trials: 4, PBO: 0.25, PBOBlocks: 4, PBOSplits: 6, LogitMedian: 0.4, Logits: []float64{-1, 0.2, 0.4, 0.5, 1, 2}}}
	var a, b bytes.Buffer
	if err := WriteHTML(&a, rep); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(&b, rep); err != nil {
		t.Fatal(err)
	}
	page := a.String()
	if page != b.String() {
		t.Fatal("two writes of one report differ")
	}
	// Ranked highest first, the run without a number last.
	ids := regexp.MustCompile(`<td class="id">(\w+)</td>`).FindAllStringSubmatch(page, -1)
	var order []string
	for _, m := range ids {
		order = append(order, m[1])
	}
	if got := strings.Join(order, " "); got != "bbbb dddd aaaa cccc eeee" {
		t.Errorf("ranked %s", got)
	}
	// The heatmap's cells: the best of each pair, by hand.
	for _, cell := range []string{"strategy.params.fast=5 strategy.params.slow=20: 0.5", "strategy.params.fast=10 strategy.params.slow=20: 1.5",
		"strategy.params.fast=5 strategy.params.slow=30: -0.25", "strategy.params.fast=10 strategy.params.slow=30: 0.75"} {
		if !strings.Contains(page, "<title>"+cell+"</title>") {
			t.Errorf("no heatmap cell %q", cell)
		}
	}
	// -sharpe ranks lowest first.
	rep.Objective = "-sharpe"
	var c bytes.Buffer
	if err := WriteHTML(&c, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.String(), "ranked by <code>-sharpe</code>, lowest first") {
		t.Error("-sharpe does not rank lowest first")
	}
	// Self-contained: no script, no external reference.
	for _, bad := range []string{"<script", "src=", "href=", "url(", "@import"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}
	for _, want := range []string{"0.25", "4, 6", "logit", "Deflated Sharpe"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// The logits' histogram counts each of the six logits once.
	if n := strings.Count(page, "(6 values)"); n != 1 {
		t.Errorf("logit histogram: %d", n)
	}
	rep.Heatmap = []string{"fast", "mode"}
	if err := WriteHTML(&c, rep); err == nil || !strings.Contains(err.Error(), `"mode" is not a path the sweep varies`) {
		t.Errorf("a heatmap over an unvaried path: %v", err)
	}
}

func TestHeatmapAxes(t *testing.T) {
	varied := []string{"strategy.params.fast", "strategy.params.slow", "costs.slippage.bps"}
	for _, tt := range []struct {
		xy   []string
		want string
		err  bool
	}{
		{nil, "strategy.params.fast strategy.params.slow", false},
		{[]string{"bps", "fast"}, "costs.slippage.bps strategy.params.fast", false},
		{[]string{"costs.slippage.bps", "slow"}, "costs.slippage.bps strategy.params.slow", false},
		{[]string{"fast", "fast"}, "", true},
		{[]string{"fast"}, "", true},
		{[]string{"fast", "cash"}, "", true},
	} {
		got, err := HeatmapAxes(varied, tt.xy)
		if (err != nil) != tt.err || strings.Join(got, " ") != tt.want {
			t.Errorf("%v: %v, %v; want %q", tt.xy, got, err, tt.want)
		}
	}
	if got, err := HeatmapAxes(varied[:1], nil); got != nil || err != nil {
		t.Errorf("one varied path: %v, %v", got, err)
	}
}

// TestHistogramBins checks the bins' counts of a histogram by hand: 0 to
// 4 in 4 bins of width 1, the largest value in the last bin.
func TestHistogramBins(t *testing.T) {
	svg := histogram([]float64{0, 0.5, 1, 2.5, 3, 4, 4}, 4, "x", 0, false)
	titles := regexp.MustCompile(`<title>([^<]*)</title>`).FindAllStringSubmatch(svg, -1)
	var got []string
	for _, m := range titles {
		got = append(got, m[1])
	}
	want := "0 to 1: 2|1 to 2: 1|2 to 3: 1|3 to 4: 3"
	if strings.Join(got, "|") != want {
		t.Errorf("bins %q, want %q", strings.Join(got, "|"), want)
	}
}
