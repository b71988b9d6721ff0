package indicator

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/quantloop/quantloop/data"
)

// WriteCSV reads every bar of src, updates each of inds with it, and
// writes one CSV row per bar: the bar's time (RFC 3339, fractional seconds
// only when there are any, as the run's other outputs), then every
// column of every indicator in order, empty until that indicator is Ready
// and then the value in the shortest form that reads back exactly. The
// header is "time" followed by the column names (see ParseSpecs). An error
// reading src is returned as it is, wrapped; nothing is written after it.
func WriteCSV(w io.Writer, src data.Source, inds []*Computed) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("time")
	for _, c := range inds {
		for _, name := range c.Columns() {
			bw.WriteByte(',')
			bw.WriteString(name)
		}
	}
	bw.WriteByte('\n')
	var vals []float64
	var line []byte
	for {
		b, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			bw.Flush()
			return fmt.Errorf("indicators of %s: %w", src.Symbol(), err)
		}
		line = b.Time.AppendFormat(line[:0], time.RFC3339Nano)
		for _, c := range inds {
			c.UpdateBar(b)
			vals = c.AppendValues(vals[:0])
			for _, v := range vals {
				line = append(line, ',')
				if c.Ready() {
					line = strconv.AppendFloat(line, v, 'g', -1, 64)
				}
			}
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("write indicators: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write indicators: %w", err)
	}
	return nil
}
