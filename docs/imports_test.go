package docs_test

import (
	"bufio"
	"bytes"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// module is the import path of the repository's module.
const module = "github.com/quantloop/quantloop"

var (
	// layerRow matches a row of the package table in architecture.md:
	// | layer | `pkg`[, `pkg`...] | ...
	layerRow = regexp.MustCompile(`^\|\s*(\d+)\s*\|([^|]*)\|`)
	// backticked matches a name in backticks.
	backticked = regexp.MustCompile("`([^`]+)`")
)

// layers reads the package table of docs/architecture.md: each package's
// directory and its layer.
func layers(t *testing.T) map[string]int {
	t.Helper()
	b, err := os.ReadFile("architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		row := layerRow.FindStringSubmatch(sc.Text())
		if row == nil {
			continue
		}
		n, err := strconv.Atoi(row[1])
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range backticked.FindAllStringSubmatch(row[2], -1) {
			m[name[1]] = n
		}
	}
	if len(m) == 0 {
		t.Fatal("architecture.md has no package table")
	}
	return m
}

// layerOf returns the layer of the package in directory dir: that of the
// longest table entry that is dir or a parent of it.
func layerOf(table map[string]int, dir string) (int, bool) {
	for p := dir; p != "."; p = filepath.ToSlash(filepath.Dir(p)) {
		if n, ok := table[p]; ok {
			return n, true
		}
	}
	return 0, false
}

// imports returns, for each directory of the module that holds non-test Go
// files, the set of the module's packages those files import, as
// directories.
func imports(t *testing.T) map[string]map[string]bool {
	t.Helper()
	m := map[string]map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		dir = filepath.ToSlash(dir)
		if m[dir] == nil {
			m[dir] = map[string]bool{}
		}
		for _, spec := range f.Imports {
			p, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return err
			}
			if rest, ok := strings.CutPrefix(p, module+"/"); ok {
				m[dir][rest] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestImportsPointDown checks the package table of docs/architecture.md
// against the code: every package is in it, and imports only packages of
// a lower layer.
func TestImportsPointDown(t *testing.T) {
	table := layers(t)
	deps := imports(t)
	dirs := slices.Sorted(maps.Keys(deps))
	if len(dirs) < 5 {
		t.Fatalf("found only the packages %v", dirs)
	}
	for _, dir := range dirs {
		n, ok := layerOf(table, dir)
		if !ok {
			t.Errorf("package %s is not in the package table of docs/architecture.md", dir)
			continue
		}
		for _, dep := range slices.Sorted(maps.Keys(deps[dir])) {
			m, ok := layerOf(table, dep)
			if !ok {
				t.Errorf("package %s imports %s, which is not in the package table of docs/architecture.md", dir, dep)
			} else if m >= n {
				t.Errorf("package %s (layer %d) imports %s (layer %d): imports must point down", dir, n, dep, m)
			}
		}
	}
}

func TestLayerOf(t *testing.T) {
	table := map[string]int{"engine": 1, "bench": 5, "internal/fixed": 0}
	for _, c := range []struct {
		dir  string
		want int
		ok   bool
	}{
		{"engine", 1, true},
		{"bench/decodefloor", 5, true},
		{"internal/fixed", 0, true},
		{"internal/other", 0, false},
		{"report/metrics", 0, false},
		{"nowhere", 0, false},
	} {
		if got, ok := layerOf(table, c.dir); got != c.want || ok != c.ok {
			t.Errorf("layerOf(%q) = %d, %v; want %d, %v", c.dir, got, ok, c.want, c.ok)
		}
	}
}
