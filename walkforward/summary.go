package walkforward

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat"
)

// WindowsHeader is the header of windows.csv.
const WindowsHeader = "train_start,train_end,test_start,test_end,params,is_objective,oos_objective"

// WriteWindows writes res's windows as CSV: WindowsHeader, then one row
// per window: the times of the first and last bars of the training and
// test spans (RFC 3339), the chosen params as key=value separated by
// spaces, and the in-sample and out-of-sample objectives (shortest text
// that reads back to the same float64; NaN when not a number).
func WriteWindows(w io.Writer, res *Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(strings.Split(WindowsHeader, ",")); err != nil {
		return err
	}
	for _, win := range res.Windows {
		var params []string
		for _, s := range win.Params {
			params = append(params, strings.TrimPrefix(s.Path, "strategy.params.")+"="+s.Value)
		}
		if err := cw.Write([]string{
			win.TrainStart.Format(time.RFC3339Nano), win.TrainEnd.Format(time.RFC3339Nano),
			win.TestStart.Format(time.RFC3339Nano), win.TestEnd.Format(time.RFC3339Nano),
			strings.Join(params, " "), formatFloat(win.IS), formatFloat(win.OOS),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// Summary is what walkforward.json holds.
type Summary struct {
	Objective string `json:"objective"`
	Windows   int    `json:"windows"`
	// Trials is the number of distinct training runs of all windows.
	Trials int `json:"trials"`
	// Efficiency is the walk-forward efficiency: the mean of the windows'
	// out-of-sample objectives over the mean of their in-sample
	// objectives, over the windows where both are numbers (NaN when none
	// is, or the in-sample mean is zero).
	Efficiency Float `json:"efficiency"`
	// MeanIS and MeanOOS are those means.
	MeanIS  Float `json:"mean_is_objective"`
	MeanOOS Float `json:"mean_oos_objective"`
	// WindowEfficiency is each window's out-of-sample objective over its
	// in-sample one (NaN where either is not a number or IS is zero).
	WindowEfficiency []Float `json:"window_efficiency"`
	// Stability describes, for each optimized param, how its chosen value
	// moves across the windows.
	Stability []Stability `json:"stability"`
	// Sweeps are the ids, in the run store, of the windows'
	// optimizations, in window order (empty for Nelder–Mead, whose runs
	// are not stored).
	Sweeps []string `json:"sweeps"`
}

// Stability is how one param's chosen value moves across the windows.
type Stability struct {
	Param string `json:"param"`
	// Values are the chosen values, in window order.
	Values []string `json:"values"`
	// Distinct is the number of distinct values.
	Distinct int `json:"distinct"`
	// Changes is the number of windows whose value differs from the
	// window before.
	Changes int `json:"changes"`
	// Unchanged is 1 - Changes/(windows-1): 1 when the value never
	// changes, 0 when it changes at every window (1 with one window).
	Unchanged Float `json:"unchanged"`
	// Mean and CV are the mean of the values and their coefficient of
	// variation (sample standard deviation over the absolute mean) when
	// every value is a number; NaN otherwise (CV also when the mean is
	// zero or there is one window).
	Mean Float `json:"mean"`
	CV   Float `json:"cv"`
}

// Float is a float64 written in JSON as a number, or as the string "NaN"
// or "+Inf"/"-Inf" when it is not finite.
type Float float64

// MarshalJSON writes f as a number, or a string when it is not finite.
func (f Float) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return json.Marshal(strconv.FormatFloat(x, 'g', -1, 64))
	}
	return []byte(formatFloat(x)), nil
}

// Summarize returns the summary of an evaluated walk-forward.
func Summarize(res *Result) Summary {
	s := Summary{Objective: res.Objective, Windows: len(res.Windows), Trials: res.Trials, Sweeps: []string{}}
	var sumIS, sumOOS float64
	n := 0
	for _, w := range res.Windows {
		if w.SweepID != "" {
			s.Sweeps = append(s.Sweeps, w.SweepID)
		}
		e := math.NaN()
		if w.IS != 0 {
			e = w.OOS / w.IS
		}
		s.WindowEfficiency = append(s.WindowEfficiency, Float(e))
		if !math.IsNaN(w.IS) && !math.IsNaN(w.OOS) && !math.IsInf(w.IS, 0) && !math.IsInf(w.OOS, 0) {
			sumIS += w.IS
			sumOOS += w.OOS
			n++
		}
	}
	s.MeanIS, s.MeanOOS, s.Efficiency = Float(math.NaN()), Float(math.NaN()), Float(math.NaN())
	if n > 0 {
		s.MeanIS, s.MeanOOS = Float(sumIS/float64(n)), Float(sumOOS/float64(n))
		if sumIS != 0 {
			s.Efficiency = Float(sumOOS / sumIS)
		}
	}
	if len(res.Windows) == 0 {
		return s
	}
	for j, p := range res.Windows[0].Params {
		st := Stability{Param: strings.TrimPrefix(p.Path, "strategy.params.")}
		seen := map[string]bool{}
		var nums []float64
		numeric := true
		for i, w := range res.Windows {
			v := w.Params[j].Value
			st.Values = append(st.Values, v)
			if !seen[v] {
				seen[v] = true
				st.Distinct++
			}
			if i > 0 && v != res.Windows[i-1].Params[j].Value {
				st.Changes++
			}
			x, err := strconv.ParseFloat(v, 64)
			numeric = numeric && err == nil
			nums = append(nums, x)
		}
		st.Unchanged = 1
		if k := len(res.Windows); k > 1 {
			st.Unchanged = Float(float64(k-1-st.Changes) / float64(k-1))
		}
		st.Mean, st.CV = Float(math.NaN()), Float(math.NaN())
		if numeric {
			mean, variance := stat.MeanVariance(nums, nil)
			st.Mean = Float(mean)
			if len(nums) > 1 && mean != 0 {
				st.CV = Float(math.Sqrt(variance) / math.Abs(mean))
			}
		}
		s.Stability = append(s.Stability, st)
	}
	return s
}

// WriteJSON writes v (a Summary or a CVSummary) as indented JSON and a
// newline.
func WriteJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("walkforward: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
