package report

import (
	"fmt"
	"slices"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/manifest"
)

// inputFiles returns the input files of cfg: its data files, then the
// benchmark file if it is not one of them, then the corporate-actions
// file if any.
func inputFiles(cfg backtest.Config) []string {
	files := cfg.Data.Paths()
	if b := cfg.BenchmarkFile(); b != "" && !slices.Contains(files, b) {
		files = append(files, b)
	}
	if a := cfg.Data.Actions; a != "" && !slices.Contains(files, a) {
		files = append(files, a)
	}
	return files
}

// newManifest returns the manifest of res, whose outputs w writes, and the
// canonical configuration it hashes. Each input is hashed as the run read
// it: the data files from res.Inputs, the corporate-actions file from
// res.ActionsInput, a benchmark file read apart from them from w's
// benchmark reader. An input read by neither (a run through
// backtest.RunFeed, or a benchmark never opened because the run had no
// bars) is hashed from its file as it is now.
func (w *Writer) newManifest(res *backtest.Result) (*manifest.Manifest, []byte, error) {
	canon := res.CanonicalConfig
	if canon == nil {
		var err error
		if canon, err = res.Config.CanonicalYAML(); err != nil {
			return nil, nil, err
		}
	}
	read := slices.Clone(res.Inputs)
	if a := res.ActionsInput; a != nil {
		read = append(read, *a)
	}
	if b := w.rows.bench; b != nil && b.files != nil {
		d, err := b.files.Digests()
		if err != nil {
			return nil, nil, fmt.Errorf("benchmark: %w", err)
		}
		read = append(read, d...)
	}
	inputs := []manifest.FileHash{}
	for _, f := range inputFiles(res.Config) {
		i := slices.IndexFunc(read, func(d data.Digest) bool { return d.Path == f })
		if i < 0 {
			h, err := manifest.HashFile(f)
			if err != nil {
				return nil, nil, fmt.Errorf("input: %w", err)
			}
			inputs = append(inputs, h)
			continue
		}
		inputs = append(inputs, manifest.Sum(f, read[i].SHA256, read[i].Bytes))
	}
	return manifest.New(res.Config.Seed, ConfigFile, canon, inputs), canon, nil
}
