package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/report"
)

// errNotReproduced marks a verify that found a difference (exit status 1).
var errNotReproduced = errors.New("not reproduced")

func cmdVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("verify", "DIR", stdout, stderr)
	dir, err := oneDirArg(fs, args, stdout)
	if err != nil {
		return err
	}
	diff, n, err := verifyDir(ctx, dir)
	if err != nil {
		return err
	}
	if diff != "" {
		return exitError{exitInternal, fmt.Errorf("verify %s: %w: %s", dir, errNotReproduced, diff)}
	}
	fmt.Fprintf(stdout, "quantloop verify %s: inputs unchanged; all %d outputs reproduce bit for bit\n", dir, n)
	return nil
}

// oneDirArg parses fs with args and returns its single positional
// argument.
func oneDirArg(fs *flag.FlagSet, args []string, stdout io.Writer) (string, error) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fs.Usage()
		return "", errHelp
	}
	if err != nil {
		return "", usageError{fmt.Errorf("%w: %w", errUsagePrinted, err)}
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return "", badInput(fmt.Errorf("%s: want exactly one argument, got %d", fs.Name(), fs.NArg()))
	}
	return fs.Arg(0), nil
}

// verifyDir re-runs the run saved in dir and compares. It returns the
// first difference ("" if none) and the number of outputs compared. An
// error means verify could not do its work (a missing or bad manifest or
// config).
func verifyDir(ctx context.Context, dir string) (diff string, n int, err error) {
	mb, err := os.ReadFile(filepath.Join(dir, report.ManifestFile))
	if err != nil {
		return "", 0, badInput(fmt.Errorf("verify: %w", err))
	}
	var m report.Manifest
	if err := json.Unmarshal(mb, &m); err != nil {
		return "", 0, badInput(fmt.Errorf("verify: %s: %w", filepath.Join(dir, report.ManifestFile), err))
	}
	cfgPath := filepath.Join(dir, report.ConfigFile)
	cb, err := os.ReadFile(cfgPath)
	if err != nil {
		return "", 0, badInput(fmt.Errorf("verify: %w", err))
	}
	if h := report.HashBytes(report.ConfigFile, cb); h.SHA256 != m.Config.SHA256 {
		return fmt.Sprintf("%s was changed: sha256 %s, the manifest says %s", cfgPath, h.SHA256, m.Config.SHA256), 0, nil
	}
	fc := fileConfig{Config: backtest.Config{}}
	if _, err := decodeConfig(cfgPath, cb, &fc); err != nil {
		return "", 0, badInput(err)
	}
	for _, in := range m.Inputs {
		h, err := report.HashFile(in.Path)
		if err != nil {
			return fmt.Sprintf("input %s cannot be read: %v", in.Path, err), 0, nil
		}
		if h.SHA256 != in.SHA256 {
			return fmt.Sprintf("input %s changed: sha256 %s, the manifest says %s", in.Path, h.SHA256, in.SHA256), 0, nil
		}
	}
	tmp, err := os.MkdirTemp("", "quantloop-verify-*")
	if err != nil {
		return "", 0, fmt.Errorf("verify: %w", err)
	}
	defer os.RemoveAll(tmp)
	w, err := report.NewWriter(tmp, fc.Config)
	if err != nil {
		return "", 0, fmt.Errorf("verify: %w", err)
	}
	res, err := backtest.Options{Sink: w}.Run(ctx, fc.Config)
	if res == nil {
		w.Abort()
		return "", 0, badInput(fmt.Errorf("verify: re-run: %w", err))
	}
	defer res.Close()
	if err := w.Err(); err != nil {
		w.Abort()
		return "", 0, fmt.Errorf("verify: re-run: %w", err)
	}
	if err := w.Finish(res); err != nil {
		return "", 0, fmt.Errorf("verify: %w", err)
	}
	for _, name := range report.Outputs() {
		rerun, err := os.ReadFile(filepath.Join(tmp, name))
		if err != nil {
			return "", n, fmt.Errorf("verify: %w", err)
		}
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return fmt.Sprintf("%s: %v", name, err), n, nil
		}
		if d := firstDifference(got, rerun); d != "" {
			return name + ": " + d, n, nil
		}
		n++
	}
	return "", n, nil
}

// firstDifference describes where saved and rerun first differ: the line,
// the byte offset and both lines; "" if they are equal.
func firstDifference(saved, rerun []byte) string {
	if bytes.Equal(saved, rerun) {
		return ""
	}
	i := 0
	for i < len(saved) && i < len(rerun) && saved[i] == rerun[i] {
		i++
	}
	line := bytes.Count(saved[:i], []byte("\n")) + 1
	start := bytes.LastIndexByte(saved[:i], '\n') + 1
	lineOf := func(b []byte) string {
		if start >= len(b) {
			return "(end of file)"
		}
		end := bytes.IndexByte(b[start:], '\n')
		if end < 0 {
			end = len(b) - start
		}
		s := string(b[start : start+end])
		if len(s) > 200 {
			s = s[:200] + "..."
		}
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("line %d, byte %d differs: saved %s, re-run %s", line, i, lineOf(saved), lineOf(rerun))
}
