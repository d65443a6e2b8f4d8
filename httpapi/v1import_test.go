package httpapi_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/auth"
	"github.com/goalpost/goalpost/demo"
	"github.com/goalpost/goalpost/httpapi"
)

// TestV1ImportExportRestore imports a small CSV into a new organization,
// exports its backup, and restores the backup: into another organization
// id it is refused, into its own it changes nothing.
func TestV1ImportExportRestore(t *testing.T) { forEachStore(t, testV1ImportExportRestore) }

func testV1ImportExportRestore(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store})
	e.clock.Set(time.Date(2025, 12, 10, 9, 30, 0, 0, time.UTC))
	tok := e.token(demo.AdeleUPN, goalpost.ScopeGoalsReadWrite)
	org := uuid.NewString()
	orgPath := v1 + "/organizations/" + org

	res := e.do("POST", orgPath+"/import?orgName=Northwind%20Pilot", tok, smallCSV, "Content-Type", "text/csv; charset=utf-8")
	if res.StatusCode != 200 {
		t.Fatalf("import: %d %s", res.StatusCode, res.body)
	}
	body := res.json(t)
	for kind, n := range map[string]float64{"organizations": 1, "items": 2, "alignments": 1, "memberships": 1} {
		if got, _ := field(body, "created."+kind); got != n {
			t.Errorf("created.%s = %v, want %v (%s)", kind, got, n, res.body)
		}
	}
	// The importer owns the new organization.
	res = e.do("GET", orgPath+"/members/"+demo.AdeleID.String(), tok, "")
	if res.StatusCode != 200 || res.json(t)["role"] != "owner" {
		t.Fatalf("importer's membership: %d %s", res.StatusCode, res.body)
	}
	res = e.do("GET", orgPath+"/items/9100002/parents", tok, "")
	if got, _ := field(res.json(t), "value.0.parentId"); got != 9100001.0 {
		t.Errorf("parents of 9100002: %s", res.body)
	}

	// The same file again changes nothing.
	res = e.do("POST", orgPath+"/import", tok, smallCSV, "Content-Type", "text/csv")
	if res.StatusCode != 200 {
		t.Fatalf("second import: %d %s", res.StatusCode, res.body)
	}
	wantUnchanged(t, res)

	export := func() []byte {
		t.Helper()
		res := e.do("GET", orgPath+"/export", tok, "")
		if res.StatusCode != 200 {
			t.Fatalf("export: %d %s", res.StatusCode, res.body)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type = %q", ct)
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, org) {
			t.Errorf("Content-Disposition = %q", cd)
		}
		return res.body
	}
	backup := export()
	if !bytes.Contains(backup, []byte(`"Grow the Northwind pilot"`)) || !bytes.Contains(backup, []byte(`"format": "goalpost.organization"`)) {
		t.Fatalf("the backup lacks the import: %s", truncateStr(string(backup), 1000))
	}

	// Into another organization id: refused, and nothing is created.
	other := uuid.NewString()
	res = e.do("POST", v1+"/organizations/"+other+"/import", tok, string(backup))
	e2 := wantError(t, res, 400, goalpost.EINVALID, "", "")
	if e2["target"] != "organization.id" {
		t.Errorf("target = %v", e2["target"])
	}
	wantError(t, e.do("GET", v1+"/organizations/"+other, tok, ""), 404, goalpost.ENOTFOUND, "", "")

	// Into its own: nothing changes, version for version.
	res = e.do("POST", orgPath+"/import", tok, string(backup), "Content-Type", "application/json")
	if res.StatusCode != 200 {
		t.Fatalf("restore: %d %s", res.StatusCode, res.body)
	}
	wantUnchanged(t, res)
	if again := export(); !bytes.Equal(again, backup) {
		t.Errorf("the organization changed on a restore of its own backup:\nbefore %s\nafter  %s",
			truncateStr(string(backup), 2000), truncateStr(string(again), 2000))
	}

	// A restore takes back what was changed since the backup.
	res = e.do("PATCH", orgPath+"/items/9100001", tok, `{"title":"Renamed"}`)
	if res.StatusCode != 200 {
		t.Fatalf("patch: %d %s", res.StatusCode, res.body)
	}
	res = e.do("POST", orgPath+"/import", tok, string(backup))
	if res.StatusCode != 200 {
		t.Fatalf("restore: %d %s", res.StatusCode, res.body)
	}
	if got, _ := field(res.json(t), "updated.items"); got != 1.0 {
		t.Errorf("updated.items = %v: %s", got, res.body)
	}
	if res := e.do("GET", orgPath+"/items/9100001", tok, ""); res.json(t)["title"] != "Grow the Northwind pilot" {
		t.Errorf("after the restore: %s", res.body)
	}

	// Only owners and admins of an existing organization import into it.
	lee := e.token(demo.LeeUPN, goalpost.ScopeGoalsReadWrite)
	wantError(t, e.do("POST", orgPath+"/import", lee, string(backup)), 404, goalpost.ENOTFOUND, "", "")
	wantError(t, e.do("POST", v1+"/organizations/"+contoso+"/import", lee, smallCSV, "Content-Type", "text/csv"), 403, goalpost.EFORBIDDEN, "", "")
	wantError(t, e.do("POST", orgPath+"/import?viewId="+uuid.NewString(), tok, string(backup)), 400, goalpost.EINVALID, "", "")

	// An admin imports CSV files but does not restore backups: a restore
	// replaces the memberships, so an admin with an edited backup could make
	// themselves owner.
	if res := e.do("POST", orgPath+"/members", tok, `{"upn":"`+demo.PattiUPN+`","role":"admin"}`,
		"Content-Type", "application/json"); res.StatusCode != 201 {
		t.Fatalf("add Patti as admin: %d %s", res.StatusCode, res.body)
	}
	patti := e.token(demo.PattiUPN, goalpost.ScopeGoalsReadWrite)
	wantError(t, e.do("POST", orgPath+"/import", patti, string(backup), "Content-Type", "application/json"), 403, goalpost.EFORBIDDEN, "", "")
	if res := e.do("POST", orgPath+"/import", patti, smallCSV, "Content-Type", "text/csv"); res.StatusCode != 200 {
		t.Fatalf("an admin's CSV import: %d %s", res.StatusCode, res.body)
	}
}

// wantUnchanged checks an ImportResult that created, updated and deleted
// nothing.
func wantUnchanged(t *testing.T, res *response) {
	t.Helper()
	body := res.json(t)
	for _, k := range []string{"created", "updated", "deleted"} {
		m, ok := body[k].(map[string]any)
		if !ok {
			t.Errorf("no %s in %s", k, res.body)
		}
		for kind, n := range m {
			if n != 0.0 {
				t.Errorf("%s.%s = %v, want 0", k, kind, n)
			}
		}
	}
	if u, _ := body["unchanged"].(map[string]any); u["items"] != 2.0 {
		t.Errorf("unchanged.items = %v, want 2", u["items"])
	}
}

// TestV1ImportBodyBound: an import has its own bound, above the 64 KiB of
// other bodies; beyond it the body is refused from Content-Length before it
// is read, or while it is read when its length is not declared.
func TestV1ImportBodyBound(t *testing.T) {
	e := newEnv(t, envOptions{})
	tok := e.token(demo.AdeleUPN, goalpost.ScopeGoalsReadWrite)

	// 100 KiB of CSV: more than other bodies may have.
	var csv strings.Builder
	csv.WriteString("Id,Title,Object Type,Status\r\n")
	for i := 0; csv.Len() < 100<<10; i++ {
		fmt.Fprintf(&csv, "%d,Objective number %d with a title long enough to fill the file,Objective,On Track\r\n", 9200000+i, i)
	}
	// A server whose imports may have 1 KiB.
	api := httpapi.New(httpapi.Config{Store: e.store, MaxImportBytes: 1 << 10,
		Verifier: &auth.LocalVerifier{Keys: []*auth.Key{e.issuer.Key}, Now: e.clock.Now}})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	post := func(body io.Reader, length int64) *response {
		req, err := http.NewRequest("POST", srv.URL+v1+"/organizations/"+uuid.NewString()+"/import", body)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = length
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "text/csv")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return &response{Response: res, body: b}
	}
	big := csv.String()[:4<<10]
	wantError(t, post(strings.NewReader(big), int64(len(big))), 413, goalpost.ETOOLARGE, "", "")
	// Chunked: the length is unknown until the bound is crossed.
	wantError(t, post(io.MultiReader(strings.NewReader(big)), -1), 413, goalpost.ETOOLARGE, "", "")
	// Within the bound, an import passes.
	if res := post(strings.NewReader(smallCSV), int64(len(smallCSV))); res.StatusCode != 200 {
		t.Errorf("a small import: %d %s", res.StatusCode, res.body)
	}

	// The default bound of imports takes what other bodies may not.
	res := e.do("POST", v1+"/organizations/"+uuid.NewString()+"/import", tok, csv.String(), "Content-Type", "text/csv")
	if res.StatusCode != 200 {
		t.Fatalf("import of %d bytes: %d %s", csv.Len(), res.StatusCode, truncateStr(string(res.body), 500))
	}
}
