package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/manifest"
)

// names returns the entries of dir, sorted.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	slices.Sort(out)
	return out
}

// editManifest rewrites dir's manifest.json through fn.
func editManifest(t *testing.T, dir string, fn func(m *manifest.Manifest)) {
	t.Helper()
	p := filepath.Join(dir, ManifestFile)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var m manifest.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	fn(&m)
	if b, err = json.Marshal(&m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A run written over another replaces every file of the previous run,
// those the previous run's manifest lists included, keeps the user's
// files, and leaves nothing beside the folder.
func TestWriterReplacesRun(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	streamRun(t, goldenConfig(), dir)
	// Derived results the previous run listed, the user's files, and the
	// temporary file of an interrupted atomic write.
	write := func(name, content string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("derived/x.csv", "old run's")
	write("notes.txt", "mine")
	write("montecarlo/paths.csv", "beside")
	write(".trades.csv.123.tmp", "stale")
	editManifest(t, dir, func(m *manifest.Manifest) {
		m.Outputs = append(m.Outputs, manifest.FileHash{Path: "derived/x.csv"})
	})

	cfg := goldenConfig()
	cfg.Account.Cash = decimal.NewFromInt(50000)
	streamRun(t, cfg, dir)
	fresh := filepath.Join(t.TempDir(), "fresh")
	streamRun(t, cfg, fresh)
	for _, name := range Outputs() {
		if a, b := readBoth(t, name, dir, fresh); !bytes.Equal(a, b) {
			t.Errorf("%s is not the second run's", name)
		}
	}
	want := append(Outputs(), "montecarlo", "notes.txt")
	slices.Sort(want)
	if got := names(t, dir); !slices.Equal(got, want) {
		t.Errorf("folder holds %v, want %v", got, want)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "montecarlo", "paths.csv")); err != nil || string(b) != "beside" {
		t.Errorf("montecarlo/paths.csv: %q, %v", b, err)
	}
	if got := names(t, parent); !slices.Equal(got, []string{"out"}) {
		t.Errorf("beside the folder: %v", got)
	}
	if err := CheckDir(dir); err != nil {
		t.Error(err)
	}
}

// An aborted run, or a failed one, leaves the folder as it was.
func TestWriterAbortKeepsFolder(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	streamRun(t, goldenConfig(), dir)
	before := map[string][]byte{}
	for _, name := range Outputs() {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		before[name] = b
	}
	w, err := NewWriter(dir, goldenConfig())
	if err != nil {
		t.Fatal(err)
	}
	if got := len(names(t, parent)); got != 3 {
		t.Errorf("%d entries beside the folder while writing, want the folder, a stage and its lock", got)
	}
	w.Abort()
	w.Abort()
	if got := names(t, parent); !slices.Equal(got, []string{"out"}) {
		t.Errorf("beside the folder: %v", got)
	}
	for name, want := range before {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Equal(b, want) {
			t.Errorf("%s changed: %v", name, err)
		}
	}
	if err := CheckDir(dir); err != nil {
		t.Error(err)
	}
}

func TestNewWriterRefusesOtherFolders(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "thesis.tex"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := NewWriter(dir, goldenConfig()); !errors.Is(err, ErrNotRunFolder) || !strings.Contains(err.Error(), dir) {
		t.Errorf("NewWriter of a folder of other files: %v", err)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"thesis.tex"}) {
		t.Errorf("folder holds %v", got)
	}
	// A folder that holds only what a killed run left in it is a run's.
	left := filepath.Join(t.TempDir(), "out")
	if err := os.MkdirAll(filepath.Join(left, ".out.tmp-123"), 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := NewWriter(left, goldenConfig())
	if err != nil {
		t.Fatalf("NewWriter of a folder with a killed run's stage: %v", err)
	}
	w.Abort()
	if got := names(t, left); len(got) != 0 {
		t.Errorf("the dead stage was not cleaned up: %v", got)
	}
}

// CheckDir refuses a folder whose files do not match its manifest, and
// RenderDir with it.
func TestCheckDir(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(t *testing.T, dir string)
		msg   string // "" for a folder that passes
		isRun bool   // the error wraps ErrNotOneRun
	}{
		{"untouched", func(*testing.T, string) {}, "", false},
		{"a user's file", func(t *testing.T, dir string) { writeIn(t, dir, "notes.txt", "x") }, "", false},
		{"an output changed", func(t *testing.T, dir string) { appendTo(t, dir, TradesFile, "x") }, "trades.csv does not match", true},
		{"an output from another run", func(t *testing.T, dir string) {
			writeIn(t, dir, EquityFile, "time,equity,cash,drawdown,benchmark\n")
		}, "equity.csv does not match", true},
		{"an output missing", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, FillsFile)) }, "fills.csv is missing", true},
		{"an output unlisted", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m *manifest.Manifest) {
				m.Outputs = slices.DeleteFunc(m.Outputs, func(f manifest.FileHash) bool { return f.Path == FeesFile })
			})
		}, "fees.csv is not listed", true},
		{"a path outside", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m *manifest.Manifest) { m.Outputs[0].Path = "../x" })
		}, `output "../x" is not a file of the run folder`, true},
		{"no outputs listed", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m *manifest.Manifest) { m.Outputs = nil })
		}, "lists no outputs", true},
		{"no manifest", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, ManifestFile)) }, "manifest.json", true},
		{"a manifest cut short", func(t *testing.T, dir string) { writeIn(t, dir, ManifestFile, `{"outputs": [`) }, "manifest.json", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			streamRun(t, goldenConfig(), dir)
			tc.edit(t, dir)
			err := CheckDir(dir)
			if tc.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				if err := RenderDir(dir); err != nil {
					t.Errorf("RenderDir: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.msg) || errors.Is(err, ErrNotOneRun) != tc.isRun {
				t.Errorf("CheckDir: %v, want an error saying %q", err, tc.msg)
			}
			if err := RenderDir(dir); err == nil {
				t.Error("RenderDir: no error")
			}
		})
	}
}

func writeIn(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, dir, name, content string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	writeIn(t, dir, name, string(b)+content)
}

// A run kept in memory is written the same way: WriteDir replaces the
// folder too.
func TestWriteDirReplaces(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	streamRun(t, goldenConfig(), dir)
	cfg := goldenConfig()
	cfg.Data.Files = cfg.Data.Files[:1]
	res, err := backtest.Run(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(dir, res); err != nil {
		t.Fatal(err)
	}
	if err := CheckDir(dir); err != nil {
		t.Error(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ConfigFile))
	if err != nil || strings.Contains(string(b), "BBB") {
		t.Errorf("config.yaml is not the second run's: %v\n%s", err, b)
	}
}
