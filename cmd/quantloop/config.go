package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"

	"github.com/quantloop/quantloop/backtest"
)

// fileConfig is the content of a run's config file: the backtest
// configuration (see backtest.Config's yaml tags) and the output folder.
type fileConfig struct {
	backtest.Config `yaml:",inline"`
	// Out is the output folder.
	Out string `yaml:"out,omitempty"`
}

// unknownField matches yaml.v3's message for a key with no field.
var unknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type \S+$`)

// yamlLine matches yaml.v3's "line N: message" form.
var yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// configKey is a top-level key of a config file: its name, its line and
// its value's node.
type configKey struct {
	name  string
	line  int
	value *yaml.Node
}

// loadConfigFile decodes the YAML file at path over cfg. Unknown keys are
// errors. It returns the top-level keys the file sets, in file order.
// Errors name the file, the line and the key.
func loadConfigFile(path string, cfg *fileConfig) ([]configKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return decodeConfig(path, b, cfg)
}

// decodeConfig is loadConfigFile on the file's bytes.
func decodeConfig(path string, b []byte, cfg *fileConfig) ([]configKey, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, errors.New(lineForm(path, err.Error()))
	}
	var set []configKey
	if len(root.Content) == 0 {
		return set, nil // an empty file sets nothing
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: want a mapping of settings (key: value lines)", path, doc.Line)
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		set = append(set, configKey{doc.Content[i].Value, doc.Content[i].Line, doc.Content[i+1]})
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	err := dec.Decode(cfg)
	if err == nil {
		return set, nil
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs := make([]string, len(te.Errors))
		for i, m := range te.Errors {
			msgs[i] = lineForm(path, m)
		}
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	// A value's own decoder failed (a decimal, say): find which key.
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		one := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{k, v}}
		var probe fileConfig
		if perr := one.Decode(&probe); perr != nil {
			return nil, fmt.Errorf("%s:%d: field %q: %w", path, v.Line, k.Value, perr)
		}
	}
	return nil, fmt.Errorf("%s: %w", path, err)
}

// lineForm turns yaml.v3's "line N: msg" into "path:N: msg", with unknown
// keys named as such.
func lineForm(path, msg string) string {
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s:%s: field %q: unknown key", path, m[1], m[2])
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s:%s: %s", path, m[1], m[2])
	}
	return path + ": " + msg
}

// flagOfKey returns the command-line flag that sets a config key.
func flagOfKey(key string) string {
	if key == "params" {
		return "param"
	}
	return strings.ReplaceAll(key, "_", "-")
}

// attribute explains err, the effective config's validation error, by the
// config file's keys: each key the file set (and no flag overrode) is
// checked alone on the defaults, and the ones that fail are named with
// their line. When no key fails alone, err is returned with the file's
// name.
func attribute(path string, keys []configKey, given map[string]bool, err error) error {
	var errs []error
	for _, k := range keys {
		if given[flagOfKey(k.name)] {
			continue
		}
		probe := fileConfig{Config: backtest.DefaultConfig()}
		one := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: k.name}, k.value}}
		if one.Decode(&probe) != nil {
			continue
		}
		if k.name == "size_pct" {
			probe.Size = decimal.Zero
		}
		if perr := probe.Validate(); perr != nil {
			errs = append(errs, fmt.Errorf("%s:%d: field %q: %w", path, k.line, k.name, perr))
		}
	}
	if len(errs) == 0 {
		return fmt.Errorf("%s: %w", path, err)
	}
	return errors.Join(errs...)
}
