package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

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

// loadConfigFile decodes the YAML file at path over cfg. Unknown keys are
// errors. It returns the top-level keys the file sets. Errors name the
// file, the line and the key.
func loadConfigFile(path string, cfg *fileConfig) (map[string]bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return decodeConfig(path, b, cfg)
}

// decodeConfig is loadConfigFile on the file's bytes.
func decodeConfig(path string, b []byte, cfg *fileConfig) (map[string]bool, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, errors.New(lineForm(path, err.Error()))
	}
	set := map[string]bool{}
	if len(root.Content) == 0 {
		return set, nil // an empty file sets nothing
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: want a mapping of settings (key: value lines)", path, doc.Line)
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		set[doc.Content[i].Value] = true
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
