package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/report"
)

// errNotReproduced marks a verify that found a difference (exit status 1).
var errNotReproduced = errors.New("not reproduced")

func cmdVerify(ctx context.Context, dir string, stdout io.Writer) error {
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
	var cfg backtest.Config
	if err := backtest.DecodeYAML(cfgPath, cb, &cfg, nil); err != nil {
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
	w, err := report.NewWriter(tmp, cfg)
	if err != nil {
		return "", 0, fmt.Errorf("verify: %w", err)
	}
	res, err := backtest.Options{Sink: w}.Run(ctx, cfg)
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
		d, err := compareFiles(filepath.Join(dir, name), filepath.Join(tmp, name))
		if err != nil {
			return fmt.Sprintf("%s: %v", name, err), n, nil
		}
		if d != "" {
			return name + ": " + d, n, nil
		}
		n++
	}
	return "", n, nil
}

// firstDifference describes where saved and rerun first differ: the line,
// the byte offset and both lines; "" if they are equal.
func firstDifference(saved, rerun []byte) string {
	d, _ := firstDifferenceIn(bytes.NewReader(saved), bytes.NewReader(rerun))
	return d
}

// firstDifferenceIn is firstDifference over two readers, a line at a time,
// so that comparing long files takes little memory.
func firstDifferenceIn(saved, rerun io.Reader) (string, error) {
	a, b := bufio.NewReaderSize(saved, 1<<16), bufio.NewReaderSize(rerun, 1<<16)
	line, off := 1, 0
	for {
		la, ea := a.ReadBytes('\n')
		lb, eb := b.ReadBytes('\n')
		for _, err := range []error{ea, eb} {
			if err != nil && err != io.EOF {
				return "", err
			}
		}
		if !bytes.Equal(la, lb) {
			i := 0
			for i < len(la) && i < len(lb) && la[i] == lb[i] {
				i++
			}
			return fmt.Sprintf("line %d, byte %d differs: saved %s, re-run %s", line, off+i, lineText(la), lineText(lb)), nil
		}
		if ea == io.EOF || eb == io.EOF {
			return "", nil
		}
		line, off = line+1, off+len(la)
	}
}

// compareFiles returns firstDifferenceIn of the files saved and rerun.
func compareFiles(saved, rerun string) (string, error) {
	a, err := os.Open(saved)
	if err != nil {
		return "", err
	}
	defer a.Close()
	b, err := os.Open(rerun)
	if err != nil {
		return "", fmt.Errorf("verify: %w", err)
	}
	defer b.Close()
	return firstDifferenceIn(a, b)
}

// lineText quotes a line for a message, without its newline and cut at
// 200 bytes; an empty one is the end of the file.
func lineText(l []byte) string {
	l = bytes.TrimSuffix(l, []byte("\n"))
	if len(l) == 0 {
		return "(end of file)"
	}
	s := string(l)
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return fmt.Sprintf("%q", s)
}
