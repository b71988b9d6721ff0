package backtest

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// CanonicalYAML returns c as the canonical config file (config.yaml):
// every setting, the groups in the order of Config's fields, maps sorted
// by key. Reading it back with DecodeYAML gives c again.
func (c Config) CanonicalYAML() ([]byte, error) {
	b, err := yaml.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("canonical config: %w", err)
	}
	return b, nil
}

// CanonicalYAMLOver returns c.CanonicalYAML() without encoding c when c
// is base with at most its analysis.periods_per_year changed (a run
// writes the value it inferred there) and canon is base.CanonicalYAML():
// canon itself, or canon with c's value in the periods_per_year line of
// the analysis group, written as the encoder writes a number. Otherwise
// it encodes c.
func (c Config) CanonicalYAMLOver(base Config, canon []byte) ([]byte, error) {
	P := c.Analysis.PeriodsPerYear
	base.Analysis.PeriodsPerYear = P
	if !reflect.DeepEqual(c, base) {
		return c.CanonicalYAML()
	}
	const group = "\nanalysis:\n    periods_per_year: "
	i := bytes.Index(canon, []byte(group))
	if i < 0 || bytes.Contains(canon[i+1:], []byte(group)) {
		return c.CanonicalYAML()
	}
	start := i + len(group)
	end := bytes.IndexByte(canon[start:], '\n')
	if end < 0 {
		return c.CanonicalYAML()
	}
	end += start
	text := strconv.FormatFloat(P, 'g', -1, 64) // as the encoder writes a finite float64
	if math.IsInf(P, 0) || math.IsNaN(P) {
		return c.CanonicalYAML()
	}
	if string(canon[start:end]) == text {
		return canon, nil
	}
	out := make([]byte, 0, len(canon)+len(text))
	out = append(out, canon[:start]...)
	out = append(out, text...)
	return append(out, canon[end:]...), nil
}

// The limits of a config file DecodeYAML reads.
const (
	// MaxConfigBytes is the largest config file.
	MaxConfigBytes = 1 << 20
	// MaxConfigKeys is the most keys (mapping entries and list items,
	// counted together) a config file may hold.
	MaxConfigKeys = 10000
)

// DecodeYAML decodes the config file b, named name in messages, over c:
// the settings the file holds replace c's, a map's keys are merged. Keys
// in extra are top-level keys the caller owns (a command line's output
// folder): their scalar values are written to the strings they point to.
// Every error names the file, the line and the setting's path; an unknown
// key is an error, and a file in the flat layout of quantloop's first
// versions gets one error that names every key it holds with its path.
// Decoding takes time linear in the file's size, which is at most
// MaxConfigBytes with at most MaxConfigKeys keys.
func DecodeYAML(name string, b []byte, c *Config, extra map[string]*string) error {
	return DecodeYAMLSections(name, b, c, extra, nil)
}

// Section decodes a top-level section of a config file that is not a
// setting of a run (a sweep's plan), from its value's node; name is the
// file's name for messages, which name the file and line as DecodeYAML's
// do.
type Section func(name string, n *yaml.Node) error

// DecodeYAMLSections is DecodeYAML with sections: the value of each
// top-level key of sections is handed, as a node, to its Section, and
// the errors it returns join the file's.
func DecodeYAMLSections(name string, b []byte, c *Config, extra map[string]*string, sections map[string]Section) error {
	if len(b) > MaxConfigBytes {
		return fmt.Errorf("%s: the file is larger than %d bytes, the most a config file may have", name, MaxConfigBytes)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(root.Content) == 0 {
		return nil // an empty file sets nothing
	}
	doc := root.Content[0]
	if doc.Kind == yaml.ScalarNode && doc.Tag == "!!null" {
		return nil // comments only
	}
	if doc.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: want a mapping of settings (key: value lines)", name, doc.Line)
	}
	if n := countKeys(doc, MaxConfigKeys+1); n > MaxConfigKeys {
		return fmt.Errorf("%s: the file has more than %d keys; a config file may have at most %d", name, MaxConfigKeys, MaxConfigKeys)
	}
	if err := movedKeys(name, doc); err != nil {
		return err
	}
	d := decoder{name: name, extra: extra, sections: sections}
	d.node(doc, reflect.ValueOf(c).Elem(), "")
	return errors.Join(d.errs...)
}

// countKeys counts the entries of the mappings (a key and its value are
// one) and the items of the sequences under n, stopping past limit.
// Aliases are not followed: the decoder refuses them.
func countKeys(n *yaml.Node, limit int) int {
	count := 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch n.Kind {
		case yaml.MappingNode:
			count += len(n.Content) / 2
		case yaml.SequenceNode:
			count += len(n.Content)
		}
		for _, c := range n.Content {
			if count > limit {
				return
			}
			walk(c)
		}
	}
	walk(n)
	return count
}

// decoder decodes a YAML node tree into a Config, gathering errors.
type decoder struct {
	name     string
	extra    map[string]*string
	sections map[string]Section
	errs     []error
}

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	d.errs = append(d.errs, fmt.Errorf("%s:%d: %s: %s", d.name, n.Line, path, fmt.Sprintf(format, args...)))
}

// node decodes n into v, the value at path.
func (d *decoder) node(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		d.fail(n, path, "anchors and aliases are not supported in a config file")
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // key: with no value leaves the setting as it is
	}
	switch {
	case isGroup(v.Type()):
		d.group(n, v, path)
	case v.Kind() == reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.fail(n, path, "want a mapping (key: value)")
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || val.Kind != yaml.ScalarNode {
				d.fail(k, path, "want key: value entries with plain values")
				continue
			}
			if seen[k.Value] {
				d.fail(k, path+"."+k.Value, "key given twice")
			}
			seen[k.Value] = true
			v.SetMapIndex(reflect.ValueOf(k.Value), reflect.ValueOf(val.Value))
		}
	case v.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(n, path, "want a list ([a, b] or lines starting with -)")
			return
		}
		items := make([]string, 0, len(n.Content))
		for _, it := range n.Content {
			if it.Kind != yaml.ScalarNode {
				d.fail(it, path, "want a list of plain values")
				return
			}
			items = append(items, it.Value)
		}
		v.Set(reflect.ValueOf(items))
	default:
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "want a single value")
			return
		}
		if err := setText(v, n.Value); err != nil {
			d.fail(n, path, "%v", err)
		}
	}
}

// group decodes mapping n into the group v at path.
func (d *decoder) group(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a group of settings (key: value lines)%s", suggest(v))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		p := k.Value
		if path != "" {
			p = path + "." + k.Value
		}
		if seen[k.Value] {
			d.fail(k, p, "key given twice")
			continue
		}
		seen[k.Value] = true
		if dst, ok := d.extra[k.Value]; ok && path == "" {
			if val.Kind != yaml.ScalarNode {
				d.fail(val, p, "want a single value")
			} else {
				*dst = val.Value
			}
			continue
		}
		if sec, ok := d.sections[k.Value]; ok && path == "" {
			if err := sec(d.name, val); err != nil {
				d.errs = append(d.errs, err)
			}
			continue
		}
		f, ok := fieldByName(v, k.Value)
		if !ok {
			d.fail(k, p, "unknown key%s", suggest(v))
			continue
		}
		d.node(val, f, p)
	}
}

// moved maps the keys of the flat config layout to their paths.
var moved = map[string]string{
	"data": "data.files", "symbol": "data.symbol", "time_layout": "data.time_layout",
	"timezone": "data.timezone", "header": "data.header", "columns": "data.columns",
	"order": "data.order", "delimiter": "data.delimiter", "on_bad_row": "data.on_bad_row",
	"strategy": "strategy.name", "params": "strategy.params", "orders": "strategy.orders",
	"cash": "account.cash", "account": "account.type", "margin_leverage": "account.margin_leverage",
	"maintenance_margin": "account.maintenance_margin", "borrow_rate": "account.borrow_rate",
	"no_short": "account.no_short", "size": "sizing.size", "size_pct": "sizing.pct",
	"commission_pct": "costs.commission.pct", "commission_per_share": "costs.commission.per_share",
	"commission_min": "costs.commission.min", "commission_max": "costs.commission.max",
	"commission_fixed": "costs.commission.fixed", "commission_tiers": "costs.commission.tiers",
	"slippage_model": "costs.slippage.model", "slippage_bps": "costs.slippage.bps",
	"volume_impact": "costs.slippage.volume_impact", "intrabar_path": "execution.intrabar_path",
	"max_volume_share": "execution.max_volume_share", "close_at_end": "execution.close_at_end",
	"max_position": "risk.max_position", "max_position_value": "risk.max_position_value",
	"max_order_value": "risk.max_order_value", "max_leverage": "risk.max_leverage",
	"max_orders_per_bar": "risk.max_orders_per_bar", "max_orders_per_day": "risk.max_orders_per_day",
	"long_only": "risk.long_only", "restricted": "risk.restricted",
	"kill_drawdown_pct": "kill_switch.drawdown_pct", "kill_daily_loss_pct": "kill_switch.daily_loss_pct",
	"kill_action": "kill_switch.action", "kill_auto_reset": "kill_switch.auto_reset",
	"breaker_failures": "breaker.failures", "breaker_cooldown": "breaker.cooldown",
	"on_error": "breaker.on_error", "periods_per_year": "analysis.periods_per_year",
	"risk_free": "analysis.risk_free", "benchmark": "analysis.benchmark", "trials": "analysis.trials",
}

// movedKeys returns one error naming every top-level key of doc that is
// a key of the flat layout (a group's name holding a plain value or a
// list is one too), with the path it moved to; nil when there is none.
func movedKeys(name string, doc *yaml.Node) error {
	var lines []string
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		to, ok := moved[k.Value]
		if !ok {
			continue
		}
		if _, group := fieldByName(reflect.ValueOf(Config{}), k.Value); group && v.Kind == yaml.MappingNode {
			continue
		}
		lines = append(lines, fmt.Sprintf("  %s:%d: %s: moved to %s", name, k.Line, k.Value, to))
	}
	if len(lines) == 0 {
		return nil
	}
	return fmt.Errorf("%s: the file uses the flat layout of earlier versions; each setting moved into a group:\n%s", name, strings.Join(lines, "\n"))
}
