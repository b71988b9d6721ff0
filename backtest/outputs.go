package backtest

import "fmt"

// OutputLevel says which output files a run writes (see
// AnalysisConfig.Outputs). The zero value is OutputsFull.
type OutputLevel int

const (
	// OutputsFull writes every output file, equity.csv with a row for
	// every bar time.
	OutputsFull OutputLevel = iota
	// OutputsLean writes the files of OutputsFull, with equity.csv thinned
	// to the last row of each calendar day (see EquityRowsLean): for daily
	// or slower bars every row. results.json and report.html are those of
	// the full run, which see every bar, and say that equity.csv is thinned.
	OutputsLean
	// OutputsMetrics writes results.json, with config.yaml and
	// manifest.json so that the run can be verified, and no CSV file or
	// report.
	OutputsMetrics
)

// EquityRowsLean says, in results.json and the report, which rows
// equity.csv holds at OutputsLean.
const EquityRowsLean = "the last bar of each calendar day"

// String returns "full", "lean" or "metrics".
func (l OutputLevel) String() string {
	switch l {
	case OutputsFull:
		return "full"
	case OutputsLean:
		return "lean"
	case OutputsMetrics:
		return "metrics"
	}
	return fmt.Sprintf("OutputLevel(%d)", int(l))
}

// ParseOutputLevel returns the level named s ("" is full).
func ParseOutputLevel(s string) (OutputLevel, error) {
	switch s {
	case "", "full":
		return OutputsFull, nil
	case "lean":
		return OutputsLean, nil
	case "metrics":
		return OutputsMetrics, nil
	}
	return 0, fmt.Errorf("outputs %q: want full, lean or metrics", s)
}

// MarshalText returns the level's name, as String.
func (l OutputLevel) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText sets l to the level named by text, as ParseOutputLevel.
func (l *OutputLevel) UnmarshalText(text []byte) error {
	v, err := ParseOutputLevel(string(text))
	if err != nil {
		return err
	}
	*l = v
	return nil
}
