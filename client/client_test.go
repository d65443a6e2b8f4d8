package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalpost/goalpost/client"
)

// Fixed values of the fake server.
const (
	testKey  = "j!UIGaPf2QvUKXdyW6eD1KBVCBmj39kL1Cl3clung9SgU"
	testOrg  = "3d9a8150-90fd-42bd-9777-25ba783d4a05"
	testView = "f5b62cb2-5e35-4ba1-862d-9c6cf0c88830"
	testTok  = "test-token"
)

// now is the fixed clock of these tests.
var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// sleeper records the waits a client asks for instead of sleeping.
type sleeper struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeper) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.d)
}

// fake is a fault-injecting test server: handle serves the n-th request
// (from 1) and every request is recorded.
type fake struct {
	srv    *httptest.Server
	n      atomic.Int32
	mu     sync.Mutex
	reqs   []*http.Request
	bodies []string
}

func newFake(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *fake {
	t.Helper()
	f := &fake{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, r)
		f.bodies = append(f.bodies, string(b))
		f.mu.Unlock()
		handle(w, r, int(f.n.Add(1)))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) requests() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reqs)
}

// newClient returns a client of f with the fixed clock, the recording
// sleeper and no jitter (a backoff is its full step).
func newClient(t *testing.T, f *fake, s *sleeper, mod ...func(*client.Config)) *client.Client {
	t.Helper()
	cfg := client.Config{
		BaseURL:    f.srv.URL + "/beta",
		Token:      testTok,
		NowFunc:    func() time.Time { return now },
		SleepFunc:  s.Sleep,
		JitterFunc: func(max time.Duration) time.Duration { return max },
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// graphError writes the Graph error envelope.
func graphError(w http.ResponseWriter, status int, code, inner, msg, target string) {
	body := map[string]any{"code": code, "message": msg,
		"innerError": map[string]string{"code": inner, "date": "2026-03-04T05:06:07", "request-id": "req-" + strconv.Itoa(status), "client-request-id": "x"}}
	if target != "" {
		body["target"] = target
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("request-id", "req-"+strconv.Itoa(status))
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": body})
}

func jobJSON(key string, status client.Status) string {
	extra := ""
	switch status {
	case client.StatusSucceeded:
		extra = `,"resourceLocation":"http://x/beta/employeeExperience/goals/exportJobs/` + key + `/content"`
	case client.StatusFailed:
		extra = `,"statusDetail":"the view was deleted"`
	}
	return `{"@odata.context":"http://x/beta/$metadata#employeeExperience/goals/exportJobs/$entity","id":"` + key +
		`","createdDateTime":"2026-03-04T05:06:07.123Z","lastActionDateTime":"2026-03-04T05:06:08Z","status":"` + string(status) + `"` + extra +
		`,"goalsOrganizationId":"` + testOrg + `","explorerViewId":"` + testView + `","expirationDateTime":"2026-03-05T05:06:07.123Z"}`
}

func writeJob(w http.ResponseWriter, status int, key string, st client.Status) {
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal")
	w.WriteHeader(status)
	io.WriteString(w, jobJSON(key, st))
}

// dropConnection closes the connection without a response.
func dropConnection(t *testing.T, w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	conn.Close()
}

// TestGet_HonoursRetryAfter: a 429 and a 503 with Retry-After (seconds, then
// an HTTP date) are retried after exactly those delays, with one
// client-request-id for the three attempts.
func TestGet_HonoursRetryAfter(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 1:
			w.Header().Set("Retry-After", "3")
			graphError(w, 429, "TooManyRequests", "429", "Too many requests", "")
		case 2:
			w.Header().Set("Retry-After", now.Add(7*time.Second).Format(http.TimeFormat))
			graphError(w, 503, "serviceNotAvailable", "unknown", "Try later", "")
		default:
			w.Header().Set("Retry-After", "5")
			writeJob(w, 200, testKey, client.StatusRunning)
		}
	})
	var s sleeper
	c := newClient(t, f, &s)
	job, err := c.Get(context.Background(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.got(), []time.Duration{3 * time.Second, 7 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	want := &client.ExportJob{
		ID: testKey, Status: client.StatusRunning,
		CreatedDateTime:     time.Date(2026, 3, 4, 5, 6, 7, 123e6, time.UTC),
		LastActionDateTime:  time.Date(2026, 3, 4, 5, 6, 8, 0, time.UTC),
		ExpirationDateTime:  time.Date(2026, 3, 5, 5, 6, 7, 123e6, time.UTC),
		GoalsOrganizationID: testOrg, ExplorerViewID: testView,
		RetryAfter: 5 * time.Second,
	}
	if fmt.Sprint(*job) != fmt.Sprint(*want) {
		t.Errorf("job\n got %+v\nwant %+v", *job, *want)
	}
	reqs := f.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	crid := reqs[0].Header.Get("client-request-id")
	if len(crid) != 36 {
		t.Errorf("client-request-id %q is not a GUID", crid)
	}
	for i, r := range reqs {
		if r.Header.Get("client-request-id") != crid {
			t.Errorf("attempt %d: client-request-id %q, want the first attempt's %q", i+1, r.Header.Get("client-request-id"), crid)
		}
		if r.Header.Get("Authorization") != "Bearer "+testTok {
			t.Errorf("attempt %d: Authorization %q", i+1, r.Header.Get("Authorization"))
		}
		if r.URL.EscapedPath() != "/beta/employeeExperience/goals/exportJobs/"+testKey {
			t.Errorf("attempt %d: path %s", i+1, r.URL.EscapedPath())
		}
	}
	// A new call has a new client-request-id.
	if _, err := c.Get(context.Background(), testKey); err != nil {
		t.Fatal(err)
	}
	if last := f.requests()[3].Header.Get("client-request-id"); last == crid || last == "" {
		t.Errorf("second call's client-request-id %q, want a new one", last)
	}
}

// TestRetryDelays: the cap applies to Retry-After; without one the delay is
// exponential (full jitter, here at its maximum) and capped too.
func TestRetryDelays(t *testing.T) {
	for _, tt := range []struct {
		name       string
		status     int
		retryAfter string
		maxWait    time.Duration
		want       []time.Duration
	}{
		{"retry-after capped", 429, "3600", 0, []time.Duration{60 * time.Second, 60 * time.Second}},
		{"retry-after date in the past", 503, now.Add(-time.Hour).Format(http.TimeFormat), 0, []time.Duration{0, 0}},
		{"backoff 504", 504, "", 0, []time.Duration{500 * time.Millisecond, time.Second}},
		{"backoff capped", 503, "", 700 * time.Millisecond, []time.Duration{500 * time.Millisecond, 700 * time.Millisecond}},
		{"retry-after garbage is backoff", 429, "soon", 0, []time.Duration{500 * time.Millisecond, time.Second}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n <= 2 {
					if tt.retryAfter != "" {
						w.Header().Set("Retry-After", tt.retryAfter)
					}
					graphError(w, tt.status, "x", "y", "z", "")
					return
				}
				writeJob(w, 200, testKey, client.StatusSucceeded)
			})
			var s sleeper
			c := newClient(t, f, &s, func(c *client.Config) { c.MaxRetryWait = tt.maxWait })
			if _, err := c.Get(context.Background(), testKey); err != nil {
				t.Fatal(err)
			}
			if got := s.got(); !slices.Equal(got, tt.want) {
				t.Errorf("waits %v, want %v", got, tt.want)
			}
		})
	}
}

// TestBackoff_FullJitter: the jitter is drawn over the whole step.
func TestBackoff_FullJitter(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n <= 3 {
			graphError(w, 503, "x", "y", "z", "")
			return
		}
		writeJob(w, 200, testKey, client.StatusSucceeded)
	})
	var s sleeper
	var asked []time.Duration
	c := newClient(t, f, &s, func(c *client.Config) {
		c.JitterFunc = func(max time.Duration) time.Duration { asked = append(asked, max); return max / 4 }
	})
	if _, err := c.Get(context.Background(), testKey); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}; !slices.Equal(asked, want) {
		t.Errorf("jitter asked over %v, want %v", asked, want)
	}
	if got, want := s.got(), []time.Duration{125 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond}; !slices.Equal(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
}

// TestRetriesExhausted: after MaxRetries the last 429 is the error.
func TestRetriesExhausted(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "1")
		graphError(w, 429, "TooManyRequests", "429", "Too many requests", "")
	})
	var s sleeper
	c := newClient(t, f, &s, func(c *client.Config) { c.MaxRetries = 2 })
	_, err := c.Get(context.Background(), testKey)
	e, ok := client.AsError(err)
	if !ok || !client.IsThrottled(err) || e.Code != "TooManyRequests" || e.InnerCode != "429" || e.RetryAfter != time.Second {
		t.Fatalf("err = %#v, want the 429", err)
	}
	if n := len(f.requests()); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	if got := s.got(); !slices.Equal(got, []time.Duration{time.Second, time.Second}) {
		t.Errorf("waits %v", got)
	}

	// Retries off: one attempt.
	f2 := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) { graphError(w, 503, "x", "y", "z", "") })
	c = newClient(t, f2, &s, func(c *client.Config) { c.MaxRetries = -1 })
	if _, err := c.Get(context.Background(), testKey); err == nil || len(f2.requests()) != 1 {
		t.Errorf("MaxRetries -1: err %v after %d requests, want an error after 1", err, len(f2.requests()))
	}
}

// TestRetry_CancelStopsTheWait: cancelling the context during a
// Retry-After wait (here the real timer and a whole minute) returns at once.
func TestRetry_CancelStopsTheWait(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "60")
		graphError(w, 429, "TooManyRequests", "429", "Too many requests", "")
		w.(http.Flusher).Flush()
		cancel()
	})
	c, err := client.New(client.Config{BaseURL: f.srv.URL + "/beta"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, testKey); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestCreate_RetriedAfterDroppedConnection: a POST whose connection drops
// before a response is sent again, with the same body.
func TestCreate_RetriedAfterDroppedConnection(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			dropConnection(t, w)
			return
		}
		w.Header().Set("Location", "http://x/beta/employeeExperience/goals/exportJobs/"+testKey)
		writeJob(w, 201, testKey, client.StatusNotStarted)
	})
	var s sleeper
	c := newClient(t, f, &s)
	job, err := c.Create(context.Background(), testOrg, testView)
	if err != nil {
		t.Fatal(err)
	}
	if job.ID != testKey || job.Status != client.StatusNotStarted {
		t.Errorf("job %+v", job)
	}
	want := `{"explorerViewId":"` + testView + `","goalsOrganizationId":"` + testOrg + `"}`
	for i, b := range f.bodies {
		if b != want {
			t.Errorf("attempt %d body %s, want %s", i+1, b, want)
		}
		if r := f.requests()[i]; r.Method != "POST" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("attempt %d: %s with Content-Type %q", i+1, r.Method, r.Header.Get("Content-Type"))
		}
	}
	if len(f.bodies) != 2 {
		t.Errorf("%d attempts, want 2", len(f.bodies))
	}
	if got := s.got(); !slices.Equal(got, []time.Duration{500 * time.Millisecond}) {
		t.Errorf("waits %v, want one backoff step", got)
	}
}

// TestCreate_ConflictNamesPendingJob: the 409 is an *Error whose Target is
// the pending job.
func TestCreate_ConflictNamesPendingJob(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Location", "http://x/beta/employeeExperience/goals/exportJobs/"+testKey)
		graphError(w, 409, "notAllowed", client.InnerJobAlreadyExists, "Another export job is still active or waiting to be executed", testKey)
	})
	var s sleeper
	c := newClient(t, f, &s, func(c *client.Config) { c.RequestIDFunc = func() string { return "my-id" } })
	_, err := c.Create(context.Background(), testOrg, testView)
	key, ok := client.PendingJob(err)
	if !ok || key != testKey || !client.IsConflict(err) {
		t.Fatalf("err = %v: PendingJob %q %v", err, key, ok)
	}
	e, _ := client.AsError(err)
	want := client.Error{
		StatusCode: 409, Code: "notAllowed", InnerCode: client.InnerJobAlreadyExists,
		Message: "Another export job is still active or waiting to be executed", Target: testKey,
		RequestID: "req-409", ClientRequestID: "my-id", Date: now,
		Location: "http://x/beta/employeeExperience/goals/exportJobs/" + testKey,
	}
	if *e != want {
		t.Errorf("error\n got %+v\nwant %+v", *e, want)
	}
	if got := f.requests()[0].Header.Get("client-request-id"); got != "my-id" {
		t.Errorf("client-request-id %q", got)
	}
	if !strings.HasPrefix(err.Error(), "create export job: 409 notAllowed/exportJobAlreadyExists: Another export job") || !strings.HasSuffix(err.Error(), "(request-id req-409)") {
		t.Errorf("message %q", err)
	}
}

// TestErrorDecoding covers the envelope's variants and bodies that are not
// an envelope at all.
func TestErrorDecoding(t *testing.T) {
	for _, tt := range []struct {
		name   string
		handle func(w http.ResponseWriter)
		want   client.Error
		is     func(error) bool
	}{
		{"not found", func(w http.ResponseWriter) {
			graphError(w, 404, "notFound", "exportJobNotFound", "Specified export job not found", "")
		}, client.Error{StatusCode: 404, Code: "notFound", InnerCode: "exportJobNotFound", Message: "Specified export job not found",
			RequestID: "req-404", ClientRequestID: "cr", Date: now}, client.IsNotFound},
		{"unauthorized without inner code", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("request-id", "r1")
			w.WriteHeader(401)
			io.WriteString(w, `{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty.","innerError":{"date":"2026-03-04T05:06:07","request-id":"r1","client-request-id":"c1"}}}`)
		}, client.Error{StatusCode: 401, Code: "InvalidAuthenticationToken", Message: "Access token is empty.",
			RequestID: "r1", ClientRequestID: "cr", Date: now}, client.IsAuth},
		{"forbidden", func(w http.ResponseWriter) {
			graphError(w, 403, "Forbidden", "", "Missing scope permissions on the request.", "")
		}, client.Error{StatusCode: 403, Code: "Forbidden", Message: "Missing scope permissions on the request.",
			RequestID: "req-403", ClientRequestID: "cr", Date: now}, client.IsAuth},
		{"proxy page", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("request-id", "p1")
			w.WriteHeader(502)
			io.WriteString(w, "<html>bad gateway</html>\n")
		}, client.Error{StatusCode: 502, Message: "Bad Gateway: <html>bad gateway</html>", RequestID: "p1", ClientRequestID: "cr"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) { tt.handle(w) })
			var s sleeper
			c := newClient(t, f, &s, func(c *client.Config) { c.RequestIDFunc = func() string { return "cr" } })
			_, err := c.Get(context.Background(), testKey)
			e, ok := client.AsError(err)
			if !ok {
				t.Fatalf("err = %v, want an *Error", err)
			}
			if *e != tt.want {
				t.Errorf("error\n got %+v\nwant %+v", *e, tt.want)
			}
			if tt.is != nil && !tt.is(err) {
				t.Errorf("the Is helper does not recognise %v", err)
			}
		})
	}
}

// TestKeyEscaping: a key is one path segment; "!" stays literal.
func TestKeyEscaping(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		graphError(w, 400, "badRequest", "unknown", "Invalid JobKey specified", "")
	})
	var s sleeper
	c := newClient(t, f, &s)
	for key, want := range map[string]string{
		testKey:  "/beta/employeeExperience/goals/exportJobs/" + testKey,
		"a/b?c#": "/beta/employeeExperience/goals/exportJobs/a%2Fb%3Fc%23",
		"..":     "/beta/employeeExperience/goals/exportJobs/%2E%2E",
		"x y%":   "/beta/employeeExperience/goals/exportJobs/x%20y%25",
	} {
		f.mu.Lock()
		f.reqs = nil
		f.mu.Unlock()
		if _, err := c.Get(context.Background(), key); err == nil {
			t.Fatal("want the 400")
		}
		if got := f.requests()[0].RequestURI; got != want {
			t.Errorf("key %q requested as %s, want %s", key, got, want)
		}
	}
}

// TestList_FollowsNextLink pages through three pages, filtered by
// organization, and stops asking when the loop stops.
func TestList_FollowsNextLink(t *testing.T) {
	var srvURL string
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		next := ""
		var keys []string
		switch r.URL.Query().Get("$skiptoken") {
		case "":
			keys, next = []string{"j!1", "j!2"}, srvURL+"/beta/employeeExperience/goals/exportJobs?$skiptoken=p2&$top=2"
		case "p2":
			keys, next = []string{"j!3"}, srvURL+"/beta/employeeExperience/goals/exportJobs?$skiptoken=p3&$top=2"
		case "p3":
		}
		var b strings.Builder
		b.WriteString(`{"@odata.context":"x","value":[`)
		for i, k := range keys {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(jobJSON(k, client.StatusSucceeded))
		}
		b.WriteString("]")
		if next != "" {
			b.WriteString(`,"@odata.nextLink":"` + next + `"`)
		}
		b.WriteString("}")
		io.WriteString(w, b.String())
	})
	srvURL = f.srv.URL
	var s sleeper
	c := newClient(t, f, &s)
	var got []string
	for j, err := range c.List(context.Background(), testOrg) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, j.ID)
	}
	if !slices.Equal(got, []string{"j!1", "j!2", "j!3"}) {
		t.Errorf("keys %v", got)
	}
	reqs := f.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	if f := reqs[0].URL.Query().Get("$filter"); f != "goalsOrganizationId eq '"+testOrg+"'" {
		t.Errorf("$filter %q", f)
	}
	if strings.Contains(reqs[0].URL.RawQuery, "+") {
		t.Errorf("query %q encodes spaces as '+'", reqs[0].URL.RawQuery)
	}

	// Breaking out of the loop stops the paging.
	before := len(f.requests())
	for range c.List(context.Background(), "") {
		break
	}
	if n := len(f.requests()) - before; n != 1 {
		t.Errorf("a loop that stopped at the first job made %d requests, want 1", n)
	}
	if q := f.requests()[before].URL.RawQuery; q != "" {
		t.Errorf("unfiltered list has query %q", q)
	}
}

// TestList_Errors: an error response or a nextLink to another host ends the
// sequence with an error.
func TestList_Errors(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Query().Get("$filter") != "" {
			graphError(w, 400, "badRequest", "unknown", "Invalid filter", "")
			return
		}
		io.WriteString(w, `{"value":[`+jobJSON("j!1", client.StatusRunning)+`],"@odata.nextLink":"http://evil.example/beta/x?$skiptoken=1"}`)
	})
	var s sleeper
	c := newClient(t, f, &s)
	var jobs int
	var errs []error
	for j, err := range c.List(context.Background(), "") {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		jobs++
		_ = j
	}
	if jobs != 1 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "another origin") {
		t.Errorf("%d jobs, errors %v; want 1 job then the origin error", jobs, errs)
	}
	errs = nil
	for _, err := range c.List(context.Background(), testOrg) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !strings.Contains(fmt.Sprint(errs[0]), "Invalid filter") {
		t.Errorf("errors %v, want the 400", errs)
	}
}

// TestWait polls at each Retry-After (capped), else every PollInterval.
func TestWait(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 1:
			w.Header().Set("Retry-After", "2")
			writeJob(w, 200, testKey, client.StatusNotStarted)
		case 2:
			writeJob(w, 200, testKey, client.StatusRunning)
		case 3:
			w.Header().Set("Retry-After", "90")
			writeJob(w, 200, testKey, client.StatusRunning)
		default:
			writeJob(w, 200, testKey, client.StatusFailed)
		}
	})
	var s sleeper
	c := newClient(t, f, &s)
	var seen []client.Status
	job, err := c.Wait(context.Background(), testKey, func(j *client.ExportJob) { seen = append(seen, j.Status) })
	if err != nil {
		t.Fatal(err)
	}
	if job.Status != client.StatusFailed || job.StatusDetail != "the view was deleted" {
		t.Errorf("job %+v", job)
	}
	if want := []client.Status{"notStarted", "running", "running", "failed"}; !slices.Equal(seen, want) {
		t.Errorf("polls saw %v, want %v", seen, want)
	}
	if got, want := s.got(), []time.Duration{2 * time.Second, time.Second, 60 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}

	// A context that ends during a wait returns the last job seen.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f2 := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJob(w, 200, testKey, client.StatusRunning) })
	c = newClient(t, f2, &s)
	job, err = c.Wait(ctx, testKey, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	_ = job
}

func TestNew_BadBaseURL(t *testing.T) {
	for _, u := range []string{"", "graph.microsoft.com/beta", "ftp://x/beta", "http:///beta", "http://x/beta?a=b"} {
		if _, err := client.New(client.Config{BaseURL: u}); err == nil {
			t.Errorf("New(%q) succeeded", u)
		}
	}
	c, err := client.New(client.Config{BaseURL: "https://graph.microsoft.com/beta/"})
	if err != nil || c.BaseURL() != "https://graph.microsoft.com/beta" {
		t.Errorf("BaseURL %v, %v", c, err)
	}
}

// TestTokenFunc is asked before every attempt.
func TestTokenFunc(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Header.Get("Authorization") != "Bearer t2" {
			graphError(w, 503, "x", "y", "z", "")
			return
		}
		writeJob(w, 200, testKey, client.StatusRunning)
	})
	var s sleeper
	var calls int
	c := newClient(t, f, &s, func(c *client.Config) {
		c.Token = ""
		c.TokenFunc = func(context.Context) (string, error) { calls++; return "t" + strconv.Itoa(calls), nil }
	})
	if _, err := c.Get(context.Background(), testKey); err != nil {
		t.Fatal(err)
	}
	if calls != 2 {
		t.Errorf("TokenFunc called %d times, want 2", calls)
	}
	c = newClient(t, f, &s, func(c *client.Config) {
		c.TokenFunc = func(context.Context) (string, error) { return "", errors.New("no login") }
	})
	if _, err := c.Get(context.Background(), testKey); err == nil || !strings.Contains(err.Error(), "no login") {
		t.Errorf("err = %v", err)
	}
}
