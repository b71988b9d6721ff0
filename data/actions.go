package data

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Action is one row of a corporate-actions file: a split or a cash
// dividend of one symbol, effective at the start of its ex-date.
type Action struct {
	// Date is the ex-date at midnight in the zone the file was read in.
	Date   time.Time
	Symbol string
	// Split is the number of shares after the split per share before it
	// (2 for a 2-for-1 split, 1.5 for 3-for-2, 0.1 for a 1-for-10
	// reverse split); zero for a dividend.
	Split decimal.Decimal
	// Dividend is the cash paid per share; zero for a split.
	Dividend decimal.Decimal
	// Line is the row's line in the file.
	Line int
}

// MaxActionsBytes is the size of the largest corporate-actions file
// ParseActions reads.
const MaxActionsBytes = 16 << 20

// actionColumns are the columns of a corporate-actions file.
var actionColumns = []string{"date", "symbol", "split", "dividend"}

// ReadActions reads the corporate-actions file at path (see ParseActions)
// and returns its actions with the digest of the bytes it read.
func ReadActions(path string, loc *time.Location) ([]Action, Digest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Digest{}, fmt.Errorf("actions file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxActionsBytes+1))
	if err != nil {
		return nil, Digest{}, &Error{File: path, Err: fmt.Errorf("read: %w", err)}
	}
	acts, err := ParseActions(b, path, loc)
	if err != nil {
		return nil, Digest{}, err
	}
	return acts, Digest{Path: path, SHA256: sha256.Sum256(b), Bytes: int64(len(b))}, nil
}

// ParseActions parses the text of a corporate-actions file named name:
// a header line naming the columns date, symbol, split and dividend (in
// any order, any case), then one action a row. The date is YYYY-MM-DD,
// taken as midnight in loc (UTC when nil); the symbol is the run's name
// of the instrument; exactly one of split and dividend is given, the other
// left empty. Split is a positive decimal ratio of shares after to shares
// before (2 for 2-for-1, 1.5 for 3-for-2, 0.5 for 1-for-2); dividend is a
// positive decimal amount per share. Dates must not decrease from row to
// row. Every error is an *Error naming the file, the line and the column.
func ParseActions(b []byte, name string, loc *time.Location) ([]Action, error) {
	if loc == nil {
		loc = time.UTC
	}
	if len(b) > MaxActionsBytes {
		return nil, &Error{File: name, Err: fmt.Errorf("the file is larger than %d bytes", MaxActionsBytes)}
	}
	b = bytes.TrimPrefix(b, []byte(utf8BOM))
	cr := csv.NewReader(bytes.NewReader(b))
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, &Error{File: name, Err: errors.New("the file is empty; expected the header date,symbol,split,dividend")}
	}
	if err != nil {
		return nil, actionReadError(name, err)
	}
	col := map[string]int{}
	names := make([]string, len(head))
	for i, h := range head {
		names[i] = strings.TrimSpace(h)
		n := strings.ToLower(names[i])
		if _, dup := col[n]; dup {
			return nil, &Error{File: name, Line: 1, Err: fmt.Errorf("column %q appears twice in the header", names[i])}
		}
		col[n] = i
	}
	for _, c := range actionColumns {
		if _, ok := col[c]; !ok {
			return nil, &Error{File: name, Line: 1, Field: c, Err: fmt.Errorf("no %s column in the header %s; expected the columns date,symbol,split,dividend", c, listNames(names))}
		}
	}
	if len(head) != len(actionColumns) {
		return nil, &Error{File: name, Line: 1, Err: fmt.Errorf("the header %s has %d columns; expected exactly date,symbol,split,dividend", listNames(names), len(head))}
	}
	var out []Action
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, actionReadError(name, err)
		}
		line, _ := cr.FieldPos(0)
		fail := func(c, format string, args ...any) error {
			return &Error{File: name, Line: line, Field: names[col[c]], Err: fmt.Errorf(format, args...)}
		}
		a := Action{Line: line}
		ds := strings.TrimSpace(rec[col["date"]])
		if a.Date, err = time.ParseInLocation("2006-01-02", ds, loc); err != nil {
			return nil, fail("date", "date %q is not a date written YYYY-MM-DD", ds)
		}
		if n := len(out); n > 0 && a.Date.Before(out[n-1].Date) {
			return nil, fail("date", "date %s is before the previous row's %s (line %d); dates must not decrease", ds, out[n-1].Date.Format("2006-01-02"), out[n-1].Line)
		}
		a.Symbol = strings.TrimSpace(rec[col["symbol"]])
		if a.Symbol == "" {
			return nil, fail("symbol", "the symbol is empty")
		}
		if a.Split, err = actionNumber(rec[col["split"]]); err != nil {
			return nil, fail("split", "split %w; expected a ratio of shares after to shares before, such as 2 for a 2-for-1 split or 1.5 for 3-for-2", err)
		}
		if a.Dividend, err = actionNumber(rec[col["dividend"]]); err != nil {
			return nil, fail("dividend", "dividend %w; expected the cash paid per share, such as 0.25", err)
		}
		switch {
		case a.Split.IsZero() && a.Dividend.IsZero():
			return nil, fail("split", "the row has neither a split nor a dividend; give one of them")
		case !a.Split.IsZero() && !a.Dividend.IsZero():
			return nil, fail("dividend", "the row has both a split and a dividend; give each action a row of its own")
		}
		out = append(out, a)
	}
}

// actionNumber parses a split ratio or a dividend: empty for none, else a
// positive decimal of at most 18 digits before the point and 18 after.
func actionNumber(s string) (decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return decimal.Zero, nil
	}
	if strings.Contains(s, ":") {
		return decimal.Zero, fmt.Errorf("%q is not a decimal number (write 3:2 as 1.5)", s)
	}
	if len(s) > 40 {
		return decimal.Zero, fmt.Errorf("%.20q... is too long", s)
	}
	d, err := decimal.NewFromString(s)
	if err != nil || strings.ContainsAny(s, "eE") {
		return decimal.Zero, fmt.Errorf("%q is not a decimal number", s)
	}
	if !d.IsPositive() {
		return decimal.Zero, fmt.Errorf("%s must be positive", s)
	}
	if d.Exponent() < -18 || int64(d.NumDigits())+int64(d.Exponent()) > 18 {
		return decimal.Zero, fmt.Errorf("%s is out of range: at most 18 digits before the decimal point and 18 after", s)
	}
	return d, nil
}

// actionReadError turns an error of encoding/csv into an *Error.
func actionReadError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return &Error{File: name, Line: pe.StartLine, Err: fmt.Errorf("the row has a different number of fields from the header's 4 (date,symbol,split,dividend)")}
		}
		return &Error{File: name, Line: pe.Line, Err: fmt.Errorf("column %d: %w", pe.Column, pe.Err)}
	}
	return &Error{File: name, Err: err}
}
