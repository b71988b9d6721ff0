package backtest

import (
	"errors"
	"fmt"

	"github.com/quantloop/quantloop/catalog"
)

// UseCatalog replaces c.Data.Catalog, when it is set, by the catalog's
// files: Files gets a NAME=PATH entry for each symbol of Data.Symbols, in
// that order, or for every symbol of the catalog, in the order of their
// names, when Symbols is empty; Catalog is cleared. So the configuration
// a run saves names the exact files it read, and 'quantloop verify'
// reads them again. A catalog with Files, a missing folder, an empty
// catalog and a symbol the catalog lacks are errors.
func (c *Config) UseCatalog() error {
	d := &c.Data
	if d.Catalog == "" {
		return nil
	}
	if len(d.Files) > 0 {
		return errors.New("data.catalog: give data.catalog (--catalog) or data.files (--data), not both")
	}
	entries, err := catalog.Entries(d.Catalog)
	if err == nil {
		entries, err = catalog.Select(entries, d.Symbols)
	}
	if err != nil {
		return fmt.Errorf("data.catalog: %w", err)
	}
	for _, e := range entries {
		d.Files = append(d.Files, DataFile{Symbol: e.Symbol, Path: e.Path}.String())
	}
	d.Catalog = ""
	return nil
}
