package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/client"
)

func init() {
	// -update rewrites golden files; another test file may define it too.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

// clientGolden compares got with testdata/name, rewriting it under -update.
func clientGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update after checking):\n got:\n%s\nwant:\n%s", name, got, want)
	}
}

// clientKey is a fixed job key of Contoso.
func clientKey(n byte) string {
	return goalpost.JobKey{JobID: uuid.UUID{0x6f, 0x1e, 0x2d, 0x40, 0x19, 0xf0, 0x11, 0xf1, 0x80, n, 1, 2, 3, 4, 5, 6},
		OrgID: uuid.MustParse(contosoOrg)}.String()
}

// fakeJob is a job the fake API serves, with its Graph JSON fields.
type fakeJob struct {
	client.ExportJob
	content    []byte
	etag       string // default: the content's SHA-256
	retryAfter string // on polls while unfinished
	// polls is how many polls see the job unfinished before it reports
	// finalStatus.
	polls       int
	finalStatus client.Status
}

// fakeAPI is a small in-memory export-job API for the client commands'
// in-process tests: fixed jobs, paging, a 409 naming a pending job, tokens.
type fakeAPI struct {
	t        *testing.T
	srv      *httptest.Server
	token    string
	pageSize int
	mu       sync.Mutex
	jobs     []*fakeJob // newest first
	conflict string     // a POST answers 409 naming this key, when set
	created  *fakeJob   // a POST answers 201 with this job, when set
}

func newFakeAPI(t *testing.T, jobs ...*fakeJob) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, token: "tok", pageSize: 2, jobs: jobs}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) base() string { return f.srv.URL + "/beta" }

func fakeError(w http.ResponseWriter, status int, code, inner, msg, target string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("request-id", "rid-"+strconv.Itoa(status))
	w.WriteHeader(status)
	e := map[string]any{"code": code, "message": msg, "innerError": map[string]string{"code": inner, "date": "2026-03-04T05:06:07", "request-id": "rid-" + strconv.Itoa(status)}}
	if target != "" {
		e["target"] = target
	}
	json.NewEncoder(w).Encode(map[string]any{"error": e})
}

func (f *fakeAPI) find(key string) *fakeJob {
	for _, j := range f.jobs {
		if j.ID == key {
			return j
		}
	}
	return nil
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		fakeError(w, 401, "InvalidAuthenticationToken", "", "Access token validation failure.", "")
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/beta/employeeExperience/goals/exportJobs")
	if !ok {
		fakeError(w, 404, "notFound", "unknownResource", "no such route", "")
		return
	}
	switch {
	case rest == "" && r.Method == "POST":
		switch {
		case f.conflict != "":
			fakeError(w, 409, "notAllowed", "exportJobAlreadyExists", "Another export job is still active or waiting to be executed", f.conflict)
		case f.created != nil:
			f.jobs = append([]*fakeJob{f.created}, f.jobs...)
			w.WriteHeader(201)
			json.NewEncoder(w).Encode(f.created.ExportJob)
		default:
			fakeError(w, 404, "notFound", "explorerViewIdNotFound", "Explorer view not found", "")
		}
	case rest == "":
		skip, _ := strconv.Atoi(r.URL.Query().Get("$skiptoken"))
		var page []client.ExportJob
		org := ""
		if flt := r.URL.Query().Get("$filter"); flt != "" {
			org = strings.TrimSuffix(strings.TrimPrefix(flt, "goalsOrganizationId eq '"), "'")
		}
		n := 0
		for _, j := range f.jobs {
			if org != "" && j.GoalsOrganizationID != org {
				continue
			}
			if n >= skip && len(page) < f.pageSize {
				page = append(page, j.ExportJob)
			}
			n++
		}
		body := map[string]any{"@odata.context": "x", "value": page}
		if skip+f.pageSize < n {
			q := r.URL.Query()
			q.Set("$skiptoken", strconv.Itoa(skip+f.pageSize))
			body["@odata.nextLink"] = f.base() + "/employeeExperience/goals/exportJobs?" + q.Encode()
		}
		if page == nil {
			body["value"] = []any{}
		}
		json.NewEncoder(w).Encode(body)
	default:
		key, content := strings.TrimPrefix(rest, "/"), false
		if k, ok := strings.CutSuffix(key, "/content"); ok {
			key, content = k, true
		}
		if !strings.HasPrefix(key, "j!") {
			fakeError(w, 400, "badRequest", "unknown", "Invalid JobKey specified", "")
			return
		}
		j := f.find(key)
		if j == nil {
			fakeError(w, 404, "notFound", "exportJobNotFound", "Specified export job not found", "")
			return
		}
		if !content {
			if j.polls > 0 {
				j.polls--
				if j.polls == 0 && j.finalStatus != "" {
					j.Status = j.finalStatus
				}
			}
			if !j.Status.Done() && j.retryAfter != "" {
				w.Header().Set("Retry-After", j.retryAfter)
			}
			json.NewEncoder(w).Encode(j.ExportJob)
			return
		}
		switch j.Status {
		case client.StatusSucceeded:
		case client.StatusFailed:
			fakeError(w, 409, "notAllowed", "exportJobFailed", "The export job failed: "+j.StatusDetail, "")
			return
		default:
			w.Header().Set("Retry-After", "1")
			fakeError(w, 409, "notAllowed", "exportJobNotCompleted", "The export job has not completed yet.", "")
			return
		}
		etag := j.etag
		if etag == "" {
			s := sha256.Sum256(j.content)
			etag = `"` + hex.EncodeToString(s[:]) + `"`
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(j.content))
	}
}

// clientTime is a fixed creation time of the fake jobs.
var clientTime = time.Date(2026, 3, 4, 5, 6, 7, 123e6, time.UTC)

// fixedJobs are three jobs of Contoso in every state a table shows.
func fixedJobs() []*fakeJob {
	job := func(n byte, st client.Status, view string, age time.Duration) *fakeJob {
		created := clientTime.Add(-age)
		j := &fakeJob{ExportJob: client.ExportJob{
			ID: clientKey(n), Status: st, CreatedDateTime: created, LastActionDateTime: created.Add(1500 * time.Millisecond),
			GoalsOrganizationID: contosoOrg, ExplorerViewID: view, ExpirationDateTime: created.Add(24 * time.Hour),
		}, content: []byte("Id,Title\n" + strings.Repeat("1,Grow revenue\n", int(n)*100))}
		switch st {
		case client.StatusSucceeded:
			j.ResourceLocation = "https://goals.example.com/beta/employeeExperience/goals/exportJobs/" + j.ID + "/content"
		case client.StatusFailed:
			j.StatusDetail = `The view "Overdue OKRs" was deleted.`
		}
		return j
	}
	return []*fakeJob{
		job(3, client.StatusRunning, "691dfb39-46c6-420d-b573-cf7cde6dccdb", 0),
		job(2, client.StatusFailed, "d1072274-cda0-4473-9ae5-f4143ebbb69d", 2*time.Hour),
		job(1, client.StatusSucceeded, contosoView, 26*time.Hour+30*time.Minute),
	}
}

// fakeClock is a clock that moves only when the client sleeps.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

// clientRun runs a client command in process against the fake clock and
// returns its output and the exit code main would use.
func clientRun(t *testing.T, clock *fakeClock, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	x := &cli{stdout: &out, stderr: &errb, now: clock.Now, configure: func(c *client.Config) {
		c.NowFunc, c.SleepFunc = clock.Now, clock.Sleep
	}}
	var err error
	switch args[0] {
	case "export":
		err = x.export(context.Background(), args[1:])
	case "jobs":
		err = x.jobs(context.Background(), args[1:])
	default:
		t.Fatalf("not a client command: %s", args[0])
	}
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(&errb, "goalpost:", err)
	}
	return out.String(), errb.String(), exitCodeOf(err)
}

// exitCodeOf is the exit code main gives err.
func exitCodeOf(err error) int {
	if err == nil {
		return exitOK
	}
	var ce interface{ ExitCode() int }
	if errors.As(err, &ce) {
		return ce.ExitCode()
	}
	var ue usageError
	if errors.As(err, &ue) || errors.Is(err, flag.ErrHelp) {
		return exitUsage
	}
	return exitFailure
}

// TestJobs_Golden: the human and JSON output of jobs list and jobs get.
func TestJobs_Golden(t *testing.T) {
	f := newFakeAPI(t, fixedJobs()...)
	clock := &fakeClock{now: clientTime}
	flags := []string{"--base-url", f.base(), "--token", "tok"}
	jobs := fixedJobs()
	for _, tt := range []struct {
		golden string
		args   []string
	}{
		{"client_jobs_list.txt", []string{"jobs", "list"}},
		{"client_jobs_list.json", []string{"jobs", "list", "--json", "--org", contosoOrg}},
		{"client_jobs_get.txt", []string{"jobs", "get", jobs[2].ID}},
		{"client_jobs_get_failed.txt", []string{"jobs", "get", "--base-url", f.base(), jobs[1].ID}},
		{"client_jobs_get.json", []string{"jobs", "get", jobs[2].ID, "--json"}},
	} {
		args := append(tt.args, flags...)
		stdout, stderr, code := clientRun(t, clock, args...)
		if code != 0 || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", tt.args, code, stderr)
		}
		clientGolden(t, tt.golden, []byte(stdout))
	}

	// The table pages through the fake's pages of two.
	if out, _, _ := clientRun(t, clock, append([]string{"jobs", "list"}, flags...)...); strings.Count(out, "j!") != 3 {
		t.Errorf("list shows %d jobs, want 3:\n%s", strings.Count(out, "j!"), out)
	}
	// An empty list.
	empty := newFakeAPI(t)
	out, _, code := clientRun(t, clock, "jobs", "list", "--base-url", empty.base(), "--token", "tok")
	if out != "no export jobs\n" || code != 0 {
		t.Errorf("empty list: %q, exit %d", out, code)
	}
	out, _, _ = clientRun(t, clock, "jobs", "list", "--json", "--base-url", empty.base(), "--token", "tok")
	if out != "[]\n" {
		t.Errorf("empty JSON list: %q, want []", out)
	}
}

// TestJobs_ExitCodes: usage, authentication and not-found errors of jobs.
func TestJobs_ExitCodes(t *testing.T) {
	f := newFakeAPI(t, fixedJobs()...)
	clock := &fakeClock{now: clientTime}
	missing := clientKey(9)
	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"jobs"}, exitUsage, "needs a subcommand"},
		{[]string{"jobs", "delete"}, exitUsage, `unknown jobs subcommand "delete"`},
		{[]string{"jobs", "get", "--base-url", f.base(), "--token", "tok"}, exitUsage, "needs one job KEY"},
		{[]string{"jobs", "get", "a", "b", "--token", "tok"}, exitUsage, "needs one job KEY"},
		{[]string{"jobs", "list", "--org", "contoso", "--token", "tok"}, exitUsage, "is not a GUID"},
		{[]string{"jobs", "list", "--base-url", f.base()}, exitUsage, "a token is required"},
		{[]string{"jobs", "list", "--base-url", "graph.microsoft.com", "--token", "tok"}, exitUsage, "--base-url"},
		{[]string{"jobs", "list", "--base-url", f.base(), "--token", "expired"}, exitAuth, "401 InvalidAuthenticationToken"},
		{[]string{"jobs", "get", missing, "--base-url", f.base(), "--token", "tok"}, exitNotFound, "404 notFound/exportJobNotFound"},
		{[]string{"jobs", "get", "job-1", "--base-url", f.base(), "--token", "tok"}, exitUsage, "400 badRequest/unknown: Invalid JobKey specified"},
	} {
		_, stderr, code := clientRun(t, clock, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.code, tt.msg)
		}
	}
	// The token may come from GOALPOST_TOKEN.
	t.Setenv("GOALPOST_TOKEN", "tok")
	if _, stderr, code := clientRun(t, clock, "jobs", "list", "--base-url", f.base()); code != 0 {
		t.Errorf("with GOALPOST_TOKEN: exit %d, %s", code, stderr)
	}
}
