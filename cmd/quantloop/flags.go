package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// errHelp is returned when --help was asked for and printed.
var errHelp = errors.New("help printed")

// newFlagSet returns a flag set whose usage (for --help) names the
// command and its synopsis.
func newFlagSet(name, synopsis string, stdout, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: quantloop %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// usageHint makes err a usage error of one line and a hint to the --help
// of the command named by path ("quantloop run"), rather than the whole
// flag list.
func usageHint(path string, err error) error {
	return usageError{fmt.Errorf("%w\nrun '%s --help' for the flags", err, path)}
}

// parseFlags parses args into fs. Positional arguments are refused.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	if err := parseWithArgs(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageHint("quantloop "+fs.Name(), fmt.Errorf("%s: unexpected argument %q (flags start with --)", fs.Name(), fs.Arg(0)))
	}
	return nil
}

// parseWithArgs parses args into fs, printing the usage to stdout for
// --help (and returning errHelp).
func parseWithArgs(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	out := fs.Output()
	fs.SetOutput(io.Discard) // the error is returned, with a hint
	err := fs.Parse(args)
	fs.SetOutput(out)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fs.Usage()
		return errHelp
	}
	if err != nil {
		return usageHint("quantloop "+fs.Name(), fmt.Errorf("%s: %w", fs.Name(), err))
	}
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
