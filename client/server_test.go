package client_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"gocloud.dev/blob/fileblob"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/auth"
	"github.com/goalpost/goalpost/client"
	"github.com/goalpost/goalpost/demo"
	"github.com/goalpost/goalpost/httpapi"
	"github.com/goalpost/goalpost/jobs"
	"github.com/goalpost/goalpost/sqlite"
)

// realServer is goalpost in this process with the demo data: the store,
// the export runner (not started until start is called, so a test can see
// a job pending) and the HTTP API on 127.0.0.1.
type realServer struct {
	t      *testing.T
	url    string
	issuer *auth.Issuer
	runner *jobs.Runner[*sql.Tx]
}

func newRealServer(t *testing.T, pageSize int) *realServer {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "goalpost.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := demo.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "exports"), 0o700); err != nil {
		t.Fatal(err)
	}
	bucket, err := fileblob.OpenBucket(filepath.Join(dir, "exports"), &fileblob.Options{NoTempDir: true, Metadata: fileblob.MetadataDontWrite})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bucket.Close() })
	runner, err := jobs.New[*sql.Tx](riversqlite.New(store.DB()), jobs.Config{
		Store: store, Bucket: bucket, Workers: 1, FetchPollInterval: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	store.EnqueueExportFunc = runner.EnqueueTx
	key, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(httpapi.Config{
		Store: store, Bucket: bucket, Verifier: &auth.LocalVerifier{Keys: []*auth.Key{key}},
		DefaultPageSize: pageSize, ClientID: auth.DefaultAudience,
	})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return &realServer{t: t, url: srv.URL, issuer: &auth.Issuer{Key: key}, runner: runner}
}

// start starts the export workers.
func (s *realServer) start() {
	s.t.Helper()
	if err := s.runner.Start(context.Background()); err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.runner.Stop(ctx)
	})
}

func (s *realServer) client(upn string, scopes ...string) *client.Client {
	s.t.Helper()
	tok, err := s.issuer.Mint(auth.MintParams{UPN: upn, Scopes: scopes})
	if err != nil {
		s.t.Fatal(err)
	}
	c, err := client.New(client.Config{BaseURL: s.url + "/beta", Token: tok, PollInterval: 20 * time.Millisecond,
		// The server asks for at least a second between polls; these
		// tests poll faster.
		MaxRetryWait: 50 * time.Millisecond})
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// TestRealServer is the client's whole flow against goalpost itself: create,
// the 409 that names the pending job, wait, download (verified and equal to
// the content route's bytes), list across pages, and the typed errors.
func TestRealServer(t *testing.T) {
	s := newRealServer(t, 1)
	c := s.client(demo.AdeleUPN, goalpost.ScopeExportReadWrite)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	org, view := demo.ContosoID.String(), demo.ContosoAllObjectivesViewID.String()

	job, err := c.Create(ctx, org, view)
	if err != nil {
		t.Fatal(err)
	}
	if job.Status != client.StatusNotStarted || job.GoalsOrganizationID != org || job.ExplorerViewID != view || job.CreatedDateTime.IsZero() {
		t.Errorf("created %+v", job)
	}
	if _, err := c.Create(ctx, org, view); err == nil {
		t.Fatal("a second create of a pending export succeeded")
	} else if key, ok := client.PendingJob(err); !ok || key != job.ID {
		t.Fatalf("second create: %v, want a 409 naming %s", err, job.ID)
	}
	pending, err := c.Get(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if pending.RetryAfter < time.Second {
		t.Errorf("a pending job's RetryAfter is %v", pending.RetryAfter)
	}
	if _, err := c.Download(ctx, job.ID, io.Discard, client.DownloadOptions{}); !client.IsConflict(err) {
		t.Errorf("download of a pending job: %v, want the 409", err)
	}

	s.start()
	done, err := c.Wait(ctx, job.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != client.StatusSucceeded || done.ResourceLocation != s.url+"/beta/employeeExperience/goals/exportJobs/"+job.ID+"/content" {
		t.Fatalf("finished job %+v", done)
	}
	var buf bytes.Buffer
	info, err := c.Download(ctx, job.ID, &buf, client.DownloadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !info.Verified || info.Size != int64(buf.Len()) {
		t.Errorf("download info %+v", info)
	}
	req, _ := http.NewRequest("GET", done.ResourceLocation, nil)
	tok, _ := s.issuer.Mint(auth.MintParams{UPN: demo.AdeleUPN, Scopes: []string{goalpost.ScopeExportRead}})
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !bytes.Equal(raw, buf.Bytes()) {
		t.Errorf("downloaded %d bytes, the content route sends %d", buf.Len(), len(raw))
	}
	path := filepath.Join(t.TempDir(), "out.csv")
	if _, err := c.DownloadFile(ctx, job.ID, path, client.DownloadOptions{}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, raw) {
		t.Error("DownloadFile wrote other bytes")
	}

	// Two more jobs; the server pages one job at a time.
	job2, err := c.Create(ctx, org, demo.ContosoOverdueViewID.String())
	if err != nil {
		t.Fatal(err)
	}
	job3, err := c.Create(ctx, demo.FabrikamID.String(), demo.FabrikamAllObjectivesViewID.String())
	if err == nil || !client.IsNotFound(err) {
		t.Errorf("Adele exporting Fabrikam: %v, %v; want a 404", job3, err)
	}
	var keys []string
	for j, err := range c.List(ctx, org) {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, j.ID)
	}
	if len(keys) != 2 || keys[0] != job2.ID || keys[1] != job.ID {
		t.Errorf("listed %v, want [%s %s] (newest first)", keys, job2.ID, job.ID)
	}

	missing := goalpost.JobKey{JobID: uuid.New(), OrgID: demo.ContosoID}.String()
	if _, err := c.Get(ctx, missing); !client.IsNotFound(err) {
		t.Errorf("unknown job: %v, want a 404", err)
	} else if e, _ := client.AsError(err); e.InnerCode != client.InnerJobNotFound || e.RequestID == "" || e.Date.IsZero() {
		t.Errorf("404 decoded as %+v", e)
	}
	reader := s.client(demo.AdeleUPN, goalpost.ScopeExportRead)
	if _, err := reader.Create(ctx, org, view); !client.IsAuth(err) {
		t.Errorf("create with a read-only token: %v, want a 403", err)
	}
	anon, _ := client.New(client.Config{BaseURL: s.url + "/beta"})
	if _, err := anon.Get(ctx, job.ID); !client.IsAuth(err) {
		t.Errorf("no token: %v, want a 401", err)
	}
}
