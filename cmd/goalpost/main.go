// Command goalpost is the goalpost server and its tools in one binary.
//
//	goalpost serve    run the server (--demo loads the demo organizations)
//	goalpost token    mint a local bearer token
//	goalpost migrate  apply database migrations and exit
//	goalpost seed     write a synthetic organization for benchmarks
//	goalpost import   import an Explorer CSV file, or restore a backup
//	goalpost backup   write one organization as goalpost's JSON backup
//	goalpost export   create an export job, wait for it, download its CSV
//	goalpost jobs     list export jobs or show one
//
// Every flag has a GOALPOST_* environment twin: --rescue-after is
// GOALPOST_RESCUE_AFTER. A flag on the command line wins over its twin.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `goalpost: a self-hosted goals (OKR) service with a Graph-compatible export API

Usage:
  goalpost serve   [flags]   run the server
  goalpost token   [flags]   mint a local bearer token (prints only the token)
  goalpost migrate [flags]   apply database migrations and exit
  goalpost seed    [flags]   write a synthetic organization "Northwind" with N items
  goalpost import  FILE [flags]  import an Explorer CSV file, or restore a backup
  goalpost backup  [flags]   write one organization as goalpost's JSON backup
  goalpost export  [flags]   create an export job, wait for it and download its CSV
  goalpost jobs    list|get  list export jobs, or show one (--json for scripts)
  goalpost version           print the version

Run "goalpost COMMAND -h" for a command's flags.
`

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "goalpost:", err)
		}
		var ce interface{ ExitCode() int } // export and jobs: see exitCodesHelp
		if errors.As(err, &ce) {
			os.Exit(ce.ExitCode())
		}
		var ue usageError
		if errors.As(err, &ue) || errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stderr)
	case "token":
		return runToken(ctx, args[1:], stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args[1:], stderr)
	case "seed":
		return runSeed(ctx, args[1:], stderr)
	case "import":
		return runImport(ctx, args[1:], stdout, stderr)
	case "backup":
		return runBackup(ctx, args[1:], stdout, stderr)
	case "export":
		return runExport(ctx, args[1:], stdout, stderr)
	case "jobs":
		return runJobs(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "goalpost", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}
