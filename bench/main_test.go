package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckTrading: a run that traded to the end gives its fills; one
// whose account stopped, or that had orders rejected, is an error that
// says so.
func TestCheckTrading(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		fills      int
		err        string
	}{
		{"traded to the end", `{"fills": 38831, "rejected_orders": 0, "trading_stopped": false}`, 38831, ""},
		{"stopped", `{"fills": 18016, "rejected_orders": 20816, "trading_stopped": true}`, 0, "stopped trading after 18016 fills (20816 orders rejected)"},
		{"rejected", `{"fills": 10, "rejected_orders": 2, "trading_stopped": false}`, 0, "2 orders rejected (10 fills)"},
		{"not JSON", `{"fills": `, 0, "results.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "results.json"), []byte(tc.json), 0o644); err != nil {
				t.Fatal(err)
			}
			fills, err := checkTrading(dir)
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("error %v, want one containing %q", err, tc.err)
			case fills != tc.fills:
				t.Fatalf("fills %d, want %d", fills, tc.fills)
			}
		})
	}
	if _, err := checkTrading(t.TempDir()); err == nil {
		t.Fatal("no results.json: no error")
	}
}
