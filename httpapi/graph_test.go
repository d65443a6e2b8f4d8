package httpapi_test

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/auth"
	"github.com/goalpost/goalpost/demo"
)

const jsonCT = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

var (
	contoso     = demo.ContosoID.String()
	contosoView = demo.ContosoAllObjectivesViewID.String()
	fabrikam    = demo.FabrikamID.String()
	fabView     = demo.FabrikamAllObjectivesViewID.String()
	dateRE      = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`)
	guidRE      = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// wantError checks status and the whole Graph error envelope.
func wantError(t *testing.T, res *response, status int, code, inner, message string) map[string]any {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status = %d, want %d; body %s", res.StatusCode, status, res.body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	e, ok := res.json(t)["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %s", res.body)
	}
	if e["code"] != code {
		t.Errorf("error.code = %v, want %s", e["code"], code)
	}
	if message != "" && e["message"] != message {
		t.Errorf("error.message = %q, want %q", e["message"], message)
	}
	if m, _ := e["message"].(string); m == "" {
		t.Errorf("error.message is empty")
	}
	ie, ok := e["innerError"].(map[string]any)
	if !ok {
		t.Fatalf("no innerError in %s", res.body)
	}
	if inner != "" && ie["code"] != inner {
		t.Errorf("innerError.code = %v, want %s", ie["code"], inner)
	}
	if d, _ := ie["date"].(string); !dateRE.MatchString(d) {
		t.Errorf("innerError.date = %q, want YYYY-MM-DDTHH:MM:SS", d)
	}
	rid := res.Header.Get("request-id")
	if !guidRE.MatchString(rid) || ie["request-id"] != rid {
		t.Errorf("request-id header %q, innerError %v", rid, ie["request-id"])
	}
	if ie["client-request-id"] != res.Header.Get("client-request-id") {
		t.Errorf("client-request-id header %q, innerError %v", res.Header.Get("client-request-id"), ie["client-request-id"])
	}
	return e
}

func TestCreateAndPoll_NotStarted(t *testing.T) { forEachStore(t, testCreateAndPoll_NotStarted) }

func testCreateAndPoll_NotStarted(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 0})
	res := e.do("POST", jobsURL, e.adele(), createBody(contoso, contosoView), "client-request-id", "2251aa06-e44a-586e-0a6b-180aa2f7723a")
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("status %d: %s", res.StatusCode, res.body)
	}
	if got := res.Header.Get("Content-Type"); got != jsonCT {
		t.Errorf("Content-Type = %q", got)
	}
	if got := res.Header.Get("OData-Version"); got != "4.0" {
		t.Errorf("OData-Version = %q", got)
	}
	if got := res.Header.Get("client-request-id"); got != "2251aa06-e44a-586e-0a6b-180aa2f7723a" {
		t.Errorf("client-request-id = %q, want the request's", got)
	}
	body := res.json(t)
	key := body["id"].(string)
	k, err := goalpost.ParseJobKey(key)
	if err != nil {
		t.Fatalf("id %q: %v", key, err)
	}
	if k.OrgID != demo.ContosoID {
		t.Errorf("key org = %s", k.OrgID)
	}
	if want := e.srv.URL + jobsURL + "/" + key; res.Header.Get("Location") != want {
		t.Errorf("Location = %q, want %q", res.Header.Get("Location"), want)
	}
	if got, want := body["@odata.context"], e.srv.URL+"/beta/$metadata#employeeExperience/goals/exportJobs/$entity"; got != want {
		t.Errorf("@odata.context = %v, want %v", got, want)
	}
	created, err := time.Parse(time.RFC3339Nano, body["createdDateTime"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if !created.Equal(k.CreatedAt()) {
		t.Errorf("createdDateTime %v, key says %v", created, k.CreatedAt())
	}
	expires, _ := time.Parse(time.RFC3339Nano, body["expirationDateTime"].(string))
	if got := expires.Sub(created); got != 24*time.Hour {
		t.Errorf("expiration - created = %v, want 24h", got)
	}
	for name, want := range map[string]any{"status": "notStarted", "goalsOrganizationId": contoso, "explorerViewId": contosoView} {
		if body[name] != want {
			t.Errorf("%s = %v, want %v", name, body[name], want)
		}
	}
	if _, ok := body["resourceLocation"]; ok {
		t.Error("resourceLocation before success")
	}

	// Poll: notStarted on an API-only node, with an honest Retry-After.
	res = e.do("GET", jobsURL+"/"+key, e.token(demo.AdeleUPN, goalpost.ScopeExportRead), "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("get: %d %s", res.StatusCode, res.body)
	}
	if ra := res.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After = %q while notStarted", ra)
	}
	got := res.json(t)
	if got["status"] != "notStarted" || got["id"] != key {
		t.Errorf("poll body %s", res.body)
	}
	if tip, _ := got["@microsoft.graph.tips"].(string); !strings.HasPrefix(tip, "Use $select") {
		t.Errorf("no tips on a GET without $select")
	}
	if !strings.Contains(string(res.body), "exportJobs('<key>')") {
		t.Errorf("the tip is HTML-escaped: %s", res.body)
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q", got)
	}
	// The content is not there yet.
	res = e.do("GET", jobsURL+"/"+key+"/content", e.adele(), "")
	wantError(t, res, 409, "notAllowed", "exportJobNotCompleted", "")
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After on a 409 for an unfinished job")
	}
}

func TestLifecycle_RunningThenSucceeded(t *testing.T) {
	forEachStore(t, testLifecycle_RunningThenSucceeded)
}

func testLifecycle_RunningThenSucceeded(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 1, gate: true})
	events := e.subscribe()
	key := e.create()
	<-e.gate.entered // the worker is inside the export now

	res := e.do("GET", jobsURL+"/"+key, e.adele(), "")
	body := res.json(t)
	if body["status"] != "running" {
		t.Fatalf("status = %v, want running", body["status"])
	}
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After while running")
	}
	close(e.gate.release)
	e.waitDone(events, key)

	res = e.do("GET", jobsURL+"/"+key, e.adele(), "")
	body = res.json(t)
	if body["status"] != "succeeded" {
		t.Fatalf("status = %v, want succeeded: %s", body["status"], res.body)
	}
	if ra := res.Header.Get("Retry-After"); ra != "" {
		t.Errorf("Retry-After %q on a finished job", ra)
	}
	if want := e.srv.URL + jobsURL + "/" + key + "/content"; body["resourceLocation"] != want {
		t.Errorf("resourceLocation = %v, want %s", body["resourceLocation"], want)
	}

	res = e.do("GET", jobsURL+"/"+key+"/content", e.adele(), "")
	if res.StatusCode != 200 {
		t.Fatalf("content: %d %s", res.StatusCode, res.body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	sum := sha256.Sum256(res.body)
	if et := res.Header.Get("ETag"); et != `"`+hex.EncodeToString(sum[:])+`"` {
		t.Errorf("ETag = %s, want the SHA-256 of the body", et)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=") || !strings.HasSuffix(cd, `.csv"`) && !strings.HasSuffix(cd, ".csv") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	if res.Header.Get("Accept-Ranges") != "bytes" || res.Header.Get("Content-Length") != fmt.Sprint(len(res.body)) {
		t.Errorf("Accept-Ranges %q, Content-Length %q (body %d)", res.Header.Get("Accept-Ranges"), res.Header.Get("Content-Length"), len(res.body))
	}
	golden(t, "contoso_all_objectives_adele.csv", res.body)
	recs, err := csv.NewReader(strings.NewReader(string(res.body))).ReadAll()
	if err != nil {
		t.Fatalf("content is not CSV: %v", err)
	}
	if recs[0][0] != "Id" || recs[0][1] != "Title" {
		t.Errorf("header %v", recs[0])
	}

	// Range and If-None-Match work as HTTP says.
	res2 := e.do("GET", jobsURL+"/"+key+"/content", e.adele(), "", "Range", "bytes=0-9")
	if res2.StatusCode != http.StatusPartialContent || string(res2.body) != string(res.body[:10]) {
		t.Errorf("range: %d %q", res2.StatusCode, res2.body)
	}
	res3 := e.do("GET", jobsURL+"/"+key+"/content", e.adele(), "", "If-None-Match", res.Header.Get("ETag"))
	if res3.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", res3.StatusCode)
	}
}

func TestLifecycle_FailedWithStatusDetail(t *testing.T) {
	forEachStore(t, testLifecycle_FailedWithStatusDetail)
}

func testLifecycle_FailedWithStatusDetail(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 1})
	events := e.subscribe()
	// A view whose export settings name a column that does not exist can
	// never export: the job fails at once, with a detail that says why.
	if err := e.exec(`UPDATE explorer_views SET export_json = '{"columns":["Id","Nope"]}' WHERE id = ?`, contosoView); err != nil {
		t.Fatal(err)
	}
	key := e.create()
	e.waitDone(events, key)
	res := e.do("GET", jobsURL+"/"+key, e.adele(), "")
	body := res.json(t)
	if body["status"] != "failed" {
		t.Fatalf("status = %v, want failed", body["status"])
	}
	detail, _ := body["statusDetail"].(string)
	if !strings.Contains(detail, "export settings") {
		t.Errorf("statusDetail = %q", detail)
	}
	wantError(t, e.do("GET", jobsURL+"/"+key+"/content", e.adele(), ""), 409, "notAllowed", "exportJobFailed", "The export job failed: "+detail)
	// A failed job no longer blocks a new one.
	if res := e.do("POST", jobsURL, e.adele(), createBody(contoso, contosoView)); res.StatusCode != 201 {
		t.Errorf("create after failure: %d %s", res.StatusCode, res.body)
	}
}

func TestCreate_Errors(t *testing.T) { forEachStore(t, testCreate_Errors) }

func testCreate_Errors(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 0})
	adele := e.adele()
	orgMsg := "'GoalsOrganizationId' must be specified in 'Export Job', and it should be a valid GUID."
	viewMsg := "'ExplorerViewId' must be specified in 'Export Job', and it should be a valid GUID."
	for _, tt := range []struct {
		name, body           string
		status               int
		code, inner, message string
	}{
		{"org missing", `{"explorerViewId":"` + contosoView + `"}`, 400, "badRequest", "invalidGoalsOrganizationId", orgMsg},
		{"org not a GUID", createBody("contoso", contosoView), 400, "badRequest", "invalidGoalsOrganizationId", orgMsg},
		{"org a number", `{"goalsOrganizationId":42,"explorerViewId":"` + contosoView + `"}`, 400, "badRequest", "invalidGoalsOrganizationId", orgMsg},
		{"view missing", `{"goalsOrganizationId":"` + contoso + `"}`, 400, "badRequest", "invalidExplorerViewId", viewMsg},
		{"view not a GUID", createBody(contoso, "f5b62cb2"), 400, "badRequest", "invalidExplorerViewId", viewMsg},
		{"not JSON", `{"goalsOrganizationId":`, 400, "badRequest", "invalidRequestBody", ""},
		{"array", `[]`, 400, "badRequest", "invalidRequestBody", ""},
		{"trailing data", createBody(contoso, contosoView) + `{}`, 400, "badRequest", "invalidRequestBody", ""},
		{"unknown field", `{"goalsOrganizationId":"` + contoso + `","explorerViewId":"` + contosoView + `","colour":"red"}`, 400, "badRequest", "invalidRequestBody", "The property 'colour' does not exist on type 'microsoft.graph.goalsExportJob'."},
		{"read-only field", `{"goalsOrganizationId":"` + contoso + `","explorerViewId":"` + contosoView + `","status":"succeeded"}`, 400, "badRequest", "invalidRequestBody", ""},
		{"org unknown", createBody(uuid.NewString(), contosoView), 404, "notFound", "goalsOrganizationIdNotFound", "Goals organization not found"},
		{"org of which caller is no member", createBody(fabrikam, fabView), 404, "notFound", "goalsOrganizationIdNotFound", "Goals organization not found"},
		{"view unknown", createBody(contoso, uuid.NewString()), 404, "notFound", "explorerViewIdNotFound", "Explorer view not found"},
		{"view of another org", createBody(contoso, fabView), 404, "notFound", "explorerViewIdNotFound", "Explorer view not found"},
		{"private view of another user", createBody(contoso, demo.ContosoPrivateViewID.String()), 404, "notFound", "explorerViewIdNotFound", "Explorer view not found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, e.do("POST", jobsURL, adele, tt.body), tt.status, tt.code, tt.inner, tt.message)
		})
	}
	t.Run("body too large", func(t *testing.T) {
		big := `{"goalsOrganizationId":"` + contoso + `","explorerViewId":"` + contosoView + `","@odata.pad":"` + strings.Repeat("x", 70<<10) + `"}`
		wantError(t, e.do("POST", jobsURL, adele, big), 413, "requestEntityTooLarge", "", "")
	})
	t.Run("wrong content type", func(t *testing.T) {
		wantError(t, e.do("POST", jobsURL, adele, createBody(contoso, contosoView), "Content-Type", "text/plain"), 415, "unsupportedMediaType", "", "")
	})
	// Nothing above created a job.
	res := e.do("GET", jobsURL, adele, "")
	if v := res.json(t)["value"].([]any); len(v) != 0 {
		t.Errorf("%d jobs exist after only bad requests", len(v))
	}
	// The creator of the private view may export it.
	diego := e.token(demo.DiegoUPN, goalpost.ScopeExportReadWrite)
	if res := e.do("POST", jobsURL, diego, createBody(contoso, demo.ContosoPrivateViewID.String())); res.StatusCode != 201 {
		t.Errorf("Diego's own private view: %d %s", res.StatusCode, res.body)
	}
}

func TestCreate_ConflictNamesTheActiveJob(t *testing.T) {
	forEachStore(t, testCreate_ConflictNamesTheActiveJob)
}

func testCreate_ConflictNamesTheActiveJob(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 0})
	first := e.create()
	res := e.do("POST", jobsURL, e.adele(), createBody(contoso, contosoView))
	errObj := wantError(t, res, 409, "notAllowed", "exportJobAlreadyExists", "Another export job is still active or waiting to be executed")
	if errObj["target"] != first {
		t.Errorf("target = %v, want %s", errObj["target"], first)
	}
	if want := e.srv.URL + jobsURL + "/" + first; res.Header.Get("Location") != want {
		t.Errorf("Location = %q, want %q", res.Header.Get("Location"), want)
	}
	// Authorization comes before the conflict.
	ro := e.token(demo.AdeleUPN, goalpost.ScopeExportRead)
	wantError(t, e.do("POST", jobsURL, ro, createBody(contoso, contosoView)), 403, "Forbidden", "", "")
	// Another view of the same organization is not in conflict.
	if res := e.do("POST", jobsURL, e.adele(), createBody(contoso, demo.ContosoOverdueViewID.String())); res.StatusCode != 201 {
		t.Errorf("other view: %d %s", res.StatusCode, res.body)
	}
}

func TestCreate_ConcurrentGivesOne201(t *testing.T) {
	forEachStore(t, testCreate_ConcurrentGivesOne201)
}

func testCreate_ConcurrentGivesOne201(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 0})
	tok := e.adele()
	const n = 50
	var wg sync.WaitGroup
	results := make([]*response, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req, _ := http.NewRequest("POST", e.srv.URL+jobsURL, strings.NewReader(createBody(contoso, contosoView)))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer res.Body.Close()
			var b strings.Builder
			_, _ = fmt.Fprint(&b, readAll(res))
			results[i] = &response{Response: res, body: []byte(b.String())}
		}()
	}
	close(start)
	wg.Wait()
	var created []string
	var conflicts []map[string]any
	for _, r := range results {
		if r == nil {
			t.FailNow()
		}
		switch r.StatusCode {
		case 201:
			created = append(created, r.json(t)["id"].(string))
		case 409:
			conflicts = append(conflicts, r.json(t)["error"].(map[string]any))
		default:
			t.Errorf("unexpected %d: %s", r.StatusCode, r.body)
		}
	}
	if len(created) != 1 || len(conflicts) != n-1 {
		t.Fatalf("%d created, %d conflicts; want 1 and %d", len(created), len(conflicts), n-1)
	}
	for _, c := range conflicts {
		if c["target"] != created[0] {
			t.Errorf("409 names %v, want %s", c["target"], created[0])
		}
	}
}

func readAll(res *http.Response) string {
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

func TestGet_KeyForms(t *testing.T) { forEachStore(t, testGet_KeyForms) }

func testGet_KeyForms(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 0})
	key := e.create()
	tok := e.adele()
	for _, path := range []string{
		jobsURL + "/" + key,
		jobsURL + "('" + key + "')",
		jobsURL + "/" + strings.Replace(key, "!", "%21", 1),
		"/beta/employeeexperience/goals/exportjobs/" + key,
		"/BETA/EmployeeExperience/Goals/ExportJobs('" + strings.Replace(key, "!", "%21", 1) + "')",
	} {
		res := e.do("GET", path, tok, "")
		if res.StatusCode != 200 || res.json(t)["id"] != key {
			t.Errorf("%s: %d %s", path, res.StatusCode, res.body)
		}
	}
	// Keys are case-sensitive.
	wantError(t, e.do("GET", jobsURL+"/"+strings.ToUpper(key[:2])+key[2:], tok, ""), 400, "badRequest", "unknown", "Invalid JobKey specified")
}

func TestGet_Errors(t *testing.T) { forEachStore(t, testGet_Errors) }

func testGet_Errors(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 0})
	key := e.create()
	tok := e.adele()
	// The reference page's examples: an invalid key and a well-formed key with no job.
	wantError(t, e.do("GET", jobsURL+"/not-a-key", tok, ""), 400, "badRequest", "unknown", "Invalid JobKey specified")
	wantError(t, e.do("GET", jobsURL+"/j!kmZP9dp57hGB_7KuYfi6DlCBmj39kL1Cl3clung9SgU", tok, ""), 404, "notFound", "exportJobNotFound", "Specified export job not found")
	wantError(t, e.do("GET", jobsURL+"/j!kmZP9dp57hGB_7KuYfi6DlCBmj39kL1Cl3clung9SgU/content", tok, ""), 404, "notFound", "exportJobNotFound", "Specified export job not found")
	// A member who did not create the job and does not administer the
	// organization cannot see it; an admin can.
	wantError(t, e.do("GET", jobsURL+"/"+key, e.token(demo.LeeUPN, goalpost.ScopeExportRead), ""), 404, "notFound", "exportJobNotFound", "")
	if res := e.do("GET", jobsURL+"/"+key, e.token(demo.PattiUPN, goalpost.ScopeExportRead), ""); res.StatusCode != 200 {
		t.Errorf("admin: %d", res.StatusCode)
	}
	// Another organization's owner: 404, and so is a user goalpost does not know.
	wantError(t, e.do("GET", jobsURL+"/"+key, e.token(demo.MeganUPN, goalpost.ScopeExportRead), ""), 404, "notFound", "exportJobNotFound", "")
	wantError(t, e.do("GET", jobsURL+"/"+key, e.token("nobody@example.com", goalpost.ScopeExportRead), ""), 404, "notFound", "exportJobNotFound", "")
	// The same job under another organization's key is not found.
	k, _ := goalpost.ParseJobKey(key)
	other := goalpost.JobKey{JobID: k.JobID, OrgID: demo.FabrikamID}.String()
	wantError(t, e.do("GET", jobsURL+"/"+other, e.token(demo.MeganUPN, goalpost.ScopeExportRead), ""), 404, "notFound", "exportJobNotFound", "")
	// Methods and unknown paths.
	wantError(t, e.do("DELETE", jobsURL+"/"+key, tok, ""), 405, "methodNotAllowed", "", "")
	wantError(t, e.do("GET", "/beta/employeeExperience/goals/nothing", tok, ""), 404, "notFound", "", "")
	wantError(t, e.do("GET", "/nothing", tok, ""), 404, "notFound", "", "")
}

func TestGet_Select(t *testing.T) { forEachStore(t, testGet_Select) }

func testGet_Select(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 0})
	key := e.create()
	tok := e.adele()
	for _, q := range []string{"$select=id,status", "select=id,status", "%24select=status,id", "$SELECT=id,status", "$select=ID,Status"} {
		res := e.do("GET", jobsURL+"/"+key+"?"+q, tok, "")
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", q, res.StatusCode, res.body)
		}
		body := res.json(t)
		if len(body) != 3 || body["id"] != key || body["status"] != "notStarted" {
			t.Errorf("%s: %s", q, res.body)
		}
		ctx, _ := body["@odata.context"].(string)
		if !strings.HasSuffix(ctx, "$metadata#employeeExperience/goals/exportJobs(id,status)/$entity") && !strings.HasSuffix(ctx, "exportJobs(status,id)/$entity") {
			t.Errorf("%s: @odata.context %s", q, ctx)
		}
	}
	// The reference page's tip selects the stream property: accepted, never inlined.
	res := e.do("GET", jobsURL+"/"+key+"?$select=content,expirationDateTime", tok, "")
	if body := res.json(t); res.StatusCode != 200 || len(body) != 2 || body["expirationDateTime"] == nil {
		t.Errorf("content,expirationDateTime: %d %s", res.StatusCode, res.body)
	}
	wantError(t, e.do("GET", jobsURL+"/"+key+"?$select=id,colour", tok, ""), 400, "badRequest", "",
		"Parsing OData Select and Expand failed: Could not find a property named 'colour' on type 'microsoft.graph.goalsExportJob'.")
	for _, opt := range []string{"expand", "orderby", "search", "count"} {
		res := e.do("GET", jobsURL+"/"+key+"?$"+opt+"=x", tok, "")
		e := wantError(t, res, 400, "badRequest", "", "")
		if !strings.Contains(e["message"].(string), "$"+opt) {
			t.Errorf("$%s: message %q does not name the option", opt, e["message"])
		}
	}
	// Unknown non-OData options are ignored.
	if res := e.do("GET", jobsURL+"/"+key+"?foo=bar", tok, ""); res.StatusCode != 200 {
		t.Errorf("unknown option: %d", res.StatusCode)
	}
}

func TestList_FilterAndPaging(t *testing.T) { forEachStore(t, testList_FilterAndPaging) }

func testList_FilterAndPaging(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 0})
	views := []string{contosoView, demo.ContosoAllMyObjectivesViewID.String(), demo.ContosoOverdueViewID.String(),
		demo.ContosoNotUpdatedViewID.String(), demo.ContosoAtRiskOrBehindViewID.String()}
	var keys []string
	base := time.Now().UTC().Truncate(time.Second)
	e.clock.Set(base)
	tok := e.adele()
	for i, v := range views {
		e.clock.Set(base.Add(time.Duration(i) * time.Minute))
		res := e.do("POST", jobsURL, tok, createBody(contoso, v))
		if res.StatusCode != 201 {
			t.Fatalf("create: %d %s", res.StatusCode, res.body)
		}
		keys = append(keys, res.json(t)["id"].(string))
	}
	e.clock.Set(base.Add(time.Hour))
	// Megan's job in Fabrikam is not Adele's to see.
	if res := e.do("POST", jobsURL, e.token(demo.MeganUPN, goalpost.ScopeExportReadWrite), createBody(fabrikam, fabView)); res.StatusCode != 201 {
		t.Fatalf("megan create: %d", res.StatusCode)
	}

	// Page through two at a time, newest first.
	var got []string
	next := jobsURL + "?$filter=" + url.QueryEscape("goalsOrganizationId eq '"+contoso+"'") + "&$top=2"
	pages := 0
	for next != "" {
		res := e.do("GET", next, tok, "")
		if res.StatusCode != 200 {
			t.Fatalf("list %s: %d %s", next, res.StatusCode, res.body)
		}
		body := res.json(t)
		if ctx := body["@odata.context"]; ctx != e.srv.URL+"/beta/$metadata#employeeExperience/goals/exportJobs" {
			t.Errorf("@odata.context %v", ctx)
		}
		for _, v := range body["value"].([]any) {
			got = append(got, v.(map[string]any)["id"].(string))
		}
		next = ""
		if nl, ok := body["@odata.nextLink"].(string); ok {
			if !strings.HasPrefix(nl, e.srv.URL+jobsURL+"?") || !strings.Contains(nl, "skiptoken") {
				t.Fatalf("nextLink %q", nl)
			}
			next = strings.TrimPrefix(nl, e.srv.URL)
		}
		if pages++; pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	if pages != 3 {
		t.Errorf("%d pages, want 3", pages)
	}
	want := make([]string, len(keys))
	for i, k := range keys {
		want[len(keys)-1-i] = k
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("listed\n %v\nwant newest first\n %v", got, want)
	}

	// Spellings of the filter.
	for _, q := range []string{
		"$filter=goalsOrganizationId%20eq%20'" + contoso + "'",
		"filter=%20goalsOrganizationId%20eq%20'" + contoso + "'",
		"%24filter=goalsOrganizationId  eq  '" + contoso + "'",
	} {
		res := e.do("GET", jobsURL+"?"+strings.ReplaceAll(q, " ", "%20"), tok, "")
		if res.StatusCode != 200 || len(res.json(t)["value"].([]any)) != len(keys) {
			t.Errorf("%s: %d %s", q, res.StatusCode, truncateStr(string(res.body), 300))
		}
	}
	// Another organization's filter gives nothing to Adele.
	res := e.do("GET", jobsURL+"?$filter="+url.QueryEscape("goalsOrganizationId eq '"+fabrikam+"'"), tok, "")
	if v := res.json(t)["value"].([]any); len(v) != 0 {
		t.Errorf("Adele sees %d Fabrikam jobs", len(v))
	}
	wantError(t, e.do("GET", jobsURL+"?$filter="+url.QueryEscape("status eq 'running'"), tok, ""), 400, "badRequest", "unknown", "Invalid filter keys found: status")
	wantError(t, e.do("GET", jobsURL+"?$filter="+url.QueryEscape("goalsOrganizationId eq"), tok, ""), 400, "badRequest", "", "")
	wantError(t, e.do("GET", jobsURL+"?$top=0", tok, ""), 400, "badRequest", "", "")
	wantError(t, e.do("GET", jobsURL+"?$skiptoken=garbage", tok, ""), 400, "badRequest", "", "")
	// $select applies to every listed job.
	res = e.do("GET", jobsURL+"?$select=id", tok, "")
	for _, v := range res.json(t)["value"].([]any) {
		if m := v.(map[string]any); len(m) != 1 {
			t.Errorf("selected job has %d properties", len(m))
		}
	}
}

func TestAuth_TokensAndScopes(t *testing.T) { forEachStore(t, testAuth_TokensAndScopes) }

func testAuth_TokensAndScopes(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 0})
	key := e.create()
	paths := []struct{ method, path, body string }{
		{"POST", jobsURL, createBody(contoso, contosoView)},
		{"GET", jobsURL, ""},
		{"GET", jobsURL + "/" + key, ""},
		{"GET", jobsURL + "/" + key + "/content", ""},
	}
	for _, p := range paths {
		t.Run(p.method+" "+p.path, func(t *testing.T) {
			res := e.do(p.method, p.path, "", p.body)
			wantError(t, res, 401, "InvalidAuthenticationToken", "", "Access token is empty.")
			if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), `Bearer realm=""`) {
				t.Errorf("WWW-Authenticate = %q", res.Header.Get("WWW-Authenticate"))
			}
			wantError(t, e.do(p.method, p.path, "not.a.jwt", p.body), 401, "InvalidAuthenticationToken", "", "CompactToken parsing failed with error code: 80049217")
			// A token from the query string is never taken.
			wantError(t, e.do(p.method, p.path+"?access_token="+e.adele(), "", p.body), 401, "InvalidAuthenticationToken", "", "Access token is empty.")
			// A scope the route does not accept.
			res = e.do(p.method, p.path, e.token(demo.AdeleUPN, goalpost.ScopeGoalsRead), p.body)
			er := wantError(t, res, 403, "Forbidden", "", "")
			if !strings.Contains(er["message"].(string), "Scopes on the request 'Goals.Read.All'") {
				t.Errorf("message %q", er["message"])
			}
		})
	}
	// Read-only may poll and list but not create.
	ro := e.token(demo.AdeleUPN, goalpost.ScopeExportRead)
	wantError(t, e.do("POST", jobsURL, ro, createBody(contoso, demo.ContosoOverdueViewID.String())), 403, "Forbidden", "",
		"Missing scope permissions on the request. API requires one of 'Goals-Export.ReadWrite.All'. Scopes on the request 'Goals-Export.Read.All'")
	// Signed by another key; minted for another audience; another issuer.
	otherKey, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, iss := range []*auth.Issuer{
		{Key: otherKey},
		{Key: e.issuer.Key, Issuer: "https://evil.example.com/"},
	} {
		tok, err := iss.Mint(auth.MintParams{UPN: demo.AdeleUPN, Scopes: []string{goalpost.ScopeExportReadWrite}})
		if err != nil {
			t.Fatal(err)
		}
		wantError(t, e.do("GET", jobsURL, tok, ""), 401, "InvalidAuthenticationToken", "", "Access token validation failure.")
	}
	wrongAud, err := (&auth.Issuer{Key: e.issuer.Key, Audience: "api://someone-else"}).Mint(auth.MintParams{UPN: demo.AdeleUPN, Scopes: []string{goalpost.ScopeExportReadWrite}})
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, e.do("GET", jobsURL, wrongAud, ""), 401, "InvalidAuthenticationToken", "", "Access token validation failure. Invalid audience.")
	// Expired.
	e.clock.Set(time.Now().Add(-3 * time.Hour))
	old := e.adele()
	e.clock.Set(time.Time{})
	wantError(t, e.do("GET", jobsURL, old, ""), 401, "InvalidAuthenticationToken", "", "Lifetime validation failed, the token is expired.")
}

func TestOperations(t *testing.T) { forEachStore(t, testOperations) }

func testOperations(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 0})
	for _, p := range []string{"/healthz", "/readyz"} {
		if res := e.do("GET", p, "", ""); res.StatusCode != 200 {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
	}
	e.create()
	res := e.do("GET", "/metrics", "", "")
	if res.StatusCode != 200 || !strings.Contains(string(res.body), "goalpost_export_jobs_created_total 1") {
		t.Errorf("metrics: %d %s", res.StatusCode, truncateStr(string(res.body), 500))
	}
	for _, want := range []string{`goalpost_http_requests_total{code="201",route="graph.create"} 1`,
		`goalpost_http_request_duration_seconds_count{route="graph.create"} 1`} {
		if !strings.Contains(string(res.body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
