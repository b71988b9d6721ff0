package cli

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
	"strings"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/manifest"
	"github.com/quantloop/quantloop/report"
)

// errNotReproduced marks a verify that found a difference (exit status 1).
var errNotReproduced = errors.New("not reproduced")

func cmdVerify(ctx context.Context, dir string, stdout io.Writer) error {
	v, err := verifyDir(ctx, dir)
	var ue usageError
	if errors.As(err, &ue) && v.build != "" {
		// A strategy this binary does not know, say: the note tells which
		// binary made the run.
		return usageError{fmt.Errorf("%w%s", ue.err, v.buildNote())}
	}
	if err != nil {
		return err
	}
	if v.diff != "" {
		return exitError{exitInternal, fmt.Errorf("verify %s: %w: %s%s%s", dir, errNotReproduced, v.partialNote(), v.diff, v.buildNote())}
	}
	fmt.Fprintf(stdout, "quantloop verify %s: %sinputs unchanged; all %d outputs reproduce bit for bit%s\n", dir, v.partialNote(), v.n, v.buildNote())
	fmt.Fprint(stdout, scheduleNote(dir))
	return nil
}

// verdict is what verifyDir found.
type verdict struct {
	diff string // the first difference; "" if none
	n    int    // the outputs compared
	// partial is the error that stopped the saved run, as its results.json
	// says, when the saved run is partial; "" when it is complete.
	partial string
	// build says how the binary that made the saved run differs from
	// this one; "" when it is the same build.
	build string
}

// buildNote is " (note: how the builds differ)" when the saved run came
// from another build, "" otherwise.
func (v verdict) buildNote() string {
	if v.build == "" {
		return ""
	}
	return " (note: " + v.build + ")"
}

// partialNote is "the saved run is partial (its error); " for a partial
// saved run, "" for a complete one.
func (v verdict) partialNote() string {
	if v.partial == "" {
		return ""
	}
	return "the saved run is partial (" + v.partial + "); "
}

// savedPartial returns the error that stopped the run saved in dir, from
// its results.json, or "" when the run is complete or results.json cannot
// be read (the comparison of the outputs reports that).
func savedPartial(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, report.ResultsFile))
	if err != nil {
		return ""
	}
	var r struct {
		Partial bool   `json:"partial"`
		Error   string `json:"error"`
	}
	if json.Unmarshal(b, &r) != nil || !r.Partial {
		return ""
	}
	if r.Error == "" {
		return "stopped early"
	}
	return r.Error
}

// rerunStatus compares how the saved run and its re-run ended: it returns
// the difference ("" if they agree) when one of them stopped with an error
// and the other did not.
func rerunStatus(savedErr string, rerunErr error) string {
	switch {
	case savedErr == "" && rerunErr != nil:
		return fmt.Sprintf("the re-run stopped with an error the saved run did not have: %v", rerunErr)
	case savedErr != "" && rerunErr == nil:
		if strings.Contains(savedErr, engine.ErrInterrupted.Error()) {
			return "the re-run ran to the end of the data: an interrupted run stops at a moment a re-run cannot repeat"
		}
		return "the re-run ran to the end of the data without that error"
	}
	return ""
}

// verifyDir re-runs the run saved in dir and compares. It returns the
// first difference ("" if none) and the number of outputs compared. An
// error means verify could not do its work (a missing or bad manifest or
// config).
func verifyDir(ctx context.Context, dir string) (verdict, error) {
	v := verdict{partial: savedPartial(dir)}
	if m, err := manifest.Read(filepath.Join(dir, report.ManifestFile)); err == nil {
		v.build = m.Build.Differs(manifest.CurrentBuild())
	}
	diff, n, err := compareRun(ctx, dir, v.partial)
	v.diff, v.n = diff, n
	return v, err
}

// changedInput returns how the first of a manifest's inputs differs from
// the file at its path now (it cannot be read, or its SHA-256 is
// another), or "" when none does: a run of the same config would not
// read what the manifest's run read.
func changedInput(inputs []manifest.FileHash) string {
	for _, in := range inputs {
		h, err := manifest.HashFile(in.Path)
		if err != nil {
			return fmt.Sprintf("input %s cannot be read: %v", in.Path, err)
		}
		if h.SHA256 != in.SHA256 {
			return fmt.Sprintf("input %s changed: sha256 %s, the manifest says %s", in.Path, h.SHA256, in.SHA256)
		}
	}
	return ""
}

// compareRun re-runs the run saved in dir, whose stopping error is
// savedErr ("" for a complete run), and compares. It returns the first
// difference ("" if none) and the number of outputs compared.
func compareRun(ctx context.Context, dir, savedErr string) (diff string, n int, err error) {
	m, err := manifest.Read(filepath.Join(dir, report.ManifestFile))
	if err != nil {
		return "", 0, badInput(fmt.Errorf("verify: %w", err))
	}
	cfgPath := filepath.Join(dir, report.ConfigFile)
	cb, err := os.ReadFile(cfgPath)
	if err != nil {
		return "", 0, badInput(fmt.Errorf("verify: %w", err))
	}
	if h := manifest.HashBytes(report.ConfigFile, cb); h.SHA256 != m.Config.SHA256 {
		return fmt.Sprintf("%s was changed: sha256 %s, the manifest says %s", cfgPath, h.SHA256, m.Config.SHA256), 0, nil
	}
	// A folder that does not match its manifest is not reproduced; the
	// re-run still goes ahead, to say what differs in the outputs.
	dirErr := report.CheckDir(dir)
	var cfg backtest.Config
	if err := backtest.DecodeYAML(cfgPath, cb, &cfg, nil); err != nil {
		return "", 0, badInput(err)
	}
	if d := changedInput(m.Inputs); d != "" {
		return d, 0, nil
	}
	release := holdExit(ctx)
	defer release()
	tmp, err := os.MkdirTemp("", "quantloop-verify-*")
	if err != nil {
		return "", 0, fmt.Errorf("verify: %w", err)
	}
	defer os.RemoveAll(tmp)
	defer onExit(ctx, func() { os.RemoveAll(tmp) })()
	w, err := report.NewWriter(tmp, cfg)
	if err != nil {
		return "", 0, fmt.Errorf("verify: %w", err)
	}
	defer w.Abort() // on a panic; nothing after Finish
	defer onExit(ctx, w.Discard)()
	release()
	res, runErr := backtest.Options{Sink: w}.Run(ctx, cfg)
	if res == nil {
		w.Abort()
		return "", 0, badInput(fmt.Errorf("verify: re-run: %w", runErr))
	}
	defer res.Close()
	var se signalError
	if errors.Is(runErr, engine.ErrInterrupted) && errors.As(context.Cause(ctx), &se) {
		// verify itself was interrupted: nothing was compared.
		w.Abort()
		return "", 0, exitError{signalStatus(se.sig), fmt.Errorf("verify: re-run: %w", runErr)}
	}
	if err := w.Err(); err != nil {
		w.Abort()
		return "", 0, fmt.Errorf("verify: re-run: %w", err)
	}
	if d := rerunStatus(savedErr, runErr); d != "" {
		w.Abort()
		return d, 0, nil
	}
	if err := w.Finish(res); err != nil {
		return "", 0, fmt.Errorf("verify: %w", err)
	}
	for _, name := range report.OutputsOf(cfg) {
		d, err := compareFiles(filepath.Join(dir, name), filepath.Join(tmp, name))
		if err != nil {
			return fmt.Sprintf("%s: %v", name, err), n, nil
		}
		if d != "" {
			if dirErr != nil {
				d += "; " + dirErr.Error()
			}
			return name + ": " + d, n, nil
		}
		n++
	}
	if dirErr != nil {
		return dirErr.Error(), n, nil
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
			return lineDifference(line, off, la, lb), nil
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

// lineDifference describes how la and lb, the differing lines number line
// of the saved file and of the re-run, which both start at byte off,
// differ. Each line keeps its newline; an empty one is the end of its
// file. A difference in the newline alone, or an extra empty line, is
// named as such: the lines' texts would look the same.
func lineDifference(line, off int, la, lb []byte) string {
	i := 0
	for i < len(la) && i < len(lb) && la[i] == lb[i] {
		i++
	}
	at := fmt.Sprintf("line %d, byte %d", line, off+i)
	ta, tb := bytes.TrimSuffix(la, []byte("\n")), bytes.TrimSuffix(lb, []byte("\n"))
	switch {
	case len(lb) == 0 && len(ta) == 0:
		return fmt.Sprintf("%s: the saved file has an extra empty line at its end", at)
	case len(la) == 0 && len(tb) == 0:
		return fmt.Sprintf("%s: the saved file lacks the empty line that ends the re-run's", at)
	case bytes.Equal(ta, tb) && len(la) > len(lb):
		return fmt.Sprintf("%s: the saved file ends with a newline that the re-run's lacks (the last line reads %s in both)", at, lineText(la))
	case bytes.Equal(ta, tb):
		return fmt.Sprintf("%s: the saved file lacks the final newline that the re-run's has (the last line reads %s in both)", at, lineText(la))
	}
	return fmt.Sprintf("%s differs: saved %s, re-run %s", at, lineText(la), lineText(lb))
}

// lineText quotes a line for a message, without its newline and cut at
// 200 bytes: "(end of file)" for no line, "(empty line)" for a newline
// alone.
func lineText(l []byte) string {
	if len(l) == 0 {
		return "(end of file)"
	}
	l = bytes.TrimSuffix(l, []byte("\n"))
	if len(l) == 0 {
		return "(empty line)"
	}
	s := string(l)
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return fmt.Sprintf("%q", s)
}
