package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/quantloop/quantloop/backtest"
)

// Manifest proves which inputs, configuration and program made a run's
// outputs. results.json holds it without Outputs; manifest.json holds it
// with the SHA-256 of every other output file, manifest.json itself
// excepted.
type Manifest struct {
	// Engine is the module path and version from the build info;
	// "(devel)" for go run and go test builds.
	Engine    string `json:"engine"`
	GoVersion string `json:"go_version"`
	Seed      int64  `json:"seed"`
	// Config is the canonical effective configuration file (config.yaml)
	// and its hash.
	Config FileHash   `json:"config"`
	Inputs []FileHash `json:"inputs"`
	// Outputs is set in manifest.json only.
	Outputs []FileHash `json:"outputs,omitempty"`
}

// FileHash is a file and the SHA-256 of its bytes, in hex.
type FileHash struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// Build returns the module path and version and the Go version of the
// running binary, from its build info.
func Build() (engine, goVersion string) {
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

// CanonicalConfig returns the effective configuration as YAML, as
// backtest.Config.CanonicalYAML writes it. It is the file a run can be
// reproduced from.
func CanonicalConfig(cfg backtest.Config) ([]byte, error) {
	return cfg.CanonicalYAML()
}

// HashBytes returns the FileHash of b under the name path.
func HashBytes(path string, b []byte) FileHash {
	sum := sha256.Sum256(b)
	return FileHash{Path: path, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(b))}
}

// HashFile returns the FileHash of the file at path.
func HashFile(path string) (FileHash, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileHash{}, fmt.Errorf("hash input: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return FileHash{}, fmt.Errorf("hash input %s: %w", path, err)
	}
	return FileHash{Path: path, SHA256: hex.EncodeToString(h.Sum(nil)), Bytes: n}, nil
}

// InputFiles returns the input files of cfg: its data files, then the
// benchmark file if it is not one of them.
func InputFiles(cfg backtest.Config) []string {
	files := append([]string(nil), cfg.Data.Files...)
	if b := cfg.BenchmarkFile(); b != "" {
		for _, f := range files {
			if f == b {
				return files
			}
		}
		files = append(files, b)
	}
	return files
}

// NewManifest hashes cfg's inputs and its canonical form.
func NewManifest(cfg backtest.Config) (*Manifest, []byte, error) {
	canon, err := CanonicalConfig(cfg)
	if err != nil {
		return nil, nil, err
	}
	engine, gover := Build()
	m := &Manifest{Engine: engine, GoVersion: gover, Seed: cfg.Seed, Config: HashBytes(ConfigFile, canon), Inputs: []FileHash{}}
	for _, f := range InputFiles(cfg) {
		h, err := HashFile(f)
		if err != nil {
			return nil, nil, err
		}
		m.Inputs = append(m.Inputs, h)
	}
	return m, canon, nil
}
