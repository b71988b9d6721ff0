package cli

import (
	"errors"
	"fmt"
	"syscall"
)

// environmentLimit returns err as an internal error (exit status 1) with a
// hint when the machine's limit on open files caused it (EMFILE, ENFILE):
// the data is not at fault, whatever the error was wrapped as. Any other
// err is returned as it is.
//
// The Go runtime raises the process's soft limit on open files to its
// hard limit (less one) at start on Unix systems, so the limit met is the
// hard one, or the system's.
func environmentLimit(err error) error {
	var hint string
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.EMFILE):
		hint = "a run keeps every data file open, and this process may open at most " + openFileLimit() +
			" files; raise the hard limit (ulimit -Hn, or the service's LimitNOFILE) or merge the data into fewer files"
	case errors.Is(err, syscall.ENFILE):
		hint = "the system's table of open files is full; close other programs' files or raise the system limit (fs.file-max)"
	default:
		return err
	}
	return exitError{exitInternal, fmt.Errorf("%w\nhint: %s (a limit of this machine, not an error in the data)", err, hint)}
}
