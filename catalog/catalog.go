// Package catalog keeps bars as Parquet files in a folder, one file per
// symbol, named SYMBOL.parquet: validated once from CSV by [Ingest], read
// by a run as any other data file (see data.OpenParquet) without parsing
// text again. Each file holds exact prices (DECIMAL(18, 8), the engine's
// units), the zone of its times and the SHA-256 of the CSV it came from,
// as data.WriteParquet describes.
package catalog

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/internal/atomicfile"
)

// Ext is the extension of a catalog file.
const Ext = ".parquet"

// Entry is one symbol of a catalog and its file.
type Entry struct {
	Symbol string
	Path   string
}

// Source is a file to ingest, CSV or Parquet (see data.OpenSource), and
// the symbol its bars get; an empty Symbol is the file's base name without
// its extension.
type Source struct {
	Symbol string
	Path   string
}

// Ingested is what Ingest wrote for one source.
type Ingested struct {
	Entry
	Bars   int
	Source data.Digest // the source file's bytes as read
}

// Ingest reads each source with data.OpenSource and opts (every row checked;
// a bad row fails the ingest, whatever opts.BadRows says) and writes its
// bars to dir/SYMBOL.parquet with data.WriteParquet, creating dir if
// needed. The ingest is whole or nothing: each file is written to a
// temporary file beside its place, and only once every source has been
// read and written are they renamed into place, replacing the symbols'
// files if there are any; a failed ingest leaves dir as it was (and
// removes dir if it made it). Only an error while renaming, which a
// failing disk could cause, leaves the files renamed before it. The same
// CSV and options give the same bytes, so that ingesting again changes
// nothing. Symbols must be distinct and made of letters, digits, '.', '_'
// and '-'. Errors name the file; a bad row is a *data.Error naming its
// line and column. The result lists the files put in place.
func Ingest(dir string, srcs []Source, opts data.Options) ([]Ingested, error) {
	if len(srcs) == 0 {
		return nil, errors.New("catalog: no files to ingest")
	}
	seen := map[string]string{}
	for i, s := range srcs {
		if s.Symbol == "" {
			base := filepath.Base(s.Path)
			srcs[i].Symbol = strings.TrimSuffix(base, filepath.Ext(base))
		}
		sym := srcs[i].Symbol
		if !ValidSymbol(sym) {
			return nil, fmt.Errorf("catalog: %s: the symbol %q must be letters, digits, '.', '_' or '-' (write NAME=PATH)", s.Path, sym)
		}
		if prev, ok := seen[sym]; ok {
			return nil, fmt.Errorf("catalog: %s and %s have the same symbol %q; name one with NAME=PATH", prev, s.Path, sym)
		}
		seen[sym] = s.Path
	}
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	opts.BadRows = data.FailOnBadRow
	out := make([]Ingested, 0, len(srcs))
	files := make([]*atomicfile.File, 0, len(srcs))
	for _, s := range srcs {
		f, in, err := ingest(dir, s, opts)
		if err != nil {
			for _, f := range files {
				f.Abort()
			}
			if errors.Is(statErr, fs.ErrNotExist) {
				os.Remove(dir) // only if empty: another writer's files stay
			}
			return nil, err
		}
		files, out = append(files, f), append(out, in)
	}
	for i, f := range files {
		if err := f.Commit(); err != nil {
			for _, g := range files[i+1:] {
				g.Abort()
			}
			return out[:i], err
		}
	}
	return out, nil
}

// ingest writes the catalog file of one source to a temporary file,
// closed and ready for Commit.
func ingest(dir string, s Source, opts data.Options) (*atomicfile.File, Ingested, error) {
	opts.Symbol = s.Symbol
	r, err := data.OpenSource(s.Path, opts)
	if err != nil {
		return nil, Ingested{}, err
	}
	defer r.(io.Closer).Close()
	in := Ingested{Entry: Entry{Symbol: s.Symbol, Path: filepath.Join(dir, s.Symbol+Ext)}}
	f, err := atomicfile.Create(in.Path)
	if err != nil {
		return nil, Ingested{}, err
	}
	// The source's error is returned as it is, without the write's
	// wrapping.
	if in.Bars, err = data.WriteParquet(f, r, opts.Location); err != nil {
		f.Abort()
		return nil, Ingested{}, err
	}
	if err := f.Close(); err != nil {
		return nil, Ingested{}, err
	}
	if in.Source, err = r.(interface{ Digest() (data.Digest, error) }).Digest(); err != nil {
		f.Abort()
		return nil, Ingested{}, err
	}
	return f, in, nil
}

// Entries returns the catalog files in dir, ordered by symbol: every
// file named SYMBOL.parquet whose SYMBOL is a valid symbol.
func Entries(dir string) ([]Entry, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read the catalog: %w", err)
	}
	var out []Entry
	for _, de := range des {
		sym, ok := strings.CutSuffix(de.Name(), Ext)
		if !ok || de.IsDir() || !ValidSymbol(sym) {
			continue
		}
		out = append(out, Entry{Symbol: sym, Path: filepath.Join(dir, de.Name())})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no SYMBOL%s files; make them with 'quantloop ingest'", dir, Ext)
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Symbol, b.Symbol) })
	return out, nil
}

// Select returns the entries of symbols, in the order of symbols, or all
// entries when symbols is empty. A symbol the catalog lacks is an error
// that lists those it has, and so is a symbol named twice.
func Select(entries []Entry, symbols []string) ([]Entry, error) {
	if len(symbols) == 0 {
		return entries, nil
	}
	out := make([]Entry, 0, len(symbols))
	for k, s := range symbols {
		if slices.Contains(symbols[:k], s) {
			return nil, fmt.Errorf("the symbol %q is named twice", s)
		}
		i := slices.IndexFunc(entries, func(e Entry) bool { return e.Symbol == s })
		if i < 0 {
			have := make([]string, len(entries))
			for j, e := range entries {
				have[j] = e.Symbol
			}
			return nil, fmt.Errorf("no symbol %q in the catalog; it has %s", s, strings.Join(have, ", "))
		}
		out = append(out, entries[i])
	}
	return out, nil
}

// ValidSymbol reports whether s can name a catalog file: a
// data.ValidSymbol other than "." and "..".
func ValidSymbol(s string) bool {
	return data.ValidSymbol(s) && s != "." && s != ".."
}
