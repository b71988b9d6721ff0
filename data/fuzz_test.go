package data

import (
	"bytes"
	"errors"
	"io"
	"math"
	"testing"
)

// FuzzReader feeds arbitrary bytes to a Reader, with and without a header,
// and checks that it never panics, that every error is an *Error naming
// the input, and that every bar it returns keeps the rules.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"Date,Open,High,Low,Close,Volume\n2020-01-02,10,11,9,10.5,100\n2020-01-03,10,11,9,10.5,100\n",
		"Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,10,11,9,10.5,3.5,100\n",
		"Date,Time,Open,High,Low,Close,Volume,OpenInterest\r\n2006-01-02,09:05:00,1,2,1,1.5,0,0\r\n",
		"\ufeffDatetime,Open,High,Low,Close\n2015-09-23T20:57:42.146,3067,3067,3067,3067\n",
		"1577923200,1,1,1,1\n1577923260,1,1,1,1\n",
		"2020-01-02T09:30:00+02:00,1,2,0.5,1\n",
		"\"Date\",\"Open\",\"High\",\"Low\",\"Close\"\n\"2020-01-02\",\"1\",\"1\",\"1\",\"1\"\n",
		"Date,Open,High,Low,Close\n2020-01-02,NaN,1,1,1\n",
		"Date;Open;High;Low;Close\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range []Options{{}, {Header: HeaderAbsent}, {Header: HeaderSkip, BadRows: SkipBadRow}, {Adjust: AdjustPrices}} {
			r, err := NewReader(bytes.NewReader(data), "fuzz.csv", opts)
			if err != nil {
				checkFuzzError(t, err)
				continue
			}
			var prev engineBar
			for n := 0; ; n++ {
				b, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					checkFuzzError(t, err)
					break
				}
				if b.Open <= 0 || b.High <= 0 || b.Low <= 0 || b.Close <= 0 ||
					b.High < max(b.Open, b.Close) || b.Low > min(b.Open, b.Close) ||
					b.Volume < 0 || math.IsNaN(b.Volume) || math.IsInf(b.Volume, 0) {
					t.Fatalf("bar breaks the OHLC rules: %+v", b)
				}
				if n > 0 && !b.Time.After(prev.Time) {
					t.Fatalf("time %v after %v", b.Time, prev.Time)
				}
				if b.Symbol != "fuzz" {
					t.Fatalf("symbol %q", b.Symbol)
				}
				prev = b
			}
		}
	})
}

func checkFuzzError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.File != "fuzz.csv" || e.Err == nil {
		t.Fatalf("error %v (%T) is not an *Error naming the file", err, err)
	}
}
