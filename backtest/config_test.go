package backtest

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/risk"
)

func TestSetPaths(t *testing.T) {
	var c Config
	for _, s := range []struct{ path, value string }{
		{"data.files", "a.csv, b.csv"},
		{"data.header", "skip"},
		{"data.columns.close", "Last"},
		{"data.delimiter", ";"},
		{"data.on_bad_row", "skip"},
		{"strategy.params.fast", "20"},
		{"strategy.params.mode", "longshort"},
		{"account.cash", "5e4"},
		{"account.type", "cash"},
		{"costs.commission.pct", "0.05"},
		{"costs.slippage.model", "volume"},
		{"execution.intrabar_path", "pessimistic"},
		{"execution.close_at_end", "true"},
		{"risk.max_orders_per_day", "3"},
		{"kill_switch.action", "halt"},
		{"kill_switch.drawdown_pct", "12.5"},
		{"breaker.cooldown", "90m"},
		{"breaker.on_error", "stop"},
		{"analysis.benchmark", "none"},
		{"seed", "-7"},
	} {
		if err := c.Set(s.path, s.value); err != nil {
			t.Fatalf("Set(%s, %s): %v", s.path, s.value, err)
		}
	}
	want := Config{
		Data: DataConfig{Files: []string{"a.csv", "b.csv"}, Header: data.HeaderSkip, Columns: map[string]string{"close": "Last"},
			Delimiter: ';', OnBadRow: data.SkipBadRow},
		Strategy:   StrategyConfig{Params: map[string]string{"fast": "20", "mode": "longshort"}},
		Account:    AccountConfig{Cash: decimal.NewFromInt(50000), Type: broker.CashAccount},
		Costs:      CostsConfig{Commission: CommissionConfig{Pct: decimal.RequireFromString("0.05")}, Slippage: SlippageConfig{Model: broker.VolumeSlippage}},
		Execution:  ExecutionConfig{IntrabarPath: broker.PathPessimistic, CloseAtEnd: true},
		Risk:       RiskConfig{MaxOrdersPerDay: 3},
		KillSwitch: KillSwitchConfig{Action: risk.KillHalt, DrawdownPct: 12.5},
		Breaker:    BreakerConfig{Cooldown: Duration(90 * time.Minute), OnError: StopOnError},
		Analysis:   AnalysisConfig{Benchmark: Benchmark{Off: true}},
		Seed:       -7,
	}
	if !c.Account.Cash.Equal(want.Account.Cash) {
		t.Errorf("cash %s", c.Account.Cash)
	}
	c.Account.Cash, want.Account.Cash = decimal.Zero, decimal.Zero
	if !c.Costs.Commission.Pct.Equal(want.Costs.Commission.Pct) {
		t.Errorf("commission %s", c.Costs.Commission.Pct)
	}
	c.Costs.Commission.Pct, want.Costs.Commission.Pct = decimal.Zero, decimal.Zero
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct{ path, value, want string }{
		{"costs.comission.pct", "1", "costs.comission.pct: unknown setting (want commission, slippage)"},
		{"costs", "1", "costs: unknown setting: it is a group; name one of its settings (want commission, slippage)"},
		{"seed.x", "1", `seed.x: unknown setting: seed takes a value, not "x"`},
		{"strategy.params", "1", "strategy.params: give one key: strategy.params.KEY=value"},
		{"account.cash", "lots", `account.cash: "lots" is not a decimal number`},
		{"account.cash", "0", "account.cash: 0 is not allowed: the starting cash must be positive (leave account.cash out for the default, 100000)"},
		{"sizing.size", "0", "sizing.size: 0 is not allowed: a fixed order size must be positive (leave sizing.size out for the default, the equity split equally among the symbols, or give sizing.pct to size by a percent of equity)"},
		{"sizing.pct", "0.0", "sizing.pct: 0 is not allowed: a percent of equity must be positive (leave sizing.pct out for the default, the equity split equally among the symbols, or give sizing.size for a fixed size)"},
		{"breaker.cooldown", "0s", "breaker.cooldown: 0 is not allowed: an open breaker stays open for a positive time (leave breaker.cooldown out for the default, 24h)"},
		{"risk.max_orders_per_bar", "99999999999999999999", `risk.max_orders_per_bar: "99999999999999999999" is out of range: want a whole number from -9223372036854775808 to 9223372036854775807`},
		{"risk.max_orders_per_bar", "1.5", `risk.max_orders_per_bar: "1.5" is not a whole number`},
		{"analysis.risk_free", "1e400", `analysis.risk_free: "1e400" is out of range: want a number of magnitude below 1.7976931348623157e+308`},
		{"risk.long_only", "yes", `risk.long_only: "yes": want true or false`},
		{"execution.intrabar_path", "random", `execution.intrabar_path: intrabar path "random": want nearest or pessimistic`},
		{"breaker.cooldown", "1 day", `breaker.cooldown: "1 day" is not a duration such as 24h or 90m`},
		{"data.delimiter", ";;", `data.delimiter: ";;" must be one character`},
	}
	for _, tc := range tests {
		var c Config
		err := c.Set(tc.path, tc.value)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Set(%s, %s) = %v\nwant %s", tc.path, tc.value, err, tc.want)
		}
	}
	var c Config
	if err := c.Set("costs.x", "1"); !errors.Is(err, ErrUnknownPath) {
		t.Errorf("unknown path: %v does not wrap ErrUnknownPath", err)
	}
}

func TestValidateNamesPaths(t *testing.T) {
	tests := []struct {
		edit func(c *Config)
		want string
	}{
		{func(c *Config) { c.Account.Cash = decimal.RequireFromString("1e30") },
			"account.cash: 1e30 is out of range: at most 18 digits before the decimal point and 18 after"},
		{func(c *Config) { c.Costs.Commission.Min = decimal.NewFromInt(-1) }, "costs.commission.min: -1 must not be negative"},
		{func(c *Config) {
			c.Costs.Commission.Min, c.Costs.Commission.Max = decimal.NewFromInt(5), decimal.NewFromInt(2)
		}, "costs.commission.max: maximum commission 2 is below the minimum 5"},
		{func(c *Config) { c.Costs.Slippage.Bps = decimal.NewFromInt(10000) },
			"costs.slippage.bps: slippage 10000 bps must be below 10000 (a sell would get a price of zero or less)"},
		{func(c *Config) { c.Costs.Slippage.VolumeImpact = decimal.NewFromInt(1) },
			"costs.slippage.volume_impact: volume-share impact 1 must be below 1 (a sell taking a whole bar would get a price of zero or less)"},
		{func(c *Config) { c.Costs.Commission.Pct = decimal.NewFromInt(100) }, "costs.commission.pct: commission percent 100 must be below 100"},
		{func(c *Config) { c.Costs.Commission.Tiers = "0:0.005,x" }, `costs.commission.tiers: "0:0.005,x": "x" is not from:per_share`},
		{func(c *Config) { c.Sizing.Size, c.Sizing.Pct = decimal.NewFromInt(2), decimal.NewFromInt(10) },
			"sizing: set sizing.size (a fixed quantity) or sizing.pct (a percent of equity), not both"},
		{func(c *Config) { c.Execution.MaxVolumeShare = decimal.NewFromInt(2) },
			"execution.max_volume_share: 2 is above 1 (it is a fraction: 0.025 = 2.5 %)"},
		{func(c *Config) { c.Data.Symbol, c.Data.Files = "X", []string{"a.csv", "b.csv"} },
			"data.symbol: a symbol can be given only with a single data file (2 given)"},
		{func(c *Config) { c.Data.Columns = map[string]string{"opn": "Open"} },
			"data.columns.opn: unknown field (want time, date, clock, open, high, low, close, volume or adj_close)"},
		{func(c *Config) { c.Analysis.Trials, c.Analysis.RiskFree = -1, -2 },
			"analysis.risk_free: -2 must be a number above -1\nanalysis.trials: -1 must not be negative"},
	}
	for _, tc := range tests {
		var c Config
		tc.edit(&c)
		if err := c.Validate(); err == nil || err.Error() != tc.want {
			t.Errorf("Validate = %v\nwant %s", err, tc.want)
		}
	}
	var zero Config
	if err := zero.Validate(); err != nil {
		t.Errorf("the zero Config: %v", err)
	}
}

// everyField returns a Config with every setting away from its default,
// set by path, and checks that Fields names every setting.
func everyField(t *testing.T) Config {
	t.Helper()
	var c Config
	values := map[string]string{
		"decimal": "1.5", "integer": "3", "number": "0.25", "bool": "true", "text": "x",
		"duration": "90m", "list": "a,b", "map": "v", "date": "2005-01-31",
	}
	special := map[string]string{
		"data.files": "a.csv", "data.delimiter": ";", "data.timezone": "Europe/Berlin", "data.columns.KEY": "Last",
		"data.order": "date,open,high,low,close", "execution.max_volume_share": "0.5",
		"account.maintenance_margin": "0.25", "sizing.pct": "", "costs.commission.tiers": "0:0.005,300000:0.003",
		"costs.commission.max": "9", "data.symbol": "SYM", "costs.slippage.volume_impact": "0.5",
		// A schedule cannot go with an orders file: the schedule is set.
		"strategy.schedule": "2005-01-03 fast=5", "strategy.orders": "",
	}
	for _, f := range Fields() {
		v, ok := special[f.Path]
		if !ok {
			v = values[f.Kind]
		}
		if choices := strings.Split(f.Kind, "|"); len(choices) > 1 {
			v = choices[len(choices)-1]
		}
		if v == "" {
			continue
		}
		if err := c.Set(strings.Replace(f.Path, ".KEY", ".close", 1), v); err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

// A canonical config file reads back as the same Config and the same
// bytes; it holds every setting.
func TestCanonicalRoundTrip(t *testing.T) {
	for _, c := range []Config{everyField(t), DefaultConfig()} {
		b, err := c.CanonicalYAML()
		if err != nil {
			t.Fatal(err)
		}
		var back Config
		if err := DecodeYAML("config.yaml", b, &back, nil); err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		b2, err := back.CanonicalYAML()
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != string(b2) {
			t.Errorf("canonical form changed on reading back:\n%s\n%s", b, b2)
		}
		if fmt.Sprint(c) != fmt.Sprint(back) {
			t.Errorf("read back %+v\nwant %+v", back, c)
		}
	}
	b, _ := everyField(t).CanonicalYAML()
	for _, f := range Fields() {
		// The last part of each path is a key in the file.
		parts := strings.Split(strings.TrimSuffix(f.Path, ".KEY"), ".")
		if !strings.Contains(string(b), parts[len(parts)-1]+":") {
			t.Errorf("canonical config lacks %s", f.Path)
		}
	}
}

func TestDecodeYAMLErrors(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"unknown key", "data:\n  files: [a.csv]\n  colums: {}\n", "run.yaml:3: data.colums: unknown key (want files, catalog, symbol, symbols, time_layout, timezone, header, columns, order, delimiter, on_bad_row, from, to, adjust, actions)"},
		{"unknown group", "date: {files: [a]}\n", "run.yaml:1: date: unknown key (want data, strategy, account, sizing, costs, execution, risk, kill_switch, breaker, analysis, seed)"},
		{"two errors", "account: {cash: x}\nanalysis: {trials: y}\n",
			"run.yaml:1: account.cash: \"x\" is not a decimal number\nrun.yaml:2: analysis.trials: \"y\" is not a whole number"},
		{"key twice", "seed: 1\nseed: 2\n", "run.yaml:2: seed: key given twice"},
		{"param twice", "strategy: {params: {fast: 1, fast: 2}}\n", "run.yaml:1: strategy.params.fast: key given twice"},
		{"list wanted", "data: {files: a.csv}\n", "run.yaml:1: data.files: want a list ([a, b] or lines starting with -)"},
		{"group wanted", "costs: {commission: 0.1}\n", "run.yaml:1: costs.commission: want a group of settings (key: value lines) (want pct, per_share, min, max, fixed, tiers)"},
		{"alias", "strategy: {params: &p {fast: 1}}\nanalysis: {benchmark: *p}\n", "run.yaml:2: analysis.benchmark: anchors and aliases are not supported in a config file"},
		{"flat layout", "data: [a.csv]\nseed: 1\nsize_pct: 10\naccount: cash\ncosts: {}\n",
			"run.yaml: the file uses the flat layout of earlier versions; each setting moved into a group:\n" +
				"  run.yaml:1: data: moved to data.files\n  run.yaml:3: size_pct: moved to sizing.pct\n  run.yaml:4: account: moved to account.type"},
		{"too big", strings.Repeat("#", MaxConfigBytes+1), "run.yaml: the file is larger than 1048576 bytes, the most a config file may have"},
	}
	for _, tc := range tests {
		var c Config
		if err := DecodeYAML("run.yaml", []byte(tc.yaml), &c, nil); err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v\nwant %s", tc.name, err, tc.want)
		}
	}
}

// A config file with many keys is refused quickly, with the limit, rather
// than decoded in quadratic time (64k parameters took 8 s or more).
func TestDecodeYAMLManyKeys(t *testing.T) {
	many := func(n int) []byte {
		var b strings.Builder
		b.WriteString("strategy:\n  params:\n")
		for i := range n {
			fmt.Fprintf(&b, "    k%d: 1\n", i)
		}
		return []byte(b.String())
	}
	start := time.Now()
	var c Config
	err := DecodeYAML("run.yaml", many(64000), &c, nil)
	if err == nil || err.Error() != "run.yaml: the file has more than 10000 keys; a config file may have at most 10000" {
		t.Errorf("64000 keys: %v", err)
	}
	// The file's own two keys, strategy and params, count too.
	if err := DecodeYAML("run.yaml", many(MaxConfigKeys-2), &c, nil); err != nil || len(c.Strategy.Params) != MaxConfigKeys-2 {
		t.Errorf("%d params: %v, %d read", MaxConfigKeys-2, err, len(c.Strategy.Params))
	}
	if err := DecodeYAML("run.yaml", many(MaxConfigKeys-1), &c, nil); err == nil {
		t.Errorf("%d params: no error", MaxConfigKeys-1)
	}
	// Decoding is linear: three files take well under a second on a
	// quiet machine (a generous bound, for -race and busy machines).
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %v", d)
	}
}

// DecodeYAML merges over what the Config holds, and hands the caller's
// own keys back.
func TestDecodeYAMLMergesAndExtra(t *testing.T) {
	c := DefaultConfig()
	c.Strategy.Params = map[string]string{"fast": "5", "slow": "50"}
	out := ""
	err := DecodeYAML("run.yaml", []byte("# a comment\nstrategy:\n  params: {fast: 7}\nout: results\n"), &c, map[string]*string{"out": &out})
	if err != nil {
		t.Fatal(err)
	}
	if c.Strategy.Params["fast"] != "7" || c.Strategy.Params["slow"] != "50" || c.Strategy.Name != DefaultStrategy || out != "results" {
		t.Errorf("params %v, name %q, out %q", c.Strategy.Params, c.Strategy.Name, out)
	}
	for _, empty := range []string{"", "# only a comment\n", "---\n"} {
		if err := DecodeYAML("run.yaml", []byte(empty), &c, nil); err != nil {
			t.Errorf("%q: %v", empty, err)
		}
	}
}

// FuzzConfig decodes arbitrary config files of up to 64 KiB: no panic,
// and a file that decodes to a valid Config round-trips through its
// canonical form.
func FuzzConfig(f *testing.F) {
	for _, s := range []string{
		"data: {files: [a.csv, b.csv], header: skip, delimiter: ';'}\nstrategy: {name: smacross, params: {fast: 10}}\n",
		"account: {cash: 1e5, type: cash}\nsizing: {pct: 40}\ncosts: {commission: {pct: 0.05, tiers: '0:0.005'}}\n",
		"kill_switch: {action: halt, drawdown_pct: 10}\nbreaker: {cooldown: 90m, on_error: stop}\nanalysis: {benchmark: none}\n",
		"data: [a.csv]\ncommission_pct: 1\n",
		"a: &a [1]\nb: *a\n",
		"seed: 99999999999999999999\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 64<<10 {
			t.Skip()
		}
		var c Config
		if DecodeYAML("f.yaml", b, &c, nil) != nil || c.Validate() != nil {
			return
		}
		canon, err := c.CanonicalYAML()
		if err != nil {
			t.Fatal(err)
		}
		var back Config
		if err := DecodeYAML("config.yaml", canon, &back, nil); err != nil {
			t.Fatalf("canonical form does not read back: %v\n%s", err, canon)
		}
		if again, _ := back.CanonicalYAML(); string(again) != string(canon) {
			t.Fatalf("canonical form changed:\n%s\n%s", canon, again)
		}
	})
}

func ExampleConfig_Set() {
	var cfg Config // zero values are the defaults
	for _, s := range []string{"data.files=AAA.csv,BBB.csv", "costs.commission.pct=0.05", "strategy.params.fast=20"} {
		path, value, _ := strings.Cut(s, "=")
		if err := cfg.Set(path, value); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println(cfg.Data.Files, cfg.Costs.Commission.Pct, cfg.Strategy.Params["fast"])
	fmt.Println(cfg.Set("costs.commission.min", "-1"), "/", cfg.Validate() == nil)
	fmt.Println(cfg.Set("costs.commission.mni", "1"))
	// Output:
	// [AAA.csv BBB.csv] 0.05 20
	// <nil> / false
	// costs.commission.mni: unknown setting (want pct, per_share, min, max, fixed, tiers)
}

func ExampleDecodeYAML() {
	file := []byte(`
data:
  files: [AAA.csv]
costs:
  commission: {pct: 0.05}
strategy:
  params: {fast: 20}
`)
	var cfg Config
	if err := DecodeYAML("run.yaml", file, &cfg, nil); err != nil {
		fmt.Println(err)
	}
	fmt.Println(cfg.Data.Files, cfg.Costs.Commission.Pct, cfg.Strategy.Params)

	// A file in the flat layout names every key that moved.
	fmt.Println(DecodeYAML("old.yaml", []byte("data: [AAA.csv]\ncommission_pct: 0.05\n"), &cfg, nil))
	// Output:
	// [AAA.csv] 0.05 map[fast:20]
	// old.yaml: the file uses the flat layout of earlier versions; each setting moved into a group:
	//   old.yaml:1: data: moved to data.files
	//   old.yaml:2: commission_pct: moved to costs.commission.pct
}
