package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/report"
)

func readResults(t *testing.T, dir string) report.Results {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, report.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	var r report.Results
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSafetyFlags runs buyhold with 500 units on testdata/daily/AAA.csv
// (first close 98.85, last bar 2021-11-30) with the safety flags.
func TestSafetyFlags(t *testing.T) {
	aaa := "../testdata/daily/AAA.csv"
	t.Run("kill switch", func(t *testing.T) {
		// Worked out in backtest.TestKillSwitchTripsOnGeneratedData.
		out := t.TempDir()
		code, stdout, stderr := quantloop(t, "run", "--data", aaa, "--strategy", "buyhold", "--size", "500",
			"--kill-drawdown", "5", "--out", out)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		const reason = "drawdown 5.38 % from peak 106295.00 to 100575.00 > max 5 %"
		if !strings.Contains(stdout, "kill switch        trip at 2020-02-10T00:00:00Z: "+reason) {
			t.Errorf("summary:\n%s", stdout)
		}
		r := readResults(t, out)
		ks := r.KillSwitch
		if ks.Action != "flatten" || ks.AutoReset || len(ks.Events) != 1 {
			t.Fatalf("kill_switch = %+v", ks)
		}
		if ev := ks.Events[0]; ev.Time != "2020-02-10T00:00:00Z" || ev.Action != "trip" || ev.Reason != reason || ev.Equity.String() != "100575" {
			t.Fatalf("trip = %+v", ev)
		}
		if r.FinalCash.String() != "100980" || r.LastTime != "2021-11-30T00:00:00Z" || r.Partial {
			t.Fatalf("final cash %s, last time %s, partial %v", r.FinalCash, r.LastTime, r.Partial)
		}
	})
	t.Run("risk refusal", func(t *testing.T) {
		// 500 × 98.85 = 49425 > 40000.
		out := t.TempDir()
		code, stdout, stderr := quantloop(t, "run", "--data", aaa, "--strategy", "buyhold", "--size", "500",
			"--max-order-value", "40000", "--out", out)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stdout, "risk refusals      max-order-value=1") {
			t.Errorf("summary:\n%s", stdout)
		}
		r := readResults(t, out)
		if len(r.RiskRefusals) != 1 || r.RiskRefusals["max-order-value"] != 1 || r.RejectedOrders != 1 || r.Fills != 0 {
			t.Fatalf("refusals %v, rejected %d, fills %d", r.RiskRefusals, r.RejectedOrders, r.Fills)
		}
		orders, _ := os.ReadFile(filepath.Join(out, report.OrdersFile))
		if !strings.Contains(string(orders), ",rejected,max-order-value: order value 49425 > max 40000,") {
			t.Fatalf("orders.csv:\n%s", orders)
		}
	})
	t.Run("skip bad rows", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "X.csv")
		csv := "date,open,high,low,close\n2020-01-01,10,11,9,10\n2020-01-02,10,11,9,NaN\n2020-01-03,10,11,9,10\n"
		if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		code, stdout, stderr := quantloop(t, "run", "--data", path, "--strategy", "buyhold", "--on-bad-row", "skip", "--out", out)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stdout, "skipped rows       1 bad data rows") {
			t.Errorf("summary:\n%s", stdout)
		}
		r := readResults(t, out)
		if r.Bars != 2 || r.SkippedRows != 1 || len(r.SkippedRowErrors) != 1 ||
			r.SkippedRowErrors[0] != path+`:3: field "close": invalid price "NaN": not a number; expected a decimal number such as 12.34` {
			t.Fatalf("bars %d, skipped %d %q", r.Bars, r.SkippedRows, r.SkippedRowErrors)
		}
		if r.Config.Data.OnBadRow != data.SkipBadRow || r.Config.Breaker.OnError != backtest.StopOnStrategyError || r.Config.Breaker.Failures != 5 || r.Config.Breaker.Cooldown != backtest.Duration(24*time.Hour) {
			t.Fatalf("config %+v", r.Config)
		}
	})
	t.Run("defaults", func(t *testing.T) {
		out := t.TempDir()
		if code, _, stderr := quantloop(t, "run", "--data", aaa, "--out", out); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		b, _ := os.ReadFile(filepath.Join(out, report.ResultsFile))
		for _, want := range []string{`"risk_refusals": {}`, `"events": []`, `"breakers": []`, `"breaker_events": []`,
			`"skipped_rows": 0`, `"last_time": "2021-11-30T00:00:00Z"`, `"action": "flatten"`} {
			if !strings.Contains(string(b), want) {
				t.Errorf("results.json lacks %s", want)
			}
		}
		if strings.Contains(string(b), "authorization") {
			t.Error("results.json must not hold the kill-switch authorization")
		}
	})
}

// TestKillSwitchCancelsAndFlattens replays an orders file on
// testdata/daily/AAA.csv with a 5 % drawdown kill switch and checks
// orders.csv and fills.csv byte for byte. The entry of 500 fills at
// 2020-01-02's open, 98.17, as in
// backtest.TestKillSwitchTripsOnGeneratedData; the other orders of
// 2020-01-01 never trade before the trip (the lows up to 2020-02-11 are
// at least 97.34 and the highs at most 112.34), so the switch trips on
// 2020-02-10 at the same equity, 100575. The trip cancels the three
// working orders, oldest first (the bracket's two exits among them), and
// sells the 500 units (engine order 5, made before the strategy acts at
// that bar) at 2020-02-11's open, 100.13. The orders file's order of the
// trip bar (engine order 6) and the later ones are refused: the buys add
// to the position, and the sell of 2020-02-13 would open a short once the
// 500 are sold.
func TestKillSwitchCancelsAndFlattens(t *testing.T) {
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.csv")
	const file = "time,symbol,side,type,quantity,limit,stop,id,parent,oco\n" +
		"2020-01-01,AAA,buy,market,500,,,entry,,\n" +
		"2020-01-01,AAA,buy,limit,10,50,,bid,,\n" +
		"2020-01-01,AAA,sell,limit,500,200,,tp,entry,exit\n" +
		"2020-01-01,AAA,sell,stop,500,,60,sl,entry,exit\n" +
		"2020-02-10,AAA,buy,market,5,,,same-bar,,\n" +
		"2020-02-12,AAA,buy,market,1,,,later,,\n" +
		"2020-02-13,AAA,sell,market,1,,,short,,\n"
	if err := os.WriteFile(orders, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	code, _, stderr := quantloop(t, "run", "--data", "../testdata/daily/AAA.csv", "--orders", orders,
		"--kill-drawdown", "5", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	const why = "kill switch tripped: drawdown 5.38 % from peak 106295.00 to 100575.00 > max 5 %"
	wantOrders := "id,engine_id,time,symbol,side,type,quantity,filled_quantity,limit,stop,trail,tif,expire,parent,oco,reduce_only,source,status,reason,trigger_time,fill_time,fill_price\n" +
		"entry,1,2020-01-01T00:00:00Z,AAA,buy,market,500,500,,,,gtc,,,,,orders,filled,,,2020-01-02T00:00:00Z,98.17\n" +
		"bid,2,2020-01-01T00:00:00Z,AAA,buy,limit,10,0,50,,,gtc,,,,,orders,canceled," + why + ",,,\n" +
		"tp,3,2020-01-01T00:00:00Z,AAA,sell,limit,500,0,200,,,gtc,,entry,exit,,orders,canceled," + why + ",,,\n" +
		"sl,4,2020-01-01T00:00:00Z,AAA,sell,stop,500,0,,60,,gtc,,entry,exit,,orders,canceled," + why + ",,,\n" +
		"same-bar,6,2020-02-10T00:00:00Z,AAA,buy,market,5,0,,,,gtc,,,,,orders,rejected," + why + ",,,\n" +
		"5,5,2020-02-10T00:00:00Z,AAA,sell,market,500,500,,,,gtc,,,,,kill-switch,filled,,,2020-02-11T00:00:00Z,100.13\n" +
		"later,7,2020-02-12T00:00:00Z,AAA,buy,market,1,0,,,,gtc,,,,,orders,rejected," + why + ",,,\n" +
		"short,8,2020-02-13T00:00:00Z,AAA,sell,market,1,0,,,,gtc,,,,,orders,rejected," + why + ",,,\n"
	wantFills := "order_id,time,symbol,side,quantity,price,commission,slippage,remaining\n" +
		"entry,2020-01-02T00:00:00Z,AAA,buy,500,98.17,0,0,0\n" +
		"5,2020-02-11T00:00:00Z,AAA,sell,500,100.13,0,0,0\n"
	for _, f := range []struct{ name, want string }{{report.OrdersFile, wantOrders}, {report.FillsFile, wantFills}} {
		got, err := os.ReadFile(filepath.Join(out, f.name))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != f.want {
			t.Errorf("%s:\n%s\nwant:\n%s", f.name, got, f.want)
		}
	}
}
