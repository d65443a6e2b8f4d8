package httpapi_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/demo"
	"github.com/goalpost/goalpost/httpapi"
)

// callers of the authorization matrix, by role in Contoso.
var matrixCallers = []struct{ role, upn string }{
	{"owner", demo.AdeleUPN},
	{"admin", demo.PattiUPN},
	{"member", demo.LeeUPN},
	{"observer", demo.JoniUPN},
	{"non-member", "stranger@example.com"},
	{"other organization's owner", demo.MeganUPN},
}

// TestAuthorizationMatrix runs every route of the Graph surface as every
// kind of caller.
func TestAuthorizationMatrix(t *testing.T) { forEachStore(t, testAuthorizationMatrix) }

func testAuthorizationMatrix(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 1})
	events := e.subscribe()
	rw := func(upn string) string { return e.token(upn, goalpost.ScopeExportReadWrite) }

	// Jobs by the owner and by the member, both succeeded.
	adeleJob := e.create()
	e.waitDone(events, adeleJob)
	res := e.do("POST", jobsURL, rw(demo.LeeUPN), createBody(contoso, demo.ContosoOverdueViewID.String()))
	if res.StatusCode != 201 {
		t.Fatalf("member create: %d %s", res.StatusCode, res.body)
	}
	leeJob := res.json(t)["id"].(string)
	e.waitDone(events, leeJob)

	// Each role creates an export of a view of its own, so that the
	// one-pending-job rule does not mix into the matrix.
	createView := map[string]string{
		"owner":    demo.ContosoNotUpdatedViewID.String(),
		"admin":    demo.ContosoAtRiskOrBehindViewID.String(),
		"member":   demo.ContosoRecentlyCompletedViewID.String(),
		"observer": demo.ContosoUnalignedViewID.String(),
	}
	want := map[string]map[string]int{
		//                       owner admin member observer non-member other-owner
		"create":               {"owner": 201, "admin": 201, "member": 201, "observer": 201, "non-member": 404, "other organization's owner": 404},
		"get owner's job":      {"owner": 200, "admin": 200, "member": 404, "observer": 404, "non-member": 404, "other organization's owner": 404},
		"content owner's job":  {"owner": 200, "admin": 200, "member": 404, "observer": 404, "non-member": 404, "other organization's owner": 404},
		"get member's job":     {"owner": 200, "admin": 200, "member": 200, "observer": 404, "non-member": 404, "other organization's owner": 404},
		"content member's job": {"owner": 200, "admin": 200, "member": 200, "observer": 404, "non-member": 404, "other organization's owner": 404},
		"list":                 {"owner": 200, "admin": 200, "member": 200, "observer": 200, "non-member": 200, "other organization's owner": 200},
		"create private view":  {"owner": 404, "admin": 404, "member": 404, "observer": 404, "non-member": 404, "other organization's owner": 404},
	}
	// How many Contoso jobs each caller lists: the subtests run in order, and
	// the admin also sees the job the owner created just before.
	wantListed := map[string]int{"owner": 2, "admin": 3, "member": 1, "observer": 0, "non-member": 0, "other organization's owner": 0}

	filter := "?$filter=" + url.QueryEscape("goalsOrganizationId eq '"+contoso+"'")
	for _, c := range matrixCallers {
		t.Run(c.role, func(t *testing.T) {
			tok := rw(c.upn)
			check := func(op string, res *response) {
				t.Helper()
				if res.StatusCode != want[op][c.role] {
					t.Errorf("%s: %d, want %d: %s", op, res.StatusCode, want[op][c.role], truncateStr(string(res.body), 200))
				}
			}
			res := e.do("GET", jobsURL+filter, tok, "")
			check("list", res)
			if n := len(res.json(t)["value"].([]any)); n != wantListed[c.role] {
				t.Errorf("lists %d Contoso jobs, want %d", n, wantListed[c.role])
			}
			check("get owner's job", e.do("GET", jobsURL+"/"+adeleJob, tok, ""))
			check("content owner's job", e.do("GET", jobsURL+"/"+adeleJob+"/content", tok, ""))
			check("get member's job", e.do("GET", jobsURL+"/"+leeJob, tok, ""))
			check("content member's job", e.do("GET", jobsURL+"/"+leeJob+"/content", tok, ""))
			// Diego's private view does not exist for anyone but Diego.
			check("create private view", e.do("POST", jobsURL, tok, createBody(contoso, demo.ContosoPrivateViewID.String())))
			view := createView[c.role]
			if view == "" {
				view = contosoView
			}
			check("create", e.do("POST", jobsURL, tok, createBody(contoso, view)))
		})
	}
}

// TestExportContainsWhatTheCreatorMaySee exports the same views as
// different users: restricted items and private views never leak.
func TestExportContainsWhatTheCreatorMaySee(t *testing.T) {
	forEachStore(t, testExportContainsWhatTheCreatorMaySee)
}

func testExportContainsWhatTheCreatorMaySee(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 1})
	events := e.subscribe()
	const restricted = "Prepare the acquisition of Northwind Traders"
	for _, tt := range []struct {
		name, upn, view string
		seesRestricted  bool
	}{
		{"owner", demo.AdeleUPN, contosoView, true},
		{"admin", demo.PattiUPN, contosoView, true},
		{"restricted item's owner, own private view", demo.DiegoUPN, demo.ContosoPrivateViewID.String(), true},
		{"member outside the deal team", demo.AlexUPN, contosoView, false},
		{"observer", demo.JoniUPN, demo.ContosoCompanyObjectivesViewID.String(), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := e.do("POST", jobsURL, e.token(tt.upn, goalpost.ScopeExportReadWrite), createBody(contoso, tt.view))
			if res.StatusCode != 201 {
				t.Fatalf("create: %d %s", res.StatusCode, res.body)
			}
			key := res.json(t)["id"].(string)
			e.waitDone(events, key)
			got := e.do("GET", jobsURL+"/"+key+"/content", e.token(tt.upn, goalpost.ScopeExportRead), "")
			if got.StatusCode != 200 {
				t.Fatalf("content: %d %s", got.StatusCode, got.body)
			}
			golden(t, "export_"+strings.SplitN(tt.upn, "@", 2)[0]+"_"+tt.view[:8]+".csv", got.body)
			if sees := strings.Contains(string(got.body), restricted); sees != tt.seesRestricted {
				t.Errorf("export contains the restricted item: %v, want %v", sees, tt.seesRestricted)
			}
		})
	}
}

func TestThrottling(t *testing.T) {
	e := newEnv(t, envOptions{workers: 0, rateLimit: 1, rateBurst: 2})
	now := time.Now().UTC()
	e.clock.Set(now)
	tok := e.adele()
	for i := range 2 {
		if res := e.do("GET", jobsURL, tok, ""); res.StatusCode != 200 {
			t.Fatalf("request %d: %d", i, res.StatusCode)
		}
	}
	res := e.do("GET", jobsURL, tok, "")
	wantError(t, res, 429, "TooManyRequests", "429", "")
	if ra := res.Header.Get("Retry-After"); ra != "1" {
		t.Errorf("Retry-After = %q, want 1", ra)
	}
	// Another user has a bucket of their own.
	if res := e.do("GET", jobsURL, e.token(demo.PattiUPN, goalpost.ScopeExportRead), ""); res.StatusCode != 200 {
		t.Errorf("another user: %d", res.StatusCode)
	}
	// Requests without a valid token share their address's bucket.
	for i := range 2 {
		wantError(t, e.do("GET", jobsURL, "", ""), 401, "InvalidAuthenticationToken", "", "")
		_ = i
	}
	wantError(t, e.do("GET", jobsURL, "", ""), 429, "TooManyRequests", "429", "")
	// Once the bucket has refilled, requests pass again.
	e.clock.Set(now.Add(1500 * time.Millisecond))
	if res := e.do("GET", jobsURL, tok, ""); res.StatusCode != 200 {
		t.Errorf("after Retry-After: %d %s", res.StatusCode, res.body)
	}
}

// rawServer serves the handler with the production limits but short
// timeouts.
func rawServer(t *testing.T, e *env, l httpapi.Limits) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	srv.Config = httpapi.NewHTTPServer(e.api, l)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

func TestSlowClientIsDisconnected(t *testing.T) {
	e := newEnv(t, envOptions{workers: 0})
	addr := rawServer(t, e, httpapi.Limits{ReadHeaderTimeout: 300 * time.Millisecond})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Half a request line, and then nothing: a slow-loris client.
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	// The guard is far longer than the timeout; the server must close first.
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err = io.ReadAll(conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the server kept a slow client's connection open")
	}
}

func TestOversizedBodyRefusedUnread(t *testing.T) {
	e := newEnv(t, envOptions{workers: 0})
	addr := rawServer(t, e, httpapi.Limits{})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Declare 10 MiB, send 1 KiB, and wait for the answer.
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		jobsURL, e.adele(), 10<<20, strings.Repeat(" ", 1024))
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer before the body was sent: %v", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", res.StatusCode)
	}
}

func TestQueryBounds(t *testing.T) {
	e := newEnv(t, envOptions{workers: 0})
	tok := e.adele()
	wantError(t, e.do("GET", jobsURL+"?$filter="+strings.Repeat("a", 5000), tok, ""), 400, "badRequest", "unknown", "The query specified in the URI is too long.")
	long := "goalsOrganizationId eq '" + strings.Repeat("x", 2100) + "'"
	wantError(t, e.do("GET", jobsURL+"?$filter="+url.QueryEscape(long), tok, ""), 400, "badRequest", "", "")
}
