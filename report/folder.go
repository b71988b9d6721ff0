package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/quantloop/quantloop/internal/dirswap"
	"github.com/quantloop/quantloop/manifest"
)

// ErrNotOneRun is wrapped by CheckDir's error when a folder's files do not
// match its manifest: an output was changed after the run, is missing, or
// is left from another run.
var ErrNotOneRun = errors.New("the folder is not one complete run")

// CheckDir checks that dir holds one complete run, as manifest.json
// describes it: every output the manifest lists is in dir with the listed
// size and SHA-256, and no output a run writes (see Outputs) is in dir
// unlisted. Readers of a run folder trust only the files its manifest
// lists; anything else in the folder is the user's.
func CheckDir(dir string) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	return checkDir(root, dir, "")
}

// checkDir is CheckDir of the folder root, named dir in messages, with
// the output skip (if not "") allowed to be missing or different. Reading
// through root, it checks the folder it opened even if another is swapped
// in at its path meanwhile.
func checkDir(root *os.Root, dir, skip string) error {
	outputs, err := manifestOutputs(root, dir)
	if err != nil {
		return err
	}
	mpath := filepath.Join(dir, ManifestFile)
	listed := map[string]bool{ManifestFile: true}
	for _, o := range outputs {
		listed[o.Path] = true
		if o.Path == skip {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(o.Path))
		got, err := hashPath(root, filepath.FromSlash(o.Path))
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s is missing, %s lists it: %w", path, mpath, ErrNotOneRun)
		}
		if err != nil {
			return fmt.Errorf("check %s: %w", path, err)
		}
		if got.Bytes != o.Bytes || got.SHA256 != o.SHA256 {
			return fmt.Errorf("%s does not match %s (%d bytes, sha256 %s; the manifest says %d bytes, sha256 %s): %w",
				path, mpath, got.Bytes, got.SHA256, o.Bytes, o.SHA256, ErrNotOneRun)
		}
	}
	for _, name := range append(Outputs(), ActionsFile) {
		if listed[name] || name == skip {
			continue
		}
		if _, err := root.Lstat(name); err == nil {
			return fmt.Errorf("%s is not listed in %s: %w", filepath.Join(dir, name), mpath, ErrNotOneRun)
		}
	}
	return nil
}

// manifestOutputs reads the outputs listed in the manifest.json of root,
// named dir in messages. Each is a relative path inside root.
func manifestOutputs(root *os.Root, dir string) ([]manifest.FileHash, error) {
	mpath := filepath.Join(dir, ManifestFile)
	b, err := root.ReadFile(ManifestFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", err, ErrNotOneRun)
	}
	var m manifest.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", mpath, err, ErrNotOneRun)
	}
	if len(m.Outputs) == 0 {
		return nil, fmt.Errorf("%s lists no outputs: %w", mpath, ErrNotOneRun)
	}
	for _, o := range m.Outputs {
		if !filepath.IsLocal(filepath.FromSlash(o.Path)) || o.Path == ManifestFile {
			return nil, fmt.Errorf("%s: output %q is not a file of the run folder: %w", mpath, o.Path, ErrNotOneRun)
		}
	}
	return m.Outputs, nil
}

// hashPath returns the FileHash of the file name in root.
func hashPath(root *os.Root, name string) (manifest.FileHash, error) {
	f, err := root.Open(name)
	if err != nil {
		return manifest.FileHash{}, err
	}
	defer f.Close()
	return manifest.HashReader(name, f)
}

// runEntries returns a test of the names of dir's entries that are a
// run's, which a new run in dir replaces: the outputs a run writes, the
// files (or their top folders) dir's manifest.json lists, the temporary
// files that an interrupted atomicfile.Write leaves beside an output
// (".trades.csv.123.tmp"), and the stages of runs in dir (see
// internal/dirswap). Every other entry is the user's, or derived
// results written beside the run on purpose, and is carried over.
func runEntries(dir string) func(string) bool {
	run := map[string]bool{ActionsFile: true}
	for _, name := range Outputs() {
		run[name] = true
	}
	var outputs []manifest.FileHash // no manifest: the outputs' names only
	if root, err := os.OpenRoot(dir); err == nil {
		outputs, _ = manifestOutputs(root, dir)
		root.Close()
	}
	for _, o := range outputs {
		top, _, _ := strings.Cut(o.Path, "/")
		run[top] = true
	}
	return func(name string) bool {
		if run[name] || dirswap.Owns(dir, name) {
			return true
		}
		for _, out := range Outputs() {
			if rest, ok := strings.CutPrefix(name, "."+out+"."); ok && strings.HasSuffix(rest, ".tmp") {
				return true
			}
		}
		return false
	}
}

// HoldsRun reports whether dir holds a run that a new run into dir would
// replace: its manifest.json or one of the files a run writes.
func HoldsRun(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return slices.Contains(Outputs(), e.Name()) })
}

// checkReplaceable returns an error unless a run may replace dir: dir
// does not exist, or is an empty folder, or holds a run (manifest.json or
// one of the outputs). A folder of other files is refused, so that a
// mistyped --out does not move someone's folder.
func checkReplaceable(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	names := Outputs()
	real := dir
	if r, err := filepath.EvalSymlinks(dir); err == nil {
		real = r
	}
	entries = slices.DeleteFunc(entries, func(e fs.DirEntry) bool { return dirswap.Owns(real, e.Name()) })
	if len(entries) == 0 || slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return slices.Contains(names, e.Name()) }) {
		return nil
	}
	return fmt.Errorf("output directory %s: %w: it holds other files and no %s; give a new or empty folder, or a run's",
		dir, ErrNotRunFolder, ManifestFile)
}
