package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"
)

var (
	// errHelp is returned when --help was asked for and printed.
	errHelp = errors.New("help printed")
	// errUsagePrinted marks a usage error whose message the flag package
	// has already printed.
	errUsagePrinted = errors.New("usage printed")
)

// newFlagSet returns a flag set that prints its usage to stderr (stdout
// for --help) and returns errors instead of exiting.
func newFlagSet(name, synopsis string, stdout, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: quantloop %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args into fs. Positional arguments are refused.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fs.Usage()
		return errHelp
	}
	if err != nil {
		return usageError{fmt.Errorf("%w: %w", errUsagePrinted, err)}
	}
	if fs.NArg() > 0 {
		return badInput(fmt.Errorf("%s: unexpected argument %q (flags start with --)", fs.Name(), fs.Arg(0)))
	}
	return nil
}

// decimalFlag is a flag holding an exact decimal.
type decimalFlag struct{ d *decimal.Decimal }

func (f decimalFlag) String() string {
	if f.d == nil {
		return ""
	}
	return f.d.String()
}

func (f decimalFlag) Set(s string) error {
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("%q is not a decimal number", s)
	}
	*f.d = d
	return nil
}

// listFlag collects a repeatable flag's values; each value may also hold
// several comma-separated items when split is true.
type listFlag struct {
	items *[]string
	split bool
}

func (f listFlag) String() string {
	if f.items == nil {
		return ""
	}
	return strings.Join(*f.items, ",")
}

func (f listFlag) Set(s string) error {
	if !f.split {
		*f.items = append(*f.items, s)
		return nil
	}
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			*f.items = append(*f.items, item)
		}
	}
	return nil
}
