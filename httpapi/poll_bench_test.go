package httpapi_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/riverdriver/riversqlite"
	"gocloud.dev/blob/fileblob"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/auth"
	"github.com/goalpost/goalpost/demo"
	"github.com/goalpost/goalpost/httpapi"
	"github.com/goalpost/goalpost/jobs"
	"github.com/goalpost/goalpost/sqlite"
)

// BenchmarkPollJob is the poll an integration repeats: an authenticated GET
// of one export job, through the whole handler (token verification, the
// caller's user and membership, the job lookup, Retry-After, the body) on
// SQLite, in parallel. While the job is notStarted (no workers) every poll
// also computes Retry-After from the queue; once it has succeeded, the
// server answers from its finished-job cache.
func BenchmarkPollJob(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "goalpost.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	if _, err := demo.Load(ctx, store); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "exports"), 0o700); err != nil {
		b.Fatal(err)
	}
	bucket, err := fileblob.OpenBucket(filepath.Join(dir, "exports"), &fileblob.Options{NoTempDir: true})
	if err != nil {
		b.Fatal(err)
	}
	defer bucket.Close()
	runner, err := jobs.New[*sql.Tx](riversqlite.New(store.DB()), jobs.Config{Store: store, Bucket: bucket})
	if err != nil {
		b.Fatal(err)
	}
	store.EnqueueExportFunc = runner.EnqueueTx
	key, err := auth.GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	api := httpapi.New(httpapi.Config{Store: store, Bucket: bucket, IdentityTTL: httpapi.DefaultIdentityTTL,
		Verifier: &auth.LocalVerifier{Keys: []*auth.Key{key}}, ClientID: auth.DefaultAudience})
	tok, err := (&auth.Issuer{Key: key}).Mint(auth.MintParams{UPN: demo.AdeleUPN, Scopes: []string{goalpost.ScopeExportReadWrite}})
	if err != nil {
		b.Fatal(err)
	}

	const base = "http://goalpost.test/beta/employeeExperience/goals/exportJobs"
	req := httptest.NewRequest(http.MethodPost, base, strings.NewReader(
		`{"goalsOrganizationId":"`+demo.ContosoID.String()+`","explorerViewId":"`+demo.ContosoAllObjectivesViewID.String()+`"}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		b.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var job struct{ ID string }
	if err := json.Unmarshal(rec.Body.Bytes(), &job); err != nil {
		b.Fatal(err)
	}
	url := base + "/" + job.ID
	poll := func(b *testing.B) {
		b.ReportAllocs()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				req := httptest.NewRequest(http.MethodGet, url, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				rec := httptest.NewRecorder()
				api.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Errorf("poll: %d %s", rec.Code, rec.Body)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "polls/s")
	}
	b.Run("notStarted", poll)

	// The same job once it has succeeded (marked so directly: no worker
	// runs here), which the server keeps until it expires.
	jobKey, err := goalpost.ParseJobKey(job.ID)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := store.StartExportJob(ctx, jobKey.JobID, time.Now()); err != nil {
		b.Fatal(err)
	}
	if err := store.CompleteExportJob(ctx, jobKey.JobID, goalpost.Content{Key: "bench.csv", Size: 1, SHA256: "00", Rows: 1}, time.Now()); err != nil {
		b.Fatal(err)
	}
	b.Run("succeeded", poll)
}
