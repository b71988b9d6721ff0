package report

import (
	"html/template"
	"strings"
)

// tradeRowsHTML returns the rows of the trade table, each
// <tr><td class="…" data-v="…">…</td>…</tr> and a newline, the class
// left out when empty: what the page template would make of them with a
// range over the rows and their cells, each text and attribute value
// escaped as html/template escapes a string there (see writeEscaped),
// without the template's reflection per cell.
func tradeRowsHTML(rows []tradeRowView) template.HTML {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString("<tr>")
		for _, c := range r.Cells {
			b.WriteString("<td")
			if c.Class != "" {
				b.WriteString(` class="`)
				writeEscaped(&b, c.Class)
				b.WriteByte('"')
			}
			b.WriteString(` data-v="`)
			writeEscaped(&b, c.Sort)
			b.WriteString(`">`)
			writeEscaped(&b, c.Text)
			b.WriteString("</td>")
		}
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String())
}

// writeEscaped writes s to b as html/template writes a string in an
// element's text or in a quoted attribute value of plain text (such as
// class or data-v): NUL, ", &, ', +, < and > are replaced, each byte of
// them on its own (no byte of a multi-byte UTF-8 sequence, valid or not,
// is one of them), and the rest is written as it is.
func writeEscaped(b *strings.Builder, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(repl)
		start = i + 1
	}
	b.WriteString(s[start:])
}
