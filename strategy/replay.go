package strategy

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// OrdersColumns are the columns of an orders file, in their usual order.
// Only time, symbol, side and type are required; reduce_only is an
// optional extra.
var OrdersColumns = []string{"time", "symbol", "side", "type", "quantity", "limit", "stop", "trail",
	"tif", "expire", "id", "parent", "oco", "reduce_only"}

// OrdersFileError is an error in an orders file, at a line and column.
type OrdersFileError struct {
	File   string
	Line   int
	Column int    // 1-based, in characters; 0 when the whole line is at fault
	Field  string // the column's name, if any
	Err    error
}

// Error returns "file:line:column: field "name": message".
func (e *OrdersFileError) Error() string {
	pos := fmt.Sprintf("%s:%d", e.File, e.Line)
	if e.Column > 0 {
		pos += fmt.Sprintf(":%d", e.Column)
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: field %q: %v", pos, e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %v", pos, e.Err)
}

// Unwrap returns the underlying error.
func (e *OrdersFileError) Unwrap() error { return e.Err }

// OrderRow is one row of an orders file.
type OrderRow struct {
	Line int
	// Time is the bar time at which the order is submitted.
	Time time.Time
	// Cancel is true for a cancel row: it cancels the order labelled
	// Order.Label.
	Cancel bool
	// Order is the order to submit. Its Label is the row's id; its Parent
	// is resolved from ParentLabel when it is submitted.
	Order       engine.Order
	ParentLabel string
}

var orderTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05",
	"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"}

func parseOrderTime(s string, loc *time.Location) (time.Time, error) {
	for _, l := range orderTimeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: want RFC 3339, 2006-01-02 15:04[:05] or 2006-01-02", s)
}

// ParseOrders reads an orders file: a CSV with a header naming its
// columns (see OrdersColumns; case and surrounding spaces do not matter).
// name is the file's name for errors; times without a zone are in loc (UTC
// when nil). Every row is checked; the first bad one gives an
// *OrdersFileError naming the line and column.
func ParseOrders(r io.Reader, name string, loc *time.Location) ([]OrderRow, error) {
	if loc == nil {
		loc = time.UTC
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &OrdersFileError{File: name, Line: 1, Err: errors.New("empty file: want a header line " + strings.Join(OrdersColumns[:13], ","))}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	col := make(map[string]int)
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		known := false
		for _, c := range OrdersColumns {
			known = known || c == h
		}
		line, column := cr.FieldPos(i)
		switch {
		case !known:
			return nil, &OrdersFileError{File: name, Line: line, Column: column, Err: fmt.Errorf("unknown column %q (want %s)", h, strings.Join(OrdersColumns, ","))}
		case col[h] != 0:
			return nil, &OrdersFileError{File: name, Line: line, Column: column, Err: fmt.Errorf("column %q appears twice", h)}
		}
		col[h] = i + 1
	}
	for _, c := range OrdersColumns[:4] {
		if col[c] == 0 {
			return nil, &OrdersFileError{File: name, Line: 1, Err: fmt.Errorf("missing column %q", c)}
		}
	}
	var rows []OrderRow
	labels := make(map[string]OrderRow) // by id, the rows seen so far
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, &OrdersFileError{File: name, Line: line, Err: fmt.Errorf("%d fields, the header has %d", len(rec), len(header))}
		}
		get := func(c string) string {
			if i := col[c]; i > 0 {
				return strings.TrimSpace(rec[i-1])
			}
			return ""
		}
		fail := func(c string, format string, args ...any) error {
			e := &OrdersFileError{File: name, Line: line, Field: c, Err: fmt.Errorf(format, args...)}
			if i := col[c]; i > 0 {
				e.Line, e.Column = cr.FieldPos(i - 1)
			}
			return e
		}
		row, err := parseOrderRow(get, fail, loc, labels)
		if err != nil {
			return nil, err
		}
		row.Line = line
		rows = append(rows, row)
		if row.Order.Label != "" && !row.Cancel {
			labels[row.Order.Label] = row
		}
	}
	return rows, nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &OrdersFileError{File: name, Line: pe.Line, Column: pe.Column, Err: pe.Err}
	}
	return fmt.Errorf("%s: %w", name, err)
}

// parseOrderRow checks one row's fields.
func parseOrderRow(get func(string) string, fail func(string, string, ...any) error, loc *time.Location, labels map[string]OrderRow) (OrderRow, error) {
	var row OrderRow
	o := &row.Order
	var err error
	if row.Time, err = parseOrderTime(get("time"), loc); err != nil {
		return row, fail("time", "%v", err)
	}
	o.Label = get("id")
	typ := strings.ToLower(get("type"))
	if typ == "cancel" {
		row.Cancel = true
		target, ok := labels[o.Label]
		switch {
		case o.Label == "":
			return row, fail("id", "a cancel row needs the id of the order to cancel")
		case !ok:
			return row, fail("id", "no earlier order has id %q", o.Label)
		case target.Time.After(row.Time):
			return row, fail("time", "the cancel comes before order %q is submitted (%s)", o.Label, target.Time.Format(time.RFC3339))
		}
		o.Symbol = target.Order.Symbol
		if s := get("symbol"); s != "" && s != o.Symbol {
			return row, fail("symbol", "order %q is on %s, not %s", o.Label, o.Symbol, s)
		}
		return row, nil
	}
	t, ok := engine.ParseOrderType(typ)
	if !ok {
		return row, fail("type", "unknown type %q (want market, limit, stop, stop_limit, trailing_stop, moo, moc or cancel)", get("type"))
	}
	o.Type = t
	if o.Symbol = get("symbol"); o.Symbol == "" {
		return row, fail("symbol", "empty symbol")
	}
	switch strings.ToLower(get("side")) {
	case "buy":
		o.Side = engine.Buy
	case "sell":
		o.Side = engine.Sell
	default:
		return row, fail("side", "side %q: want buy or sell", get("side"))
	}
	row.ParentLabel = get("parent")
	var parent *OrderRow
	if row.ParentLabel != "" {
		p, ok := labels[row.ParentLabel]
		switch {
		case !ok:
			return row, fail("parent", "no earlier order has id %q", row.ParentLabel)
		case p.Order.Symbol != o.Symbol || p.Order.Side == o.Side:
			return row, fail("parent", "a bracket exit must trade its entry's symbol %s on the other side", p.Order.Symbol)
		case p.Time.After(row.Time):
			return row, fail("parent", "entry %q is submitted after this row", row.ParentLabel)
		}
		parent = &p
	}
	if q := get("quantity"); q != "" {
		if o.Quantity, err = decimal.NewFromString(q); err != nil {
			return row, fail("quantity", "%q is not a number", q)
		}
	} else if parent != nil {
		o.Quantity = parent.Order.Quantity
	} else {
		return row, fail("quantity", "empty quantity")
	}
	price := func(c string) (engine.Price, error) {
		s := get(c)
		if s == "" {
			return 0, nil
		}
		p, err := engine.ParsePrice(s)
		if err != nil || p <= 0 {
			return 0, fail(c, "%q is not a positive price", s)
		}
		return p, nil
	}
	if o.Limit, err = price("limit"); err != nil {
		return row, err
	}
	if o.Stop, err = price("stop"); err != nil {
		return row, err
	}
	if tr := get("trail"); tr != "" {
		if pct, ok := strings.CutSuffix(tr, "%"); ok {
			d, err := decimal.NewFromString(strings.TrimSpace(pct))
			if err != nil || !d.IsPositive() {
				return row, fail("trail", "%q: want a positive percent, such as 2%%", tr)
			}
			o.TrailPercent = d
		} else if o.TrailAmount, err = price("trail"); err != nil {
			return row, err
		}
	}
	tif, ok := engine.ParseTimeInForce(strings.ToLower(get("tif")))
	if !ok {
		return row, fail("tif", "unknown time in force %q (want gtc, day, ioc, fok or gtd)", get("tif"))
	}
	o.TIF = tif
	if e := get("expire"); e != "" {
		if o.ExpireAt, err = parseOrderTime(e, loc); err != nil {
			return row, fail("expire", "%v", err)
		}
		if tif != engine.GTD {
			return row, fail("expire", "an expiry time needs tif gtd")
		}
	}
	if o.Label != "" {
		if _, dup := labels[o.Label]; dup {
			return row, fail("id", "id %q is used twice", o.Label)
		}
	}
	var oe *engine.OrderError
	if err := o.Validate(row.Time); errors.As(err, &oe) {
		return row, fail(oe.Field, "%s", oe.Reason)
	}
	o.OCO = get("oco")
	switch strings.ToLower(get("reduce_only")) {
	case "", "false", "0", "no":
	case "true", "1", "yes":
		o.ReduceOnly = true
	default:
		return row, fail("reduce_only", "%q: want true or false", get("reduce_only"))
	}
	return row, nil
}

// Replay is a Strategy that submits the orders of an orders file. A row is
// submitted at its symbol's first bar whose time is at or after the row's
// time (the bar at that time when there is one), as if a strategy sent it
// while handling that bar; rows of one bar go in file order. Rows after
// the symbol's last bar are never submitted; Pending counts them.
type Replay struct {
	queues map[string][]OrderRow // by symbol, in time then file order
	ids    map[string]uint64     // engine IDs by label
}

// NewReplay returns a Replay of rows.
func NewReplay(rows []OrderRow) *Replay {
	r := &Replay{queues: make(map[string][]OrderRow), ids: make(map[string]uint64)}
	for _, row := range rows {
		r.queues[row.Order.Symbol] = append(r.queues[row.Order.Symbol], row)
	}
	for _, q := range r.queues {
		sort.SliceStable(q, func(i, j int) bool { return q[i].Time.Before(q[j].Time) })
	}
	return r
}

// Pending returns how many rows have not been submitted.
func (r *Replay) Pending() int {
	n := 0
	for _, q := range r.queues {
		n += len(q)
	}
	return n
}

// OnBar submits the rows due at bar.
func (r *Replay) OnBar(ctx *Context, bar engine.Bar) error {
	q := r.queues[bar.Symbol]
	var errs []error
	for len(q) > 0 && !q[0].Time.After(bar.Time) {
		row := q[0]
		q = q[1:]
		if row.Cancel {
			id, ok := r.ids[row.Order.Label]
			if !ok {
				errs = append(errs, fmt.Errorf("line %d: cancel: order %q was not submitted", row.Line, row.Order.Label))
				continue
			}
			ctx.Cancel(id)
			continue
		}
		o := row.Order
		if row.ParentLabel != "" {
			o.Parent = r.ids[row.ParentLabel]
		}
		// The file's rows are well formed at their own time; a GTD row
		// that expired before its symbol's bar came is rejected by the
		// broker, on the record, and is no failure of the replay.
		id, _ := ctx.SubmitOrder(o)
		if o.Label != "" {
			r.ids[o.Label] = id
		}
	}
	r.queues[bar.Symbol] = q
	return errors.Join(errs...)
}
