package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost/backup"
)

// importCase is an Explorer CSV file that goalpost must reproduce cell for
// cell when it is imported and its "All items" view exported.
type importCase struct {
	name, path  string
	terminology string // --terminology for a file with its own words
}

var importCases = []importCase{
	{name: "default columns", path: "testdata/import/contoso-default.csv"},
	{name: "default columns and a Tag column", path: "../../importcsv/testdata/contoso.csv"},
	{name: "chosen columns, Tag: columns, own words", path: "../../importcsv/testdata/fabrikam.csv", terminology: "Goal,Metric,Deliverable"},
	{name: "chosen columns", path: "../../importcsv/testdata/northwind.csv"},
}

// deployment is one database for the process tests: a SQLite data
// directory or a PostgreSQL database.
type deployment struct {
	kind  string
	data  string   // the data directory (keys, exports; SQLite's database)
	args  []string // --data DIR or --db URL
	serve []string // what serve needs besides args
}

func sqliteDeployment(t *testing.T) deployment {
	data := t.TempDir()
	return deployment{kind: "sqlite", data: data, args: []string{"--data", data}}
}

func postgresDeployment(t *testing.T) deployment {
	blobURL, _ := sharedBlob(t)
	return deployment{kind: "postgres", data: t.TempDir(), args: []string{"--db", newPostgresDB(t)}, serve: []string{"--blob", blobURL}}
}

// exportAllItems serves d and exports its "All items" view as the owner.
func exportAllItems(t *testing.T, d deployment, org, view, owner string) []byte {
	t.Helper()
	p := startServe(t, d.data, slices.Concat(d.args, d.serve, []string{"--workers", "1"})...)
	defer p.stop(t)
	base := "http://" + p.addr
	tok := strings.TrimSpace(runCLI(t, append([]string{"token", "--user", owner, "--scopes", rw}, d.args...)...))
	key := createJob(t, base, tok, org, view)
	waitStatus(t, base, tok, key, "succeeded", time.Minute)
	return download(t, base, tok, key)
}

// TestImport_RoundTrip: importing an Explorer CSV file and exporting its
// "All items" view gives the file back byte for byte, on SQLite and on
// PostgreSQL; importing it again changes nothing.
func TestImport_RoundTrip(t *testing.T) {
	for kind, newDeployment := range map[string]func(*testing.T) deployment{"SQLite": sqliteDeployment, "PostgreSQL": postgresDeployment} {
		for _, tc := range importCases {
			t.Run(kind+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				d := newDeployment(t)
				want, err := os.ReadFile(tc.path)
				if err != nil {
					t.Fatal(err)
				}
				org, view := uuid.NewString(), uuid.NewString()
				args := append([]string{"import", tc.path, "--org", org, "--view", view, "--owner", "importer@roundtrip.test"}, d.args...)
				if tc.terminology != "" {
					args = append(args, "--terminology", tc.terminology)
				}
				if out := runCLI(t, args...); !strings.Contains(out, "created") {
					t.Fatalf("first import: %s", out)
				}
				if out := runCLI(t, args...); !strings.Contains(out, "nothing changed") {
					t.Fatalf("second import of the same file: %s", out)
				}
				got := exportAllItems(t, d, org, view, "importer@roundtrip.test")
				if !bytes.Equal(got, want) {
					t.Errorf("%s: the export of the imported file differs from it\n%s", d.kind, firstDifference(got, want))
				}
			})
		}
	}
}

// TestBackup_SQLiteToPostgresAndBack: an organization backed up on SQLite
// and restored on PostgreSQL is the same organization (its backup decodes
// to the same records and its export is the same file), and back again.
func TestBackup_SQLiteToPostgresAndBack(t *testing.T) {
	lite, pg, lite2 := sqliteDeployment(t), postgresDeployment(t), sqliteDeployment(t)
	src := importCases[1]
	org, view := uuid.NewString(), uuid.NewString()
	runCLI(t, append([]string{"import", src.path, "--org", org, "--view", view, "--owner", "importer@roundtrip.test"}, lite.args...)...)

	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }
	runCLI(t, append([]string{"backup", "--org", org, "--out", file("lite.json")}, lite.args...)...)
	if out := runCLI(t, append([]string{"import", file("lite.json")}, pg.args...)...); !strings.Contains(out, "created") {
		t.Fatalf("restore on PostgreSQL: %s", out)
	}
	if out := runCLI(t, append([]string{"import", file("lite.json")}, pg.args...)...); !strings.Contains(out, "nothing changed") {
		t.Fatalf("second restore on PostgreSQL: %s", out)
	}
	runCLI(t, append([]string{"backup", "--org", org, "--out", file("pg.json")}, pg.args...)...)
	runCLI(t, append([]string{"import", file("pg.json")}, lite2.args...)...)
	runCLI(t, append([]string{"backup", "--org", org, "--out", file("lite2.json")}, lite2.args...)...)

	first := decodeBackup(t, file("lite.json"))
	for _, name := range []string{"pg.json", "lite2.json"} {
		if got := decodeBackup(t, file(name)); !reflect.DeepEqual(got, first) {
			t.Errorf("%s differs from the SQLite backup it was restored from", name)
		}
	}
	want := exportAllItems(t, lite, org, view, "importer@roundtrip.test")
	for _, d := range []deployment{pg, lite2} {
		if got := exportAllItems(t, d, org, view, "importer@roundtrip.test"); !bytes.Equal(got, want) {
			t.Errorf("%s: the export after a restore differs\n%s", d.kind, firstDifference(got, want))
		}
	}
}

// TestImport_BadFileChangesNothing: a file with one bad row is refused
// with the line and column named, and nothing is written.
func TestImport_BadFileChangesNothing(t *testing.T) {
	d := sqliteDeployment(t)
	good, err := os.ReadFile(importCases[0].path)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(good, []byte(",On Track,"), []byte(",Done,"), 1)
	path := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	org := uuid.NewString()
	_, stderr, code := runExit(t, nil, append([]string{"import", path, "--org", org, "--owner", "importer@roundtrip.test"}, d.args...)...)
	if code == 0 || !strings.Contains(stderr, `column "Status": expected one of`) || !strings.Contains(stderr, "line 2") {
		t.Fatalf("import of a bad file: exit %d\n%s", code, stderr)
	}
	_, stderr, code = runExit(t, nil, append([]string{"backup", "--org", org}, d.args...)...)
	if code == 0 || !strings.Contains(stderr, "not found") && !strings.Contains(stderr, "does not exist") {
		t.Fatalf("the organization exists after a refused import: exit %d\n%s", code, stderr)
	}
}

func decodeBackup(t *testing.T, path string) any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ds, err := backup.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return ds
}

// firstDifference describes where got and want part.
func firstDifference(got, want []byte) string {
	gl, wl := bytes.Split(got, []byte("\r\n")), bytes.Split(want, []byte("\r\n"))
	for i := 0; i < len(gl) && i < len(wl); i++ {
		if !bytes.Equal(gl[i], wl[i]) {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + string(gl[i]) + "\nwant: " + string(wl[i])
		}
	}
	return "lengths differ: got " + strconv.Itoa(len(gl)) + " lines, want " + strconv.Itoa(len(wl))
}

// TestImport_SeededRoundTrip: the export of a synthetic organization (with
// namesakes, multi-parent alignments, up to eight check-ins an item),
// imported into a fresh deployment, exports as the same file; importing it
// again changes nothing.
func TestImport_SeededRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds and exports 10,000 items twice")
	}
	src := sqliteDeployment(t)
	runCLI(t, "seed", "--data", src.data, "--items", "10000", "--seed", "4") // seed 4: five items owned by two people of one name
	p := startServe(t, src.data, "--workers", "1")
	base := "http://" + p.addr
	tok := strings.TrimSpace(runCLI(t, "token", "--data", src.data, "--user", "olga@northwind.com", "--scopes", rw))
	key := createJob(t, base, tok, northwindOrg, northwindView)
	waitStatus(t, base, tok, key, "succeeded", time.Minute)
	want := download(t, base, tok, key)
	p.stop(t)
	file := filepath.Join(t.TempDir(), "northwind.csv")
	if err := os.WriteFile(file, want, 0o600); err != nil {
		t.Fatal(err)
	}

	dst := sqliteDeployment(t)
	org, view := uuid.NewString(), uuid.NewString()
	args := append([]string{"import", file, "--org", org, "--view", view, "--owner", "olga@northwind.com"}, dst.args...)
	runCLI(t, args...)
	if out := runCLI(t, args...); !strings.Contains(out, "nothing changed") {
		t.Fatalf("second import: %s", out)
	}
	if got := exportAllItems(t, dst, org, view, "olga@northwind.com"); !bytes.Equal(got, want) {
		t.Errorf("the export of the imported organization differs from the file\n%s", firstDifference(got, want))
	}
}
