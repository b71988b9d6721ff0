package report

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
)

// Stream writes equity.csv, fills.csv, trades.csv and orders.csv while a
// run makes them, so that no record is held in memory: it is a
// backtest.Sink. Each file grows under a temporary name in the output
// directory; Commit renames them into place, Abort removes them.
//
// Rows come in the order records become final: equity and fills in time
// order, trades as they close (then those still open), orders as they are
// filled, rejected or canceled (then those still working, by ID).
type Stream struct {
	dir    string
	files  []*streamFile
	equity *streamFile
	fills  *csvFile
	trades *csvFile
	orders *csvFile
	buf    []byte
}

type streamFile struct {
	path string
	f    *os.File
	w    *bufio.Writer
}

type csvFile struct {
	*streamFile
	cw *csv.Writer
}

// NewStream starts the four files in dir, creating dir if needed.
func NewStream(dir string) (*Stream, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	s := &Stream{dir: dir}
	open := func(name string) (*streamFile, error) {
		f, err := os.CreateTemp(dir, "."+name+".*.tmp")
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", filepath.Join(dir, name), err)
		}
		sf := &streamFile{path: filepath.Join(dir, name), f: f, w: bufio.NewWriterSize(f, 1<<16)}
		s.files = append(s.files, sf)
		return sf, nil
	}
	openCSV := func(name string, header []string) (*csvFile, error) {
		sf, err := open(name)
		if err != nil {
			return nil, err
		}
		c := &csvFile{streamFile: sf, cw: csv.NewWriter(sf.w)}
		return c, c.cw.Write(header)
	}
	var err error
	if s.equity, err = open(EquityFile); err == nil {
		_, err = s.equity.w.WriteString(equityHeader)
	}
	if err == nil {
		s.fills, err = openCSV(FillsFile, fillsHeader)
	}
	if err == nil {
		s.trades, err = openCSV(TradesFile, tradesHeader)
	}
	if err == nil {
		s.orders, err = openCSV(OrdersFile, ordersHeader)
	}
	if err != nil {
		s.Abort()
		return nil, err
	}
	return s, nil
}

// WriteEquity appends p's row to equity.csv.
func (s *Stream) WriteEquity(p *backtest.EquityPoint) error {
	s.buf = appendEquityRow(s.buf[:0], p)
	_, err := s.equity.w.Write(s.buf)
	return err
}

// WriteFill appends f's row to fills.csv.
func (s *Stream) WriteFill(f *engine.FillEvent) error { return s.fills.cw.Write(fillRow(f)) }

// WriteTrade appends t's row to trades.csv.
func (s *Stream) WriteTrade(t *portfolio.Trade) error { return s.trades.cw.Write(tradeRow(t)) }

// WriteOrder appends o's row to orders.csv.
func (s *Stream) WriteOrder(o *backtest.OrderRecord) error { return s.orders.cw.Write(orderRow(o)) }

// Commit flushes the files and renames them into place.
func (s *Stream) Commit() error {
	var errs []error
	for _, c := range []*csvFile{s.fills, s.trades, s.orders} {
		c.cw.Flush()
		errs = append(errs, c.cw.Error())
	}
	for _, f := range s.files {
		err := f.w.Flush()
		if err == nil {
			err = f.f.Chmod(0o644)
		}
		if cerr := f.f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(f.f.Name(), f.path)
		}
		if err != nil {
			os.Remove(f.f.Name())
			errs = append(errs, fmt.Errorf("write %s: %w", f.path, err))
		}
	}
	return errors.Join(errs...)
}

// Abort removes the files written so far.
func (s *Stream) Abort() {
	for _, f := range s.files {
		f.f.Close()
		os.Remove(f.f.Name())
	}
}
