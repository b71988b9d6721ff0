// Package manifest records which program, configuration and inputs made a
// run's outputs, with the SHA-256 of each: manifest.json, and the format
// version of a run folder's machine-readable files. It depends on no other
// quantloop package: the caller hands it the canonical configuration as
// bytes and the inputs as hashes taken while they were read.
package manifest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

// Format is the version of the layout of a run folder's manifest.json and
// results.json, written in both as the key "format". It changes when a key
// changes meaning or goes away; a key added to either file does not change
// it. Files without the key are of format 1.
const Format = 2

// Manifest proves which inputs, configuration and program made a run's
// outputs. results.json holds it without Outputs; manifest.json holds it
// with the SHA-256 of every other output file, manifest.json itself
// excepted.
type Manifest struct {
	// Format is the run folder's format version, [Format] when written.
	Format int `json:"format"`
	// Engine is the module path and version from the build info;
	// "(devel)" for go run and go test builds.
	Engine    string `json:"engine"`
	GoVersion string `json:"go_version"`
	// Build is the binary that ran, from its build info. manifest.json
	// holds it (see WithBuild); results.json does not, so that it stays
	// the same whichever binary wrote it. nil in a manifest that does not
	// record it.
	Build *Build `json:"build,omitempty"`
	Seed  int64  `json:"seed"`
	// Config is the canonical effective configuration file (config.yaml)
	// and its hash.
	Config FileHash   `json:"config"`
	Inputs []FileHash `json:"inputs"`
	// Outputs is set in manifest.json only.
	Outputs []FileHash `json:"outputs,omitempty"`
}

// FileHash is a file and the SHA-256 of its bytes, in hex, with their
// number.
type FileHash struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// New returns the manifest of a run made with seed by the running binary:
// config is the canonical configuration file's content, named configName,
// and inputs the hashes of the input files as the run read them, in order.
func New(seed int64, configName string, config []byte, inputs []FileHash) *Manifest {
	engine, gover := build()
	if inputs == nil {
		inputs = []FileHash{}
	}
	return &Manifest{Format: Format, Engine: engine, GoVersion: gover, Seed: seed,
		Config: HashBytes(configName, config), Inputs: inputs}
}

// build returns the module path and version and the Go version of the
// running binary, from its build info.
func build() (engine, goVersion string) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "github.com/quantloop/quantloop (unknown)", "unknown"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	path := info.Main.Path
	if path == "" {
		path = "github.com/quantloop/quantloop"
	}
	return path + " " + v, info.GoVersion
}

// Build identifies a binary: the main module's path and version (the
// program's own module for a user's binary that registers strategies,
// "(devel)" for a build from a work tree), the version of the quantloop
// module it links ("" when it is the main module), and the version
// control revision, its time and whether the tree had uncommitted
// changes, as the go command stamps them (vcs.revision, vcs.time,
// vcs.modified; empty for go run and go test builds).
type Build struct {
	Module    string `json:"module"`
	Version   string `json:"version"`
	Quantloop string `json:"quantloop,omitempty"`
	Revision  string `json:"revision,omitempty"`
	Time      string `json:"time,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
}

// WithBuild returns a copy of m that records the running binary's build
// (CurrentBuild), as manifest.json does.
func (m Manifest) WithBuild() *Manifest {
	b := CurrentBuild()
	m.Build = &b
	return &m
}

// quantloopModule is this project's module path.
const quantloopModule = "github.com/quantloop/quantloop"

// CurrentBuild returns the Build of the running binary, from
// debug.ReadBuildInfo; the zero Build when the binary has no build info.
func CurrentBuild() Build {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Build{}
	}
	return buildOf(info)
}

func buildOf(info *debug.BuildInfo) Build {
	b := Build{Module: info.Main.Path, Version: info.Main.Version}
	for _, d := range info.Deps {
		if d.Path == quantloopModule {
			b.Quantloop = d.Version
			if d.Replace != nil {
				b.Quantloop += " => " + d.Replace.Path
				if d.Replace.Version != "" {
					b.Quantloop += " " + d.Replace.Version
				}
			}
		}
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// Differs returns a sentence saying how b, the build of a saved run,
// differs from now, the running binary's; "" when every field is the
// same. Two builds of one revision with uncommitted changes look the
// same, though the changes may differ.
func (b *Build) Differs(now Build) string {
	switch {
	case b == nil || *b == (Build{}):
		return "the saved run does not record the binary that made it"
	case b.Module != now.Module || b.Quantloop != now.Quantloop:
		return fmt.Sprintf("the saved run was made by %s, this is %s", b, now)
	case b.Revision != now.Revision || b.Version != now.Version:
		return fmt.Sprintf("the saved run was made by another build of %s (%s), this is %s", b.Module, b.revision(), now.revision())
	case b.Modified != now.Modified:
		return fmt.Sprintf("the saved run was made by %s, this is %s", b.revision(), now.revision())
	}
	return ""
}

// String describes the build: module, version, quantloop's version and
// revision.
func (b Build) String() string {
	s := b.Module + " " + b.revision()
	if b.Quantloop != "" {
		s += " (quantloop " + b.Quantloop + ")"
	}
	return s
}

// revision is the build's VCS revision, or its version when it has none.
func (b Build) revision() string {
	r := b.Version
	if b.Revision != "" {
		r = "revision " + b.Revision
	}
	if b.Modified {
		r += " with uncommitted changes"
	}
	return r
}

// HashBytes returns the FileHash of b under the name path.
func HashBytes(path string, b []byte) FileHash {
	sum := sha256.Sum256(b)
	return Sum(path, sum, int64(len(b)))
}

// Sum returns the FileHash of a file named path whose n bytes have the
// SHA-256 sum.
func Sum(path string, sum [sha256.Size]byte, n int64) FileHash {
	return FileHash{Path: path, SHA256: hex.EncodeToString(sum[:]), Bytes: n}
}

// HashFile returns the FileHash of the file at path as it is now.
func HashFile(path string) (FileHash, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileHash{}, fmt.Errorf("hash: %w", err)
	}
	defer f.Close()
	return HashReader(path, f)
}

// HashReader returns the FileHash of the bytes of r, a file named path.
func HashReader(path string, r io.Reader) (FileHash, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return FileHash{}, fmt.Errorf("hash %s: %w", path, err)
	}
	return FileHash{Path: path, SHA256: hex.EncodeToString(h.Sum(nil)), Bytes: n}, nil
}

// Write writes m as manifest.json: indented JSON and a final newline.
func (m *Manifest) Write(w io.Writer) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Read reads the manifest.json at path. A manifest of another format
// version is an error wrapping [ErrFormat].
func Read(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if err := CheckFormat(path, b); err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}

// ErrFormat is the error of a file of a run folder written in another
// format version than [Format].
var ErrFormat = errors.New("unsupported format version")

// CheckFormat returns nil if the JSON object b, the content of the file
// named name, has the key "format" equal to [Format]. Otherwise it returns
// an error wrapping [ErrFormat] that names the file, its version (1 when
// the key is missing) and the one this program reads, or the JSON error.
func CheckFormat(name string, b []byte) error {
	var head struct {
		Format *int `json:"format"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	v := 1
	if head.Format != nil {
		v = *head.Format
	}
	if v != Format {
		return fmt.Errorf("%s: %w: the file is of format %d, this quantloop reads format %d (re-run to write it again)",
			name, ErrFormat, v, Format)
	}
	return nil
}
