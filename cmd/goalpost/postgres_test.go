package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// newPostgresDB creates a database of its own for one test on the server
// GOALPOST_TEST_POSTGRES_URL names, and drops it afterwards. Without that
// variable the test is skipped, except under CI, where it must run.
func newPostgresDB(t *testing.T) string {
	t.Helper()
	base := os.Getenv("GOALPOST_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("GOALPOST_TEST_POSTGRES_URL is unset, and CI must run the PostgreSQL tests")
		}
		t.Skip("GOALPOST_TEST_POSTGRES_URL is unset")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := "goalpost_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Error(err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// sharedBlob is a file:// bucket that several nodes share, as a shared
// volume would be.
func sharedBlob(t *testing.T) (string, string) {
	dir := t.TempDir()
	return "file://" + filepath.ToSlash(dir) + "?no_tmp_dir=1&metadata=skip", dir
}

// TestPostgres_TwoNodes: an API-only node and a worker node on one
// PostgreSQL database and one bucket. Tokens minted once work on both, 50
// concurrent creates over two nodes give one job, and a job created through
// one node is polled and downloaded through the other.
func TestPostgres_TwoNodes(t *testing.T) {
	db := newPostgresDB(t)
	blobURL, _ := sharedBlob(t)
	api := startServe(t, t.TempDir(), "--db", db, "--blob", blobURL, "--demo", "--workers", "0")
	api2 := startServe(t, t.TempDir(), "--db", db, "--blob", blobURL, "--workers", "0")
	tok := strings.TrimSpace(runCLI(t, "token", "--db", db, "--user", "adele@contoso.com", "--scopes", rw))

	bases := []string{"http://" + api.addr, "http://" + api2.addr}
	const n = 50
	statuses := make([]int, n)
	bodies := make([]map[string]any, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res := call(t, "POST", bases[i%2]+jobsPath, tok, `{"goalsOrganizationId":"`+contosoOrg+`","explorerViewId":"`+contosoView+`"}`)
			statuses[i] = res.status
			bodies[i] = res.json(t)
		}()
	}
	close(start)
	wg.Wait()
	var key string
	created := 0
	for i, st := range statuses {
		if st == http.StatusCreated {
			created++
			key = bodies[i]["id"].(string)
		}
	}
	if created != 1 {
		t.Fatalf("%d creates succeeded, want 1 (statuses %v)", created, statuses)
	}
	for i, st := range statuses {
		if st == http.StatusCreated {
			continue
		}
		e, _ := bodies[i]["error"].(map[string]any)
		if st != http.StatusConflict || e["target"] != key {
			t.Errorf("request %d: %d %v, want a 409 naming %s", i, st, bodies[i], key)
		}
	}

	// A worker node picks the job up; both API nodes see it finish.
	worker := startServe(t, t.TempDir(), "--db", db, "--blob", blobURL, "--workers", "1")
	waitStatus(t, bases[1], tok, key, "succeeded", time.Minute)
	a := download(t, bases[0], tok, key)
	b := download(t, "http://"+worker.addr, tok, key)
	if !bytes.Equal(a, b) || !strings.HasPrefix(string(a), "Id,Title") {
		t.Error("the nodes serve different content")
	}
	api.stop(t)
	api2.stop(t)
	worker.stop(t)
}

// TestPostgres_KilledWorkerIsRescued kills a worker node mid-export; a
// fresh worker node finishes the job exactly once.
func TestPostgres_KilledWorkerIsRescued(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a large organization and waits for River's rescuer")
	}
	db := newPostgresDB(t)
	blobURL, _ := sharedBlob(t)
	const items = 40_000
	runCLI(t, "seed", "--db", db, "--items", strconv.Itoa(items), "--seed", "3")
	api := startServe(t, t.TempDir(), "--db", db, "--blob", blobURL, "--workers", "0")
	base := "http://" + api.addr
	flags := []string{"--db", db, "--blob", blobURL, "--workers", "1", "--job-timeout", "15s", "--rescue-after", "16s"}
	w1 := startServe(t, t.TempDir(), flags...)
	tok := strings.TrimSpace(runCLI(t, "token", "--db", db, "--user", "olga@northwind.com", "--scopes", rw))
	key := createJob(t, base, tok, northwindOrg, northwindView)
	waitStatus(t, base, tok, key, "running", time.Minute)
	if err := w1.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-w1.exited

	w2 := startServe(t, t.TempDir(), flags...)
	checkRescued(t, base, tok, key, items)
	api.stop(t)
	w2.stop(t)
}

var cleanupRE = regexp.MustCompile(`msg=cleanup expired=(\d+)`)

// TestPostgres_CleanupRunsOnce: two worker nodes, a short retention; the
// expired job and its content are deleted once, by one node.
func TestPostgres_CleanupRunsOnce(t *testing.T) {
	db := newPostgresDB(t)
	blobURL, blobDir := sharedBlob(t)
	flags := []string{"--db", db, "--blob", blobURL, "--workers", "1", "--retention", "8s", "--cleanup-interval", "1s", "--log-level", "debug"}
	n1 := startServe(t, t.TempDir(), append(flags, "--demo")...)
	n2 := startServe(t, t.TempDir(), flags...)
	base := "http://" + n1.addr
	tok := strings.TrimSpace(runCLI(t, "token", "--db", db, "--user", "adele@contoso.com", "--scopes", rw))
	key := createJob(t, base, tok, contosoOrg, contosoView)
	waitStatus(t, base, tok, key, "succeeded", time.Minute)
	if n := countFiles(t, blobDir); n != 1 {
		t.Fatalf("%d content files, want 1", n)
	}

	// Wait until the content is gone, then for two more cleanup passes.
	passes := func() (total, expired int) {
		for _, p := range []*proc{n1, n2} {
			for _, m := range cleanupRE.FindAllStringSubmatch(p.logText(), -1) {
				total++
				e, _ := strconv.Atoi(m[1])
				expired += e
			}
		}
		return
	}
	deadline := time.Now().Add(time.Minute)
	seen := -1
	for {
		total, _ := passes()
		if seen < 0 && countFiles(t, blobDir) == 0 {
			seen = total
		}
		if seen >= 0 && total >= seen+2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("cleanup did not finish: %d passes, %d files", total, countFiles(t, blobDir))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, expired := passes(); expired != 1 {
		t.Errorf("the expired job was deleted %d times, want once", expired)
	}
	res := call(t, "GET", base+jobsPath+"/"+key, tok, "")
	if res.status != 404 {
		t.Errorf("expired job: %d", res.status)
	}
	n1.stop(t)
	n2.stop(t)
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSeedExport_SameOnSQLiteAndPostgres: the same seed exported on both
// databases gives the same file, one row per visible item.
func TestSeedExport_SameOnSQLiteAndPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 100,000 items twice")
	}
	db := newPostgresDB(t)
	const items = 100_000
	sqliteData := t.TempDir()
	runCLI(t, "seed", "--data", sqliteData, "--items", strconv.Itoa(items), "--seed", "11")
	runCLI(t, "seed", "--db", db, "--items", strconv.Itoa(items), "--seed", "11")
	var sums []string
	for _, args := range [][]string{{"--data", sqliteData}, {"--db", db}} {
		data := t.TempDir()
		if args[0] == "--data" {
			data = args[1]
		}
		p := startServe(t, data, append(args, "--workers", "1", "--job-timeout", "5m", "--rescue-after", "6m")...)
		base := "http://" + p.addr
		tok := strings.TrimSpace(runCLI(t, append([]string{"token", "--user", "olga@northwind.com", "--scopes", rw}, args...)...))
		key := createJob(t, base, tok, northwindOrg, northwindView)
		waitStatus(t, base, tok, key, "succeeded", 5*time.Minute)
		got := download(t, base, tok, key)
		recs, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != items+1 {
			t.Errorf("%s: %d records, want %d", args[0], len(recs), items+1)
		}
		sum := sha256.Sum256(got)
		sums = append(sums, hex.EncodeToString(sum[:]))
		p.stop(t)
	}
	if sums[0] != sums[1] {
		t.Errorf("SHA-256 differs: SQLite %s, PostgreSQL %s", sums[0], sums[1])
	}
	t.Logf("seed %d: SHA-256 %s on both databases", items, sums[0])
}
