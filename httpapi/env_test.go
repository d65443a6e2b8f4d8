package httpapi_test

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/auth"
	"github.com/goalpost/goalpost/auth/oidctest"
	"github.com/goalpost/goalpost/demo"
	"github.com/goalpost/goalpost/httpapi"
	"github.com/goalpost/goalpost/jobs"
)

var update = flag.Bool("update", false, "rewrite golden files")

// clock is a settable clock for the server and the cleaner.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now.IsZero() {
		return time.Now()
	}
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// gatedStore holds every export inside ExportView until the test lets it
// go, so a test can see a job running.
type gatedStore struct {
	goalpost.Store
	entered chan struct{}
	release chan struct{}
}

func (g *gatedStore) ExportView(ctx context.Context, q goalpost.ExportQuery, sink goalpost.ExportSink) (int64, error) {
	g.entered <- struct{}{}
	select {
	case <-g.release:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	return g.Store.ExportView(ctx, q, sink)
}

type envOptions struct {
	workers   int
	retention time.Duration
	gate      bool // hold exports in ExportView until released
	rateLimit float64
	rateBurst int
	// oidc, when set, is trusted beside the local key.
	oidc *oidctest.Provider
	// store is "sqlite" (the default) or "postgres".
	store string
	// identityTTL is the server's Config.IdentityTTL.
	identityTTL time.Duration
	// wrap, when set, wraps the store the server uses (not the workers').
	wrap func(goalpost.Store) goalpost.Store
}

// env is a real goalpost server on 127.0.0.1 with the demo data.
type env struct {
	t      *testing.T
	store  goalpost.Store
	bucket *blob.Bucket
	// subscribeFunc subscribes to River's events on this env's runner.
	subscribeFunc func(kinds ...river.EventKind) (<-chan *river.Event, func())
	// exec runs a statement on the store's database; ? placeholders.
	exec   func(query string, args ...any) error
	srv    *httptest.Server
	issuer *auth.Issuer
	clock  *clock
	gate   *gatedStore
	api    *httpapi.Server
}

func newEnv(t *testing.T, o envOptions) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	store := openStore(t, o.store)
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

	e := &env{t: t, store: store.Store, exec: store.exec, bucket: bucket, clock: &clock{}}
	var jobStore goalpost.Store = store.Store
	if o.gate {
		e.gate = &gatedStore{Store: store.Store, entered: make(chan struct{}, 100), release: make(chan struct{})}
		jobStore = e.gate
	}
	runner, err := store.newRunner(jobs.Config{
		Store: jobStore, Bucket: bucket, Workers: o.workers,
		JobTimeout: time.Minute, RescueAfter: 2 * time.Minute,
		FetchPollInterval: 20 * time.Millisecond,
		RetryPolicy:       immediateRetry{},
		NowFunc:           e.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.subscribeFunc = runner.subscribe

	key, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	e.issuer = &auth.Issuer{Key: key, Now: e.clock.Now}
	var verifier httpapi.TokenVerifier = &auth.LocalVerifier{Keys: []*auth.Key{key}, Now: e.clock.Now}
	if o.oidc != nil {
		ov, err := auth.NewOIDCVerifier(ctx, auth.OIDCConfig{Issuer: o.oidc.Issuer(), Audiences: []string{o.oidc.Audience()},
			HTTPClient: o.oidc.Client(), Now: e.clock.Now, Logger: discardLogger()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ov.Close() })
		verifier = auth.ByIssuer{auth.DefaultIssuer: verifier.(auth.Verifier), o.oidc.Issuer(): ov}
	}
	var apiStore goalpost.Store = store.Store
	if o.wrap != nil {
		apiStore = o.wrap(apiStore)
	}
	api := httpapi.New(httpapi.Config{
		Store: apiStore, Bucket: bucket, Verifier: verifier, IdentityTTL: o.identityTTL,
		Retention: o.retention, NowFunc: e.clock.Now, ReadyFunc: store.ping,
		ClientID:  auth.DefaultAudience,
		RateLimit: o.rateLimit, RateBurst: o.rateBurst,
	})
	e.api = api
	e.srv = httptest.NewServer(api)
	t.Cleanup(e.srv.Close)
	if err := runner.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if e.gate != nil {
			select {
			case <-e.gate.release:
			default:
				close(e.gate.release)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = runner.Stop(ctx)
	})
	return e
}

// immediateRetry retries a failed attempt at once, so tests need no waits.
type immediateRetry struct{}

func (immediateRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now() }

// token mints a token for upn with scopes.
func (e *env) token(upn string, scopes ...string) string {
	e.t.Helper()
	tok, err := e.issuer.Mint(auth.MintParams{UPN: upn, Scopes: scopes})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// adele is the Contoso owner's read-write token.
func (e *env) adele() string { return e.token(demo.AdeleUPN, goalpost.ScopeExportReadWrite) }

type response struct {
	*http.Response
	body []byte
}

func (r *response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, r.body)
	}
	return m
}

// do sends a request; header pairs follow the body.
func (e *env) do(method, path, token, body string, header ...string) *response {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if strings.EqualFold(header[i], "Host") {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return &response{Response: res, body: b}
}

const jobsURL = "/beta/employeeExperience/goals/exportJobs"

func createBody(org, view string) string {
	return `{"goalsOrganizationId":"` + org + `","explorerViewId":"` + view + `"}`
}

// create creates an export of Contoso's "All objectives" as Adele.
func (e *env) create() (key string) {
	e.t.Helper()
	res := e.do("POST", jobsURL, e.adele(), createBody(demo.ContosoID.String(), demo.ContosoAllObjectivesViewID.String()))
	if res.StatusCode != http.StatusCreated {
		e.t.Fatalf("create: %d %s", res.StatusCode, res.body)
	}
	return res.json(e.t)["id"].(string)
}

// waitDone waits, on River's own events, until the export of key has
// finished one way or the other.
func (e *env) waitDone(events <-chan *river.Event, key string) {
	e.t.Helper()
	k, err := goalpost.ParseJobKey(key)
	if err != nil {
		e.t.Fatal(err)
	}
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ev := <-events:
			var args jobs.ExportArgs
			if err := json.Unmarshal(ev.Job.EncodedArgs, &args); err != nil || args.JobID != k.JobID {
				continue
			}
			return
		case <-timeout:
			e.t.Fatalf("job %s did not finish", key)
		}
	}
}

// subscribe returns River's events for finished jobs.
func (e *env) subscribe() <-chan *river.Event {
	ch, cancel := e.subscribeFunc(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	e.t.Cleanup(cancel)
	return ch
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
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
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (run with -update after checking):\n got: %q\nwant: %q", name, truncateStr(string(got), 2000), truncateStr(string(want), 2000))
	}
}

func truncateStr(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
