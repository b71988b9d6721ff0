package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/manifest"
	"github.com/quantloop/quantloop/report"
)

// TestMontecarloRunFolder: montecarlo writes its two files into
// DIR/montecarlo; verify still passes; the numbers are byte for byte the
// same for any --jobs; a re-run into DIR keeps the montecarlo folder (it
// is not one of the run's entries) and its recorded manifest hash then
// tells that it came from the earlier run.
func TestMontecarloRunFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := quantloop(t, "run", "--data", dailyData, "--param", "mode=longshort", "--size-pct", "40", "--seed", "5", "--out", dir); code != 0 {
		t.Fatalf("run: exit %d, %s", code, stderr)
	}
	var files [][]byte
	for _, jobs := range []string{"1", "2", "4"} {
		code, stdout, stderr := quantloop(t, "montecarlo", dir, "--paths", "200", "--jobs", jobs)
		if code != 0 || !strings.Contains(stdout, "wrote "+filepath.Join(dir, "montecarlo", "montecarlo.json")) {
			t.Fatalf("montecarlo --jobs %s: exit %d\nstdout %s\nstderr %s", jobs, code, stdout, stderr)
		}
		js := readFile(t, filepath.Join(dir, "montecarlo", "montecarlo.json"))
		page := readFile(t, filepath.Join(dir, "montecarlo", "montecarlo.html"))
		b := append(js, page...)
		if files != nil && !bytes.Equal(b, files[0]) {
			t.Errorf("--jobs %s gives other files than --jobs 1", jobs)
		}
		files = append(files, b)
	}
	var doc struct {
		Run struct {
			ManifestSHA256 string `json:"manifest_sha256"`
		} `json:"run"`
		Seed    uint64 `json:"seed"`
		Paths   int    `json:"paths"`
		Results []struct {
			Method string `json:"method"`
		} `json:"results"`
	}
	if err := json.Unmarshal(files[0][:bytes.Index(files[0], []byte("<!DOCTYPE"))], &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Seed != 5 || doc.Paths != 200 || len(doc.Results) != 3 || doc.Results[2].Method != "block" {
		t.Errorf("montecarlo.json: seed %d, paths %d, results %+v; want the run's seed 5, 200, three methods", doc.Seed, doc.Paths, doc.Results)
	}
	page := string(files[0])
	for _, want := range []string{"<svg", "<polygon", "<rect", "ruin"} {
		if !strings.Contains(page, want) {
			t.Errorf("montecarlo.html lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") || strings.Contains(page, "http://") && !strings.Contains(page, "http://www.w3.org/2000/svg") {
		t.Error("montecarlo.html is not self-contained")
	}
	if code, stdout, stderr := quantloop(t, "verify", dir); code != 0 {
		t.Fatalf("verify after montecarlo: exit %d\n%s%s", code, stdout, stderr)
	}
	// Another seed, other numbers.
	other := filepath.Join(t.TempDir(), "mc")
	if code, _, stderr := quantloop(t, "montecarlo", dir, "--paths", "200", "--seed", "6", "--out", other); code != 0 {
		t.Fatalf("montecarlo --seed 6: exit %d, %s", code, stderr)
	}
	if bytes.Equal(readFile(t, filepath.Join(other, "montecarlo.html")), readFile(t, filepath.Join(dir, "montecarlo", "montecarlo.html"))) {
		t.Error("--seed 6 gives the page of the run's seed 5")
	}
	// A re-run into dir carries the folder over.
	if code, _, stderr := quantloop(t, "run", "--data", dailyData, "--param", "mode=long", "--out", dir); code != 0 {
		t.Fatalf("re-run: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "montecarlo", "montecarlo.json")); err != nil {
		t.Errorf("re-run into the run folder: %v", err)
	}
	m := readFile(t, filepath.Join(dir, report.ManifestFile))
	if h := manifest.HashBytes(report.ManifestFile, m).SHA256; h == doc.Run.ManifestSHA256 {
		t.Error("the re-run's manifest has the hash recorded by the earlier montecarlo")
	}
}

// TestMontecarloBadFolder: a folder that is not a complete, verifiable
// run, or a partial run, is refused with exit status 2 and the reason, as
// are bad flags.
func TestMontecarloBadFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := quantloop(t, "run", "--data", dailyData, "--out", dir); code != 0 {
		t.Fatalf("run: exit %d, %s", code, stderr)
	}
	trades := filepath.Join(dir, report.TradesFile)
	if err := os.WriteFile(trades, append(readFile(t, trades), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := quantloop(t, "montecarlo", dir)
	if code != 2 || !strings.Contains(stderr, "not a complete run folder that verifies") || !strings.Contains(stderr, "trades.csv does not match") {
		t.Errorf("changed trades.csv: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = quantloop(t, "montecarlo", t.TempDir())
	if code != 2 || !strings.Contains(stderr, "manifest.json") {
		t.Errorf("empty folder: exit %d, stderr %q", code, stderr)
	}
	// On a good run: a bad ruin floor, and a number of paths beyond what
	// memory holds (refused, not tried).
	good := filepath.Join(t.TempDir(), "good")
	if code, _, stderr := quantloop(t, "run", "--data", dailyData, "--out", good); code != 0 {
		t.Fatalf("run: exit %d, %s", code, stderr)
	}
	code, _, stderr = quantloop(t, "montecarlo", good, "--ruin", "1.5")
	if code != 2 || !strings.Contains(stderr, "montecarlo: ruin floor 1.5") {
		t.Errorf("--ruin 1.5: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = quantloop(t, "montecarlo", good, "--paths", "99999999999")
	if code != 2 || !strings.Contains(stderr, "montecarlo: --paths 99999999999: want 1 to 100000") {
		t.Errorf("--paths 99999999999: exit %d, stderr %q", code, stderr)
	}

	bad := t.TempDir()
	lines := strings.SplitAfter(string(readFile(t, "../testdata/daily/AAA.csv")), "\n")
	lines[100] = strings.Replace(lines[100], ",", ",x", 1)
	aaa := writeFile(t, bad, "AAA.csv", strings.Join(lines, ""))
	partial := filepath.Join(bad, "out")
	if code, _, _ := quantloop(t, "run", "--data", aaa, "--out", partial); code != 2 {
		t.Fatalf("run on a bad row: exit %d, want 2", code)
	}
	code, _, stderr = quantloop(t, "montecarlo", partial)
	if code != 2 || !strings.Contains(stderr, "the run is partial") {
		t.Errorf("partial run: exit %d, stderr %q", code, stderr)
	}
}

// TestMontecarloFlags: --block, --levels and --ruin reach montecarlo.json.
func TestMontecarloFlags(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := quantloop(t, "run", "--data", dailyData, "--out", dir); code != 0 {
		t.Fatalf("run: exit %d, %s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "mc")
	if code, _, stderr := quantloop(t, "montecarlo", dir, "--paths", "50", "--block", "5", "--levels", "0.05,0.4", "--ruin", "0.9", "--out", out); code != 0 {
		t.Fatalf("montecarlo: exit %d, %s", code, stderr)
	}
	var doc struct {
		RuinFloor float64   `json:"ruin_floor"`
		Levels    []float64 `json:"levels"`
		Results   []struct {
			Method       string  `json:"method"`
			BlockMean    float64 `json:"block_mean"`
			DrawdownOver []struct {
				Level float64 `json:"level"`
			} `json:"drawdown_over"`
		} `json:"results"`
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(out, "montecarlo.json")), &doc); err != nil {
		t.Fatal(err)
	}
	last := doc.Results[len(doc.Results)-1]
	if doc.RuinFloor != 0.9 || len(doc.Levels) != 2 || doc.Levels[1] != 0.4 || last.Method != "block" || last.BlockMean != 5 ||
		len(last.DrawdownOver) != 2 || last.DrawdownOver[0].Level != 0.05 {
		t.Errorf("montecarlo.json: %+v", doc)
	}
}
