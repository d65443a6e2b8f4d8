package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// newFlagSet returns a flag set whose usage names each flag's environment twin.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("goalpost "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: goalpost %s [flags]\n\n", name)
		printFlags(fs, stderr)
	}
	return fs
}

// printFlags lists fs's flags with their environment twins.
func printFlags(fs *flag.FlagSet, stderr io.Writer) {
	fmt.Fprintf(stderr, "Flags (each also read from its environment variable):\n")
	fs.VisitAll(func(f *flag.Flag) {
		def := ""
		if f.DefValue != "" {
			def = fmt.Sprintf(" (default %q)", f.DefValue)
		}
		fmt.Fprintf(stderr, "  --%s  [%s]\n      %s%s\n", f.Name, envName(f.Name), f.Usage, def)
	})
}

// envName is a flag's environment twin: --rescue-after is GOALPOST_RESCUE_AFTER.
func envName(flagName string) string {
	return "GOALPOST_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseFlags parses args, then fills every flag not given on the command line
// from its environment twin. A bad value names the setting it came from.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || err != nil {
			return
		}
		if v, ok := os.LookupEnv(envName(f.Name)); ok {
			if serr := fs.Set(f.Name, v); serr != nil {
				err = usageError{fmt.Sprintf("invalid value %q for %s: %v", v, envName(f.Name), serr)}
			}
		}
	})
	return err
}

// dataFlags are the storage flags that serve, token and migrate share.
type dataFlags struct {
	data string
	db   string
}

func (d *dataFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.data, "data", "goalpost-data", "data directory: the SQLite database, the signing key and (by default) export content")
	fs.StringVar(&d.db, "db", "", "database URL: postgres://… for PostgreSQL shared by many nodes; empty means SQLite at DATA/goalpost.db (sqlite:///path/to/file.db also works)")
}

// sqlitePath returns the SQLite file to use, or an error for a database
// this build cannot open.
func (d *dataFlags) sqlitePath() (string, error) {
	switch {
	case d.db == "":
		return filepath.Join(d.data, "goalpost.db"), nil
	case strings.HasPrefix(d.db, "sqlite://"):
		p := strings.TrimPrefix(d.db, "sqlite://")
		if p == "" {
			return "", usageError{"--db sqlite:// needs a file path"}
		}
		return p, nil
	}
	return "", usageError{"--db must be empty, sqlite://PATH or postgres://…"}
}

// ensureDataDir creates the data directory, readable by its owner only.
func (d *dataFlags) ensureDataDir() error {
	if err := os.MkdirAll(d.data, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	return nil
}

// listFlag is a repeatable flag. Each use appends; a value (or an
// environment twin) holding several whitespace-separated entries adds each.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, " ") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, strings.Fields(v)...)
	return nil
}
