package report

import (
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestTradeRowsHTML: the rows tradeRowsHTML makes are, byte for byte,
// what html/template makes of them with the range the page's template
// had, in the same place of a page (an element's body, in a table), over
// random cells of text, the characters the escaper replaces, multi-byte
// and invalid UTF-8, and empty classes and texts.
func TestTradeRowsHTML(t *testing.T) {
	const page = `<table><tbody>
{{range .}}<tr>{{range .Cells}}<td{{with .Class}} class="{{.}}"{{end}} data-v="{{.Sort}}">{{.Text}}</td>{{end}}</tr>
{{end}}</tbody></table>`
	ref := template.Must(template.New("rows").Parse(page))
	mine := template.Must(template.New("rows").Parse("<table><tbody>\n{{.}}</tbody></table>"))
	pieces := []string{"", "a", "12.5", "-3", "+4", "&", "<", ">", `"`, "'", "\x00", "é", "€", "日本", "\xff", "\xe2\x82", "&amp;", "<b>", " ", "\n", "\t", "=", "`", "l", "g", "r", "~", "2024-01-02 10:00"}
	rng := rand.New(rand.NewPCG(3, 4))
	text := func() string {
		var b strings.Builder
		for range rng.IntN(5) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	for round := range 300 {
		rows := make([]tradeRowView, rng.IntN(6))
		for i := range rows {
			for range rng.IntN(14) {
				c := cell{Text: text(), Sort: text()}
				if rng.IntN(2) == 0 {
					c.Class = text()
				}
				rows[i].Cells = append(rows[i].Cells, c)
			}
		}
		var want, got strings.Builder
		if err := ref.Execute(&want, rows); err != nil {
			t.Fatal(err)
		}
		if err := mine.Execute(&got, tradeRowsHTML(rows)); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("round %d: rows\n%q\nwant\n%q", round, got.String(), want.String())
		}
	}
}
