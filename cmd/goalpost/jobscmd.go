package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost/client"
)

const jobsUsage = `Usage:
  goalpost jobs list [--org GUID] [--json] [flags]   the export jobs you may see, newest first
  goalpost jobs get KEY [--json] [flags]             one export job

Human-readable by default: a table for list, "property: value" lines for get.
--json prints what scripts want: an array of jobs for list, one job for get,
with Graph's property names.
`

func runJobs(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return newCLI(stdout, stderr).jobs(ctx, args)
}

// jobs is `goalpost jobs list|get`.
func (x *cli) jobs(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(x.stderr, jobsUsage)
		return usageError{"jobs needs a subcommand: list or get"}
	}
	switch args[0] {
	case "list":
		return classify(x.jobsList(ctx, args[1:]))
	case "get":
		return classify(x.jobsGet(ctx, args[1:]))
	case "help", "-h", "--help":
		fmt.Fprint(x.stdout, jobsUsage)
		return nil
	}
	fmt.Fprint(x.stderr, jobsUsage)
	return usageError{fmt.Sprintf("unknown jobs subcommand %q (want list or get)", args[0])}
}

// jobsFlagSet is the flag set of a jobs subcommand; its usage ends with the
// subcommands and the exit codes.
func (x *cli) jobsFlagSet(name string, cf *clientFlags, asJSON *bool) *flag.FlagSet {
	fs := newFlagSet("jobs "+name, x.stderr)
	cf.register(fs)
	fs.BoolVar(asJSON, "json", false, "print JSON instead of text")
	flagsUsage := fs.Usage
	fs.Usage = func() {
		flagsUsage()
		fmt.Fprint(x.stderr, "\n", jobsUsage, exitCodesHelp)
	}
	return fs
}

func (x *cli) jobsList(ctx context.Context, args []string) error {
	var (
		cf     clientFlags
		asJSON bool
		org    string
	)
	fs := x.jobsFlagSet("list", &cf, &asJSON)
	fs.StringVar(&org, "org", "", "only the jobs of this goals organization (GUID)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if org != "" {
		if _, err := uuid.Parse(org); err != nil || len(org) != 36 {
			return usageError{fmt.Sprintf("--org %q is not a GUID", org)}
		}
	}
	c, err := x.newClient(cf)
	if err != nil {
		return err
	}
	jobs := []*client.ExportJob{}
	for j, err := range c.List(ctx, org) {
		if err != nil {
			return err
		}
		jobs = append(jobs, j)
	}
	if asJSON {
		return writeJSON(x.stdout, jobs)
	}
	return writeJobTable(x.stdout, jobs)
}

func (x *cli) jobsGet(ctx context.Context, args []string) error {
	var (
		cf     clientFlags
		asJSON bool
	)
	fs := x.jobsFlagSet("get", &cf, &asJSON)
	// The key may come before, between or after the flags.
	flagArgs, keys := splitArgs(fs, args)
	if err := parseFlags(fs, flagArgs); err != nil {
		return err
	}
	if len(keys) != 1 {
		return usageError{"jobs get needs one job KEY"}
	}
	key := keys[0]
	c, err := x.newClient(cf)
	if err != nil {
		return err
	}
	j, err := c.Get(ctx, key)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(x.stdout, j)
	}
	return writeJobDetail(x.stdout, j)
}

// splitArgs separates the flags of fs (with their values) from the
// positional arguments, wherever these stand. After "--" every argument is
// positional.
func splitArgs(fs *flag.FlagSet, args []string) (flagArgs, positional []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flagArgs, append(positional, args[i+1:]...)
		}
		if len(a) < 2 || a[0] != '-' {
			positional = append(positional, a)
			continue
		}
		flagArgs = append(flagArgs, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue // parseFlags reports it
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flagArgs = append(flagArgs, args[i])
		}
	}
	return flagArgs, positional
}

// writeJSON prints v indented, without HTML escaping.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// tableTime is a job time in the table: UTC to the second.
func tableTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

// detailTime is a job time in get's output: Graph's form, UTC with
// milliseconds.
func detailTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.999Z07:00")
}

// writeJobTable prints jobs as a fixed-width table. The organization is
// left out (it is in the key, and --org chooses it); jobs get shows all.
func writeJobTable(w io.Writer, jobs []*client.ExportJob) error {
	if len(jobs) == 0 {
		_, err := fmt.Fprintln(w, "no export jobs")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tCREATED (UTC)\tVIEW")
	for _, j := range jobs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", j.ID, j.Status, tableTime(j.CreatedDateTime), j.ExplorerViewID)
	}
	return tw.Flush()
}

// writeJobDetail prints one job as "property: value" lines, with Graph's
// property names; empty properties are left out.
func writeJobDetail(w io.Writer, j *client.ExportJob) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	line := func(name, value string) {
		if value != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", name, value)
		}
	}
	line("id", j.ID)
	line("status", string(j.Status))
	line("statusDetail", j.StatusDetail)
	line("goalsOrganizationId", j.GoalsOrganizationID)
	line("explorerViewId", j.ExplorerViewID)
	if !j.CreatedDateTime.IsZero() {
		line("createdDateTime", detailTime(j.CreatedDateTime))
	}
	if !j.LastActionDateTime.IsZero() {
		line("lastActionDateTime", detailTime(j.LastActionDateTime))
	}
	if !j.ExpirationDateTime.IsZero() {
		line("expirationDateTime", detailTime(j.ExpirationDateTime))
	}
	line("resourceLocation", j.ResourceLocation)
	return tw.Flush()
}
