package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/report"
)

// TestOrdersForSymbolWithoutData: an orders file with orders for a symbol
// that has no data file is bad input naming the file, line and column of
// the symbol's first row, and nothing is written.
func TestOrdersForSymbolWithoutData(t *testing.T) {
	dir := t.TempDir()
	orders := writeFile(t, dir, "orders.csv", "time,symbol,side,type,quantity\n"+
		"2020-01-02,AAA,buy,market,1\n2020-01-03,ZZZ,buy,market,1\n2020-01-04,QQQ,buy,market,1\n2020-01-05,ZZZ,sell,market,1\n")
	out := filepath.Join(dir, "out")
	code, stdout, stderr := quantloop(t, "run", "--data", dailyData, "--orders", orders, "--out", out)
	want := orders + `:3:12: field "symbol": no data for symbol "ZZZ": its orders could never be submitted (the data's symbols: AAA, BBB); 1 other symbols of the file have no data either`
	if code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d\nstderr %q\nwant 2 and %q\nstdout %s", code, stderr, want, stdout)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the output folder was made: %v", err)
	}
}

// TestOrderIDsInOutputs: ids that a spreadsheet would run as formulas are
// written with a quote in front, in orders.csv and fills.csv; numbers,
// negative ones included, are written as they are; an id that is not
// UTF-8 is bad input naming its line.
func TestOrderIDsInOutputs(t *testing.T) {
	dir := t.TempDir()
	orders := writeFile(t, dir, "orders.csv", "time,symbol,side,type,quantity,id,oco\n"+
		"2020-01-02,AAA,buy,market,10,=cmd|' /C calc'!A0,\n"+
		"2020-01-06,AAA,sell,market,10,-exit,@group\n"+
		"2020-02-03,AAA,sell,market,10,plain,+sum\n")
	out := filepath.Join(dir, "out")
	if code, _, stderr := quantloop(t, "run", "--data", "../testdata/daily/AAA.csv", "--orders", orders, "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	read := func(name string) [][]string {
		t.Helper()
		f, err := os.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	var ids, ocos []string
	for _, r := range read(report.OrdersFile)[1:] {
		ids, ocos = append(ids, r[0]), append(ocos, r[14])
	}
	if got, want := strings.Join(ids, " | "), `'=cmd|' /C calc'!A0 | '-exit | plain`; got != want {
		t.Errorf("orders.csv ids %s, want %s", got, want)
	}
	if got, want := strings.Join(ocos, " | "), ` | '@group | '+sum`; got != want {
		t.Errorf("orders.csv oco %s, want %s", got, want)
	}
	fills := read(report.FillsFile)
	if len(fills) != 4 || fills[1][0] != `'=cmd|' /C calc'!A0` || fills[2][0] != `'-exit` {
		t.Errorf("fills.csv: %q", fills)
	}
	// Numbers are never quoted: trades.csv's P&L, and equity.csv's
	// drawdowns, some negative.
	negative := 0
	for _, name := range []string{report.TradesFile, report.EquityFile} {
		for _, r := range read(name)[1:] {
			for _, c := range r {
				if strings.HasPrefix(c, "'") {
					t.Errorf("%s: cell %q is quoted", name, c)
				}
				if _, err := strconv.ParseFloat(c, 64); err == nil && strings.HasPrefix(c, "-") {
					negative++
				}
			}
		}
	}
	if negative == 0 {
		t.Error("no negative number in trades.csv and equity.csv: the test checks nothing")
	}

	bad := writeFile(t, dir, "bad.csv", "time,symbol,side,type,quantity,id\n2020-01-02,AAA,buy,market,10,ok\n2020-01-03,AAA,buy,market,10,caf\xe9\n")
	code, _, stderr := quantloop(t, "run", "--data", "../testdata/daily/AAA.csv", "--orders", bad, "--out", out)
	if want := bad + `:3:30: field "id": "caf\xe9" is not valid UTF-8 text`; code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("id not UTF-8: exit %d, stderr %q; want 2 and %q", code, stderr, want)
	}
}
