package backtest

import (
	"fmt"

	"github.com/quantloop/quantloop/data"
	"path/filepath"
	"strings"
)

// DataFile is one entry of DataConfig.Files: the file's path and the
// symbol of its bars.
type DataFile struct {
	// Symbol is the name the entry gives, or "" when it gives none: the
	// symbol is then DataConfig.Symbol for a single file, else the file's
	// base name without its extension.
	Symbol string
	// Path is the CSV file.
	Path string
}

// ParseDataFile splits an entry of DataConfig.Files: NAME=PATH names the
// file's symbol; an entry without "=" is a path alone.
func ParseDataFile(entry string) DataFile {
	name, path, ok := strings.Cut(entry, "=")
	if !ok {
		return DataFile{Path: entry}
	}
	return DataFile{Symbol: strings.TrimSpace(name), Path: strings.TrimSpace(path)}
}

// DataFiles returns the entries of Files, parsed by ParseDataFile.
func (d *DataConfig) DataFiles() []DataFile {
	out := make([]DataFile, len(d.Files))
	for i, e := range d.Files {
		out[i] = ParseDataFile(e)
	}
	return out
}

// Paths returns the paths of Files' entries, in order.
func (d *DataConfig) Paths() []string {
	out := make([]string, len(d.Files))
	for i, f := range d.DataFiles() {
		out[i] = f.Path
	}
	return out
}

// symbolOf returns the symbol the run gives the bars of f.
func (d *DataConfig) symbolOf(f DataFile) string {
	switch {
	case f.Symbol != "":
		return f.Symbol
	case d.Symbol != "" && len(d.Files) == 1:
		return d.Symbol
	}
	base := filepath.Base(f.Path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// validSymbol reports whether s is a symbol name: see data.ValidSymbol.
func validSymbol(s string) bool { return data.ValidSymbol(s) }

// checkFiles adds to v an error for each entry of d.Files whose name is
// not a valid symbol or whose path is empty, and for each symbol that two
// entries share.
func (d *DataConfig) checkFiles(v *validator) {
	seen := map[string]string{}
	for _, e := range d.Files {
		f := ParseDataFile(e)
		if strings.Contains(e, "=") && !validSymbol(f.Symbol) {
			v.fail("data.files", "%q: the symbol %q must be letters, digits, '.', '_' or '-' (write NAME=PATH)", e, f.Symbol)
			continue
		}
		if f.Path == "" {
			v.fail("data.files", "%q: no file path (write NAME=PATH or PATH)", e)
			continue
		}
		sym := d.symbolOf(f)
		if prev, ok := seen[sym]; ok {
			v.fail("data.files", "%q: the symbol %q is already the symbol of %q; name each file's symbol once, e.g. %s=%s", e, sym, prev, sym+"2", f.Path)
			continue
		}
		seen[sym] = e
	}
}

// symbols returns the symbol each entry of Files names, "" for an entry
// that names none (the data package names it from the file).
func (d *DataConfig) symbols() []string {
	out := make([]string, len(d.Files))
	for i, f := range d.DataFiles() {
		out[i] = f.Symbol
	}
	return out
}

// OpenData opens c's data files as Run does: read with DataOptions, each
// file's bars under the symbol its entry names (see DataConfig.Files),
// merged into one time-ordered feed. The caller closes it.
func (c *Config) OpenData() (*data.Merged, error) {
	opts, err := c.DataOptions()
	if err != nil {
		return nil, err
	}
	return data.OpenNamed(c.Data.Paths(), c.Data.symbols(), opts)
}

// String returns the entry as ParseDataFile reads it.
func (f DataFile) String() string {
	if f.Symbol == "" {
		return f.Path
	}
	return fmt.Sprintf("%s=%s", f.Symbol, f.Path)
}
