package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	contosoOrg  = "3d9a8150-90fd-42bd-9777-25ba783d4a05"
	contosoView = "f5b62cb2-5e35-4ba1-862d-9c6cf0c88830"
	rw          = "Goals-Export.ReadWrite.All"
)

func createJob(t *testing.T, base, token, org, view string) string {
	t.Helper()
	res := call(t, "POST", base+jobsPath, token, `{"goalsOrganizationId":"`+org+`","explorerViewId":"`+view+`"}`)
	if res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	return res.json(t)["id"].(string)
}

// download fetches a succeeded job's CSV and checks it against its ETag.
func download(t *testing.T, base, token, key string) []byte {
	t.Helper()
	res := call(t, "GET", base+jobsPath+"/"+key+"/content", token, "")
	if res.status != 200 {
		t.Fatalf("content: %d %s", res.status, res.body)
	}
	sum := sha256.Sum256(res.body)
	if et := res.header.Get("ETag"); et != `"`+hex.EncodeToString(sum[:])+`"` {
		t.Fatalf("ETag %s does not match the body", et)
	}
	return res.body
}

// TestServe_DemoTour is the README's tour against the real binary: serve
// with the demo data, mint a token while it runs, create, poll, download;
// then a restart with --demo changes nothing and the job is still there.
func TestServe_DemoTour(t *testing.T) {
	data := t.TempDir()
	p := startServe(t, data, "--demo", "--workers", "1")
	base := "http://" + p.addr
	res := call(t, "GET", base+"/healthz", "", "")
	if res.status != 200 {
		t.Fatalf("healthz %d", res.status)
	}
	tok := mintToken(t, data, "adele@contoso.com", rw)
	key := createJob(t, base, tok, contosoOrg, contosoView)
	job := waitStatus(t, base, tok, key, "succeeded", 60*time.Second)
	if job["resourceLocation"] != base+jobsPath+"/"+key+"/content" {
		t.Errorf("resourceLocation %v", job["resourceLocation"])
	}
	csv1 := download(t, base, tok, key)
	if !strings.HasPrefix(string(csv1), "Id,Title,Team,Creator,Owner,") {
		t.Errorf("CSV starts %q", csv1[:40])
	}
	p.stop(t)

	p2 := startServe(t, data, "--demo", "--workers", "1")
	base = "http://" + p2.addr
	if !strings.Contains(p2.logText(), "loaded=false") {
		t.Errorf("second --demo loaded data again:\n%s", p2.logText())
	}
	// The job survived the restart, and a new export of the unchanged data
	// is byte for byte the same.
	if got := download(t, base, tok, key); string(got) != string(csv1) {
		t.Error("content changed across a restart")
	}
	key2 := createJob(t, base, tok, contosoOrg, contosoView)
	waitStatus(t, base, tok, key2, "succeeded", 60*time.Second)
	if got := download(t, base, tok, key2); string(got) != string(csv1) {
		t.Error("a second export of the same demo data differs")
	}
	p2.stop(t)
}

// TestServe_APIOnlyThenWorkers: a job accepted by a --workers 0 node runs
// once a node with workers starts on the same data.
func TestServe_APIOnlyThenWorkers(t *testing.T) {
	data := t.TempDir()
	p := startServe(t, data, "--demo", "--workers", "0")
	base := "http://" + p.addr
	tok := mintToken(t, data, "adele@contoso.com", rw)
	key := createJob(t, base, tok, contosoOrg, contosoView)
	res := call(t, "GET", base+jobsPath+"/"+key, tok, "")
	if st := res.json(t)["status"]; st != "notStarted" || res.header.Get("Retry-After") == "" {
		t.Fatalf("on an API-only node: status %v, Retry-After %q", st, res.header.Get("Retry-After"))
	}
	p.stop(t)

	p2 := startServe(t, data, "--workers", "1")
	base = "http://" + p2.addr
	waitStatus(t, base, tok, key, "succeeded", 60*time.Second)
	download(t, base, tok, key)
	p2.stop(t)
}

// TestServe_KilledWorkerIsRescued kills a worker process with SIGKILL in
// the middle of a large export; a fresh process rescues the job and
// finishes it exactly once with a complete, correct CSV.
func TestServe_KilledWorkerIsRescued(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a large organization and waits for River's rescuer")
	}
	data := t.TempDir()
	const items = 40_000
	runCLI(t, "seed", "--data", data, "--items", strconv.Itoa(items), "--seed", "7")
	flags := []string{"--workers", "1", "--job-timeout", "15s", "--rescue-after", "16s"}
	p := startServe(t, data, flags...)
	base := "http://" + p.addr
	tok := mintToken(t, data, "olga@northwind.com", rw)
	key := createJob(t, base, tok, northwindOrg, northwindView)
	waitStatus(t, base, tok, key, "running", 60*time.Second)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.exited

	p2 := startServe(t, data, flags...)
	base = "http://" + p2.addr
	checkRescued(t, base, tok, key, items)
	p2.stop(t)
}

const (
	northwindOrg  = "7b3e5c2a-1d4f-4e8b-9a6c-2f1e0d9c8b7a"
	northwindView = "4a2b6c8d-0e1f-4a3b-8c5d-6e7f8091a2b3"
)

// checkRescued waits for a rescued Northwind export and checks that it
// finished exactly once with a complete, correct CSV: Olga sees every item,
// the finished job does not change again, and a fresh export of the same
// view is the same file.
func checkRescued(t *testing.T, base, tok, key string, items int) {
	t.Helper()
	job := waitStatus(t, base, tok, key, "succeeded", 3*time.Minute)
	got := download(t, base, tok, key)
	recs, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
	if err != nil {
		t.Fatalf("the rescued export is not a complete CSV: %v", err)
	}
	if len(recs) != items+1 {
		t.Errorf("CSV has %d records, want %d", len(recs), items+1)
	}
	key2 := createJob(t, base, tok, northwindOrg, northwindView)
	waitStatus(t, base, tok, key2, "succeeded", 2*time.Minute)
	if again := download(t, base, tok, key2); !bytes.Equal(again, got) {
		t.Error("the rescued export differs from a fresh one")
	}
	if st := call(t, "GET", base+jobsPath+"/"+key, tok, "").json(t); st["lastActionDateTime"] != job["lastActionDateTime"] {
		t.Errorf("the finished job changed after it succeeded: %v → %v", job["lastActionDateTime"], st["lastActionDateTime"])
	}
}
