package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/report"
)

// section returns the HTML section id of page, "" when it has none.
func section(page, id string) string {
	i := strings.Index(page, `<section id="`+id+`">`)
	if i < 0 {
		return ""
	}
	return page[i : i+strings.Index(page[i:], "</section>")]
}

// TestCompareRun draws the comparison page from two stored runs of
// testdata and checks it against the page report.WriteCompare draws from
// the same runs' folders, which reads results.json and equity.csv, not
// the store: with the same labels, every section but the list of runs
// (whose sources differ) is the same.
func TestCompareRun(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	s, err := Open(filepath.Join(tmp, "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var dirs, ids []string
	for i, fast := range []string{"5", "7"} {
		res := realRun(t, fast)
		d := filepath.Join(tmp, "fast"+fast)
		if err := report.WriteDir(d, res); err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprintf("%064x", i+10)
		run, err := NewRun(id, res, KeepThin, time.Time{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Record(ctx, run, ""); err != nil {
			t.Fatal(err)
		}
		dirs, ids = append(dirs, d), append(ids, id)
	}
	folderPage := filepath.Join(tmp, "folders.html")
	if err := report.WriteCompare(folderPage, dirs); err != nil {
		t.Fatal(err)
	}
	var runs []*report.CompareRun
	for i, id := range ids {
		r, err := s.CompareRun(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Label != id[:12] || r.Strategy != "smacross" || r.EquityNote != "" {
			t.Errorf("run %d: label %q, strategy %q, note %q", i, r.Label, r.Strategy, r.EquityNote)
		}
		r.Label = filepath.Base(dirs[i])
		runs = append(runs, r)
	}
	storePage := filepath.Join(tmp, "store.html")
	if err := report.WriteCompareRuns(storePage, runs); err != nil {
		t.Fatal(err)
	}
	fb, _ := os.ReadFile(folderPage)
	sb, _ := os.ReadFile(storePage)
	for _, id := range []string{"settings", "key-figures", "equity", "drawdowns"} {
		f, g := section(string(fb), id), section(string(sb), id)
		if f == "" || f != g {
			t.Errorf("section %s differs from the folders' page", id)
		}
	}
	page := string(sb)
	// The one setting that differs is the varied parameter.
	if !strings.Contains(page, `<tr><td>strategy.params.fast</td><td class="l wrap">5</td><td class="l wrap">7</td></tr>`) ||
		strings.Count(page, `<td class="l wrap">`) != 2 {
		t.Error("settings that differ: want strategy.params.fast alone, 5 against 7")
	}
	// The key figures are the stored metrics, in percent with 2 decimals
	// and their sign.
	var row strings.Builder
	row.WriteString("<tr><td>Total return</td>")
	for _, id := range ids {
		r, err := s.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&row, "<td>%+.2f %%</td>", 100*r.Metrics["analysis.returns.total_return"].Num)
	}
	row.WriteString("</tr>")
	if got := strings.ReplaceAll(page, "&#43;", "+"); !strings.Contains(got, row.String()) {
		t.Errorf("no key-figure row %q", row.String())
	}
	if !strings.Contains(page, `<th class="l">store run</th>`) || !strings.Contains(page, "s.db run "+ids[0]) {
		t.Error("the runs' sources are not their store and ids")
	}
}

// TestCompareRunThinned checks the note of a run whose store kept part
// of its curve, and the error for a run with none.
func TestCompareRunThinned(t *testing.T) {
	ctx := context.Background()
	s, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	run, err := NewRun(strings.Repeat("a", 64), realRun(t, "7"), KeepThin, time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	run.Equity = Thin(run.Equity, 100) // 500 points: every 6th from the first (84), and the last
	if _, err := s.Record(ctx, run, ""); err != nil {
		t.Fatal(err)
	}
	r, err := s.CompareRun(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := "The run store kept 85 of the 500 equity points of run aaaaaaaaaaaa (it keeps thin curves)"
	if !strings.HasPrefix(r.EquityNote, want) {
		t.Errorf("note %q, want it to start %q", r.EquityNote, want)
	}
	bare := &Run{ID: strings.Repeat("b", 64), Config: run.Config, Manifest: run.Manifest, Keep: KeepThin,
		Params: run.Params, Metrics: run.Metrics}
	if _, err := s.Record(ctx, bare, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CompareRun(ctx, bare.ID); err == nil || !strings.Contains(err.Error(), "kept no equity curve") {
		t.Errorf("a run without equity rows: %v", err)
	}
}
