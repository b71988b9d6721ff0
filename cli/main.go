// Package cli is the whole quantloop command line as a library: a
// program that registers its own strategies and calls Main gets every
// command with them. cmd/quantloop is exactly that, with the built-ins.
//
// Usage:
//
//	quantloop run --data FILE[,FILE...] [--strategy NAME] [--param k=v]... [--out DIR] [flags]
//	quantloop run --config run.yaml [--set PATH=VALUE]... [flags]
//	quantloop gen --out DIR [--symbols A,B] [--bars N] [--interval 24h] [--seed N]
//	quantloop verify DIR
//	quantloop report DIR
//	quantloop metrics [--periods-per-year N] [--risk-free R] [--benchmark FILE] FILE
//	quantloop sweep --config run.yaml --grid PATH=START:STOP:STEP... --store FILE [flags]
//	quantloop runs list|show|compare|merge|export [flags]
//	quantloop walkforward --config run.yaml --grid PATH=START:STOP:STEP... --train SPAN --test SPAN --out DIR [flags]
//	quantloop montecarlo DIR [flags]
//	quantloop audit --config FILE | --data FILE[,FILE...] [flags]
//	quantloop indicators --data FILE --ind SPEC [--ind SPEC]... --out FILE [flags]
//	quantloop resample --data FILE --to TIMEFRAME --out FILE [flags]
//	quantloop ingest --data FILE[,FILE...] --catalog DIR [flags]
//	quantloop version
//	quantloop completion bash|zsh|fish|powershell
//
// Exit status: 0 on success, 2 on bad input or usage, 1 on an internal
// error or when verify finds a difference, 130 or 143 when a run was
// interrupted by SIGINT or SIGTERM.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // --timezone must work on machines without a zone database

	"github.com/spf13/cobra"
)

// Exit statuses.
const (
	exitOK       = 0
	exitInternal = 1
	exitUsage    = 2
)

// usageError marks an error as the user's: bad flags, bad config, bad data.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// badInput wraps err as a usage error (exit status 2).
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return usageError{err}
}

// exitError carries a specific exit status.
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }

// Main runs the command line args (the arguments after the program's
// name) on the process's standard output and error, with SIGINT and
// SIGTERM ending a run gracefully, and returns the exit status: 0 on
// success, 2 on bad input or usage, 1 on an internal error or when verify
// finds a difference, 130 or 143 when a run was interrupted.
func Main(args []string) int {
	ctx, stop := interruptContext()
	defer stop()
	return run(ctx, args, os.Stdout, os.Stderr)
}

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := rootCommand(stdout, stderr)
	if len(args) == 0 {
		root.InitDefaultHelpCmd()
		root.InitDefaultCompletionCmd()
		root.SetOut(stderr)
		_ = root.Usage()
		return exitUsage
	}
	root.SetArgs(args)
	return exitStatus(root.ExecuteContext(ctx), stderr)
}

// rootCommand returns the command tree. Every command returns its errors
// (nothing is printed by cobra itself); exitStatus prints them.
func rootCommand(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "quantloop",
		Short:         "event-driven backtests on CSV bars",
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(montecarloCommand(stdout))
	root.AddCommand(auditCommand(stdout))
	root.AddCommand(runCommand(stdout, stderr), genCommand(stdout), metricsCommand(stdout), reportCommand(stdout),
		versionCommand(stdout), indicatorsCommand(), resampleCommand(), runsCommand(stdout, stderr), sweepCommand(stdout, stderr), &cobra.Command{
			Use:   "verify DIR",
			Short: "re-run a saved run and check its outputs bit for bit",
			Args:  oneArg,
			RunE:  func(cmd *cobra.Command, args []string) error { return cmdVerify(cmd.Context(), args[0], stdout) },
		})
	root.AddCommand(walkforwardCommand(stdout, stderr))
	root.AddCommand(ingestCommand(stdout))
	return root
}

// exitStatus prints err, if any, and maps it to an exit status.
func exitStatus(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	if msg := err.Error(); strings.HasPrefix(msg, "unknown command") {
		// cobra's own error, with its "did you mean" suggestions.
		fmt.Fprintf(stderr, "quantloop: %s\nrun 'quantloop --help' for the commands\n", strings.TrimRight(msg, "\n"))
		return exitUsage
	}
	err = environmentLimit(err)
	fmt.Fprintf(stderr, "quantloop: %v\n", err)
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitInternal
}

// interruptContext returns a context canceled by the first SIGINT or
// SIGTERM, with the signal as its cause. A second signal exits at once,
// after the cleanups registered with onExit.
func interruptContext() (context.Context, func()) {
	base, cleanups := withExitCleanups(context.Background())
	ctx, cancel := context.WithCancelCause(base)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s, ok := <-sigs
		if !ok {
			return
		}
		cancel(signalError{s})
		if s, ok := <-sigs; ok {
			cleanups.run()
			os.Exit(signalStatus(s))
		}
	}()
	return ctx, func() { signal.Stop(sigs); cancel(nil) }
}

// signalError is the cause of a context canceled by a signal.
type signalError struct{ sig os.Signal }

func (e signalError) Error() string { return "received " + e.sig.String() }

// signalStatus is the conventional exit status for a signal: 128 + its
// number (130 for SIGINT, 143 for SIGTERM).
func signalStatus(s os.Signal) int {
	if n, ok := s.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return exitInternal
}
