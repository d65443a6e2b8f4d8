package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/client"
)

// TestExport_AttachesWaitsDownloads: a create that meets a pending job
// attaches to it, polls at its Retry-After and writes the file; stderr (not
// a terminal) has the informational lines only.
func TestExport_AttachesWaitsDownloads(t *testing.T) {
	jobs := fixedJobs()
	pending := jobs[0]
	pending.retryAfter, pending.polls, pending.finalStatus = "3", 3, client.StatusSucceeded
	f := newFakeAPI(t, jobs...)
	f.conflict = pending.ID
	clock := &fakeClock{now: clientTime}
	dir := t.TempDir()
	out := filepath.Join(dir, "out.csv")
	stdout, stderr, code := clientRun(t, clock, "export", "--base-url", f.base(), "--token", "tok",
		"--org", contosoOrg, "--view", pending.ExplorerViewID, "--wait", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, pending.content) {
		t.Errorf("file has %d bytes, want the job's %d", len(got), len(pending.content))
	}
	if stdout != "" {
		t.Errorf("stdout %q, want nothing with -o", stdout)
	}
	if want := []time.Duration{3 * time.Second, 3 * time.Second}; !slices.Equal(clock.sleeps, want) {
		t.Errorf("waits %v, want %v (the Retry-After)", clock.sleeps, want)
	}
	clientGolden(t, "client_export_stderr.txt", []byte(strings.ReplaceAll(stderr, dir, "$DIR")))

	// --quiet: nothing on stderr.
	if _, stderr, code := clientRun(t, clock, "export", "--base-url", f.base(), "--token", "tok",
		"--job", pending.ID, "--quiet", "-o", out); code != 0 || stderr != "" {
		t.Errorf("--quiet: exit %d, stderr %q", code, stderr)
	}
	// To stdout.
	if stdout, _, code := clientRun(t, clock, "export", "--base-url", f.base(), "--token", "tok", "--job", pending.ID); code != 0 || stdout != string(pending.content) {
		t.Errorf("to stdout: exit %d, %d bytes", code, len(stdout))
	}
}

// TestExport_CreateWithoutWait prints the new job's key and exits.
func TestExport_CreateWithoutWait(t *testing.T) {
	f := newFakeAPI(t)
	f.created = fixedJobs()[0]
	f.created.Status = client.StatusNotStarted
	stdout, stderr, code := clientRun(t, &fakeClock{now: clientTime}, "export", "--base-url", f.base(), "--token", "tok",
		"--org", contosoOrg, "--view", contosoView)
	if code != 0 || stdout != f.created.ID+"\n" || stderr != "created export job "+f.created.ID+"\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestExport_ExitCodes: each documented exit code, from the fake API.
func TestExport_ExitCodes(t *testing.T) {
	jobs := fixedJobs()
	running, failed, succeeded := jobs[0], jobs[1], jobs[2]
	corrupt := fixedJobs()[2]
	corrupt.ID, corrupt.etag = clientKey(7), `"`+strings.Repeat("ab", 32)+`"`
	f := newFakeAPI(t, append(jobs, corrupt)...)
	dir := t.TempDir()
	out := filepath.Join(dir, "out.csv")
	c := []string{"--base-url", f.base(), "--token", "tok"}
	for _, tt := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no view", []string{"--org", contosoOrg}, exitUsage, "--org and --view are required"},
		{"job and org", []string{"--job", running.ID, "--org", contosoOrg}, exitUsage, "cannot be combined"},
		{"-o without --wait", []string{"--org", contosoOrg, "--view", contosoView, "-o", out}, exitUsage, "-o needs --wait"},
		{"not a GUID", []string{"--org", contosoOrg, "--view", "all-objectives"}, exitUsage, `--view "all-objectives" is not a GUID`},
		{"negative timeout", []string{"--job", running.ID, "--timeout", "-1s"}, exitUsage, "--timeout"},
		{"help", []string{"-h"}, exitUsage, "Exit codes:"},
		{"job failed", []string{"--job", failed.ID, "--wait"}, exitJobFailed, `failed: The view "Overdue OKRs" was deleted.`},
		{"bad token", []string{"--job", succeeded.ID, "--token", "nope"}, exitAuth, "401 InvalidAuthenticationToken"},
		{"unknown job", []string{"--job", clientKey(9)}, exitNotFound, "404 notFound/exportJobNotFound"},
		{"unknown view", []string{"--org", contosoOrg, "--view", contosoView}, exitNotFound, "Explorer view not found"},
		{"not finished", []string{"--job", running.ID}, exitTimeout, "is running, not finished yet; use --wait"},
		{"corrupt download", []string{"--job", corrupt.ID, "-o", out}, exitFailure, "content does not match its ETag"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"export"}, c...), tt.args...)
			_, stderr, code := clientRun(t, &fakeClock{now: clientTime}, args...)
			if code != tt.code || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tt.code, tt.msg)
			}
		})
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("failed exports left %v", ents)
	}
}

// TestProgress_Golden: the terminal status line while waiting and while
// downloading, on a clock the test moves. Each "\r" starts a new line in
// the golden file, to read it.
func TestProgress_Golden(t *testing.T) {
	var buf bytes.Buffer
	now := clientTime
	p := &progress{w: &buf, on: true, now: func() time.Time { return now }, start: now}
	key := clientKey(1)
	p.info("created export job " + key)
	p.waiting(key, client.StatusNotStarted)
	now = now.Add(3 * time.Second)
	p.waiting(key, client.StatusRunning)
	now = now.Add(62 * time.Second)
	p.waiting(key, client.StatusSucceeded)
	const total = 5 << 20
	for _, step := range []struct {
		after time.Duration
		n     int64
	}{{0, 64 << 10}, {50 * time.Millisecond, 1 << 20}, {950 * time.Millisecond, 2 << 20}, {10 * time.Millisecond, 3 << 20}, {time.Second, total}} {
		now = now.Add(step.after)
		p.downloading(step.n, total)
	}
	p.finish()
	p.info("wrote 5.0 MiB (5242880 bytes) to out.csv (SHA-256 verified against the ETag)")
	clientGolden(t, "client_progress.txt", []byte(strings.ReplaceAll(buf.String(), "\r", "\\r\n")))

	// Off (not a terminal): only the informational lines.
	buf.Reset()
	p = &progress{w: &buf, now: func() time.Time { return now }, start: now}
	p.waiting(key, client.StatusRunning)
	p.downloading(10, 10)
	p.info("done")
	p.finish()
	if buf.String() != "done\n" {
		t.Errorf("progress off wrote %q", buf.String())
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 5 << 20: "5.0 MiB", 3 << 30: "3.0 GiB", 5 << 40: "5120.0 GiB"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// runExit runs the binary and returns its output and exit code.
func runExit(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = append(cleanEnv(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// TestExport_DemoViewToFile is the export client against the real server:
// the file equals the content route's bytes, jobs list finds the job, a
// download to stdout gives the same bytes, and errors have their exit codes.
func TestExport_DemoViewToFile(t *testing.T) {
	data := t.TempDir()
	p := startServe(t, data, "--demo", "--workers", "1")
	base := "http://" + p.addr
	tok := mintToken(t, data, "adele@contoso.com", rw)
	env := []string{"GOALPOST_TOKEN=" + tok, "GOALPOST_BASE_URL=" + base + "/beta"}
	out := filepath.Join(t.TempDir(), "contoso.csv")

	_, stderr, code := runExit(t, nil, "export", "--base-url", base+"/beta", "--token", tok,
		"--org", contosoOrg, "--view", contosoView, "--wait", "--timeout", "60s", "-o", out)
	if code != 0 {
		t.Fatalf("export: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "created export job j!") || !strings.Contains(stderr, "SHA-256 verified") {
		t.Errorf("stderr:\n%s", stderr)
	}

	stdout, stderr, code := runExit(t, env, "jobs", "list", "--json", "--org", contosoOrg)
	var listed []client.ExportJob
	if code != 0 || json.Unmarshal([]byte(stdout), &listed) != nil || len(listed) != 1 || listed[0].Status != client.StatusSucceeded {
		t.Fatalf("jobs list: exit %d, %s\n%s", code, stdout, stderr)
	}
	key := listed[0].ID
	want := download(t, base, tok, key)
	if got, err := os.ReadFile(out); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("the exported file (%d bytes, %v) differs from the content route's %d bytes", len(got), err, len(want))
	}

	if stdout, stderr, code := runExit(t, env, "export", "--job", key); code != 0 || stdout != string(want) {
		t.Errorf("export --job to stdout: exit %d, %d bytes\n%s", code, len(stdout), stderr)
	}
	if stdout, _, code := runExit(t, env, "jobs", "get", key); code != 0 || !strings.Contains(stdout, "status:              succeeded\n") {
		t.Errorf("jobs get: exit %d\n%s", code, stdout)
	}
	if stdout, _, code := runExit(t, env, "jobs", "list"); code != 0 || !strings.Contains(stdout, key+"  succeeded") {
		t.Errorf("jobs list: exit %d\n%s", code, stdout)
	}

	missing := goalpost.JobKey{JobID: uuid.New(), OrgID: uuid.MustParse(contosoOrg)}.String()
	reader := mintToken(t, data, "adele@contoso.com", "Goals-Export.Read.All")
	for _, tt := range []struct {
		env  []string
		args []string
		code int
	}{
		{env, []string{"export", "--job", missing}, exitNotFound},
		{env, []string{"jobs", "get", missing}, exitNotFound},
		{env, []string{"jobs", "list", "--token", "not-a-token"}, exitAuth},
		{env, []string{"export", "--token", reader, "--org", contosoOrg, "--view", contosoView}, exitAuth},
		{env, []string{"export", "--org", contosoOrg}, exitUsage},
		{env, []string{"export", "--job", "job-1"}, exitUsage},                           // the server's 400
		{nil, []string{"export", "--base-url", base + "/beta", "--job", key}, exitUsage}, // no token
	} {
		if _, stderr, code := runExit(t, tt.env, tt.args...); code != tt.code {
			t.Errorf("goalpost %s: exit %d, want %d\n%s", strings.Join(tt.args, " "), code, tt.code, stderr)
		}
	}
	p.stop(t)
}

// TestExport_WaitTimesOutAndAttaches: on a node that never runs exports, a
// second export of the same view attaches to the pending job, and --wait
// gives up at --timeout with exit 6, writing nothing.
func TestExport_WaitTimesOutAndAttaches(t *testing.T) {
	data := t.TempDir()
	p := startServe(t, data, "--demo", "--workers", "0")
	env := []string{"GOALPOST_TOKEN=" + mintToken(t, data, "adele@contoso.com", rw), "GOALPOST_BASE_URL=http://" + p.addr + "/beta"}
	create := []string{"export", "--org", contosoOrg, "--view", contosoView}

	stdout, stderr, code := runExit(t, env, create...)
	key := strings.TrimSpace(stdout)
	if code != 0 || !strings.HasPrefix(key, "j!") || !strings.Contains(stderr, "created export job "+key) {
		t.Fatalf("first export: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	stdout, stderr, code = runExit(t, env, create...)
	if code != 0 || stdout != key+"\n" || !strings.Contains(stderr, "attached to job "+key) {
		t.Errorf("second export: exit %d, stdout %q, stderr %q; want it attached to %s", code, stdout, stderr, key)
	}

	dir := t.TempDir()
	_, stderr, code = runExit(t, env, append(create, "--wait", "--timeout", "2s", "-o", filepath.Join(dir, "out.csv"))...)
	if code != exitTimeout || !strings.Contains(stderr, "timed out after 2s: export job "+key+" is still notStarted") {
		t.Errorf("--wait --timeout 2s: exit %d, want %d\n%s", code, exitTimeout, stderr)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("a timed-out export left %v", ents)
	}
	if _, stderr, code := runExit(t, env, "export", "--job", key); code != exitTimeout || !strings.Contains(stderr, "is notStarted, not finished yet") {
		t.Errorf("export --job of a pending job: exit %d\n%s", code, stderr)
	}
	stdout, _, code = runExit(t, env, "jobs", "get", key, "--json")
	var j client.ExportJob
	if code != 0 || json.Unmarshal([]byte(stdout), &j) != nil || j.ID != key || j.Status != client.StatusNotStarted {
		t.Errorf("jobs get --json: exit %d\n%s", code, stdout)
	}
	p.stop(t)
}
