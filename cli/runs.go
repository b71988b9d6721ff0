package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/quantloop/quantloop/store"
)

// dsrColumn is the listing's column of a run's deflated Sharpe ratio
// within the sweep it is listed for.
const dsrColumn = "sweep_deflated_sharpe"

// runsCommand returns the runs command and its subcommands.
func runsCommand(stdout, stderr io.Writer) *cobra.Command {
	c := &cobra.Command{
		Use:   "runs list|show|compare|merge|export",
		Short: "list, show, compare, merge and export the runs of a run store",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageHint(cmd.CommandPath(), errors.New("runs: give a subcommand: list, show, compare, merge or export"))
		},
	}
	var path string
	storeFlag := func(c *cobra.Command) *cobra.Command {
		c.Flags().StringVar(&path, "store", "", "the run store `file`")
		return c
	}

	var lo listOptions
	list := storeFlag(&cobra.Command{
		Use:   "list --store FILE [--sweep ID] [--where EXPR] [--sort [-]NAME] [--limit N] [--format table|csv|json]",
		Short: "list runs with their varied settings and metrics",
		Long: `List the runs of a store, sorted by id unless --sort says otherwise.

Rows carry the run's id, every setting that varies among the listed runs
under its config path (strategy.params.fast) and every scalar of
results.json under its name (sharpe, final_equity, analysis.returns.omega);
with --sweep, also sweep_deflated_sharpe. No row holds a wall-clock
value: two stores with the same runs list the same rows.

--where filters with comparisons (< <= > >= = !=) joined by and, or, not
and parentheses, over metric names and settings (a setting by its path or
its last part when that is unique): 'sharpe > 1 and fast < slow'.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			lo.store = path
			return cmdRunsList(cmd, &lo, stdout)
		},
	})
	fs := list.Flags()
	fs.StringVar(&lo.sweep, "sweep", "", "list the runs of this sweep `id` only")
	fs.StringVar(&lo.where, "where", "", "keep the runs for which this `expression` holds")
	fs.StringVar(&lo.sort, "sort", "", "sort by this metric or setting `name`; a leading - sorts in descending order")
	fs.IntVar(&lo.limit, "limit", 0, "list at most `N` runs (0: all)")
	fs.StringVar(&lo.format, "format", "table", "output `format`: table, csv or json")

	show := storeFlag(&cobra.Command{
		Use:   "show --store FILE ID",
		Short: "show a run's config and metrics",
		Args:  oneArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdRunsShow(cmd, path, args[0], stdout)
		},
	})
	var html string
	compare := storeFlag(&cobra.Command{
		Use:   "compare --store FILE ID ID... [--html FILE]",
		Short: "compare runs: the settings that differ and the metrics side by side",
		Long:  runsCompareLong,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usageHint(cmd.CommandPath(), errors.New("compare: give at least two run ids"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if html != "" {
				return cmdRunsCompareHTML(cmd, path, args, html, stdout)
			}
			return cmdRunsCompare(cmd, path, args, stdout)
		},
	})
	compare.Flags().StringVar(&html, "html", "", "write the comparison page (as report --compare draws it) to this `file` instead")
	var into string
	merge := &cobra.Command{
		Use:   "merge A.db B.db... --into C.db",
		Short: "merge run stores into one",
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdRunsMerge(cmd, into, args, stdout)
		},
	}
	merge.Flags().StringVar(&into, "into", "", "the store `file` to merge into (created if missing)")
	c.AddCommand(list, show, compare, merge, exportCommand(stdout, stderr))
	return c
}

// listOptions are the flags of runs list.
type listOptions struct {
	store, sweep, where, sort, format string
	limit                             int
}

// listing is the runs of a listing with their columns.
type listing struct {
	runs []*store.Summary
	// params are the settings that vary among the runs, metrics the
	// metric names of any run, both sorted.
	params, metrics []string
	short           map[string]string // a setting's last part → its path, when unique
	sweep           bool
}

// newListing finds the columns of runs.
func newListing(runs []*store.Summary, sweep bool) *listing {
	l := &listing{runs: runs, short: map[string]string{}, sweep: sweep}
	values := map[string]map[string]bool{}
	metrics := map[string]bool{}
	for _, r := range runs {
		for p, v := range r.Params {
			if values[p] == nil {
				values[p] = map[string]bool{}
			}
			values[p][v] = true
		}
		for m := range r.Metrics {
			metrics[m] = true
		}
	}
	seen := map[string]int{}
	for p, vs := range values {
		// A setting some runs lack varies too.
		if len(vs) > 1 || countHaving(runs, p) < len(runs) {
			l.params = append(l.params, p)
		}
		last := p[strings.LastIndexByte(p, '.')+1:]
		seen[last]++
		l.short[last] = p
	}
	for last, n := range seen {
		if n > 1 {
			delete(l.short, last)
		}
	}
	for m := range metrics {
		l.metrics = append(l.metrics, m)
	}
	slices.Sort(l.params)
	slices.Sort(l.metrics)
	return l
}

func countHaving(runs []*store.Summary, path string) int {
	n := 0
	for _, r := range runs {
		if _, ok := r.Params[path]; ok {
			n++
		}
	}
	return n
}

// known reports whether name names a column of the listing.
func (l *listing) known(name string) bool {
	if name == dsrColumn && l.sweep {
		return true
	}
	if _, ok := slices.BinarySearch(l.metrics, name); ok {
		return true
	}
	if _, ok := l.short[name]; ok {
		return true
	}
	for _, r := range l.runs {
		if _, ok := r.Params[name]; ok {
			return true
		}
	}
	return false
}

// lookup returns the value of name for r: a metric, a setting by path,
// or a setting by its last part.
func (l *listing) lookup(r *store.Summary) store.Resolver {
	return func(name string) (store.Value, bool) {
		if name == dsrColumn && l.sweep {
			if math.IsNaN(r.DeflatedSharpe) {
				return store.Value{Text: "NaN"}, true
			}
			return store.Value{Text: formatNum(r.DeflatedSharpe), Num: r.DeflatedSharpe, Numeric: true}, true
		}
		if v, ok := r.Metrics[name]; ok {
			return v, true
		}
		p, ok := r.Params[name]
		if !ok {
			if path, isShort := l.short[name]; isShort {
				p, ok = r.Params[path]
			}
		}
		if !ok {
			return store.Value{}, false
		}
		return textValue(p), true
	}
}

// textValue is a setting's value: text, and a number when it is one.
func textValue(s string) store.Value {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return store.Value{Text: s}
	}
	return store.Value{Text: s, Num: f, Numeric: true}
}

func formatNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func cmdRunsList(cmd *cobra.Command, o *listOptions, stdout io.Writer) error {
	if !slices.Contains([]string{"table", "csv", "json"}, o.format) {
		return usageHint(cmd.CommandPath(), fmt.Errorf("--format: %q: want table, csv or json", o.format))
	}
	if o.limit < 0 {
		return usageHint(cmd.CommandPath(), fmt.Errorf("--limit: %d: want 0 or more", o.limit))
	}
	where, err := store.ParseWhere(o.where)
	if o.where == "" {
		where, err = nil, nil
	}
	if err != nil {
		return badInput(fmt.Errorf("--where: %w", err))
	}
	s, err := openExisting(o.store)
	if err != nil {
		return err
	}
	defer s.Close()
	runs, err := s.Runs(cmd.Context(), o.sweep)
	if err != nil {
		if o.sweep != "" {
			return badInput(err)
		}
		return err
	}
	l := newListing(runs, o.sweep != "")
	if where != nil {
		for _, n := range where.Names {
			if len(runs) > 0 && !l.known(n) {
				return badInput(fmt.Errorf("--where: %q names no metric or setting of the runs (metrics such as sharpe, total_return, final_equity; settings by path or last part, such as strategy.params.fast or fast)", n))
			}
		}
		kept := runs[:0:0]
		for _, r := range runs {
			if where.Match(l.lookup(r)) {
				kept = append(kept, r)
			}
		}
		l.runs = kept
	}
	if o.sort != "" {
		name, desc := strings.CutPrefix(o.sort, "-")
		if len(runs) > 0 && !l.known(name) {
			return badInput(fmt.Errorf("--sort: %q names no metric or setting of the runs", name))
		}
		sortRuns(l, name, desc)
	}
	if o.limit > 0 && len(l.runs) > o.limit {
		l.runs = l.runs[:o.limit]
	}
	switch o.format {
	case "csv":
		return writeListCSV(stdout, l)
	case "json":
		return writeListJSON(stdout, l)
	}
	return writeListTable(stdout, l)
}

// sortRuns sorts l's runs by name, numbers before text before runs
// without it, ties by id.
func sortRuns(l *listing, name string, desc bool) {
	rank := func(v store.Value, ok bool) int {
		switch {
		case ok && v.Numeric:
			return 0
		case ok && v.Text != "NaN":
			return 1
		}
		return 2
	}
	slices.SortStableFunc(l.runs, func(a, b *store.Summary) int {
		va, oka := l.lookup(a)(name)
		vb, okb := l.lookup(b)(name)
		ra, rb := rank(va, oka), rank(vb, okb)
		if ra != rb {
			return cmp.Compare(ra, rb)
		}
		c := 0
		switch ra {
		case 0:
			c = cmp.Compare(va.Num, vb.Num)
		case 1:
			c = strings.Compare(va.Text, vb.Text)
		}
		if desc {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.ID, b.ID))
	})
}

// columns returns the names of the listing's columns after id.
func (l *listing) columns() []string {
	cols := append(slices.Clone(l.params), l.metrics...)
	if l.sweep {
		cols = append(cols, dsrColumn)
	}
	return cols
}

// cell returns the text of column name for r ("" when it has none).
func (l *listing) cell(r *store.Summary, name string) (store.Value, bool) {
	if slices.Contains(l.params, name) {
		p, ok := r.Params[name]
		return textValue(p), ok
	}
	return l.lookup(r)(name)
}

func writeListCSV(w io.Writer, l *listing) error {
	cw := csv.NewWriter(w)
	cols := l.columns()
	if err := cw.Write(append([]string{"id"}, cols...)); err != nil {
		return err
	}
	for _, r := range l.runs {
		row := []string{r.ID}
		for _, c := range cols {
			v, _ := l.cell(r, c)
			row = append(row, v.Text)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeListJSON(w io.Writer, l *listing) error {
	var b bytes.Buffer
	b.WriteString("[")
	cols := l.columns()
	for i, r := range l.runs {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {")
		writeJSONString(&b, "id")
		b.WriteString(": ")
		writeJSONString(&b, r.ID)
		for _, c := range cols {
			v, ok := l.cell(r, c)
			if !ok {
				continue
			}
			b.WriteString(", ")
			writeJSONString(&b, c)
			b.WriteString(": ")
			_, isParam := slices.BinarySearch(l.params, c)
			if v.Numeric && !isParam && json.Valid([]byte(v.Text)) {
				b.WriteString(v.Text)
			} else {
				writeJSONString(&b, v.Text)
			}
		}
		b.WriteString("}")
	}
	if len(l.runs) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	_, err := w.Write(b.Bytes())
	return err
}

func writeJSONString(b *bytes.Buffer, s string) {
	q, _ := json.Marshal(s)
	b.Write(q)
}

// tableMetrics are the metrics the table format shows.
var tableMetrics = []string{"sharpe", "total_return", "max_drawdown", "trades", "final_equity"}

func writeListTable(w io.Writer, l *listing) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	cols := append(slices.Clone(l.params), tableMetrics...)
	if l.sweep {
		cols = append(cols, dsrColumn)
	}
	fmt.Fprintf(tw, "id\t%s\n", strings.Join(cols, "\t"))
	for _, r := range l.runs {
		cells := []string{r.ID[:min(12, len(r.ID))]}
		for _, c := range cols {
			v, ok := l.cell(r, c)
			switch {
			case !ok:
				cells = append(cells, "-")
			case v.Numeric && len(v.Text) > 10 && !slices.Contains(l.params, c):
				// Long texts are float64s' shortest texts: 6 digits.
				cells = append(cells, strconv.FormatFloat(v.Num, 'g', 6, 64))
			default:
				cells = append(cells, v.Text)
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	fmt.Fprintf(tw, "%d runs\n", len(l.runs))
	return tw.Flush()
}

// getRun returns the run of s whose id starts with prefix; an unknown or
// ambiguous prefix is bad input.
func getRun(ctx context.Context, s *store.Store, prefix string) (*store.Run, error) {
	id, err := s.Resolve(ctx, prefix)
	if err != nil {
		return nil, badInput(err)
	}
	return s.Get(ctx, id)
}

func cmdRunsShow(cmd *cobra.Command, path, prefix string, stdout io.Writer) error {
	s, err := openExisting(path)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := getRun(cmd.Context(), s, prefix)
	if err != nil {
		return err
	}
	status := "complete"
	if r.Partial {
		status = "partial: " + r.Error
	}
	fmt.Fprintf(stdout, "run %s\nstatus: %s\nkept: %s\n\nconfig.yaml:\n", r.ID, status, r.Keep)
	for _, line := range strings.Split(strings.TrimRight(string(r.Config), "\n"), "\n") {
		fmt.Fprintf(stdout, "  %s\n", line)
	}
	fmt.Fprintln(stdout, "\nmetrics:")
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	names := make([]string, 0, len(r.Metrics))
	for n := range r.Metrics {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(tw, "  %s\t%s\n", n, r.Metrics[n].Text)
	}
	return tw.Flush()
}

func cmdRunsCompare(cmd *cobra.Command, path string, prefixes []string, stdout io.Writer) error {
	s, err := openExisting(path)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := cmd.Context()
	var runs []*store.Run
	for _, p := range prefixes {
		r, err := getRun(ctx, s, p)
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	paths, names := map[string]bool{}, map[string]bool{}
	for _, r := range runs {
		for p := range r.Params {
			paths[p] = true
		}
		for n := range r.Metrics {
			names[n] = true
		}
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	header := "  \t"
	for _, r := range runs {
		header += r.ID[:12] + "\t"
	}
	fmt.Fprintln(tw, "settings that differ:")
	fmt.Fprintln(tw, header)
	differ := 0
	for _, p := range sortedSet(paths) {
		vals := make([]string, len(runs))
		same := true
		for i, r := range runs {
			v, ok := r.Params[p]
			if !ok {
				v = "-"
			}
			vals[i] = v
			same = same && v == vals[0]
		}
		if !same {
			differ++
			fmt.Fprintf(tw, "  %s\t%s\t\n", p, strings.Join(vals, "\t"))
		}
	}
	if differ == 0 {
		fmt.Fprintln(tw, "  (none)")
	}
	fmt.Fprintln(tw, "\nmetrics:")
	fmt.Fprintln(tw, header)
	for _, n := range sortedSet(names) {
		vals := make([]string, len(runs))
		for i, r := range runs {
			v, ok := r.Metrics[n]
			vals[i] = v.Text
			if !ok {
				vals[i] = "-"
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t\n", n, strings.Join(vals, "\t"))
	}
	return tw.Flush()
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// mergeSource checks that src can be merged into the store file into: it
// is an SQLite file, and not into itself (whose lock the merge would wait
// on for BusyTimeout).
func mergeSource(src, into string) error {
	fi, err := sqliteFile(src)
	if err != nil {
		return err
	}
	if fi.Size() == 0 {
		return fmt.Errorf("%s is not a run store (an empty file)", src)
	}
	if di, err := os.Stat(into); err == nil && os.SameFile(fi, di) {
		return fmt.Errorf("%s is the store merged into (--into %s)", src, into)
	}
	return nil
}

func cmdRunsMerge(cmd *cobra.Command, into string, srcs []string, stdout io.Writer) error {
	if into == "" {
		return usageHint(cmd.CommandPath(), errors.New("merge: --into is required"))
	}
	if len(srcs) == 0 {
		return usageHint(cmd.CommandPath(), errors.New("merge: give the stores to merge (runs merge A.db B.db... --into C.db)"))
	}
	// Each source is checked before the destination is opened, which
	// creates it: a merge refused leaves no new store.
	for _, src := range srcs {
		if err := mergeSource(src, into); err != nil {
			return badInput(fmt.Errorf("merge: %w", err))
		}
	}
	dst, err := openStore(into)
	if err != nil {
		return err
	}
	defer dst.Close()
	ctx := cmd.Context()
	for _, src := range srcs {
		if err := dst.Merge(ctx, src); err != nil {
			return err
		}
	}
	// A sweep whose shards were merged gets its statistics over all its
	// runs.
	sweeps, err := dst.Sweeps(ctx)
	if err != nil {
		return err
	}
	for _, id := range sweeps {
		if _, err := dst.Analyze(ctx, id); err != nil {
			return err
		}
	}
	runs, err := dst.Runs(ctx, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d runs, %d sweeps\n", into, len(runs), len(sweeps))
	return dst.Close()
}
