package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/report"
)

// CompareRun returns the stored run id (a whole id) as report.WriteCompareRuns
// draws it: labelled by the first 12 characters of its id, its key
// figures from its stored metrics (the scalars of its results.json, see
// Scalars), its settings from its config, and its equity curve from its
// stored equity rows. When the store kept fewer equity points than the
// run had (KeepThin keeps at most ThinPoints), EquityNote says so. A run
// whose store kept no equity rows is an error.
func (s *Store) CompareRun(ctx context.Context, id string) (*report.CompareRun, error) {
	r, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	rows, err := s.Rows(ctx, id, Equity)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*report.CompareRun, error) {
		return nil, fmt.Errorf("store %s: run %s: %w", s.path, id, err)
	}
	if len(rows) < 2 {
		return fail(errors.New("the store kept no equity curve of the run"))
	}
	res, err := storedResults(r)
	if err != nil {
		return fail(err)
	}
	label := id[:min(12, len(id))]
	c := &report.CompareRun{Label: label, Source: s.path + " run " + id, SourceKind: "store run",
		Strategy: res.Config.Strategy.Name, Results: res, Settings: r.Params,
		Equity: strings.NewReader(strings.Join(rows, "\n") + "\n")}
	if kept := len(rows) - 1; kept < res.Timestamps && res.Outputs == nil {
		c.EquityNote = fmt.Sprintf("The run store kept %d of the %d equity points of run %s (it keeps %s curves), "+
			"so its equity and drawdown lines join the kept points: a move between two of them is not drawn. "+
			"Its key figures are from the whole run.", kept, res.Timestamps, label, r.Keep)
	}
	return c, nil
}

// storedResults rebuilds the results.json of r from its metrics, which
// hold its scalars by dotted path, and its config. A list of results.json
// (which a store does not keep) is left empty.
func storedResults(r *Run) (*report.Results, error) {
	doc := map[string]any{}
	quoted := map[string]bool{} // paths decoded as strings though their text is a number
	for name, v := range r.Metrics {
		m := doc
		parts := strings.Split(name, ".")
		for _, p := range parts[:len(parts)-1] {
			sub, ok := m[p].(map[string]any)
			if !ok {
				sub = map[string]any{}
				m[p] = sub
			}
			m = sub
		}
		m[parts[len(parts)-1]] = v
	}
	for range len(r.Metrics) + 1 {
		b, err := json.Marshal(encodeValues(doc, "", quoted))
		if err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		res := new(report.Results)
		err = json.Unmarshal(b, res)
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Value == "number" && !quoted[te.Field] {
			quoted[te.Field] = true // a string field whose text is a number
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		if err := backtest.DecodeYAML("config.yaml", r.Config, &res.Config, nil); err != nil {
			return nil, err
		}
		return res, nil
	}
	return nil, errors.New("results: the stored metrics do not decode")
}

// encodeValues returns m with each Value as JSON holds it: a number, a
// bool, or a string (also a number's text at the paths of quoted).
func encodeValues(m map[string]any, prefix string, quoted map[string]bool) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		switch v := v.(type) {
		case map[string]any:
			out[k] = encodeValues(v, prefix+k+".", quoted)
		case Value:
			switch {
			case v.Numeric && !quoted[prefix+k]:
				out[k] = json.Number(v.Text)
			case v.Text == "true" || v.Text == "false":
				out[k] = v.Text == "true"
			default:
				out[k] = v.Text
			}
		}
	}
	return out
}
