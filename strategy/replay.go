package strategy

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/linelimit"
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

// orderTimes parses the times of an orders file, in loc when they have no
// zone. A text matches at most one of orderTimeLayouts, so the layout
// that matched last is tried first: the rows of a file share one.
type orderTimes struct {
	loc  *time.Location
	last int // the index of the layout that matched last
}

func (p *orderTimes) parse(s string) (time.Time, error) {
	if t, err := time.ParseInLocation(orderTimeLayouts[p.last], s, p.loc); err == nil {
		return t, nil
	}
	for i, l := range orderTimeLayouts {
		if t, err := time.ParseInLocation(l, s, p.loc); err == nil {
			p.last = i
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: want RFC 3339, 2006-01-02 15:04[:05] or 2006-01-02", s)
}

// MaxOrdersLineBytes is the length of the longest line, and of the longest
// record, of an orders file. A longer one is an error, so that a file
// without newlines or with an unclosed quote cannot be held whole.
const MaxOrdersLineBytes = 1 << 20

// csvReadAhead is how far encoding/csv's Reader reads ahead of the record
// it returns: the size of its bufio.Reader.
const csvReadAhead = 4096

// OrdersReader reads the rows of an orders file one at a time, checking
// each (see ParseOrders). It keeps, of the rows read, only what later rows
// refer to: for each order with an id its time, symbol, side and quantity.
type OrdersReader struct {
	name   string
	times  orderTimes
	cap    *linelimit.Reader
	cr     *csv.Reader
	header int            // the number of columns
	col    map[string]int // 1 + the index of each column
	labels map[string]labelRef
	// symbols holds each symbol of an order: the copy of its text that the
	// orders share, and where it first appears.
	symbols map[string]symbolSeen
	rows    int
	// prev is the time of the previous row; unsorted the first row, if
	// any, whose time is before it.
	prev     time.Time
	prevLine int
	unsorted *OrdersFileError
	err      error // the first error of Next
}

// labelRef is what an orders file's rows may refer to of an order with an
// id: a cancel row its symbol and time, a bracket exit also its side and
// quantity. id is the engine's ID of the order once a Replay submitted
// it, 0 before.
type labelRef struct {
	time   time.Time
	symbol string
	side   engine.Side
	qty    decimal.Decimal
	id     uint64
}

// SymbolPos is where a symbol first appears in an orders file.
type SymbolPos struct {
	Line, Column int
}

// symbolSeen is a symbol's text, kept once, and where it first appears.
type symbolSeen struct {
	name string
	pos  SymbolPos
}

// NewOrdersReader reads the header of the orders file r and returns a
// reader of its rows. name is the file's name for errors; times without a
// zone are in loc (UTC when nil).
func NewOrdersReader(r io.Reader, name string, loc *time.Location) (*OrdersReader, error) {
	if loc == nil {
		loc = time.UTC
	}
	lim := linelimit.New(r, MaxOrdersLineBytes, csvReadAhead, func(line int, err error) error {
		return &OrdersFileError{File: name, Line: line, Err: err}
	})
	o := &OrdersReader{name: name, times: orderTimes{loc: loc}, cap: lim,
		col: make(map[string]int), labels: make(map[string]labelRef), symbols: make(map[string]symbolSeen)}
	o.cr = csv.NewReader(o.cap)
	o.cr.FieldsPerRecord = -1
	o.cr.ReuseRecord = true
	header, err := o.cr.Read()
	if err == io.EOF {
		return nil, &OrdersFileError{File: name, Line: 1, Err: errors.New("empty file: want a header line " + strings.Join(OrdersColumns[:13], ","))}
	}
	if err != nil {
		return nil, o.readError(err)
	}
	o.recordRead()
	o.header = len(header)
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		line, column := o.cr.FieldPos(i)
		switch {
		case !slices.Contains(OrdersColumns, h):
			return nil, &OrdersFileError{File: name, Line: line, Column: column, Err: fmt.Errorf("unknown column %q (want %s)", h, strings.Join(OrdersColumns, ","))}
		case o.col[h] != 0:
			return nil, &OrdersFileError{File: name, Line: line, Column: column, Err: fmt.Errorf("column %q appears twice", h)}
		}
		o.col[h] = i + 1
	}
	for _, c := range OrdersColumns[:4] {
		if o.col[c] == 0 {
			return nil, &OrdersFileError{File: name, Line: 1, Err: fmt.Errorf("missing column %q", c)}
		}
	}
	return o, nil
}

// textColumns are the columns whose text goes into the outputs as it is,
// and must be valid UTF-8.
var textColumns = []string{"symbol", "id", "parent", "oco"}

// Next returns the next row, or io.EOF after the last. The first bad row
// gives an *OrdersFileError naming the line and column, and so does every
// later call.
func (o *OrdersReader) Next() (OrderRow, error) {
	if o.err != nil {
		return OrderRow{}, o.err
	}
	row, err := o.next()
	if err != nil && err != io.EOF {
		o.err = err
	}
	return row, err
}

// next is Next without its memory of errors.
func (o *OrdersReader) next() (OrderRow, error) {
	rec, err := o.cr.Read()
	if err == io.EOF && o.cap.Err() == nil {
		return OrderRow{}, io.EOF
	}
	if err != nil {
		return OrderRow{}, o.readError(err)
	}
	o.recordRead()
	line, _ := o.cr.FieldPos(0)
	if len(rec) != o.header {
		return OrderRow{}, &OrdersFileError{File: o.name, Line: line, Err: fmt.Errorf("%d fields, the header has %d", len(rec), o.header)}
	}
	get := func(c string) string {
		if i := o.col[c]; i > 0 {
			return strings.TrimSpace(rec[i-1])
		}
		return ""
	}
	fail := func(c string, format string, args ...any) error {
		e := &OrdersFileError{File: o.name, Line: line, Field: c, Err: fmt.Errorf(format, args...)}
		if i := o.col[c]; i > 0 {
			e.Line, e.Column = o.cr.FieldPos(i - 1)
		}
		return e
	}
	for _, c := range textColumns {
		if s := get(c); !utf8.ValidString(s) {
			return OrderRow{}, fail(c, "%q is not valid UTF-8 text", s)
		}
	}
	row, err := parseOrderRow(get, fail, &o.times, o.labels)
	if err != nil {
		return OrderRow{}, err
	}
	row.Line = line
	o.rows++
	if row.Time.Before(o.prev) && o.unsorted == nil {
		e := fail("time", "%s is before %s, the time of line %d", row.Time.Format(time.RFC3339Nano), o.prev.Format(time.RFC3339Nano), o.prevLine)
		o.unsorted = e.(*OrdersFileError)
	}
	o.prev, o.prevLine = row.Time, line
	if row.Cancel {
		return row, nil
	}
	sym, ok := o.symbols[row.Order.Symbol]
	if !ok {
		sym.name = strings.Clone(row.Order.Symbol)
		sym.pos.Line, sym.pos.Column = o.cr.FieldPos(o.col["symbol"] - 1)
		o.symbols[sym.name] = sym
	}
	row.Order.Symbol = sym.name
	if row.Order.Label != "" {
		o.labels[strings.Clone(row.Order.Label)] = labelRef{time: row.Time, symbol: sym.name,
			side: row.Order.Side, qty: row.Order.Quantity}
	}
	return row, nil
}

// readError turns an error of the CSV reader into an *OrdersFileError.
func (o *OrdersReader) readError(err error) error {
	if o.cap.Err() != nil {
		return o.cap.Err()
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &OrdersFileError{File: o.name, Line: pe.Line, Column: pe.Column, Err: pe.Err}
	}
	return fmt.Errorf("%s: %w", o.name, err)
}

// recordRead tells the line limit that the next record starts where the
// CSV reader stands.
func (o *OrdersReader) recordRead() {
	line, _ := o.cr.FieldPos(0)
	o.cap.RecordStart(o.cr.InputOffset(), line+1)
}

// Rows returns the number of rows read.
func (o *OrdersReader) Rows() int { return o.rows }

// Symbols returns the symbols of the orders read, each with where it
// first appears.
func (o *OrdersReader) Symbols() map[string]SymbolPos {
	m := make(map[string]SymbolPos, len(o.symbols))
	for k, v := range o.symbols {
		m[k] = v.pos
	}
	return m
}

// Unsorted returns the first row read whose time is before the row above
// it, as an error naming its line, or nil when the rows read are in time
// order.
func (o *OrdersReader) Unsorted() *OrdersFileError { return o.unsorted }

// ParseOrders reads an orders file: a CSV with a header naming its
// columns (see OrdersColumns; case and surrounding spaces do not matter).
// name is the file's name for errors; times without a zone are in loc (UTC
// when nil). Every row is checked; the first bad one gives an
// *OrdersFileError naming the line and column. Lines and records are at
// most MaxOrdersLineBytes long, and the symbol, id, parent and oco fields
// valid UTF-8. It holds every row; OpenReplay reads a file in time order
// as a run goes.
func ParseOrders(r io.Reader, name string, loc *time.Location) ([]OrderRow, error) {
	o, err := NewOrdersReader(r, name, loc)
	if err != nil {
		return nil, err
	}
	var rows []OrderRow
	for {
		row, err := o.Next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
}

// parseOrderRow checks one row's fields.
func parseOrderRow(get func(string) string, fail func(string, string, ...any) error, times *orderTimes, labels map[string]labelRef) (OrderRow, error) {
	var row OrderRow
	o := &row.Order
	var err error
	if row.Time, err = times.parse(get("time")); err != nil {
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
		case target.time.After(row.Time):
			return row, fail("time", "the cancel comes before order %q is submitted (%s)", o.Label, target.time.Format(time.RFC3339))
		}
		o.Symbol = target.symbol
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
	var parent *labelRef
	if row.ParentLabel != "" {
		p, ok := labels[row.ParentLabel]
		switch {
		case !ok:
			return row, fail("parent", "no earlier order has id %q", row.ParentLabel)
		case p.symbol != o.Symbol || p.side == o.Side:
			return row, fail("parent", "a bracket exit must trade its entry's symbol %s on the other side", p.symbol)
		case p.time.After(row.Time):
			return row, fail("parent", "entry %q is submitted after this row", row.ParentLabel)
		}
		parent = &p
	}
	if q := get("quantity"); q != "" {
		if o.Quantity, err = decimal.NewFromString(q); err != nil {
			return row, fail("quantity", "%q is not a number", q)
		}
	} else if parent != nil {
		o.Quantity = parent.qty
	} else {
		return row, fail("quantity", "empty quantity")
	}
	price := func(c string) (engine.Price, error) {
		s := get(c)
		if s == "" {
			return 0, nil
		}
		p, err := engine.ParsePrice(s)
		switch {
		case errors.Is(err, engine.ErrPriceRange):
			return 0, fail(c, "price %v", err)
		case err != nil || p <= 0:
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
		if o.ExpireAt, err = times.parse(e); err != nil {
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
//
// A Replay made by NewReplay holds every row. One made by OpenReplay from
// a file in time order reads the rows as the run reaches their times, and
// holds only the rows due whose symbol has had no bar since, and of every
// order with an id its time, symbol, side, quantity and engine ID.
type Replay struct {
	queues map[string]*rowQueue // by symbol, in time then file order
	labels map[string]labelRef  // the orders with an id, by id
	total  int                  // the rows of the file
	done   int                  // the rows handled

	// When reading the file as the run goes: its reader, the row read
	// ahead, and the file's hash as the first reading saw it.
	src       *OrdersReader
	next      OrderRow
	haveNext  bool
	file      io.Reader
	sum       hash.Hash
	scanned   []byte
	streamErr error
}

// rowQueue is the rows of one symbol not yet handled; rows[head:] are
// waiting.
type rowQueue struct {
	rows []OrderRow
	head int
}

// NewReplay returns a Replay of rows.
func NewReplay(rows []OrderRow) *Replay {
	r := &Replay{queues: make(map[string]*rowQueue), labels: make(map[string]labelRef), total: len(rows)}
	for _, row := range rows {
		r.push(row)
	}
	for _, q := range r.queues {
		sort.SliceStable(q.rows, func(i, j int) bool { return q.rows[i].Time.Before(q.rows[j].Time) })
	}
	return r
}

// push queues row under its symbol.
func (r *Replay) push(row OrderRow) {
	q := r.queues[row.Order.Symbol]
	if q == nil {
		q = &rowQueue{}
		r.queues[row.Order.Symbol] = q
	}
	q.rows = append(q.rows, row)
}

// MaxUnsortedOrders is the largest number of rows of an orders file that
// is not in time order: OpenReplay holds such a file in memory, which takes
// about 0.5 KB a row. A file in time order is read as the run goes, and
// has no such limit.
const MaxUnsortedOrders = 100_000

// OrdersSummary is what OpenReplay found in an orders file.
type OrdersSummary struct {
	// Rows is the number of rows.
	Rows int
	// Symbols holds the symbols of the orders, each with the line and
	// column where it first appears.
	Symbols map[string]SymbolPos
	// Sorted is true when the rows are in time order, each row's time at
	// or after the time of the row above it.
	Sorted bool
}

// OpenReplay reads the orders file f (see ParseOrders) and returns a
// Replay of it. It checks every row first, so that a bad row is reported
// before the run starts; then, when the rows are in time order, the
// Replay reads the file a second time as the run goes, in memory that
// does not grow with the number of rows without an id, and checks at
// Close that the file did not change in between. A file not in time order
// is held in memory, and may have at most MaxUnsortedOrders rows. The
// caller must Close the Replay.
func OpenReplay(f io.ReadSeeker, name string, loc *time.Location) (*Replay, *OrdersSummary, error) {
	sum := sha256.New()
	o, err := NewOrdersReader(io.TeeReader(f, sum), name, loc)
	if err != nil {
		return nil, nil, err
	}
	for {
		_, err := o.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
	}
	info := &OrdersSummary{Rows: o.Rows(), Symbols: o.Symbols(), Sorted: o.Unsorted() == nil}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	if !info.Sorted {
		if info.Rows > MaxUnsortedOrders {
			e := *o.Unsorted()
			e.Err = fmt.Errorf("%w: the rows are not in time order, and a file of more than %d rows must be (this one has %d): sort it by time", e.Err, MaxUnsortedOrders, info.Rows)
			return nil, nil, &e
		}
		again := sha256.New()
		rows, err := ParseOrders(io.TeeReader(f, again), name, loc)
		if err != nil {
			return nil, nil, fmt.Errorf("%s changed while it was read: %w", name, err)
		}
		if !bytes.Equal(again.Sum(nil), sum.Sum(nil)) {
			return nil, nil, fmt.Errorf("%s changed while it was read: its bytes differ from those checked before", name)
		}
		return NewReplay(rows), info, nil
	}
	r := &Replay{queues: make(map[string]*rowQueue), total: info.Rows, file: f, sum: sha256.New(), scanned: sum.Sum(nil)}
	if r.src, err = NewOrdersReader(io.TeeReader(f, r.sum), name, loc); err != nil {
		return nil, nil, fmt.Errorf("%s changed while it was read: %w", name, err)
	}
	r.labels = r.src.labels
	return r, info, nil
}

// Pending returns how many rows have not been submitted.
func (r *Replay) Pending() int { return r.total - r.done }

// Close ends the reading of the file: it reads what the run did not reach
// and returns an error if the file changed since OpenReplay checked it,
// or if reading it failed during the run. It returns nil for a Replay made
// by NewReplay.
func (r *Replay) Close() error {
	if r.src == nil {
		return nil
	}
	name := r.src.name
	r.src = nil
	if r.streamErr != nil {
		return fmt.Errorf("orders file changed during the run: %w", r.streamErr)
	}
	if _, err := io.Copy(r.sum, r.file); err != nil {
		return fmt.Errorf("orders file %s: %w", name, err)
	}
	if !bytes.Equal(r.sum.Sum(nil), r.scanned) {
		return fmt.Errorf("orders file %s changed during the run: its bytes differ from those checked before it", name)
	}
	return nil
}

// readUntil queues the rows of the file up to time t.
func (r *Replay) readUntil(t time.Time) {
	for r.src != nil && r.streamErr == nil {
		if !r.haveNext {
			row, err := r.src.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				r.streamErr = err
				return
			}
			r.next, r.haveNext = row, true
		}
		if r.next.Time.After(t) {
			return
		}
		r.push(r.next)
		r.next, r.haveNext = OrderRow{}, false
	}
}

// OnBar submits the rows due at bar.
func (r *Replay) OnBar(ctx *Context, bar engine.Bar) error {
	var errs []error
	r.due(bar, func(row OrderRow) {
		if row.Cancel {
			ref := r.labels[row.Order.Label]
			if ref.id == 0 {
				errs = append(errs, fmt.Errorf("line %d: cancel: order %q was not submitted", row.Line, row.Order.Label))
				return
			}
			ctx.Cancel(ref.id)
			return
		}
		o := row.Order
		if row.ParentLabel != "" {
			o.Parent = r.labels[row.ParentLabel].id
		}
		// The file's rows are well formed at their own time; a GTD row
		// that expired before its symbol's bar came is rejected by the
		// broker, on the record, and is no failure of the replay.
		id := ctx.SubmitOrder(o)
		if o.Label != "" {
			ref := r.labels[o.Label]
			ref.id = id
			r.labels[o.Label] = ref
		}
	})
	return errors.Join(errs...)
}

// due calls handle with each row due at bar, in order, and forgets it.
func (r *Replay) due(bar engine.Bar, handle func(OrderRow)) {
	r.readUntil(bar.Time)
	q := r.queues[bar.Symbol]
	if q == nil {
		return
	}
	for q.head < len(q.rows) && !q.rows[q.head].Time.After(bar.Time) {
		row := q.rows[q.head]
		q.rows[q.head] = OrderRow{}
		q.head++
		r.done++
		handle(row)
	}
	if q.head == len(q.rows) {
		q.rows, q.head = q.rows[:0], 0
	}
}
