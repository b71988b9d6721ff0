package store

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/metrics"
	"github.com/quantloop/quantloop/report"
)

// NewRun returns res as a store records it, keeping what keep says. id is
// RunID of the run. res must have kept its
// records (a run without backtest.Options.Sink); the manifest's inputs are
// res.Inputs (see report.Summarize). started and seconds are the run's
// start and duration.
func NewRun(id string, res *backtest.Result, keep Keep, started time.Time, seconds float64) (*Run, error) {
	var tables report.Tables
	var results *report.Results
	var err error
	if keep == KeepFull {
		results, err = report.Summarize(res, &tables)
	} else {
		// Only the rows a store keeps (see FromResults).
		results, err = report.SummarizeThin(res, &tables, ThinPoints)
	}
	if err != nil {
		return nil, err
	}
	return FromResults(id, results, &tables, res.Curve.Returns(res.InitialCash.InexactFloat64()), keep, started, seconds)
}

// FromResults returns a run as a store records it from its results.json
// (with the manifest, as a report.Writer makes it), its CSV files and its
// per-bar returns (backtest.Curve.Returns from the initial cash), keeping
// what keep says. Its config file is tables.Config, which must be the
// canonical config file of results.Config, or, when that is nil, it is
// encoded; its parameters are the settings of results.Config. See NewRun
// for id, started and seconds.
func FromResults(id string, results *report.Results, tables *report.Tables, returns metrics.Column, keep Keep, started time.Time, seconds float64) (*Run, error) {
	canon := tables.Config
	if canon == nil {
		var err error
		if canon, err = results.Config.CanonicalYAML(); err != nil {
			return nil, err
		}
	}
	man, err := json.Marshal(results.Manifest)
	if err != nil {
		return nil, fmt.Errorf("store: manifest: %w", err)
	}
	ms, err := Scalars(results)
	if err != nil {
		return nil, err
	}
	params, err := report.ConfigSettingsOf(results.Config)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	run := &Run{ID: id, Config: canon, Manifest: man, Partial: results.Partial, Error: results.Error, Keep: keep,
		Started: started, Seconds: seconds, Params: params, Metrics: ms}
	// The returns are read once (a curve's are computed as they are
	// read), and their moments taken from the copy: the same values in
	// the same order.
	run.BarReturns = make([]float64, 0, returns.Len())
	for c := range returns.Chunks() {
		run.BarReturns = append(run.BarReturns, c...)
	}
	run.Returns = metrics.ComputeMoments(metrics.Slice(run.BarReturns))
	split := func(b []byte, i int) ([]string, error) {
		run.texts[i] = string(b)
		return csvRows(run.texts[i])
	}
	if run.Trades, err = split(tables.Trades, 0); err != nil {
		return nil, err
	}
	if run.Equity, err = split(tables.Equity, 3); err != nil {
		return nil, err
	}
	if keep == KeepFull {
		if run.Orders, err = split(tables.Orders, 1); err != nil {
			return nil, err
		}
		if run.Fills, err = split(tables.Fills, 2); err != nil {
			return nil, err
		}
	} else {
		run.Equity = Thin(run.Equity, ThinPoints)
	}
	return run, nil
}

// CSVRows splits a CSV file into its records' text, each without its line
// end (a quoted field may hold a line end); blank lines are skipped. It
// reads the quotes only to find the records' ends (a quote outside a
// quoted field opens one, and a doubled quote inside one stands for a
// quote, so every quote toggles), and fails on a quoted field left open.
// The records share one copy of b.
func CSVRows(b []byte) ([]string, error) { return csvRows(string(b)) }

// csvRows is CSVRows of s, whose records share s.
func csvRows(s string) ([]string, error) {
	out := make([]string, 0, strings.Count(s, "\n")+1)
	quoted := false
	start := 0
	for i := 0; i < len(s); {
		end := strings.IndexByte(s[i:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += i
		}
		if strings.Count(s[i:end], `"`)%2 == 1 {
			quoted = !quoted
		}
		if !quoted && end < len(s) {
			if row := strings.TrimRight(s[start:end], "\r"); row != "" {
				out = append(out, row)
			}
			start = end + 1
		}
		i = end + 1
	}
	if quoted {
		return nil, fmt.Errorf("store: rows: a quoted field opened in the row at byte %d is not closed", start)
	}
	if row := strings.TrimRight(s[start:], "\r"); row != "" {
		out = append(out, row)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// Thin returns rows, a header and its points, with at most n points: the
// header, then the points report.ThinKeep keeps (every k-th from the
// first, with k the least stride that keeps at most n-1 of them, and the
// last).
func Thin(rows []string, n int) []string {
	points := len(rows) - 1
	if points <= n || n < 2 {
		return rows
	}
	out := []string{rows[0]}
	for i := range points {
		if report.ThinKeep(i, points, n) {
			out = append(out, rows[1+i])
		}
	}
	return out
}

// Scalars returns every scalar of results.json by name: a top-level key's
// own name (sharpe, final_equity), a nested one's dotted path
// (analysis.returns.omega). Lists, and the config and manifest (a run's
// settings are its parameters), are left out.
func Scalars(results *report.Results) (map[string]Value, error) {
	out := make(map[string]Value, 128)
	if err := scalarsOf(results, out); err != nil {
		return nil, err
	}
	return out, nil
}

// number returns the Value of text, with its number when the text is a
// finite decimal number.
func number(text string) Value {
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return Value{Text: text}
	}
	return Value{Text: text, Num: f, Numeric: true}
}

// Settings returns the settings of a canonical config file by path
// (strategy.params.fast), as report.ConfigSettings reads them.
func Settings(canon []byte) (map[string]string, error) {
	out, err := report.ConfigSettings(canon)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return out, nil
}
