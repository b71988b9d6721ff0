package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/report"
	"github.com/quantloop/quantloop/store"
)

// recordRun records the run of given (the config as given, whose
// effective config names the run: see store.RunID) into the store file
// path: res, its results as the writer made them, and its CSV files from
// the run folder dir. An interrupted run is not recorded: it is not
// the run its id names.
func recordRun(ctx context.Context, path string, given backtest.Config, dir string, results *report.Results, res *backtest.Result, started time.Time) error {
	if errors.Is(res.Err, engine.ErrInterrupted) {
		return nil
	}
	eff, err := given.Effective()
	if err != nil {
		return err
	}
	canon, err := eff.CanonicalYAML()
	if err != nil {
		return err
	}
	var tables report.Tables
	for _, f := range []struct {
		name string
		dst  *[]byte
	}{{report.TradesFile, &tables.Trades}, {report.OrdersFile, &tables.Orders}, {report.FillsFile, &tables.Fills}, {report.EquityFile, &tables.Equity}} {
		if *f.dst, err = os.ReadFile(filepath.Join(dir, f.name)); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	id := store.RunID(canon, results.Manifest.Inputs)
	run, err := store.FromResults(id, results, &tables, res.Curve.Returns(res.InitialCash.InexactFloat64()),
		store.KeepFull, started, time.Since(started).Seconds())
	if err != nil {
		return err
	}
	s, err := openStore(path)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Record(ctx, run, ""); err != nil {
		return err
	}
	return s.Close()
}

// sqliteHeader is the first 16 bytes of every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// sqliteFile returns the file info of path, an SQLite database file or an
// empty file (which SQLite opens as an empty database), or why it is not.
func sqliteFile(path string) (os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a run store", path)
	}
	head := make([]byte, len(sqliteHeader))
	if n, err := io.ReadFull(f, head); fi.Size() > 0 && (err != nil || string(head[:n]) != sqliteHeader) {
		return nil, fmt.Errorf("%s is not a run store (not an SQLite file)", path)
	}
	return fi, nil
}

// checkStore reports, before any work, a store file that a command would
// create or write and could not: an existing file that is not an SQLite
// file, or a new one whose folder is not there. It creates nothing.
func checkStore(path string) error {
	if _, err := sqliteFile(path); !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return checkFileOut("store", path)
}

// openStore opens the store file path; a path that cannot be a store is
// the user's error.
func openStore(path string) (*store.Store, error) {
	s, err := store.Open(path)
	if err != nil {
		return nil, badInput(err)
	}
	return s, nil
}

// openExisting opens the store file path, which must exist.
func openExisting(path string) (*store.Store, error) {
	if path == "" {
		return nil, badInput(errors.New("--store: give the store file"))
	}
	if _, err := os.Stat(path); err != nil {
		return nil, badInput(fmt.Errorf("store: %w", err))
	}
	return openStore(path)
}
