package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// version returns the module version and Go version from the build info.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "quantloop (unknown version)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	return fmt.Sprintf("quantloop %s %s", v, info.GoVersion)
}

func cmdVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "", stdout, stderr)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	fmt.Fprintln(stdout, version())
	return nil
}
