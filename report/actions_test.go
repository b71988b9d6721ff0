package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/manifest"
)

// actions.csv of the testdata/actions run, worked out by hand (see
// backtest's TestCorporateActions): the split's position row, then its
// working orders' rows, then the dividends; NOPE, without data, has none.
const wantActionsCSV = `time,symbol,action,value,holder,quantity_before,quantity_after,cash,limit,stop,trail
2024-01-04T00:00:00Z,XYZ,split,2,position,10,20,,,,
2024-01-04T00:00:00Z,XYZ,split,2,tp,3,6,,60,,
2024-01-04T00:00:00Z,XYZ,split,2,sl,3,6,,,22.5,
2024-01-05T00:00:00Z,ABC,dividend,0.5,position,-4,-4,-2,,,
2024-01-08T00:00:00Z,XYZ,dividend,0.25,position,20,20,5,,,
`

func TestActionsFile(t *testing.T) {
	var c backtest.Config
	c.Data.Files = []string{"XYZ=../testdata/actions/XYZ.csv", "ABC=../testdata/actions/ABC.csv"}
	c.Strategy.Orders = "../testdata/actions/orders.csv"
	c.Data.Actions = "../testdata/actions/actions.csv"
	dir := t.TempDir()
	w, err := NewWriter(dir, c)
	if err != nil {
		t.Fatal(err)
	}
	res, err := backtest.Options{Sink: w}.Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(res); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ActionsFile))
	if err != nil || string(b) != wantActionsCSV {
		t.Errorf("actions.csv: %v\n%s\nwant\n%s", err, b, wantActionsCSV)
	}
	if got := OutputsOf(res.Config); !slices.Equal(got, []string{TradesFile, FillsFile, OrdersFile, EquityFile, FeesFile, ActionsFile,
		ConfigFile, ResultsFile, ReportFile, ManifestFile}) {
		t.Errorf("OutputsOf: %v", got)
	}
	// The manifest lists the actions file among the inputs, with the
	// SHA-256 of its bytes, and actions.csv among the outputs.
	mb, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest.Manifest
	if err := json.Unmarshal(mb, &m); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(c.Data.Actions)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	in := m.Inputs[len(m.Inputs)-1]
	if len(m.Inputs) != 3 || in.Path != c.Data.Actions || in.SHA256 != hex.EncodeToString(sum[:]) || in.Bytes != int64(len(raw)) {
		t.Errorf("inputs %+v", m.Inputs)
	}
	if !slices.ContainsFunc(m.Outputs, func(f manifest.FileHash) bool { return f.Path == ActionsFile }) {
		t.Errorf("outputs %+v lack %s", m.Outputs, ActionsFile)
	}
	if err := CheckDir(dir); err != nil {
		t.Error(err)
	}
	// A run without actions writes no actions.csv.
	c.Data.Actions = ""
	files, err := Render(mustRun(t, c))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Name == ActionsFile {
			t.Errorf("a run without actions wrote %s", ActionsFile)
		}
	}
}

func mustRun(t *testing.T, c backtest.Config) *backtest.Result {
	t.Helper()
	res, err := backtest.Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
