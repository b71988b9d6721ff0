package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/manifest"
)

// hookSink is a Writer that runs hook once, after the first equity point
// is written: between two bars of the run.
type hookSink struct {
	*Writer
	hook func() error
}

func (h *hookSink) WriteEquity(p *backtest.EquityPoint) error {
	if err := h.Writer.WriteEquity(p); err != nil {
		return err
	}
	if hook := h.hook; hook != nil {
		h.hook = nil
		return hook()
	}
	return nil
}

// dailyCSV returns a valid daily CSV of n rows, first with a 1-digit
// volume and then with a 2-digit one, so that an edit of the first row's
// volume keeps every row valid and the file's length. Above about 1800
// rows it is larger than the CSV reader's buffer.
func dailyCSV(n int, firstVolume int) []byte {
	var b strings.Builder
	b.WriteString("time,open,high,low,close,volume\n")
	for i := range n {
		day := 20000 + i // days since 1970-01-01
		p := 100 + 10*float64(i%40)/40
		if (i/40)%2 == 1 {
			p = 110 - 10*float64(i%40)/40
		}
		vol := 10 + i%90
		if i == 0 {
			vol = firstVolume
		}
		fmt.Fprintf(&b, "%s,%.2f,%.2f,%.2f,%.2f,%d\n", unixDay(day), p, p+1, p-1, p, vol)
	}
	return []byte(b.String())
}

// unixDay formats the date d days after 1970-01-01.
func unixDay(d int) string { return time.Unix(int64(d)*86400, 0).UTC().Format("2006-01-02") }

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestManifestHashesWhatWasRead changes or removes input files while a
// run reads them (issue 13, items 2 and 3): the manifest must hold the
// hash of the bytes the run read, and the run must complete and write
// every output even when an input is gone by the end.
func TestManifestHashesWhatWasRead(t *testing.T) {
	small := dailyCSV(300, 5)
	big := dailyCSV(4000, 5) // larger than the reader's 64 KiB buffer
	if len(big) <= 64<<10 {
		t.Fatalf("big file of %d bytes fits the reader's buffer", len(big))
	}
	tests := []struct {
		name string
		data []byte
		// bench is the content of a benchmark file apart from the data,
		// or nil for the data file as benchmark.
		bench []byte
		// change acts on the data file and the benchmark file between
		// two bars.
		change func(data, bench string) error
	}{
		{"data replaced by rename", small, nil, func(data, _ string) error {
			return replace(data, dailyCSV(300, 7))
		}},
		{"data edited in place where already read", big, nil, func(data, _ string) error {
			return os.WriteFile(data, dailyCSV(4000, 7), 0o644) // same length, only row 1 differs
		}},
		{"data deleted", small, nil, func(data, _ string) error { return os.Remove(data) }},
		{"benchmark deleted", small, dailyCSV(300, 3), func(_, bench string) error { return os.Remove(bench) }},
		{"benchmark replaced by rename", small, dailyCSV(300, 3), func(_, bench string) error {
			return replace(bench, dailyCSV(300, 4))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := t.TempDir()
			data, bench := filepath.Join(in, "X.csv"), filepath.Join(in, "B.csv")
			if err := os.WriteFile(data, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			want := []manifest.FileHash{{Path: data, SHA256: sha(tc.data), Bytes: int64(len(tc.data))}}
			cfg := backtest.DefaultConfig()
			cfg.Data.Files = []string{data}
			if tc.bench != nil {
				if err := os.WriteFile(bench, tc.bench, 0o644); err != nil {
					t.Fatal(err)
				}
				cfg.Analysis.Benchmark = backtest.Benchmark{File: bench}
				want = append(want, manifest.FileHash{Path: bench, SHA256: sha(tc.bench), Bytes: int64(len(tc.bench))})
			}
			out := filepath.Join(t.TempDir(), "out")
			w, err := NewWriter(out, cfg)
			if err != nil {
				t.Fatal(err)
			}
			sink := &hookSink{Writer: w, hook: func() error { return tc.change(data, bench) }}
			res, err := backtest.Options{Sink: sink}.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Close()
			if sink.hook != nil {
				t.Fatal("the change was not made during the run")
			}
			if res.Stats.Bars != 300 && res.Stats.Bars != 4000 {
				t.Fatalf("the run read %d bars", res.Stats.Bars)
			}
			if err := w.Finish(res); err != nil {
				t.Fatalf("Finish: %v", err)
			}
			m, err := manifest.Read(filepath.Join(out, ManifestFile))
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(m.Inputs) != fmt.Sprint(want) {
				t.Errorf("inputs %v,\nwant    %v (the bytes read)", m.Inputs, want)
			}
			for _, o := range m.Outputs {
				b, err := os.ReadFile(filepath.Join(out, o.Path))
				if err != nil || sha(b) != o.SHA256 {
					t.Errorf("output %s: %v, or not the bytes of the manifest", o.Path, err)
				}
			}
			if len(m.Outputs) != len(Outputs())-1 {
				t.Errorf("%d outputs in the manifest, want %d", len(m.Outputs), len(Outputs())-1)
			}
		})
	}
}

// replace replaces the file at path by one with content b, as an editor
// saves: a new file renamed over the old one.
func replace(path string, b []byte) error {
	tmp := path + ".new"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
