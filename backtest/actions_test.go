package backtest

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/data"
)

// actionsConfig is the run of testdata/actions: XYZ and ABC traded from
// orders.csv, with the corporate actions of actions (a path).
func actionsConfig(actions string) Config {
	var c Config
	c.Data.Files = []string{"XYZ=../testdata/actions/XYZ.csv", "ABC=../testdata/actions/ABC.csv"}
	c.Strategy.Orders = "../testdata/actions/orders.csv"
	c.Data.Actions = actions
	return c
}

// TestCorporateActions runs testdata/actions by hand. The orders: buy 10
// XYZ (fills 01-03 at the open, 101: cash 100000 - 1010), sell 4 ABC short
// (fills 01-03 at 20: cash + 80 = 99070), a limit sell of 3 XYZ at 120 and
// a stop sell of 3 XYZ at 45.00000001 that never fill, and a sell of 5
// XYZ made on 01-08 that fills on 01-09 at the open, 54.
func TestCorporateActions(t *testing.T) {
	type order struct{ label, qty, limit, stop string }
	tests := []struct {
		name, actions string
		cash, equity  string
		entries       []string             // what each action did to a position
		orders        []order              // the working orders after the splits
		adjusted      []string             // what the splits did to them
		trades        map[string][3]string // by symbol: quantity, entry price, gross P&L
	}{{
		// 01-04: XYZ splits 2-for-1: 10 @ 101 become 20 @ 50.5; the limit
		// becomes 6 @ 60, the stop 6 @ 22.500000005, half to even 22.5.
		// 01-05: ABC pays 0.5 a share: the short of 4 pays 2 (99068).
		// 01-08: XYZ pays 0.25 a share on 20: 5 (99073); NOPE has no data.
		// 01-09: 5 XYZ sold at 54: cash 99343, gross 5 × (54 - 50.5) = 17.5.
		// Equity: 99343 + 15 × 55 - 4 × 20 = 100088.
		name: "testdata", actions: "../testdata/actions/actions.csv",
		cash: "99343", equity: "100088",
		entries:  []string{"0 split XYZ 2: 10 -> 20, cash 0", "1 dividend ABC 0.5: -4 -> -4, cash -2", "2 dividend XYZ 0.25: 20 -> 20, cash 5"},
		orders:   []order{{"tp", "6", "60", "0"}, {"sl", "6", "0", "22.5"}},
		adjusted: []string{"0 tp: 3 -> 6", "0 sl: 3 -> 6"},
		trades:   map[string][3]string{"XYZ": {"20", "50.5", "17.5"}, "ABC": {"4", "20", "0"}},
	}, {
		// A 3-for-2 split keeps fractional shares: 10 -> 15, 3 -> 4.5; the
		// limit 120 / 1.5 = 80, the stop 45.00000001 / 1.5 = 30.0000000066...
		// -> 30.00000001. The lot's price 101 / 1.5 is 67.3333333333333333
		// at 16 places, so selling 5 at 54 books 270 - 336.6666666666666665.
		// Cash 99070 + 270 = 99340; equity 99340 + 10 × 55 - 80 = 99810.
		name: "3-for-2", actions: "date,symbol,split,dividend\n2024-01-04,XYZ,1.5,\n",
		cash: "99340", equity: "99810",
		entries:  []string{"0 split XYZ 1.5: 10 -> 15, cash 0"},
		orders:   []order{{"tp", "4.5", "80", "0"}, {"sl", "4.5", "0", "30.00000001"}},
		adjusted: []string{"0 tp: 3 -> 4.5", "0 sl: 3 -> 4.5"},
		trades:   map[string][3]string{"XYZ": {"15", "67.3333333333333333", "-66.6666666666666665"}, "ABC": {"4", "20", "0"}},
	}, {
		// A 1-for-2 reverse split of the short: -4 @ 20 become -2 @ 40;
		// the mark 20 / 0.5 = 40 until ABC's next bar, at 20 again. XYZ
		// does not split: 5 sold at 54 book 5 × (54 - 101) = -235.
		// Cash 100000 - 1010 + 80 + 270 = 99340; equity + 5 × 55 - 2 × 20.
		name: "reverse split of a short", actions: "date,symbol,split,dividend\n2024-01-05,ABC,0.5,\n",
		cash: "99340", equity: "99575",
		entries: []string{"0 split ABC 0.5: -4 -> -2, cash 0"},
		orders:  []order{{"tp", "3", "120", "0"}, {"sl", "3", "0", "45.00000001"}},
		trades:  map[string][3]string{"XYZ": {"10", "101", "-235"}, "ABC": {"2", "40", "0"}},
	}}
	for _, tc := range tests {
		path := tc.actions
		if strings.Contains(path, "\n") {
			path = filepath.Join(t.TempDir(), "actions.csv")
			if err := os.WriteFile(path, []byte(tc.actions), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		res, err := Run(context.Background(), actionsConfig(path))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if res.FinalCash.String() != tc.cash || res.FinalEquity.String() != tc.equity {
			t.Errorf("%s: cash %s, equity %s; want %s, %s", tc.name, res.FinalCash, res.FinalEquity, tc.cash, tc.equity)
		}
		var entries []string
		for _, a := range res.Actions {
			entries = append(entries, strings.Join([]string{strconv.Itoa(a.Seq), a.Kind, a.Symbol, a.Value.String() + ":", a.Before.String(), "->", a.After.String() + ", cash", a.Cash.String()}, " "))
		}
		if strings.Join(entries, "\n") != strings.Join(tc.entries, "\n") {
			t.Errorf("%s: entries\n%s\nwant\n%s", tc.name, strings.Join(entries, "\n"), strings.Join(tc.entries, "\n"))
		}
		var adjusted []string
		for _, a := range res.OrderAdjustments {
			adjusted = append(adjusted, strconv.Itoa(a.Seq)+" "+a.Order.Label+": "+a.Before.String()+" -> "+a.After.String())
		}
		if strings.Join(adjusted, "\n") != strings.Join(tc.adjusted, "\n") {
			t.Errorf("%s: adjusted\n%s\nwant\n%s", tc.name, strings.Join(adjusted, "\n"), strings.Join(tc.adjusted, "\n"))
		}
		var working []order
		for _, o := range res.Orders {
			if o.Status == StatusWorking {
				working = append(working, order{o.Label, o.Quantity.String(), o.Limit.String(), o.Stop.String()})
			}
		}
		if len(working) != len(tc.orders) {
			t.Fatalf("%s: working orders %v, want %v", tc.name, working, tc.orders)
		}
		for i := range working {
			if working[i] != tc.orders[i] {
				t.Errorf("%s: working order %v, want %v", tc.name, working[i], tc.orders[i])
			}
		}
		got := map[string][3]string{}
		for _, tr := range res.Trades {
			got[tr.Symbol] = [3]string{tr.Quantity.String(), tr.EntryPrice.String(), tr.PnLGross.String()}
		}
		for sym, want := range tc.trades {
			if got[sym] != want {
				t.Errorf("%s: %s trade (quantity, entry, gross) %v, want %v", tc.name, sym, got[sym], want)
			}
		}
		if res.ActionsInput == nil || res.ActionsInput.Path != path {
			t.Errorf("%s: actions input %+v", tc.name, res.ActionsInput)
		}
	}
}

// A run without actions is the run it was: the same cash and orders.
func TestNoActionsUnchanged(t *testing.T) {
	res, err := Run(context.Background(), actionsConfig(""))
	if err != nil {
		t.Fatal(err)
	}
	// 100000 - 1010 + 80 + 5 × 54 = 99340; equity + 5 × 55 - 80 = 99535.
	if res.FinalCash.String() != "99340" || res.FinalEquity.String() != "99535" || len(res.Actions) != 0 || res.ActionsInput != nil {
		t.Errorf("cash %s, equity %s, actions %v", res.FinalCash, res.FinalEquity, res.Actions)
	}
}

// A bad actions file ends the run before it starts, with the file's
// error.
func TestActionsFileError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.csv")
	if err := os.WriteFile(path, []byte("date,symbol,split,dividend\n2024-01-04,XYZ,two,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), actionsConfig(path))
	want := path + `:2: field "split": split "two" is not a decimal number; expected a ratio of shares after to shares before, such as 2 for a 2-for-1 split or 1.5 for 3-for-2`
	if err == nil || err.Error() != want {
		t.Errorf("%v\nwant %s", err, want)
	}
}

// The warning adjusted_prices comes with adjusted prices and a setting in
// raw prices or shares, and not otherwise.
func TestAdjustedPricesWarning(t *testing.T) {
	tests := []struct {
		name  string
		set   map[string]string
		count int
	}{
		{"raw with per-share commission", map[string]string{"costs.commission.per_share": "0.01"}, 0},
		{"adjusted alone", map[string]string{"data.adjust": "adjusted"}, 0},
		{"adjusted with per-share commission", map[string]string{"data.adjust": "adjusted", "costs.commission.per_share": "0.01"}, 1},
		{"adjusted with tiers and a unit limit", map[string]string{"data.adjust": "adjusted", "costs.commission.tiers": "0:0.005", "risk.max_position": "100"}, 2},
	}
	for _, tc := range tests {
		c := Config{}
		c.Data.Files = []string{"../testdata/actions/YHO.csv"}
		for k, v := range tc.set {
			if err := c.Set(k, v); err != nil {
				t.Fatal(err)
			}
		}
		res, err := Run(context.Background(), c)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		n := 0
		for _, w := range res.Warnings() {
			if w.Code == WarnAdjustedPrices {
				n = w.Count
				if !strings.Contains(w.Message, "a look-ahead of the method") || !strings.Contains(w.Message, "data.adjust raw with corporate-action events (data.actions) is the realistic mode") {
					t.Errorf("%s: message %q", tc.name, w.Message)
				}
			}
		}
		if n != tc.count {
			t.Errorf("%s: %d settings warned of, want %d", tc.name, n, tc.count)
		}
	}
}

// A Yahoo-style file whose Adj Close is below the raw low runs under raw
// and adjusted prices; adjusted, its first close is the Adj Close.
func TestYahooFileRunsBothWays(t *testing.T) {
	for _, adj := range []data.Adjust{data.RawPrices, data.AdjustPrices} {
		c := Config{}
		c.Data.Files = []string{"../testdata/actions/YHO.csv"}
		c.Data.Adjust = adj
		c.Strategy.Name = "buyhold"
		res, err := Run(context.Background(), c)
		if err != nil {
			t.Fatalf("%v: %v", adj, err)
		}
		// buyhold buys at the first bar and fills at the second's open:
		// raw 10.20, adjusted 10.20 × 3.50 / 10.50 = 3.4.
		want := map[data.Adjust]string{data.RawPrices: "10.2", data.AdjustPrices: "3.4"}[adj]
		if len(res.Fills) == 0 || res.Fills[0].Price.String() != want {
			t.Errorf("%v: fills %v, want the first at %s", adj, res.Fills, want)
		}
	}
}

// An action whose symbol had no bar in the run changed nothing, and the
// run says so: testdata/actions/actions.csv has one dividend of NOPE.
func TestActionsWithoutDataWarning(t *testing.T) {
	tests := []struct{ name, actions, want string }{
		{"testdata", "../testdata/actions/actions.csv",
			"actions_without_data: 1 corporate action(s) of ../testdata/actions/actions.csv name symbols with no data in the run, and changed nothing: NOPE"},
		{"all matched", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			actions := tc.actions
			if actions == "" {
				actions = filepath.Join(t.TempDir(), "a.csv")
				if err := os.WriteFile(actions, []byte("date,symbol,split,dividend\n2024-01-04,XYZ,2,\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := Run(context.Background(), actionsConfig(actions))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range res.Warnings() {
				if w.Code == WarnActionsWithoutData {
					got = append(got, w.Code+": "+w.Message)
				}
			}
			if strings.Join(got, "\n") != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}
