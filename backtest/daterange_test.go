package backtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// seenBars records, at each OnBar, the bar's time and the times of the
// History it sees, and buys one unit.
type seenBars struct{ calls []string }

func (s *seenBars) Lookback() int { return 5 }

func (s *seenBars) OnBar(ctx *strategy.Context, bar engine.Bar) error {
	h := ctx.History(bar.Symbol)
	var times []string
	for i := h.Len() - 1; i >= 0; i-- {
		times = append(times, h.Ago(i).Time.Format("01-02"))
	}
	s.calls = append(s.calls, bar.Time.Format("01-02")+" ["+strings.Join(times, " ")+"]")
	ctx.Submit(bar.Symbol, engine.Buy, decimal.NewFromInt(1))
	return nil
}

// data.from and data.to keep the bars whose date in the data's zone lies
// in the range, both inclusive; the bars before data.from are in the
// strategy's History and nowhere else.
func TestDateRange(t *testing.T) {
	// Eight daily bars at 20:00 UTC: in Tokyo (UTC+9) each is on the next
	// day.
	text := "time,open,high,low,close,volume\n"
	for d := 1; d <= 8; d++ {
		text += fmt.Sprintf("2024-01-%02dT20:00:00Z,%d,%d,%d,%d,1000\n", d, 100+d, 100+d, 100+d, 100+d)
	}
	path := filepath.Join(t.TempDir(), "X.csv")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		zone, from, to string
		calls          []string // "bar [history, oldest first]", by hand
		equity         string   // the equity points' UTC dates
		firstFill      string
	}{
		{"", "2024-01-04", "2024-01-06",
			[]string{"01-04 [01-01 01-02 01-03 01-04]", "01-05 [01-01 01-02 01-03 01-04 01-05]", "01-06 [01-02 01-03 01-04 01-05 01-06]"},
			"01-04 01-05 01-06", "01-05"},
		// 01-03T20:00Z is 01-04 in Tokyo: the range moves a day earlier.
		{"Asia/Tokyo", "2024-01-04", "2024-01-06",
			[]string{"01-03 [01-01 01-02 01-03]", "01-04 [01-01 01-02 01-03 01-04]", "01-05 [01-01 01-02 01-03 01-04 01-05]"},
			"01-03 01-04 01-05", "01-04"},
		// Only a start: the run goes to the end.
		{"", "2024-01-07", "",
			[]string{"01-07 [01-03 01-04 01-05 01-06 01-07]", "01-08 [01-04 01-05 01-06 01-07 01-08]"},
			"01-07 01-08", "01-08"},
		// Only an end: no warm-up.
		{"", "", "2024-01-01", []string{"01-01 [01-01]"}, "01-01", ""},
	}
	for _, tc := range tests {
		cfg := DefaultConfig()
		cfg.Data.Files = []string{path}
		cfg.Data.Timezone = tc.zone
		for p, v := range map[string]string{"data.from": tc.from, "data.to": tc.to} {
			if err := cfg.Set(p, v); err != nil {
				t.Fatal(err)
			}
		}
		opts, err := cfg.DataOptions()
		if err != nil {
			t.Fatal(err)
		}
		feed, err := data.OpenAll([]string{path}, opts)
		if err != nil {
			t.Fatal(err)
		}
		s := &seenBars{}
		res, err := RunFeed(context.Background(), cfg, feed, s)
		feed.Close()
		if err != nil {
			t.Fatal(err)
		}
		name := tc.zone + " " + tc.from + ".." + tc.to
		if got := strings.Join(s.calls, ", "); got != strings.Join(tc.calls, ", ") {
			t.Errorf("%s: calls\n%s\nwant\n%s", name, got, strings.Join(tc.calls, ", "))
		}
		var eq []string
		for _, p := range res.Equity {
			eq = append(eq, p.Time.UTC().Format("01-02"))
		}
		if got := strings.Join(eq, " "); got != tc.equity {
			t.Errorf("%s: equity at %s, want %s", name, got, tc.equity)
		}
		first := ""
		if len(res.Fills) > 0 {
			first = res.Fills[0].Time.UTC().Format("01-02")
		}
		if first != tc.firstFill {
			t.Errorf("%s: first fill %q, want %q", name, first, tc.firstFill)
		}
		if res.Stats.Bars != len(tc.calls) {
			t.Errorf("%s: %d bars, want %d", name, res.Stats.Bars, len(tc.calls))
		}
	}
}

// A bad date or a range that ends before it starts is refused by path.
func TestDateRangeErrors(t *testing.T) {
	var c Config
	if err := c.Set("data.from", "2005-13-01"); err == nil || err.Error() != `data.from: "2005-13-01" is not a date written YYYY-MM-DD, such as 2005-01-31` {
		t.Errorf("bad date: %v", err)
	}
	c.Data.From, c.Data.To = NewDate(2009, time.December, 31), NewDate(2005, time.January, 1)
	if err := c.Validate(); err == nil || err.Error() != "data.to: 2005-01-01 is before data.from, 2009-12-31" {
		t.Errorf("reversed range: %v", err)
	}
	c.Data.To = c.Data.From
	if err := c.Validate(); err != nil {
		t.Errorf("a one-day range: %v", err)
	}
}
