package strategy

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
)

const goodOrders = `time,symbol,side,type,quantity,limit,stop,trail,tif,expire,id,parent,oco
2024-01-02,X,buy,limit,10,99.5,,,day,,e1,,
2024-01-02,X,sell,limit,,103,,,,,tp,e1,b1
2024-01-02,X,sell,stop,,,97,,,,sl,e1,b1
2024-01-03 10:30,X,sell,trailing_stop,5,,,2%,gtd,2024-01-10,t1,,
2024-01-03T10:30:00Z,X,buy,trailing_stop,5,,,1.5,,,,,
2024-01-04,X,,cancel,,,,,,,t1,,
2024-01-04,Y,SELL,MOO,3,,,,IOC,,,,
2024-01-04,Y,buy,stop_limit,3,10,9.5,,fok,,,,
2024-01-05,Y,buy,moc,1,,,,,,,,
2024-01-05,Y,buy,market,1,,,,,,,,
`

func TestParseOrders(t *testing.T) {
	rows, err := ParseOrders(strings.NewReader(goodOrders), "o.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		o := r.Order
		if r.Cancel {
			got = append(got, "cancel "+o.Label+" "+o.Symbol)
			continue
		}
		got = append(got, strings.Join([]string{r.Time.Format(time.RFC3339), o.Symbol, o.Side.String(), o.Type.String(),
			o.Quantity.String(), o.Limit.String(), o.Stop.String(), o.TrailAmount.String(), o.TrailPercent.String(),
			o.TIF.String(), o.ExpireAt.Format("01-02"), o.Label, r.ParentLabel, o.OCO}, " "))
	}
	want := []string{
		"2024-01-02T00:00:00Z X buy limit 10 99.5 0 0 0 day 01-01 e1  ",
		"2024-01-02T00:00:00Z X sell limit 10 103 0 0 0 gtc 01-01 tp e1 b1",
		"2024-01-02T00:00:00Z X sell stop 10 0 97 0 0 gtc 01-01 sl e1 b1",
		"2024-01-03T10:30:00Z X sell trailing_stop 5 0 0 0 2 gtd 01-10 t1  ",
		"2024-01-03T10:30:00Z X buy trailing_stop 5 0 0 1.5 0 gtc 01-01   ",
		"cancel t1 X",
		"2024-01-04T00:00:00Z Y sell moo 3 0 0 0 0 ioc 01-01   ",
		"2024-01-04T00:00:00Z Y buy stop_limit 3 10 9.5 0 0 fok 01-01   ",
		"2024-01-05T00:00:00Z Y buy moc 1 0 0 0 0 gtc 01-01   ",
		"2024-01-05T00:00:00Z Y buy market 1 0 0 0 0 gtc 01-01   ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rows[1].Line != 3 || rows[9].Line != 11 {
		t.Errorf("lines %d, %d", rows[1].Line, rows[9].Line)
	}
}

// TestParseOrdersErrors: each bad file gives an error naming the line,
// the column and what is wrong.
func TestParseOrdersErrors(t *testing.T) {
	const h = "time,symbol,side,type,quantity,limit,stop,trail,tif,expire,id,parent,oco\n"
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "o.csv:1: empty file: want a header line time,symbol,side,type,quantity,limit,stop,trail,tif,expire,id,parent,oco"},
		{"unknown column", "time,symbol,side,type,price\n", `o.csv:1:23: unknown column "price"`},
		{"duplicate column", "time,symbol,side,type,time\n", `o.csv:1:23: column "time" appears twice`},
		{"missing column", "time,symbol,side\n", `o.csv:1: missing column "type"`},
		{"field count", h + "2024-01-02,X,buy\n", "o.csv:2: 3 fields, the header has 13"},
		{"bad time", h + "2024-13-02,X,buy,market,1,,,,,,,,\n", `o.csv:2:1: field "time": time "2024-13-02"`},
		{"bad side", h + "2024-01-02,X,hold,market,1,,,,,,,,\n", `o.csv:2:14: field "side": side "hold": want buy or sell`},
		{"bad type", h + "2024-01-02,X,buy,iceberg,1,,,,,,,,\n", `o.csv:2:18: field "type": unknown type "iceberg"`},
		{"empty symbol", h + "2024-01-02,,buy,market,1,,,,,,,,\n", `o.csv:2:12: field "symbol": empty symbol`},
		{"bad quantity", h + "2024-01-02,X,buy,market,ten,,,,,,,,\n", `o.csv:2:25: field "quantity": "ten" is not a number`},
		{"zero quantity", h + "2024-01-02,X,buy,market,0,,,,,,,,\n", `o.csv:2:25: field "quantity": quantity 0 is not positive`},
		{"no quantity", h + "2024-01-02,X,buy,market,,,,,,,,,\n", `o.csv:2:25: field "quantity": empty quantity`},
		{"no limit", h + "2024-01-02,X,buy,limit,1,,,,,,,,\n", `o.csv:2:26: field "limit": limit order needs a positive limit price`},
		{"bad limit", h + "2024-01-02,X,buy,limit,1,-3,,,,,,,\n", `o.csv:2:26: field "limit": "-3" is not a positive price`},
		{"huge limit", h + "2024-01-02,X,buy,limit,1,99999999999,,,,,,,\n",
			`o.csv:2:26: field "limit": price "99999999999": out of range: a price's magnitude is at most 90071992.54740991`},
		{"no stop", h + "2024-01-02,X,buy,stop_limit,1,5,,,,,,,\n", `o.csv:2:33: field "stop": stop_limit order needs a positive stop price`},
		{"no trail", h + "2024-01-02,X,buy,trailing_stop,1,,,,,,,,\n", `o.csv:2:36: field "trail": trailing stop needs exactly one of a positive trail amount and a positive trail percent`},
		{"bad trail pct", h + "2024-01-02,X,buy,trailing_stop,1,,,150%,,,,,\n", `o.csv:2:36: field "trail": trail percent 150 must be below 100`},
		{"zero trail pct", h + "2024-01-02,X,buy,trailing_stop,1,,,0%,,,,,\n", `o.csv:2:36: field "trail": "0%": want a positive percent`},
		{"bad tif", h + "2024-01-02,X,buy,market,1,,,,gtx,,,,\n", `o.csv:2:30: field "tif": unknown time in force "gtx"`},
		{"gtd no expire", h + "2024-01-02,X,buy,market,1,,,,gtd,,,,\n", `o.csv:2:34: field "expire": GTD order needs an expiry time after the current bar`},
		{"expire without gtd", h + "2024-01-02,X,buy,market,1,,,,,2024-01-05,,,\n", `o.csv:2:31: field "expire": an expiry time needs tif gtd`},
		{"expire before", h + "2024-01-02,X,buy,market,1,,,,gtd,2024-01-01,,,\n", `o.csv:2:34: field "expire": GTD order needs an expiry time after the current bar`},
		{"duplicate id", h + "2024-01-02,X,buy,market,1,,,,,,a,,\n2024-01-02,X,buy,market,1,,,,,,a,,\n", `o.csv:3:32: field "id": id "a" is used twice`},
		{"unknown parent", h + "2024-01-02,X,sell,limit,1,5,,,,,,p,\n", `o.csv:2:34: field "parent": no earlier order has id "p"`},
		{"parent side", h + "2024-01-02,X,buy,market,1,,,,,,p,,\n2024-01-02,X,buy,limit,1,5,,,,,,p,\n", `o.csv:3:33: field "parent": a bracket exit must trade its entry's symbol X on the other side`},
		{"parent later", h + "2024-01-03,X,buy,market,1,,,,,,p,,\n2024-01-02,X,sell,limit,1,5,,,,,,p,\n", `o.csv:3:34: field "parent": entry "p" is submitted after this row`},
		{"cancel unknown", h + "2024-01-02,X,,cancel,,,,,,,zz,,\n", `o.csv:2:28: field "id": no earlier order has id "zz"`},
		{"cancel no id", h + "2024-01-02,X,,cancel,,,,,,,,,\n", `o.csv:2:28: field "id": a cancel row needs the id of the order to cancel`},
		{"cancel early", h + "2024-01-03,X,buy,market,1,,,,,,a,,\n2024-01-02,X,,cancel,,,,,,,a,,\n", `o.csv:3:1: field "time": the cancel comes before order "a" is submitted`},
		{"cancel symbol", h + "2024-01-02,X,buy,market,1,,,,,,a,,\n2024-01-02,Y,,cancel,,,,,,,a,,\n", `o.csv:3:12: field "symbol": order "a" is on X, not Y`},
		{"bad quote", h + "2024-01-02,\"X,buy\n", `o.csv:2:`},
		{"reduce only", "time,symbol,side,type,quantity,reduce_only\n2024-01-02,X,buy,market,1,maybe\n", `o.csv:2:27: field "reduce_only": "maybe": want true or false`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseOrders(strings.NewReader(tc.text), "o.csv", nil)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			var fe *OrdersFileError
			if !errors.As(err, &fe) {
				t.Errorf("error %T is not an *OrdersFileError", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error\n %q\nwant prefix\n %q", err, tc.want)
			}
		})
	}
}

// FuzzParseOrders checks that no input panics, and that every error names
// the file and a line.
func FuzzParseOrders(f *testing.F) {
	f.Add(goodOrders)
	f.Add("time,symbol,side,type\n2024-01-02,X,buy,market\n")
	f.Add("time,symbol,side,type,quantity,trail\n2024-01-02,X,sell,trailing_stop,1,5%\n")
	f.Fuzz(func(t *testing.T, text string) {
		rows, err := ParseOrders(strings.NewReader(text), "f.csv", nil)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for _, r := range rows {
			if r.Cancel {
				continue
			}
			o := r.Order
			if !o.Quantity.IsPositive() || (o.Side != engine.Buy && o.Side != engine.Sell) || o.Symbol == "" {
				t.Fatalf("accepted a bad row: %+v", r)
			}
		}
	})
}
