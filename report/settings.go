package report

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ConfigSettings returns the settings of a canonical config file (a
// run's config.yaml) by path (strategy.params.fast): a scalar as its
// text, a list as its items joined by commas, as the command line gives
// it.
func ConfigSettings(canon []byte) (map[string]string, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(canon, &root); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	out := map[string]string{}
	var walk func(path string, n *yaml.Node)
	walk = func(path string, n *yaml.Node) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(path, c)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := n.Content[i].Value
				if path != "" {
					p = path + "." + p
				}
				walk(p, n.Content[i+1])
			}
		case yaml.SequenceNode:
			items := make([]string, len(n.Content))
			for i, c := range n.Content {
				items[i] = c.Value
			}
			out[path] = strings.Join(items, ",")
		case yaml.ScalarNode:
			out[path] = n.Value
		}
	}
	walk("", &root)
	return out, nil
}
