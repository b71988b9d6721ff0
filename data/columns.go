package data

import (
	"errors"
	"fmt"
	"strings"
)

// field is a canonical bar field.
type field int

const (
	fTime  field = iota // the whole timestamp
	fDate               // the date part when date and time of day are separate columns
	fClock              // the time of day
	fOpen
	fHigh
	fLow
	fClose
	fVolume
	fAdjClose // the adjusted close, read under AdjustPrices only
	numFields
)

// canonicalNames are the names Options.Order uses and the csv tags of
// rawRow; index by field.
var canonicalNames = [numFields]string{"time", "date", "clock", "open", "high", "low", "close", "volume", "adj_close"}

// rawRow is one CSV row as csvutil decodes it: text only. Numbers and times
// are parsed afterwards so that errors carry the line and the column.
type rawRow struct {
	Time     string `csv:"time"`
	Date     string `csv:"date"`
	Clock    string `csv:"clock"`
	Open     string `csv:"open"`
	High     string `csv:"high"`
	Low      string `csv:"low"`
	Close    string `csv:"close"`
	Volume   string `csv:"volume"`
	AdjClose string `csv:"adj_close"`
}

// aliases are the header names recognized for each field, lower case, in
// order of preference. The time field is resolved separately (see
// mapHeader) because "Date" and "Time" can mean a timestamp or its parts.
var aliases = [numFields][]string{
	fOpen:     {"open", "o"},
	fHigh:     {"high", "h"},
	fLow:      {"low", "l"},
	fClose:    {"close", "last", "c"},
	fVolume:   {"volume", "vol", "v"},
	fAdjClose: {"adj close", "adj_close", "adjclose", "adjusted close"},
}

// timestampAliases name a column holding a whole timestamp.
var timestampAliases = []string{"datetime", "date/time", "date time", "timestamp"}

// columnMap says which CSV column holds each field (-1: none) and is the
// header handed to csvutil: the canonical name of each used column and ""
// for the others.
type columnMap struct {
	col    [numFields]int
	header []string
}

func newColumnMap(n int) columnMap {
	var m columnMap
	for i := range m.col {
		m.col[i] = -1
	}
	m.header = make([]string, n)
	return m
}

func (m *columnMap) set(f field, i int) {
	m.col[f] = i
	m.header[i] = canonicalNames[f]
}

// split reports whether date and time of day are separate columns.
func (m *columnMap) split() bool { return m.col[fDate] >= 0 }

// normName is the form in which header names are compared.
func normName(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// mapHeader finds the fields in a header line, using cols for the fields it
// names and the usual spellings for the others. The adjusted close is
// looked for, and required, only when adj is true.
func mapHeader(header []string, cols Columns, adj bool) (columnMap, error) {
	m := newColumnMap(len(header))
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = normName(h)
	}
	// find returns the column named name, or -1; a name present twice is an error.
	find := func(name string) (int, error) {
		at := -1
		for i, n := range names {
			if n == name {
				if at >= 0 {
					return -1, fmt.Errorf("column %q appears twice in the header (columns %d and %d)", header[i], at+1, i+1)
				}
				at = i
			}
		}
		return at, nil
	}
	explicit := [numFields]string{cols.Time, cols.Date, cols.Clock, cols.Open, cols.High, cols.Low, cols.Close, cols.Volume, cols.AdjClose}
	optionNames := [numFields]string{"Time", "Date", "Clock", "Open", "High", "Low", "Close", "Volume", "AdjClose"}
	for f, name := range explicit {
		if name == "" {
			continue
		}
		i, err := find(normName(name))
		if err != nil {
			return m, err
		}
		if i < 0 {
			return m, fmt.Errorf("no column %q (Options.Columns.%s) in the header %s", name, optionNames[f], listNames(header))
		}
		m.set(field(f), i)
	}
	switch {
	case cols.Time != "" && (cols.Date != "" || cols.Clock != ""):
		return m, errors.New("Options.Columns: give either Time or Date and Clock, not both")
	case cols.Clock != "" && cols.Date == "":
		return m, errors.New("Options.Columns: Clock needs Date")
	case cols.Date != "" && cols.Clock == "":
		// A lone date column is the timestamp.
		m.col[fTime], m.col[fDate] = m.col[fDate], -1
		m.header[m.col[fTime]] = canonicalNames[fTime]
	}

	// The time column(s), unless given.
	if m.col[fTime] < 0 && m.col[fDate] < 0 {
		for _, a := range timestampAliases {
			i, err := find(a)
			if err != nil {
				return m, err
			}
			if i >= 0 {
				m.set(fTime, i)
				break
			}
		}
	}
	if m.col[fTime] < 0 && m.col[fDate] < 0 {
		d, err := find("date")
		if err != nil {
			return m, err
		}
		t, err := find("time")
		if err != nil {
			return m, err
		}
		switch {
		case d >= 0 && t >= 0:
			m.set(fDate, d)
			m.set(fClock, t)
		case d >= 0:
			m.set(fTime, d)
		case t >= 0:
			m.set(fTime, t)
		default:
			return m, &missingColumnError{field: "time", want: "Date, Datetime, Date/Time, Timestamp or Time", header: header}
		}
	}

	last := fVolume
	if adj {
		last = fAdjClose
	}
	for f := fOpen; f <= last; f++ {
		if m.col[f] >= 0 {
			continue
		}
		for _, a := range aliases[f] {
			i, err := find(a)
			if err != nil {
				return m, err
			}
			if i >= 0 && m.header[i] == "" {
				m.set(f, i)
				break
			}
		}
		if m.col[f] < 0 && f == fAdjClose {
			return m, &missingColumnError{field: canonicalNames[f], want: "Adj Close (or Adjusted Close)", header: header,
				why: "adjusted prices (--adjust adjusted, data.adjust) scale open, high, low and close by Adj Close / Close"}
		}
		if m.col[f] < 0 && f != fVolume {
			want := make([]string, len(aliases[f]))
			for j, a := range aliases[f] {
				want[j] = titleCase(a)
			}
			n := len(want) - 1
			return m, &missingColumnError{field: canonicalNames[f], want: strings.Join(want[:n], ", ") + " or " + want[n], header: header}
		}
	}
	if err := m.checkDistinct(); err != nil {
		return m, err
	}
	return m, nil
}

// checkDistinct reports a column used for two fields.
func (m *columnMap) checkDistinct() error {
	for f := range numFields {
		for g := f + 1; g < numFields; g++ {
			if m.col[f] >= 0 && m.col[f] == m.col[g] {
				return fmt.Errorf("column %d is used for both %s and %s", m.col[f]+1, canonicalNames[f], canonicalNames[g])
			}
		}
	}
	return nil
}

// missingColumnError reports a header without a required column.
type missingColumnError struct {
	field  string
	want   string
	header []string
	why    string // why the column is needed, when it is optional otherwise
}

func (e *missingColumnError) Error() string {
	msg := fmt.Sprintf("no %s column in the header %s; expected a column named %s (or name it with --columns, Options.Columns)",
		e.field, listNames(e.header), e.want)
	if e.why != "" {
		msg += ": " + e.why
	}
	return msg
}

// mapOrder maps columns by position from order, for files whose header is
// absent or ignored; n is the number of fields per row. adj requires an
// adj_close field.
func mapOrder(order []string, n int, adj bool) (columnMap, error) {
	m := newColumnMap(n)
	if len(order) > n {
		return m, fmt.Errorf("Options.Order names %d columns but the row has %d fields", len(order), n)
	}
	for i, name := range order {
		if name == "" {
			continue
		}
		f := field(-1)
		for g, c := range canonicalNames {
			if name == c {
				f = field(g)
			}
		}
		if f < 0 {
			return m, fmt.Errorf("Options.Order: unknown field %q; expected one of %s or \"\"", name, strings.Join(canonicalNames[:], ", "))
		}
		if m.col[f] >= 0 {
			return m, fmt.Errorf("Options.Order: field %q appears twice", name)
		}
		m.set(f, i)
	}
	switch {
	case m.col[fTime] >= 0 && (m.col[fDate] >= 0 || m.col[fClock] >= 0):
		return m, errors.New(`Options.Order: give either "time" or "date" and "clock", not both`)
	case m.col[fClock] >= 0 && m.col[fDate] < 0:
		return m, errors.New(`Options.Order: "clock" needs "date"`)
	case m.col[fDate] >= 0 && m.col[fClock] < 0:
		// A lone date column is the timestamp.
		i := m.col[fDate]
		m.col[fDate] = -1
		m.set(fTime, i)
	}
	if m.col[fTime] < 0 && m.col[fDate] < 0 {
		return m, errors.New(`Options.Order: no "time" (or "date" and "clock") field`)
	}
	for f := fOpen; f <= fClose; f++ {
		if m.col[f] < 0 {
			return m, fmt.Errorf("Options.Order: no %q field", canonicalNames[f])
		}
	}
	if adj && m.col[fAdjClose] < 0 {
		return m, errors.New(`Options.Order: no "adj_close" field; adjusted prices (--adjust adjusted, data.adjust) need the adjusted close (give it with --order, e.g. date,open,high,low,close,adj_close,volume)`)
	}
	return m, nil
}

// autoOrder guesses the column order of a row without a usable header:
// time,open,high,low,close[,volume], or date,clock,open,high,low,close[,volume]
// when the second field is a time of day. Further fields are ignored.
func autoOrder(row []string) ([]string, error) {
	n := len(row)
	if n >= 6 {
		df, dok := detectTime(strings.TrimSpace(row[0]))
		_, cok := detectClock(strings.TrimSpace(row[1]))
		if dok && df.isDate() && cok {
			order := []string{"date", "clock", "open", "high", "low", "close"}
			if n >= 7 {
				order = append(order, "volume")
			}
			return order, nil
		}
	}
	if n < 5 {
		return nil, fmt.Errorf("a row without a header needs at least 5 fields, time,open,high,low,close; this one has %d (is the delimiter right? --delimiter, Options.Comma)", n)
	}
	order := []string{"time", "open", "high", "low", "close"}
	if n >= 6 {
		order = append(order, "volume")
	}
	return order, nil
}

// listNames formats a header for messages: [Date Open High].
func listNames(header []string) string {
	return fmt.Sprintf("%q", header)
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
