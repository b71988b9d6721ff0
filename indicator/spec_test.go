package indicator

import (
	"errors"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		spec    string
		canon   string
		columns string
		warm    int
		err     string
	}{
		{"rsi", "rsi:14:close", "rsi", 14, ""},
		{"RSI:7", "rsi:7:close", "rsi", 7, ""},
		{"macd:12:26:9", "macd:12:26:9:close", "macd_line,macd_signal,macd_hist", 33, ""},
		{"bbands:20:2", "bbands:20:2:close", "bbands_upper,bbands_middle,bbands_lower,bbands_percent_b,bbands_bandwidth", 19, ""},
		{"bbands:20:2.5:typical", "bbands:20:2.5:typical", "bbands_upper,bbands_middle,bbands_lower,bbands_percent_b,bbands_bandwidth", 19, ""},
		{"adx", "adx:14", "adx,adx_plus_di,adx_minus_di", 27, ""},
		{"stoch", "stoch:14:3:3", "stoch_k,stoch_d", 17, ""},
		{"sma:5:high", "sma:5:high", "sma", 4, ""},
		{"atr:3", "atr:3", "atr", 3, ""},
		{"tr", "tr", "tr", 1, ""},
		{"keltner", "keltner:20:2:10", "keltner_upper,keltner_middle,keltner_lower", 19, ""},
		{"correl:5:close:open", "correl:5:close:open", "correl", 4, ""},
		{"foo:3", "", "", 0, `unknown indicator "foo"`},
		{"rsi:0", "", "", 0, `param n: "0" is not a whole number from 1 to 1000000`},
		{"rsi:14:close:3", "", "", 0, "3 params, rsi takes at most 2"},
		{"rsi:2000000", "", "", 0, "not a whole number"},
		{"bbands:20:-1", "", "", 0, `param k: "-1" is not a number above 0`},
		{"bbands:20:NaN", "", "", 0, `is not a number above 0`},
		{"sma:5:price", "", "", 0, `unknown bar field "price"`},
		{"macd:26:12", "", "", 0, "fast (26) must be less than slow (12)"},
		{"slope:1", "", "", 0, "param n must be at least 2"},
		{"tr:1", "", "", 0, "tr takes at most 0"},
	}
	for _, tt := range tests {
		c, err := ParseSpec(tt.spec)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), tt.spec) {
				t.Errorf("ParseSpec(%q) error %v, want one naming the spec and saying %q", tt.spec, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseSpec(%q): %v", tt.spec, err)
			continue
		}
		if c.Spec() != tt.canon || strings.Join(c.Columns(), ",") != tt.columns || c.WarmUp() != tt.warm {
			t.Errorf("ParseSpec(%q) = %s %v warm-up %d, want %s %s %d", tt.spec, c.Spec(), c.Columns(), c.WarmUp(), tt.canon, tt.columns, tt.warm)
		}
	}
}

func TestParseSpecsNamesRepeats(t *testing.T) {
	cs, err := ParseSpecs([]string{"rsi:14", "rsi:7", "macd", "sma:5:high", "sma:5", "atr"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, c.Columns()...)
	}
	want := "rsi_14,rsi_7,macd_line,macd_signal,macd_hist,sma_5_high,sma_5,atr"
	if strings.Join(got, ",") != want {
		t.Errorf("columns %v, want %s", got, want)
	}
	if _, err := ParseSpecs([]string{"rsi", "rsi:14"}); err == nil || !strings.Contains(err.Error(), "the same as") {
		t.Errorf("the same spec twice: %v", err)
	}
}

func TestHelpListsEveryKind(t *testing.T) {
	h := Help()
	for _, k := range Kinds() {
		if !strings.Contains(h, k.Usage()) {
			t.Errorf("Help lacks %s", k.Usage())
		}
		if _, err := ParseSpec(k.Name); err != nil {
			t.Errorf("the defaults of %s do not parse: %v", k.Name, err)
		}
	}
}

func memory(t *testing.T, bars []engine.Bar) data.Source {
	t.Helper()
	m, err := data.NewMemory("X", bars)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestWriteCSV checks the rows on handBars: times, empty cells until ready,
// and values (see the hand-worked tests).
func TestWriteCSV(t *testing.T) {
	cs, err := ParseSpecs([]string{"sma:2", "atr:2", "obv"})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteCSV(&b, memory(t, handBars[:4]), cs); err != nil {
		t.Fatal(err)
	}
	want := "time,sma,atr,obv\n" +
		"2024-01-01T10:00:00Z,,,100\n" +
		"2024-01-02T10:00:00Z,10.25,,300\n" +
		"2024-01-03T10:00:00Z,10.75,2.75,0\n" +
		"2024-01-04T10:00:00Z,10.1,1.625,50\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

type failing struct{ n int }

var errBad = errors.New("bad row")

func (f *failing) Next() (engine.Bar, error) {
	if f.n == 0 {
		return engine.Bar{}, errBad
	}
	f.n--
	return hlc(2, 1, 1.5, 1, f.n), nil
}
func (f *failing) Symbol() string { return "F" }

func TestWriteCSVReadError(t *testing.T) {
	cs, _ := ParseSpecs([]string{"rsi"})
	var b strings.Builder
	err := WriteCSV(&b, &failing{n: 2}, cs)
	if !errors.Is(err, errBad) || !strings.Contains(err.Error(), "F") {
		t.Errorf("error %v, want the source's, naming the symbol", err)
	}
	if strings.Count(b.String(), "\n") != 3 {
		t.Errorf("the rows before the error are lost:\n%s", b.String())
	}
}
