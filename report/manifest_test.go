package report

import (
	"strings"
	"testing"

	"github.com/quantloop/quantloop/backtest"
)

func TestInputFilesAndCanonicalConfig(t *testing.T) {
	cfg := backtest.DefaultConfig()
	cfg.Data.Files = []string{"a.csv", "b.csv"}
	tests := []struct {
		bench string
		want  string
	}{
		{"", "a.csv,b.csv"},
		{"b.csv", "a.csv,b.csv"},
		{"c.csv", "a.csv,b.csv,c.csv"},
		{backtest.NoBenchmark, "a.csv,b.csv"},
	}
	for _, tc := range tests {
		if err := cfg.Analysis.Benchmark.UnmarshalText([]byte(tc.bench)); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(inputFiles(cfg), ","); got != tc.want {
			t.Errorf("benchmark %q: inputs %s, want %s", tc.bench, got, tc.want)
		}
	}
	cfg.Analysis.Benchmark = backtest.Benchmark{}
	cfg.Strategy.Params = map[string]string{"slow": "30", "fast": "10", "mode": "long"}
	b, err := cfg.CanonicalYAML()
	if err != nil {
		t.Fatal(err)
	}
	want := `data:
    files:
        - a.csv
        - b.csv
    symbol: ""
    time_layout: ""
    timezone: ""
    header: auto
    columns: {}
    order: []
    delimiter: ','
    on_bad_row: fail
strategy:
    name: smacross
    params:
        fast: "10"
        mode: long
        slow: "30"
    orders: ""
account:
    cash: "100000"
    type: margin
    margin_leverage: "0"
    maintenance_margin: "0"
    borrow_rate: "0"
    no_short: []
sizing:
    size: "0"
    pct: "0"
costs:
    commission:
        pct: "0"
        per_share: "0"
        min: "0"
        max: "0"
        fixed: "0"
        tiers: ""
    slippage:
        model: fixed
        bps: "0"
        volume_impact: "0.1"
execution:
    intrabar_path: nearest
    max_volume_share: "0"
    close_at_end: false
risk:
    max_position: "0"
    max_position_value: "0"
    max_order_value: "0"
    max_leverage: "0"
    max_orders_per_bar: 0
    max_orders_per_day: 0
    long_only: false
    restricted: []
kill_switch:
    drawdown_pct: 0
    daily_loss_pct: 0
    action: flatten
    auto_reset: false
breaker:
    failures: 5
    cooldown: 24h
    on_error: stop-strategy
analysis:
    periods_per_year: 0
    risk_free: 0
    benchmark: ""
    trials: 0
seed: 0
`
	if string(b) != want {
		t.Errorf("canonical config:\n%s\nwant:\n%s", b, want)
	}
}

func TestMonthlyTable(t *testing.T) {
	tab := newMonthlyTable(
		[]PeriodRow{{"2020-02", 0.05}, {"2021-01", -0.1}, {"2021-12", 0.2}},
		[]PeriodRow{{"2020", 0.05}, {"2021", 0.08}}, nil, nil)
	if len(tab.Rows) != 2 || tab.Rows[0].Year != "2020" || tab.Rows[1].Year != "2021" {
		t.Fatalf("rows %+v", tab.Rows)
	}
	tests := []struct {
		cell  heatCell
		text  string
		style string
	}{
		{tab.Rows[0].Cells[1], "+5.0", "background:rgba(46,139,87,0.42)"},   // 0.05/0.1·0.75+0.05
		{tab.Rows[0].Cells[0], "", ""},                                      // no January 2020
		{tab.Rows[1].Cells[0], "-10.0", "background:rgba(192,57,43,0.80)"},  // full strength
		{tab.Rows[1].Cells[11], "+20.0", "background:rgba(46,139,87,0.80)"}, // capped
		{tab.Rows[1].Annual, "+8.0", "background:rgba(46,139,87,0.25)"},     // 0.08/0.3·0.75+0.05
	}
	for i, tc := range tests {
		if tc.cell.Text != tc.text || string(tc.cell.Style) != tc.style {
			t.Errorf("cell %d = %q %q, want %q %q", i, tc.cell.Text, tc.cell.Style, tc.text, tc.style)
		}
	}
}

// TestMonthlyTableBenchmark: the benchmark's returns are a row under each
// year; periods it lacks show "-".
func TestMonthlyTableBenchmark(t *testing.T) {
	tab := newMonthlyTable(
		[]PeriodRow{{"2020-02", 0.05}, {"2020-03", -0.02}},
		[]PeriodRow{{"2020", 0.029}},
		map[string]float64{"2020-03": 0.01}, map[string]float64{"2020": 0.01})
	if len(tab.Rows) != 2 || !tab.Rows[1].Bench || tab.Rows[1].Year != "benchmark" {
		t.Fatalf("rows %+v", tab.Rows)
	}
	b := tab.Rows[1]
	if b.Cells[1].Text != "-" || b.Cells[2].Text != "+1.0" || b.Annual.Text != "+1.0" || tab.Rows[0].Cells[2].Text != "-2.0" {
		t.Errorf("benchmark row %+v", b)
	}
}
