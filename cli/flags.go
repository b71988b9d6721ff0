package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// usageHint makes err a usage error of one line and a hint to the --help
// of the command named by path ("quantloop run"), rather than the whole
// flag list.
func usageHint(path string, err error) error {
	return usageError{fmt.Errorf("%w\nrun '%s --help' for the flags", err, path)}
}

// flagError turns a flag parsing error into a usage error with a hint.
func flagError(cmd *cobra.Command, err error) error {
	return usageHint(cmd.CommandPath(), err)
}

// oneArg accepts exactly one positional argument.
func oneArg(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usageHint(cmd.CommandPath(), fmt.Errorf("%s: want exactly one argument, got %d", cmd.Name(), len(args)))
	}
	return nil
}
