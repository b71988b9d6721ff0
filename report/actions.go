package report

import (
	"encoding/csv"
	"io"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/portfolio"
)

// actionsHeader is actions.csv's first line.
var actionsHeader = []string{"time", "symbol", "action", "value", "holder", "quantity_before", "quantity_after",
	"cash", "limit", "stop", "trail"}

// writeActions writes actions.csv, the ledger of corporate actions: for
// each action of the file in order, the row of the position it changed
// (holder "position": the signed quantity before and after, and for a
// dividend the cash received, negative when a short paid it), then a row
// for each working order a split changed (holder the order's name: the
// quantity left to fill before and after, and its limit, stop and
// trailing amount after). An action that changed nothing has no row.
func writeActions(w io.Writer, res *backtest.Result) error {
	cw := csv.NewWriter(w)
	cw.Write(actionsHeader)
	adj := res.OrderAdjustments
	flushOrders := func(before int) {
		for len(adj) > 0 && adj[0].Seq < before {
			a := &adj[0]
			o := &a.Order
			cw.Write([]string{FormatTime(a.Time), spreadsheetText(a.Symbol), portfolio.ActionSplit, a.Ratio.String(),
				spreadsheetText(orderName(o.ID, o.Label)), a.Before.String(), a.After.String(), "",
				priceText(o.Limit), priceText(o.Stop), priceText(o.TrailAmount)})
			adj = adj[1:]
		}
	}
	for i := range res.Actions {
		a := &res.Actions[i]
		flushOrders(a.Seq)
		cash := ""
		if a.Kind == portfolio.ActionDividend {
			cash = a.Cash.String()
		}
		cw.Write([]string{FormatTime(a.Time), spreadsheetText(a.Symbol), a.Kind, a.Value.String(), "position",
			a.Before.String(), a.After.String(), cash, "", "", ""})
		flushOrders(a.Seq + 1)
	}
	flushOrders(int(^uint(0) >> 1))
	cw.Flush()
	return cw.Error()
}
