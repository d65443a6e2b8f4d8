package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRun_Usage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "no command given"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"token", "--data", t.TempDir()}, "--user and --scopes are required"},
		{[]string{"serve", "--workers", "-1", "--data", t.TempDir()}, "--workers must be 0 or more"},
		{[]string{"serve", "--job-timeout", "10m", "--rescue-after", "5m", "--data", t.TempDir()}, "must be longer than --job-timeout"},
		{[]string{"serve", "--db", "mysql://x", "--data", t.TempDir()}, "--db must be"},
		{[]string{"serve", "--public-url", "ftp://x", "--data", t.TempDir()}, "--public-url"},
		{[]string{"serve", "extra"}, `unexpected argument "extra"`},
		{[]string{"serve", "--oidc-issuer", "https://login.example.com/t/v2.0", "--data", t.TempDir()}, "--oidc-audience"},
		{[]string{"serve", "--rate-limit", "-1", "--data", t.TempDir()}, "--rate-limit"},
		{[]string{"serve", "--identity-ttl", "-1s", "--data", t.TempDir()}, "--identity-ttl"},
		{[]string{"serve", "--max-import-bytes", "0", "--data", t.TempDir()}, "--max-import-bytes"},
		{[]string{"import", "--data", t.TempDir()}, "import needs a FILE"},
		{[]string{"import", "f.csv", "--org", "nope"}, "--org must be a GUID"},
		{[]string{"import", "f.csv", "--org", "3d9a8150-90fd-42bd-9777-25ba783d4a05", "--terminology", "Goal,Metric"}, "--terminology needs three words"},
		{[]string{"import", "a.csv", "b.csv", "--org", "3d9a8150-90fd-42bd-9777-25ba783d4a05"}, `unexpected argument "b.csv"`},
		{[]string{"import", "../../importcsv/testdata/contoso.csv", "--data", t.TempDir()}, "--org is required to import a CSV file"},
		{[]string{"backup", "--org", "x"}, "--org must be a GUID"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), tt.args, &stdout, &stderr)
		var ue usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%q) = %v, want a usage error containing %q", tt.args, err, tt.want)
		}
	}
}

func TestParseFlags_EnvTwins(t *testing.T) {
	t.Setenv("GOALPOST_WORKERS", "7")
	t.Setenv("GOALPOST_RESCUE_AFTER", "42m")
	var cfg serveConfig
	fs := newFlagSet("serve", &bytes.Buffer{})
	cfg.register(fs)
	if err := parseFlags(fs, []string{"--workers", "3"}); err != nil {
		t.Fatal(err)
	}
	if cfg.workers != 3 {
		t.Errorf("workers = %d: the command line must win over GOALPOST_WORKERS", cfg.workers)
	}
	if cfg.rescueAfter.String() != "42m0s" {
		t.Errorf("rescue-after = %v, want 42m from GOALPOST_RESCUE_AFTER", cfg.rescueAfter)
	}
	t.Setenv("GOALPOST_JOB_TIMEOUT", "soon")
	fs = newFlagSet("serve", &bytes.Buffer{})
	cfg.register(fs)
	if err := parseFlags(fs, nil); err == nil || !strings.Contains(err.Error(), "GOALPOST_JOB_TIMEOUT") {
		t.Errorf("bad env value: %v, want an error naming GOALPOST_JOB_TIMEOUT", err)
	}
}

func TestToken_PrintsOnlyAToken(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"token", "--data", t.TempDir(), "--user", "adele@contoso.com", "--scopes", "Goals-Export.Read.All"}, &stdout, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	out := strings.TrimSuffix(stdout.String(), "\n")
	if strings.Count(out, ".") != 2 || strings.ContainsAny(out, " \n") {
		t.Errorf("stdout %q is not one compact JWT", stdout.String())
	}
}

// TestSeed_ReplacesNorthwind: seeding again replaces the organization
// instead of failing on its existing records.
func TestSeed_ReplacesNorthwind(t *testing.T) {
	data := t.TempDir()
	runCLI(t, "seed", "--data", data, "--items", "300", "--seed", "1")
	runCLI(t, "seed", "--data", data, "--items", "120", "--seed", "2")
	p := startServe(t, data, "--workers", "1")
	base := "http://" + p.addr
	tok := mintToken(t, data, "olga@northwind.com", rw)
	key := createJob(t, base, tok, northwindOrg, northwindView)
	waitStatus(t, base, tok, key, "succeeded", time.Minute)
	recs, err := csv.NewReader(bytes.NewReader(download(t, base, tok, key))).ReadAll()
	if err != nil || len(recs) != 121 {
		t.Errorf("export after re-seeding: %d records (%v), want 120 items and a header", len(recs), err)
	}
	p.stop(t)
}

func TestSplitFileArg(t *testing.T) {
	for _, tt := range []struct {
		args     []string
		path     string
		restLen  int
		restLast string
	}{
		{[]string{"f.csv", "--org", "X"}, "f.csv", 2, "X"},
		{[]string{"--org", "X", "f.csv"}, "f.csv", 2, "X"},
		{[]string{"--org=X", "f.csv", "--json"}, "f.csv", 2, "--json"},
		{[]string{"--json", "f.csv"}, "f.csv", 1, "--json"},
		{[]string{"--org", "X", "--", "-odd.csv"}, "-odd.csv", 2, "X"},
		{[]string{"--org", "X"}, "", 2, "X"},
	} {
		path, rest := splitFileArg(tt.args)
		if path != tt.path || len(rest) != tt.restLen || (len(rest) > 0 && rest[len(rest)-1] != tt.restLast) {
			t.Errorf("splitFileArg(%q) = %q, %q", tt.args, path, rest)
		}
	}
}
