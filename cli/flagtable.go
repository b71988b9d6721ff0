package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/strategy"
)

// flagRow maps one of run's flags to the config path it sets. A path
// ending in ".KEY" is a map: the flag takes key=value and sets path's key.
// A list path (data.files) collects the flag's comma-separated values
// over every time it is given.
type flagRow struct {
	name, path, arg, usage string
}

// runFlagTable is every flag of run that sets a config path: the one
// place a setting gets its flag and its help. A new setting is a field of
// backtest.Config and a row here.
var runFlagTable = []flagRow{
	{"data", "data.files", "FILES", "CSV files, comma-separated or repeated; one symbol per file: NAME=PATH names it, else the file name without extension"},
	{"symbol", "data.symbol", "NAME", "symbol of a single data file (default: the file name)"},
	{"catalog", "data.catalog", "DIR", "read the Parquet files of this catalog (made by 'quantloop ingest') in place of --data: every symbol, or those of --symbols"},
	{"symbols", "data.symbols", "SYMBOLS", "the run's symbols, in order, comma-separated: with --catalog, the symbols to read; otherwise the data's symbols must be these"},
	{"time-layout", "data.time_layout", "LAYOUT", "Go time layout of the time column (default: detected)"},
	{"timezone", "data.timezone", "ZONE", "IANA zone of times written without one (default UTC)"},
	{"header", "data.header", "MODE", "does the first line name the columns: auto (the default), present, absent, or skip (a wrong header: map by position)"},
	{"columns", "data.columns.KEY", "field=Name", "header name of a field the usual spellings miss (time, date, clock, open, high, low, close, volume, adj_close); comma-separated or repeated"},
	{"order", "data.order", "FIELDS", "fields of the columns by position for files without a usable header, e.g. date,clock,open,high,low,close,volume"},
	{"delimiter", "data.delimiter", "C", "field separator (default ,)"},
	{"on-bad-row", "data.on_bad_row", "POLICY", "a bad data row: fail (the default: stop the run), or skip it and count it in results.json"},
	{"from", "data.from", "DATE", "first date of the run, YYYY-MM-DD, inclusive; earlier bars only warm up the strategy (its history, and a Warmer's own state)"},
	{"to", "data.to", "DATE", "last date of the run, YYYY-MM-DD, inclusive"},
	{"adjust", "data.adjust", "MODE", "prices: raw (the default: as written) or adjusted (open, high, low and close scaled by Adj Close / Close)"},
	{"actions", "data.actions", "FILE", "corporate actions CSV (date,symbol,split,dividend): splits and cash dividends applied on their ex-dates"},
	{"strategy", "strategy.name", "NAME", "built-in strategy: " + strings.Join(strategy.Names(), ", ") + " (default " + backtest.DefaultStrategy + ")"},
	{"param", "strategy.params.KEY", "key=value", "strategy parameter (repeatable), e.g. fast=10, slow=30, mode=longshort"},
	{"orders", "strategy.orders", "FILE", "replay the orders of this CSV file instead of a strategy"},
	{"cash", "account.cash", "N", fmt.Sprintf("starting cash (default %d)", backtest.DefaultCash)},
	{"account", "account.type", "TYPE", "account type: margin (the default) or cash"},
	{"margin-leverage", "account.margin_leverage", "X", "margin account: maximum gross exposure as a multiple of equity (default --max-leverage, else unlimited)"},
	{"maintenance-margin", "account.maintenance_margin", "F", "margin account: margin call when equity is below this fraction of gross exposure"},
	{"borrow-rate", "account.borrow_rate", "PCT", "annual borrow fee on short market value, in percent"},
	{"no-short", "account.no_short", "SYMBOLS", "symbols that cannot be sold short, comma-separated"},
	{"size", "sizing.size", "N", "fixed order quantity for long and short signals (default: the equity split equally among the symbols, as --size-pct 100/symbols)"},
	{"size-pct", "sizing.pct", "PCT", "size positions at this percent of equity (default 100 divided by the number of symbols)"},
	{"size-places", "sizing.places", "N", "decimal places of the quantities sized from equity (--size-pct, weight signals, Rebalance), rounded toward zero (default 0: whole units)"},
	{"commission-pct", "costs.commission.pct", "PCT", "commission in percent of traded value (0.1 = 0.1 %)"},
	{"commission-per-share", "costs.commission.per_share", "N", "commission per unit traded"},
	{"commission-min", "costs.commission.min", "N", "minimum commission per order"},
	{"commission-max", "costs.commission.max", "N", "maximum commission per order (default none)"},
	{"commission-fixed", "costs.commission.fixed", "N", "fixed commission per order, charged on its first fill"},
	{"commission-tiers", "costs.commission.tiers", "from:rate,...", "per-unit commission tiered by units traded in the calendar month, e.g. 0:0.005,300000:0.003"},
	{"slippage-model", "costs.slippage.model", "MODEL", "slippage model: fixed (the default: --slippage-bps) or volume (impact × share of bar volume squared)"},
	{"slippage-bps", "costs.slippage.bps", "N", "slippage in basis points against the trader"},
	{"volume-impact", "costs.slippage.volume_impact", "F", "impact factor of the volume slippage model (default " + backtest.DefaultVolumeImpact + ")"},
	{"intrabar-path", "execution.intrabar_path", "PATH", "order of each bar's high and low: nearest (the default) or pessimistic"},
	{"max-volume-share", "execution.max_volume_share", "F", "largest fraction of a bar's volume that fills (0.025 = 2.5 %; default no limit)"},
	{"close-at-end", "execution.close_at_end", "", "close open positions at the last bar's close (same-bar execution)"},
	{"max-position", "risk.max_position", "N", "risk: refuse an order that would leave a position above this many units"},
	{"max-position-value", "risk.max_position_value", "N", "risk: refuse an order that would leave a position worth more than this (at the last close)"},
	{"max-order-value", "risk.max_order_value", "N", "risk: refuse an order worth more than this (quantity × last close)"},
	{"max-leverage", "risk.max_leverage", "X", "risk: refuse an order that would take gross exposure above this multiple of equity"},
	{"max-orders-per-bar", "risk.max_orders_per_bar", "N", "risk: accept at most this many orders per bar time"},
	{"max-orders-per-day", "risk.max_orders_per_day", "N", "risk: accept at most this many orders per calendar day"},
	{"long-only", "risk.long_only", "", "risk: refuse orders that would leave a short position"},
	{"restricted", "risk.restricted", "SYMBOLS", "risk: symbols that may not be traded, comma-separated"},
	{"kill-drawdown", "kill_switch.drawdown_pct", "PCT", "kill switch: trip when equity falls more than PCT % below its peak"},
	{"kill-daily-loss", "kill_switch.daily_loss_pct", "PCT", "kill switch: trip when equity falls more than PCT % in one calendar day"},
	{"kill-action", "kill_switch.action", "ACTION", "kill switch: on a trip, cancel orders and then flatten (the default: close positions at the next open), halt (refuse all orders) or reduce (refuse orders that do not reduce a position)"},
	{"kill-auto-reset", "kill_switch.auto_reset", "", "kill switch: reset automatically at the first bar of the next calendar day"},
	{"breaker-failures", "breaker.failures", "N", "circuit breaker: consecutive failures that open a component's breaker (default 5; negative: never)"},
	{"breaker-cooldown", "breaker.cooldown", "DURATION", "circuit breaker: simulated time an open breaker skips its component (default 24h)"},
	{"on-error", "breaker.on_error", "POLICY", "a failing handler: stop-strategy (the default: a strategy's failure stops the run, partial results, exit 1; other components' are isolated), continue (isolate every failure and warn), or stop (any failure stops the run)"},
	{"periods-per-year", "analysis.periods_per_year", "N", "periods per year for annualized metrics (default: from the bar spacing, 252 for daily)"},
	{"risk-free", "analysis.risk_free", "RATE", "annual risk-free rate (0.02 = 2 %) for Sharpe, Sortino, PSR and alpha"},
	{"benchmark", "analysis.benchmark", "FILE", "data file whose buy-and-hold is the benchmark (default: the first data file; none: no benchmark)"},
	{"trials", "analysis.trials", "N", "number of configurations tried, for the deflated Sharpe ratio (default 1)"},
	{"outputs", "analysis.outputs", "LEVEL", "output files: full (the default), lean (equity.csv thinned to the last bar of each day) or metrics (results.json, config.yaml and manifest.json only)"},
	{"seed", "seed", "N", "seed of the run's randomness, recorded in the manifest"},
}

// setting is one path=value a flag (or --set) gave, in command-line
// order, with the flag that gave it for messages.
type setting struct {
	flag, path, value string
}

// settings gathers run's flags as they are parsed.
type settings struct {
	list []setting
	// lists holds the index in list of each list flag's setting, so that
	// a repeated list flag adds to its items.
	lists map[string]int
}

// pathValue is the pflag.Value of a row: it checks each value on a
// scratch Config (so that pflag names the flag in its error) and records
// it.
type pathValue struct {
	row  flagRow
	kind string
	s    *settings
}

func (v *pathValue) String() string { return "" }

func (v *pathValue) Type() string {
	if v.kind == "bool" {
		return "bool"
	}
	return v.row.arg
}

func (v *pathValue) Set(s string) error {
	path, value := v.row.path, s
	if key, ok := strings.CutSuffix(path, ".KEY"); ok {
		pairs := strings.Split(s, ",")
		if key == "strategy.params" {
			pairs = []string{s} // a parameter's value may hold commas
		}
		var set []setting
		for _, kv := range pairs {
			k, val, ok := strings.Cut(kv, "=")
			k = strings.TrimSpace(k)
			if !ok || k == "" {
				return fmt.Errorf("%q: want %s", kv, v.row.arg)
			}
			set = append(set, setting{v.row.name, key + "." + k, strings.TrimSpace(val)})
		}
		v.s.list = append(v.s.list, set...)
		return nil
	}
	var scratch backtest.Config
	if err := scratch.Set(path, value); err != nil {
		_, msg, _ := strings.Cut(err.Error(), ": ")
		return fmt.Errorf("%s", msg)
	}
	if v.kind == "list" {
		if i, ok := v.s.lists[path]; ok {
			v.s.list[i].value += "," + s
			return nil
		}
		v.s.lists[path] = len(v.s.list)
	}
	v.s.list = append(v.s.list, setting{v.row.name, path, value})
	return nil
}

// setValue is the pflag.Value of --set path=value.
type setValue struct{ s *settings }

func (v setValue) String() string { return "" }
func (v setValue) Type() string   { return "path=value" }
func (v setValue) Set(s string) error {
	path, value, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("%q: want path=value, e.g. costs.commission.pct=0.05", s)
	}
	var scratch backtest.Config
	if err := scratch.Set(path, value); err != nil {
		return err
	}
	v.s.list = append(v.s.list, setting{"set", path, value})
	return nil
}

// addRunFlags defines the table's flags and --set on fs, recording into s.
func addRunFlags(fs *pflag.FlagSet, s *settings) {
	addFlagRows(fs, s, runFlagTable)
	fs.Var(setValue{s}, "set", "set any setting by its config path, e.g. costs.commission.pct=0.05 or strategy.params.fast=20 (repeatable; see docs/config.md)")
}

// addFlagRows defines the flags of rows on fs, recording into s.
func addFlagRows(fs *pflag.FlagSet, s *settings, rows []flagRow) {
	kinds := map[string]string{}
	for _, f := range backtest.Fields() {
		kinds[f.Path] = f.Kind
	}
	s.lists = map[string]int{}
	for _, r := range rows {
		v := &pathValue{row: r, kind: kinds[r.path], s: s}
		f := fs.VarPF(v, r.name, "", r.usage+" ["+r.path+"]")
		if v.kind == "bool" {
			f.NoOptDefVal = "true"
		}
	}
}

// apply sets s's settings on cfg, in order.
func (s *settings) apply(cfg *backtest.Config) error {
	for _, st := range s.list {
		if err := cfg.Set(st.path, st.value); err != nil {
			return fmt.Errorf("--%s: %w", st.flag, err)
		}
	}
	return nil
}

// gives says whether a setting under path (a path or a group) was given.
func (s *settings) gives(paths ...string) bool {
	for _, st := range s.list {
		for _, p := range paths {
			if st.path == p || strings.HasPrefix(st.path, p+".") {
				return true
			}
		}
	}
	return false
}
