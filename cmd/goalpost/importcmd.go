package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/backup"
	"github.com/goalpost/goalpost/importcsv"
)

// runImport imports an Explorer CSV file into an organization, or restores
// a backup made by "goalpost backup" (told apart by their first byte).
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		df                  dataFlags
		org, orgName, owner string
		viewID, terminology string
		asJSON              bool
	)
	fs := newFlagSet("import", stderr)
	fs.Usage = importUsage(fs, stderr)
	df.register(fs)
	fs.StringVar(&org, "org", "", "GUID of the organization to import into (created when it does not exist); a backup's own organization when not given")
	fs.StringVar(&orgName, "org-name", "", "name of the organization (CSV import)")
	fs.StringVar(&owner, "owner", "", "user principal name made an owner of the organization, created when needed (CSV import)")
	fs.StringVar(&viewID, "view", "", "GUID of the \"All items\" view the import creates or updates (CSV import)")
	fs.StringVar(&terminology, "terminology", "", "a new organization's words for objective, key result and initiative, separated by commas, e.g. \"Goal,Metric,Deliverable\" (CSV import)")
	fs.BoolVar(&asJSON, "json", false, "print what the import did as JSON")
	path, rest := splitFileArg(args)
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if path == "" {
		return usageError{"import needs a FILE"}
	}
	var orgID, view uuid.UUID
	var err error
	if org != "" {
		if orgID, err = uuid.Parse(org); err != nil {
			return usageError{"--org must be a GUID"}
		}
	}
	if viewID != "" {
		if view, err = uuid.Parse(viewID); err != nil {
			return usageError{"--view must be a GUID"}
		}
	}
	var term goalpost.Terminology
	if terminology != "" {
		words := strings.Split(terminology, ",")
		if len(words) != 3 {
			return usageError{"--terminology needs three words separated by commas"}
		}
		term = goalpost.Terminology{Objective: strings.TrimSpace(words[0]), KeyResult: strings.TrimSpace(words[1]), Initiative: strings.TrimSpace(words[2])}
	}
	if err := df.checkDB(); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	in := bufio.NewReaderSize(f, 64<<10)
	prefix, _ := in.Peek(512)
	isBackup := backup.Detect(prefix)
	if !isBackup && orgID == uuid.Nil {
		return usageError{"--org is required to import a CSV file"}
	}

	if !isBackup {
		// Parse before opening the database: a bad file changes nothing
		// and needs no database to say so.
		file, err := importcsv.Parse(in)
		if err != nil {
			return err
		}
		be, err := df.open(ctx, slog.New(slog.DiscardHandler), 0)
		if err != nil {
			return err
		}
		defer be.store.Close()
		var ownerUser *goalpost.User
		if owner != "" {
			if ownerUser, err = resolveOwner(ctx, be.store, owner); err != nil {
				return err
			}
		}
		res, err := be.store.ImportOrganization(ctx, orgID, goalpost.ImportOptions{}, func(existing *goalpost.Dataset) (*goalpost.Dataset, error) {
			return file.Build(existing, importcsv.Options{
				OrgID: orgID, OrgName: orgName, Terminology: term, Owner: ownerUser, ViewID: view, Now: time.Now().UTC(),
			})
		})
		if err != nil {
			return err
		}
		return printImport(stdout, orgID, res, asJSON)
	}

	ds, err := backup.Decode(in)
	if err != nil {
		return err
	}
	docOrg := ds.Organizations[0].ID
	if orgID != uuid.Nil && orgID != docOrg {
		return usageError{fmt.Sprintf("the backup is of organization %s, not %s", docOrg, orgID)}
	}
	if orgName != "" || owner != "" || viewID != "" || terminology != "" {
		return usageError{"--org-name, --owner, --view and --terminology apply to CSV files; a backup restores the organization as it was"}
	}
	be, err := df.open(ctx, slog.New(slog.DiscardHandler), 0)
	if err != nil {
		return err
	}
	defer be.store.Close()
	res, err := be.store.ImportOrganization(ctx, docOrg, goalpost.ImportOptions{Replace: true}, func(*goalpost.Dataset) (*goalpost.Dataset, error) {
		return ds, nil
	})
	if err != nil {
		return err
	}
	return printImport(stdout, docOrg, res, asJSON)
}

func importUsage(fs *flag.FlagSet, stderr io.Writer) func() {
	return func() {
		fmt.Fprint(stderr, `Usage: goalpost import FILE --org GUID [--org-name NAME] [--owner UPN] [--view GUID]
                            [--terminology WORDS] [--db URL | --data DIR]

Imports an Explorer CSV file (as Viva Goals exported them) into the
organization, creating it when needed, in one transaction: one bad row and
nothing is written. Importing the same file again changes nothing.
FILE may also be a backup written by "goalpost backup": the organization is
then restored exactly as it was (records it lacks are deleted).

`)
		printFlags(fs, stderr)
	}
}

// splitFileArg takes the one argument that is not a flag (the file) out of
// args, wherever it is, so that "import FILE --org …" and
// "import --org … FILE" both work. A flag's value is never taken for it.
func splitFileArg(args []string) (path string, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			if i+1 < len(args) && path == "" {
				return args[i+1], append(rest, args[i+2:]...)
			}
			return path, append(rest, args[i:]...)
		case strings.HasPrefix(a, "-"):
			rest = append(rest, a)
			// A flag of the form --name value takes the next argument,
			// except the boolean --json (and -h).
			if !strings.Contains(a, "=") && !isBoolFlag(a) && i+1 < len(args) {
				i++
				rest = append(rest, args[i])
			}
		case path == "":
			path = a
		default:
			rest = append(rest, a) // a second file: parseFlags refuses it
		}
	}
	return path, rest
}

func isBoolFlag(a string) bool {
	switch strings.TrimLeft(a, "-") {
	case "json", "h", "help":
		return true
	}
	return false
}

// resolveOwner returns the user with the UPN, or a new one to be created.
func resolveOwner(ctx context.Context, s goalpost.Store, upn string) (*goalpost.User, error) {
	u, err := s.FindUserByUPN(ctx, upn)
	if err == nil {
		return u, nil
	}
	if !goalpost.IsNotFound(err) {
		return nil, err
	}
	nu := &goalpost.User{ID: uuid.New(), UPN: upn, DisplayName: upn}
	if err := goalpost.ValidateUser(nu); err != nil {
		return nil, usageError{"--owner: " + goalpost.ErrorMessage(err)}
	}
	return nu, nil
}

// printImport reports what an import did.
func printImport(w io.Writer, orgID uuid.UUID, res goalpost.ImportResult, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	if !res.Changed() {
		fmt.Fprintf(w, "organization %s: nothing changed\n", orgID)
		return nil
	}
	fmt.Fprintf(w, "organization %s:", orgID)
	for _, part := range []struct {
		verb string
		m    map[string]int
	}{{"created", res.Created}, {"updated", res.Updated}, {"deleted", res.Deleted}} {
		if s := counts(part.m); s != "" {
			fmt.Fprintf(w, " %s %s;", part.verb, s)
		}
	}
	fmt.Fprintln(w)
	return nil
}

// counts formats the non-zero counts of m, by kind.
func counts(m map[string]int) string {
	var parts []string
	for k, n := range m {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// runBackup writes one organization as goalpost's JSON backup.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		df  dataFlags
		org string
		out string
	)
	fs := newFlagSet("backup", stderr)
	df.register(fs)
	fs.StringVar(&org, "org", "", "GUID of the organization to back up")
	fs.StringVar(&out, "out", "", "file to write (default: standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	orgID, err := uuid.Parse(org)
	if err != nil {
		return usageError{"--org must be a GUID"}
	}
	if err := df.checkDB(); err != nil {
		return err
	}
	be, err := df.open(ctx, slog.New(slog.DiscardHandler), 0)
	if err != nil {
		return err
	}
	defer be.store.Close()
	ds, err := be.store.ReadOrganization(ctx, orgID)
	if err != nil {
		return err
	}
	if out == "" {
		return backup.Encode(stdout, ds)
	}
	// Write beside the target and rename, so a failed backup never leaves
	// a truncated file under the name.
	tmp, err := os.CreateTemp(filepath.Dir(out), ".goalpost-backup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := backup.Encode(tmp, ds); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}
