package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tinyCSV is the data FuzzRunArgs runs on: 12 daily bars.
const tinyCSV = `date,open,high,low,close,volume
2020-01-01,10,11,9,10.5,100
2020-01-02,10.5,12,10,11.5,100
2020-01-03,11.5,12,10,10.2,100
2020-01-04,10.2,10.4,9,9.1,100
2020-01-05,9.1,9.9,8.5,9.8,100
2020-01-06,9.8,11,9.5,10.9,100
2020-01-07,10.9,12.5,10.8,12.2,100
2020-01-08,12.2,12.3,11,11.1,100
2020-01-09,11.1,11.2,9.9,10,100
2020-01-10,10,10.1,8.2,8.4,100
2020-01-11,8.4,9.7,8.3,9.6,100
2020-01-12,9.6,10.8,9.5,10.7,100
`

// FuzzRunArgs runs the CLI's run command in-process with arbitrary flags
// (one per line of the input) on a tiny data file. Whatever the flags, it
// must not panic, must exit 0, 1 or 2, and must print an error on stderr
// when it does not exit 0. Flags that name files (--data, --out) are
// fixed by the harness, so the fuzzer cannot read or write elsewhere.
func FuzzRunArgs(f *testing.F) {
	for _, s := range []string{
		"--strategy\nsmacross\n--param\nfast=2\n--param\nslow=5",
		"--strategy=buyhold\n--size-pct\n50\n--kill-drawdown\n1",
		"--param\nmode=longshort\n--param\nfast=1\n--param\nslow=2\n--max-order-value\n5\n--long-only",
		"--kill-daily-loss\n0.1\n--kill-action\nhalt\n--kill-auto-reset",
		"--max-leverage\n0.5\n--max-position\n1\n--max-orders-per-day\n1\n--max-orders-per-bar\n1\n--restricted\nX,Y",
		"--breaker-failures\n1\n--breaker-cooldown\n1ns\n--on-error\nstop",
		"--on-bad-row\nskip\n--header\nabsent",
		"--cash\n1e30",
		"--size\n-1",
		"--param\nslow=2000000000",
		"--periods-per-year\nNaN",
		"--timezone\nMars/Olympus",
		"--columns\nclose=Open\n--order\nclose,open",
		"--delimiter\n;;",
		"--close-at-end\n--commission-min\n3\n--slippage-bps\n10000",
		"--set\ncosts.commission.pct=0.05\n--set\nstrategy.params.fast=3",
		"--set\nsizing.pct=0",
		"--size-pct\n0",
		"--max-orders-per-bar\n99999999999999999999",
		"--benchmark\nnone\n--breaker-cooldown\n90m",
		"--help",
		"",
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	data := filepath.Join(dir, "X.csv")
	if err := os.WriteFile(data, []byte(tinyCSV), 0o644); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var args []string
		if in != "" {
			args = strings.Split(in, "\n")
		}
		for _, a := range args {
			name := strings.TrimLeft(a, "-")
			if strings.HasPrefix(name, "data") || strings.HasPrefix(name, "out") || strings.Contains(a, "data.") {
				t.Skip("the harness fixes --data and --out")
			}
		}
		full := append([]string{"run", "--data", data}, args...)
		full = append(full, "--out", t.TempDir())
		var stdout, stderr bytes.Buffer
		start := time.Now()
		code := run(context.Background(), full, &stdout, &stderr)
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("run took %v for %q", d, args)
		}
		switch code {
		case 0:
		case 1, 2:
			if !strings.Contains(stderr.String(), "quantloop: ") && !strings.Contains(stderr.String(), "Usage:") {
				t.Fatalf("exit %d without a message; stderr %q", code, stderr.String())
			}
		default:
			t.Fatalf("exit %d for %q", code, args)
		}
	})
}
