package sweep

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/quantloop/quantloop/store"
)

// Section is the sweep: section of a config file: what a sweep varies
// and how it runs, everything `quantloop sweep` takes as flags but the
// config. A field left out of the file is its zero value.
//
//	sweep:
//	  grid:                              # PATH: START:STOP:STEP, stop included
//	    strategy.params.fast: 5:50:5
//	    strategy.params.slow: 20:200:10
//	  values:                            # PATH: [A, B, C] (or "A,B,C")
//	    strategy.params.mode: [long, longshort]
//	  ranges:                            # PATH: LO:HI or log:LO:HI, drawn with random
//	    costs.slippage.bps: log:1:50
//	  random: 100
//	  seed: 7
//	  where: fast < slow
//	  jobs: 2
//	  keep: thin
//	  store: sweep.db
//	  shards: 4
//	  html: sweep.html
//	  heatmap: [strategy.params.fast, strategy.params.slow]
//	  objective: sharpe
type Section struct {
	// Space holds grid and values (Grid: the grid's paths first, then
	// the lists', each in the file's order), ranges, random, seed and
	// where.
	Space Space
	// Jobs, Keep, Store, Shards, HTML, Heatmap and Objective are the
	// flags of the same names.
	Jobs      int
	Keep      string
	Store     string
	Shards    int
	HTML      string
	Heatmap   []string
	Objective string
}

// sectionKeys are the keys of a sweep section, in the order messages
// name them.
var sectionKeys = []string{"grid", "values", "ranges", "random", "seed", "where", "jobs", "keep", "store", "shards", "html", "heatmap", "objective"}

// DecodeSection decodes n, the value of the sweep: key of the config
// file name (see Section). Every error names the file, the line and the
// key's path (sweep.grid.strategy.params.fast); an unknown key is an
// error.
func DecodeSection(name string, n *yaml.Node) (*Section, error) {
	d := sectionDecoder{name: name}
	s := &Section{}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return s, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, d.errorf(n, "sweep", "want a group of settings (key: value lines): %s", strings.Join(sectionKeys, ", "))
	}
	var values []Dim
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			d.fail(k, "sweep", "want a key, one of %s", strings.Join(sectionKeys, ", "))
			continue
		}
		path := "sweep." + k.Value
		if seen[k.Value] {
			d.fail(k, path, "key given twice")
			continue
		}
		seen[k.Value] = true
		switch k.Value {
		case "grid":
			d.entries(v, path, func(e *yaml.Node, p, spec string) {
				if g, err := parseGrid(p, spec); err != nil {
					d.fail(e, path+"."+p, "%v", err)
				} else {
					s.Space.Grid = append(s.Space.Grid, g)
				}
			})
		case "values":
			for _, e := range d.mapping(v, path) {
				p, list := e[0].Value, e[1]
				dim := Dim{Path: p}
				switch {
				case list.Kind == yaml.SequenceNode && len(list.Content) > 0:
					for _, it := range list.Content {
						if it.Kind != yaml.ScalarNode {
							d.fail(it, path+"."+p, "want a list of plain values")
							break
						}
						dim.Values = append(dim.Values, it.Value)
					}
				case list.Kind == yaml.ScalarNode && list.Value != "":
					for _, x := range strings.Split(list.Value, ",") {
						dim.Values = append(dim.Values, strings.TrimSpace(x))
					}
				default:
					d.fail(list, path+"."+p, "want a list of values, [a, b] or a,b")
					continue
				}
				values = append(values, dim)
			}
		case "ranges":
			d.entries(v, path, func(e *yaml.Node, p, spec string) {
				if r, err := parseRange(p, spec); err != nil {
					d.fail(e, path+"."+p, "%v", err)
				} else {
					s.Space.Ranges = append(s.Space.Ranges, r)
				}
			})
		case "random":
			s.Space.Random = d.count(v, path)
		case "seed":
			if t, ok := d.scalar(v, path); ok {
				seed, err := strconv.ParseUint(t, 10, 64)
				if err != nil {
					d.fail(v, path, "%q: want a whole number from 0", t)
				}
				s.Space.Seed = seed
			}
		case "where":
			s.Space.Where, _ = d.scalar(v, path)
		case "jobs":
			s.Jobs = d.count(v, path)
		case "keep":
			if t, ok := d.scalar(v, path); ok {
				if t != "thin" && t != "full" {
					d.fail(v, path, "%q: want thin or full", t)
				}
				s.Keep = t
			}
		case "store":
			s.Store, _ = d.scalar(v, path)
		case "shards":
			s.Shards = d.count(v, path)
		case "html":
			s.HTML, _ = d.scalar(v, path)
		case "heatmap":
			var xy []string
			if v.Kind == yaml.SequenceNode {
				for _, it := range v.Content {
					xy = append(xy, it.Value)
				}
			} else if t, ok := d.scalar(v, path); ok {
				xy = strings.Split(t, ",")
			}
			if len(xy) != 2 {
				d.fail(v, path, "want two paths, [x, y] or x,y")
			}
			s.Heatmap = xy
		case "objective":
			if t, ok := d.scalar(v, path); ok {
				if name, _ := strings.CutPrefix(t, "-"); !store.IsMetric(name) {
					d.fail(v, path, "%q: no run has a metric of this name", t)
				}
				s.Objective = t
			}
		default:
			d.fail(k, path, "unknown key (want one of %s)", strings.Join(sectionKeys, ", "))
		}
	}
	s.Space.Grid = append(s.Space.Grid, values...)
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return s, nil
}

// sectionDecoder gathers the errors of a sweep section.
type sectionDecoder struct {
	name string
	errs []error
}

func (d *sectionDecoder) errorf(n *yaml.Node, path, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s: %s", d.name, n.Line, path, fmt.Sprintf(format, args...))
}

func (d *sectionDecoder) fail(n *yaml.Node, path, format string, args ...any) {
	d.errs = append(d.errs, d.errorf(n, path, format, args...))
}

// mapping returns the key and value nodes of the mapping n, failing on
// anything else and on a key given twice.
func (d *sectionDecoder) mapping(n *yaml.Node, path string) [][2]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a mapping of config paths (PATH: VALUE lines)")
		return nil
	}
	var out [][2]*yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			d.fail(k, path, "want a config path as the key")
			continue
		}
		if seen[k.Value] {
			d.fail(k, path+"."+k.Value, "key given twice")
			continue
		}
		seen[k.Value] = true
		out = append(out, [2]*yaml.Node{k, n.Content[i+1]})
	}
	return out
}

// entries calls fn with each path and its plain value of the mapping n.
func (d *sectionDecoder) entries(n *yaml.Node, path string, fn func(v *yaml.Node, p, spec string)) {
	for _, e := range d.mapping(n, path) {
		if t, ok := d.scalar(e[1], path+"."+e[0].Value); ok {
			fn(e[1], e[0].Value, t)
		}
	}
}

// scalar returns the plain value n.
func (d *sectionDecoder) scalar(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "want a single value")
		return "", false
	}
	return n.Value, true
}

// count returns the whole number from 0 n.
func (d *sectionDecoder) count(n *yaml.Node, path string) int {
	t, ok := d.scalar(n, path)
	if !ok {
		return 0
	}
	c, err := strconv.Atoi(t)
	if err != nil || c < 0 {
		d.fail(n, path, "%q: want a whole number from 0", t)
		return 0
	}
	return c
}
