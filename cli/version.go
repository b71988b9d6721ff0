package cli

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"
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

// versionCommand returns the version command.
func versionCommand(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(stdout, version())
			return nil
		},
	}
}
