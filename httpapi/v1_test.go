package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/demo"
)

// The management API (/api/v1) through the real server, on both stores.

const v1 = "/api/v1"

// v1Case is one request of the route table: what it shows about its route
// (kind: "ok", "400", "403", "404", "412", or anything else for extra
// cases), and what the answer must be. The request's method is the
// route's.
type v1Case struct {
	route  string // "METHOD /template" as the OpenAPI document has it
	kind   string
	name   string
	path   string // relative to /api/v1; {var} is replaced from the vars
	as     string // the caller: a UPN, with the Goals.ReadWrite.All scope by default
	scope  string // another scope for the token
	body   string
	header []string // name, value pairs
	status int
	target string         // the error.target of an error
	want   map[string]any // fields of the body, by dotted path ("value.0.id", "value.#" for a length)
	save   map[string]string
	check  func(t *testing.T, res *response)
}

// v1Env runs the route table on one env.
type v1Env struct {
	*env
	vars map[string]string
}

func newV1Env(t *testing.T, store string) *v1Env {
	return &v1Env{env: newEnv(t, envOptions{store: store}), vars: map[string]string{
		"org": contoso, "fab": fabrikam, "missing": uuid.NewString(),
		"lee": demo.LeeID.String(), "adele": demo.AdeleID.String(), "diego": demo.DiegoID.String(),
		"restricted":  strconv.FormatInt(demo.ContosoRestrictedItemID, 10),
		"growth":      strconv.FormatInt(demo.ContosoGrowthObjectiveID, 10),
		"arr":         strconv.FormatInt(demo.ContosoARRKeyResultID, 10),
		"platform":    strconv.FormatInt(demo.ContosoPlatformObjectiveID, 10),
		"pipeline":    strconv.FormatInt(demo.ContosoQualifiedPipelineKeyResultID, 10),
		"emea":        strconv.FormatInt(demo.ContosoMultiParentItemID, 10),
		"privateView": demo.ContosoPrivateViewID.String(),
		"allView":     contosoView,
		"salesTeam":   demo.ContosoSalesTeamID.String(),
		"q1":          demo.ContosoQ1PeriodID.String(),
	}}
}

func (v *v1Env) expand(s string) string {
	for k, val := range v.vars {
		s = strings.ReplaceAll(s, "{"+k+"}", val)
	}
	if i := strings.Index(s, "{"); i >= 0 && strings.Contains(s[i:], "}") && !strings.HasPrefix(strings.TrimSpace(s), "{") {
		v.t.Fatalf("unexpanded variable in %q", s)
	}
	return s
}

// call sends a request to /api/v1 as upn with scope.
func (v *v1Env) call(method, path, upn, scope, body string, header ...string) *response {
	v.t.Helper()
	tok := ""
	if upn != "" {
		if scope == "" {
			scope = goalpost.ScopeGoalsReadWrite
		}
		tok = v.token(upn, scope)
	}
	return v.do(method, v1+path, tok, body, header...)
}

// field returns the value at a dotted path of a decoded body; "#" is the
// length of a list.
func field(body any, path string) (any, bool) {
	if m, ok := body.(map[string]any); ok {
		if v, ok := m[path]; ok {
			return v, true // a name with dots, such as @odata.nextLink
		}
	}
	cur := body
	for _, part := range strings.Split(path, ".") {
		switch c := cur.(type) {
		case map[string]any:
			var ok bool
			if cur, ok = c[part]; !ok {
				return nil, false
			}
		case []any:
			if part == "#" {
				return float64(len(c)), true
			}
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

func jsonOf(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, b)
	}
	return v
}

// run sends one case and checks the answer.
func (v *v1Env) run(t *testing.T, c v1Case) *response {
	t.Helper()
	path, body := v.expand(c.path), c.body
	if body != "" {
		body = v.expand(body)
	}
	header := make([]string, len(c.header))
	for i, h := range c.header {
		header[i] = v.expand(h)
	}
	var before *response
	if c.kind == "412" {
		before = v.call("GET", path, c.as, "", "")
	}
	method, _, _ := strings.Cut(c.route, " ")
	res := v.call(method, path, c.as, c.scope, body, header...)
	if res.StatusCode != c.status {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, c.status, truncateStr(string(res.body), 600))
	}
	if c.status >= 400 {
		e := wantError(t, res, c.status, statusCodes[c.status], "", "")
		if c.target != "" && e["target"] != c.target {
			t.Errorf("error.target = %v, want %s (%s)", e["target"], c.target, e["message"])
		}
	} else if c.status != http.StatusNoContent {
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type = %q", ct)
		}
		doc := jsonOf(t, res.body)
		// A single resource carries its version, and the same as its ETag.
		if ver, ok := field(doc, "version"); ok {
			if got, want := res.Header.Get("ETag"), fmt.Sprintf(`"%v"`, ver); got != want {
				t.Errorf("ETag = %q, want %q", got, want)
			}
		}
		if c.status == http.StatusCreated {
			loc := res.Header.Get("Location")
			if !strings.HasPrefix(loc, v.srv.URL+v1+"/organizations/") {
				t.Errorf("Location = %q", loc)
			} else if got := v.call("GET", strings.TrimPrefix(loc, v.srv.URL+v1), c.as, "", ""); got.StatusCode != 200 ||
				got.Header.Get("ETag") != res.Header.Get("ETag") {
				t.Errorf("GET Location: %d, ETag %q", got.StatusCode, got.Header.Get("ETag"))
			}
		}
		for p, want := range c.want {
			got, ok := field(doc, v.expand(p))
			want = v.expandValue(want)
			if !ok || !reflect.DeepEqual(got, want) {
				t.Errorf("%s = %#v, want %#v", p, got, want)
			}
		}
		for name, p := range c.save {
			got, ok := field(doc, p)
			if !ok {
				t.Fatalf("no %s in %s", p, truncateStr(string(res.body), 400))
			}
			switch g := got.(type) {
			case string:
				v.vars[name] = g
			case float64:
				v.vars[name] = strconv.FormatFloat(g, 'f', -1, 64)
			default:
				t.Fatalf("%s is %T", p, got)
			}
		}
	}
	if before != nil {
		after := v.call("GET", path, c.as, "", "")
		if before.StatusCode != 200 || after.StatusCode != 200 || string(before.body) != string(after.body) ||
			before.Header.Get("ETag") != after.Header.Get("ETag") {
			t.Errorf("the resource changed on a 412:\nbefore %d %s\nafter  %d %s", before.StatusCode, before.body, after.StatusCode, after.body)
		}
	}
	if c.check != nil {
		c.check(t, res)
	}
	return res
}

func (v *v1Env) expandValue(x any) any {
	switch x := x.(type) {
	case string:
		if n, err := strconv.ParseFloat(v.expand(x), 64); err == nil && strings.HasPrefix(x, "{") && !strings.Contains(v.expand(x), "-") {
			return n // a numeric id
		}
		return v.expand(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = v.expandValue(e)
		}
		return out
	}
	return x
}

var statusCodes = map[int]string{
	400: goalpost.EINVALID, 401: goalpost.EUNAUTHORIZED, 403: goalpost.EFORBIDDEN, 404: goalpost.ENOTFOUND,
	405: goalpost.EMETHODNOTALLOWED, 409: goalpost.ECONFLICT, 412: goalpost.EPRECONDITION,
	413: goalpost.ETOOLARGE, 415: goalpost.EUNSUPPORTEDMEDIA,
}

// Callers of the route table, by role in Contoso.
const (
	owner    = demo.AdeleUPN
	admin    = demo.PattiUPN
	member   = demo.LeeUPN // owns the Platform objective
	observer = demo.JoniUPN
	outsider = demo.MeganUPN // owner of Fabrikam only
	stranger = "stranger@example.com"
)

const smallCSV = "Id,Title,Owner,Object Type,Status,\"Aligned To (weight, Objective ID)\"\r\n" +
	"9100001,Grow the Northwind pilot,Adele Vance,Objective,On Track,\r\n" +
	"9100002,Sign ten pilot stores,Adele Vance,Key result,Behind,\"Grow the Northwind pilot(weight: 100%, Id: 9100001)\"\r\n"

// v1Table is the route table test: every route with a success, a
// validation error, a 404, a 403 and (for PATCH and DELETE) a 412 that
// changes nothing. Cases run in order and share state through vars.
func v1Table() []v1Case {
	wrongScope := goalpost.ScopeExportReadWrite
	stale := []string{"If-Match", `"999"`}
	return []v1Case{
		// The description.
		{route: "GET /openapi.json", kind: "ok", path: "/openapi.json", as: member, scope: goalpost.ScopeGoalsRead, status: 200,
			want: map[string]any{"openapi": "3.1.0"}},
		{route: "GET /openapi.json", kind: "ok", name: "any scope", path: "/openapi.json", as: member, scope: wrongScope, status: 200},
		{route: "GET /openapi.json", kind: "400", path: "/openapi.json?x=1", as: member, status: 400, target: "x"},
		{route: "GET /openapi.json", kind: "401", path: "/openapi.json", status: 401},

		// Organizations.
		{route: "GET /organizations", kind: "ok", path: "/organizations", as: owner, status: 200,
			want: map[string]any{"value.#": 1.0, "value.0.id": contoso, "value.0.name": "Contoso", "value.0.terminology.keyResult": "Key result"}},
		{route: "GET /organizations", kind: "ok", name: "unknown user", path: "/organizations", as: stranger, status: 200,
			want: map[string]any{"value.#": 0.0}},
		{route: "GET /organizations", kind: "400", path: "/organizations?$top=0", as: owner, status: 400, target: "$top"},
		{route: "GET /organizations", kind: "403", path: "/organizations", as: owner, scope: wrongScope, status: 403},
		{route: "POST /organizations", kind: "ok", path: "/organizations", as: owner, status: 201,
			body: `{"name":"Northwind","terminology":{"objective":"Goal"}}`,
			want: map[string]any{"name": "Northwind", "terminology.objective": "Goal", "version": 1.0}, save: map[string]string{"org2": "id"}},
		{route: "GET /organizations", kind: "paging", path: "/organizations?$top=1", as: owner, status: 200,
			want: map[string]any{"value.#": 1.0}, save: map[string]string{"orgsNext": "@odata.nextLink"}},
		{route: "POST /organizations", kind: "400", path: "/organizations", as: owner, status: 400,
			body: `{"name":" "}`, target: "name"},
		{route: "POST /organizations", kind: "400", name: "read-only", path: "/organizations", as: owner, status: 400,
			body: `{"name":"X","version":3}`, target: "version"},
		{route: "POST /organizations", kind: "400", name: "unknown", path: "/organizations", as: owner, status: 400,
			body: `{"name":"X","colour":"red"}`, target: "colour"},
		{route: "POST /organizations", kind: "400", name: "type", path: "/organizations", as: owner, status: 400,
			body: `{"name":7}`, target: "name"},
		{route: "POST /organizations", kind: "403", path: "/organizations", as: stranger, status: 403, body: `{"name":"X"}`},
		{route: "POST /organizations", kind: "403", name: "read scope", path: "/organizations", as: owner,
			scope: goalpost.ScopeGoalsRead, status: 403, body: `{"name":"X"}`},
		{route: "POST /organizations", kind: "415", path: "/organizations", as: owner, status: 415,
			body: `{"name":"X"}`, header: []string{"Content-Type", "text/plain"}},
		{route: "GET /organizations/{orgId}", kind: "ok", path: "/organizations/{org}", as: member, status: 200,
			want: map[string]any{"id": contoso, "name": "Contoso"}},
		{route: "GET /organizations/{orgId}", kind: "400", path: "/organizations/not-a-guid", as: member, status: 400, target: "orgId"},
		{route: "GET /organizations/{orgId}", kind: "404", path: "/organizations/{org}", as: outsider, status: 404},
		{route: "GET /organizations/{orgId}", kind: "404", name: "missing", path: "/organizations/{missing}", as: owner, status: 404},
		{route: "GET /organizations/{orgId}", kind: "403", path: "/organizations/{org}", as: member, scope: wrongScope, status: 403},
		{route: "PATCH /organizations/{orgId}", kind: "ok", path: "/organizations/{org2}", as: owner, status: 200,
			body: `{"name":"Northwind Traders","terminology":{"objective":null}}`, header: []string{"Content-Type", "application/merge-patch+json"},
			want: map[string]any{"name": "Northwind Traders", "terminology.objective": "", "version": 2.0}},
		{route: "PATCH /organizations/{orgId}", kind: "400", path: "/organizations/{org2}", as: owner, status: 400,
			body: `{"terminology":{"objective":"Goal","keyResult":"goal"}}`, target: "terminology.keyResult"},
		{route: "PATCH /organizations/{orgId}", kind: "400", name: "read-only", path: "/organizations/{org2}", as: owner, status: 400,
			body: `{"createdAt":"2025-01-01T00:00:00.000Z"}`, target: "createdAt"},
		{route: "PATCH /organizations/{orgId}", kind: "400", name: "nested unknown", path: "/organizations/{org2}", as: owner, status: 400,
			body: `{"terminology":{"goal":"x"}}`, target: "terminology.goal"},
		{route: "PATCH /organizations/{orgId}", kind: "400", name: "If-Match", path: "/organizations/{org2}", as: owner, status: 400,
			body: `{"name":"x"}`, header: []string{"If-Match", "2"}, target: "If-Match"},
		{route: "PATCH /organizations/{orgId}", kind: "415", path: "/organizations/{org2}", as: owner, status: 415,
			body: `{"name":"x"}`, header: []string{"Content-Type", "text/plain"}},
		{route: "PATCH /organizations/{orgId}", kind: "404", path: "/organizations/{org2}", as: outsider, status: 404, body: `{"name":"x"}`},
		{route: "PATCH /organizations/{orgId}", kind: "403", path: "/organizations/{org}", as: observer, status: 403, body: `{"name":"x"}`},
		{route: "PATCH /organizations/{orgId}", kind: "403", name: "member", path: "/organizations/{org}", as: member, status: 403, body: `{"name":"x"}`},
		{route: "PATCH /organizations/{orgId}", kind: "412", path: "/organizations/{org2}", as: owner, status: 412,
			body: `{"name":"Stale"}`, header: stale},
		{route: "PATCH /organizations/{orgId}", kind: "ok", name: "If-Match", path: "/organizations/{org2}", as: owner, status: 200,
			body: `{"name":"Northwind"}`, header: []string{"If-Match", `W/"2"`}, want: map[string]any{"name": "Northwind", "version": 3.0}},
		{route: "DELETE /organizations/{orgId}", kind: "400", path: "/organizations/x", as: owner, status: 400, target: "orgId"},
		{route: "DELETE /organizations/{orgId}", kind: "403", path: "/organizations/{org}", as: admin, status: 403},
		{route: "DELETE /organizations/{orgId}", kind: "404", path: "/organizations/{org2}", as: outsider, status: 404},
		{route: "DELETE /organizations/{orgId}", kind: "412", path: "/organizations/{org2}", as: owner, status: 412, header: stale},
		{route: "DELETE /organizations/{orgId}", kind: "ok", path: "/organizations/{org2}", as: owner, status: 204,
			header: []string{"If-Match", `"3"`}},
		{route: "GET /organizations/{orgId}", kind: "404", name: "deleted", path: "/organizations/{org2}", as: owner, status: 404},

		// Members.
		{route: "GET /organizations/{orgId}/members", kind: "ok", path: "/organizations/{org}/members", as: observer, status: 200,
			want: map[string]any{"value.#": 10.0}},
		{route: "GET /organizations/{orgId}/members", kind: "ok", name: "page", path: "/organizations/{org}/members?$top=4", as: observer, status: 200,
			want: map[string]any{"value.#": 4.0}, save: map[string]string{"membersNext": "@odata.nextLink"}},
		{route: "GET /organizations/{orgId}/members", kind: "400", path: "/organizations/{org}/members?$top=abc", as: member, status: 400, target: "$top"},
		{route: "GET /organizations/{orgId}/members", kind: "404", path: "/organizations/{org}/members", as: stranger, status: 404},
		{route: "GET /organizations/{orgId}/members", kind: "403", path: "/organizations/{org}/members", as: member, scope: wrongScope, status: 403},
		{route: "POST /organizations/{orgId}/members", kind: "ok", path: "/organizations/{org}/members", as: admin, status: 201,
			body: `{"upn":"new.person@contoso.com","displayName":"New Person","role":"member"}`,
			want: map[string]any{"upn": "new.person@contoso.com", "role": "member", "orgId": contoso, "managerId": nil, "version": 1.0},
			save: map[string]string{"newUser": "id"}},
		{route: "POST /organizations/{orgId}/members", kind: "400", path: "/organizations/{org}/members", as: admin, status: 400,
			body: `{"upn":"x@contoso.com","role":"emperor"}`, target: "role"},
		{route: "POST /organizations/{orgId}/members", kind: "400", name: "upn", path: "/organizations/{org}/members", as: admin, status: 400,
			body: `{"upn":"no-at-sign","displayName":"X","role":"member"}`, target: "upn"},
		{route: "POST /organizations/{orgId}/members", kind: "403", path: "/organizations/{org}/members", as: member, status: 403,
			body: `{"upn":"x@contoso.com","role":"member"}`},
		{route: "POST /organizations/{orgId}/members", kind: "403", name: "admin adds owner", path: "/organizations/{org}/members", as: admin, status: 403,
			body: `{"upn":"x@contoso.com","role":"owner"}`},
		{route: "POST /organizations/{orgId}/members", kind: "404", path: "/organizations/{org}/members", as: outsider, status: 404,
			body: `{"upn":"x@contoso.com","role":"member"}`},
		{route: "POST /organizations/{orgId}/members", kind: "409", path: "/organizations/{org}/members", as: admin, status: 409,
			body: `{"upn":"LEE@contoso.com","role":"member"}`},
		{route: "GET /organizations/{orgId}/members/{userId}", kind: "ok", path: "/organizations/{org}/members/{lee}", as: member, status: 200,
			want: map[string]any{"id": "{lee}", "upn": demo.LeeUPN, "displayName": "Lee Gu", "role": "member", "managerId": demo.PattiID.String()}},
		{route: "GET /organizations/{orgId}/members/{userId}", kind: "400", path: "/organizations/{org}/members/lee", as: member, status: 400, target: "userId"},
		{route: "GET /organizations/{orgId}/members/{userId}", kind: "404", path: "/organizations/{org}/members/{missing}", as: member, status: 404},
		{route: "GET /organizations/{orgId}/members/{userId}", kind: "403", path: "/organizations/{org}/members/{lee}", as: member, scope: wrongScope, status: 403},
		{route: "PATCH /organizations/{orgId}/members/{userId}", kind: "ok", path: "/organizations/{org}/members/{newUser}", as: admin, status: 200,
			body: `{"role":"observer","managerId":"{lee}"}`, want: map[string]any{"role": "observer", "managerId": "{lee}", "version": 2.0}},
		{route: "PATCH /organizations/{orgId}/members/{userId}", kind: "400", path: "/organizations/{org}/members/{newUser}", as: admin, status: 400,
			body: `{"upn":"other@contoso.com"}`, target: "upn"},
		{route: "PATCH /organizations/{orgId}/members/{userId}", kind: "400", name: "managerId", path: "/organizations/{org}/members/{newUser}", as: admin, status: 400,
			body: `{"managerId":"lee"}`, target: "managerId"},
		{route: "PATCH /organizations/{orgId}/members/{userId}", kind: "403", path: "/organizations/{org}/members/{newUser}", as: member, status: 403,
			body: `{"role":"member"}`},
		{route: "PATCH /organizations/{orgId}/members/{userId}", kind: "403", name: "admin grants owner", path: "/organizations/{org}/members/{newUser}", as: admin, status: 403,
			body: `{"role":"owner"}`},
		{route: "PATCH /organizations/{orgId}/members/{userId}", kind: "404", path: "/organizations/{org}/members/{missing}", as: admin, status: 404,
			body: `{"role":"member"}`},
		{route: "PATCH /organizations/{orgId}/members/{userId}", kind: "412", path: "/organizations/{org}/members/{newUser}", as: admin, status: 412,
			body: `{"role":"member"}`, header: stale},
		{route: "PATCH /organizations/{orgId}/members/{userId}", kind: "409", name: "last owner", path: "/organizations/{org}/members/{adele}", as: owner, status: 409,
			body: `{"role":"admin"}`},
		{route: "DELETE /organizations/{orgId}/members/{userId}", kind: "400", path: "/organizations/{org}/members/x", as: admin, status: 400, target: "userId"},
		{route: "DELETE /organizations/{orgId}/members/{userId}", kind: "403", path: "/organizations/{org}/members/{newUser}", as: member, status: 403},
		{route: "DELETE /organizations/{orgId}/members/{userId}", kind: "403", name: "admin removes owner", path: "/organizations/{org}/members/{adele}", as: admin, status: 403},
		{route: "DELETE /organizations/{orgId}/members/{userId}", kind: "404", path: "/organizations/{org}/members/{missing}", as: admin, status: 404},
		{route: "DELETE /organizations/{orgId}/members/{userId}", kind: "412", path: "/organizations/{org}/members/{newUser}", as: admin, status: 412, header: stale},
		{route: "DELETE /organizations/{orgId}/members/{userId}", kind: "ok", path: "/organizations/{org}/members/{newUser}", as: admin, status: 204},
		{route: "GET /organizations/{orgId}/members/{userId}", kind: "404", name: "removed", path: "/organizations/{org}/members/{newUser}", as: admin, status: 404},

		// Teams.
		{route: "GET /organizations/{orgId}/teams", kind: "ok", path: "/organizations/{org}/teams", as: observer, status: 200,
			want: map[string]any{"value.#": 8.0}},
		{route: "GET /organizations/{orgId}/teams", kind: "400", path: "/organizations/{org}/teams?$skiptoken=", as: member, status: 400, target: "$skiptoken"},
		{route: "GET /organizations/{orgId}/teams", kind: "404", path: "/organizations/{org}/teams", as: outsider, status: 404},
		{route: "GET /organizations/{orgId}/teams", kind: "403", path: "/organizations/{org}/teams", as: member, scope: wrongScope, status: 403},
		{route: "POST /organizations/{orgId}/teams", kind: "ok", path: "/organizations/{org}/teams", as: admin, status: 201,
			body: `{"name":"Design","type":"squad","parentId":"{salesTeam}","memberIds":["{lee}"]}`,
			want: map[string]any{"name": "Design", "type": "squad", "parentId": "{salesTeam}", "memberIds": []any{"{lee}"}, "archived": false, "version": 1.0},
			save: map[string]string{"team": "id"}},
		{route: "POST /organizations/{orgId}/teams", kind: "400", path: "/organizations/{org}/teams", as: admin, status: 400,
			body: `{"name":""}`, target: "name"},
		{route: "POST /organizations/{orgId}/teams", kind: "403", path: "/organizations/{org}/teams", as: member, status: 403,
			body: `{"name":"Mine"}`},
		{route: "POST /organizations/{orgId}/teams", kind: "404", path: "/organizations/{missing}/teams", as: admin, status: 404,
			body: `{"name":"Mine"}`},
		{route: "GET /organizations/{orgId}/teams/{teamId}", kind: "ok", path: "/organizations/{org}/teams/{team}", as: observer, status: 200,
			want: map[string]any{"id": "{team}", "orgId": contoso, "name": "Design"}},
		{route: "GET /organizations/{orgId}/teams/{teamId}", kind: "400", path: "/organizations/{org}/teams/design", as: observer, status: 400, target: "teamId"},
		{route: "GET /organizations/{orgId}/teams/{teamId}", kind: "404", path: "/organizations/{org}/teams/{missing}", as: observer, status: 404},
		{route: "GET /organizations/{orgId}/teams/{teamId}", kind: "404", name: "other organization", path: "/organizations/{fab}/teams/{team}", as: outsider, status: 404},
		{route: "GET /organizations/{orgId}/teams/{teamId}", kind: "403", path: "/organizations/{org}/teams/{team}", as: observer, scope: wrongScope, status: 403},
		{route: "PATCH /organizations/{orgId}/teams/{teamId}", kind: "ok", path: "/organizations/{org}/teams/{team}", as: admin, status: 200,
			body: `{"archived":true,"parentId":null}`, want: map[string]any{"archived": true, "parentId": nil, "name": "Design", "version": 2.0}},
		{route: "PATCH /organizations/{orgId}/teams/{teamId}", kind: "400", path: "/organizations/{org}/teams/{team}", as: admin, status: 400,
			body: `{"parentId":"sales"}`, target: "parentId"},
		{route: "PATCH /organizations/{orgId}/teams/{teamId}", kind: "403", path: "/organizations/{org}/teams/{team}", as: member, status: 403,
			body: `{"name":"Mine"}`},
		{route: "PATCH /organizations/{orgId}/teams/{teamId}", kind: "404", path: "/organizations/{org}/teams/{missing}", as: admin, status: 404,
			body: `{"name":"Mine"}`},
		{route: "PATCH /organizations/{orgId}/teams/{teamId}", kind: "412", path: "/organizations/{org}/teams/{team}", as: admin, status: 412,
			body: `{"name":"Stale"}`, header: stale},
		{route: "DELETE /organizations/{orgId}/teams/{teamId}", kind: "400", path: "/organizations/{org}/teams/1", as: admin, status: 400, target: "teamId"},
		{route: "DELETE /organizations/{orgId}/teams/{teamId}", kind: "403", path: "/organizations/{org}/teams/{team}", as: member, status: 403},
		{route: "DELETE /organizations/{orgId}/teams/{teamId}", kind: "404", path: "/organizations/{org}/teams/{missing}", as: admin, status: 404},
		{route: "DELETE /organizations/{orgId}/teams/{teamId}", kind: "412", path: "/organizations/{org}/teams/{team}", as: admin, status: 412, header: stale},
		{route: "DELETE /organizations/{orgId}/teams/{teamId}", kind: "409", name: "named by items", path: "/organizations/{org}/teams/{salesTeam}", as: admin, status: 409},
		{route: "DELETE /organizations/{orgId}/teams/{teamId}", kind: "ok", path: "/organizations/{org}/teams/{team}", as: admin, status: 204,
			header: []string{"If-Match", `"2"`}},

		// Time periods.
		{route: "GET /organizations/{orgId}/timePeriods", kind: "ok", path: "/organizations/{org}/timePeriods", as: observer, status: 200,
			want: map[string]any{"value.#": 5.0}},
		{route: "GET /organizations/{orgId}/timePeriods", kind: "400", path: "/organizations/{org}/timePeriods?$top=1001", as: observer, status: 400, target: "$top"},
		{route: "GET /organizations/{orgId}/timePeriods", kind: "404", path: "/organizations/{org}/timePeriods", as: outsider, status: 404},
		{route: "GET /organizations/{orgId}/timePeriods", kind: "403", path: "/organizations/{org}/timePeriods", as: observer, scope: wrongScope, status: 403},
		{route: "POST /organizations/{orgId}/timePeriods", kind: "ok", path: "/organizations/{org}/timePeriods", as: owner, status: 201,
			body: `{"name":"Q1 2026","startDate":"2026-01-01","endDate":"2026-03-31"}`,
			want: map[string]any{"name": "Q1 2026", "startDate": "2026-01-01", "endDate": "2026-03-31", "orgId": contoso, "version": 1.0},
			save: map[string]string{"period": "id"}},
		{route: "POST /organizations/{orgId}/timePeriods", kind: "400", path: "/organizations/{org}/timePeriods", as: owner, status: 400,
			body: `{"name":"Q1 2026","startDate":"2026-13-01","endDate":"2026-03-31"}`, target: "startDate"},
		{route: "POST /organizations/{orgId}/timePeriods", kind: "400", name: "order", path: "/organizations/{org}/timePeriods", as: owner, status: 400,
			body: `{"name":"Q1 2026","startDate":"2026-04-01","endDate":"2026-03-31"}`, target: "endDate"},
		{route: "POST /organizations/{orgId}/timePeriods", kind: "403", path: "/organizations/{org}/timePeriods", as: member, status: 403,
			body: `{"name":"Q1 2026","startDate":"2026-01-01","endDate":"2026-03-31"}`},
		{route: "POST /organizations/{orgId}/timePeriods", kind: "404", path: "/organizations/{org}/timePeriods", as: stranger, status: 404,
			body: `{"name":"Q1 2026","startDate":"2026-01-01","endDate":"2026-03-31"}`},
		{route: "GET /organizations/{orgId}/timePeriods/{periodId}", kind: "ok", path: "/organizations/{org}/timePeriods/{q1}", as: member, status: 200,
			want: map[string]any{"name": "Q1 2025", "startDate": "2025-01-01", "endDate": "2025-03-31"}},
		{route: "GET /organizations/{orgId}/timePeriods/{periodId}", kind: "400", path: "/organizations/{org}/timePeriods/q1", as: member, status: 400, target: "periodId"},
		{route: "GET /organizations/{orgId}/timePeriods/{periodId}", kind: "404", path: "/organizations/{org}/timePeriods/{missing}", as: member, status: 404},
		{route: "GET /organizations/{orgId}/timePeriods/{periodId}", kind: "403", path: "/organizations/{org}/timePeriods/{q1}", as: member, scope: wrongScope, status: 403},
		{route: "PATCH /organizations/{orgId}/timePeriods/{periodId}", kind: "ok", path: "/organizations/{org}/timePeriods/{period}", as: admin, status: 200,
			body: `{"endDate":"2026-04-30"}`, want: map[string]any{"startDate": "2026-01-01", "endDate": "2026-04-30", "version": 2.0}},
		{route: "PATCH /organizations/{orgId}/timePeriods/{periodId}", kind: "400", path: "/organizations/{org}/timePeriods/{period}", as: admin, status: 400,
			body: `{"startDate":null}`, target: "startDate"},
		{route: "PATCH /organizations/{orgId}/timePeriods/{periodId}", kind: "400", name: "read-only", path: "/organizations/{org}/timePeriods/{period}", as: admin, status: 400,
			body: `{"orgId":"{fab}"}`, target: "orgId"},
		{route: "PATCH /organizations/{orgId}/timePeriods/{periodId}", kind: "403", path: "/organizations/{org}/timePeriods/{period}", as: observer, status: 403,
			body: `{"name":"x"}`},
		{route: "PATCH /organizations/{orgId}/timePeriods/{periodId}", kind: "404", path: "/organizations/{org}/timePeriods/{missing}", as: admin, status: 404,
			body: `{"name":"x"}`},
		{route: "PATCH /organizations/{orgId}/timePeriods/{periodId}", kind: "412", path: "/organizations/{org}/timePeriods/{period}", as: admin, status: 412,
			body: `{"name":"x"}`, header: stale},
		{route: "DELETE /organizations/{orgId}/timePeriods/{periodId}", kind: "400", path: "/organizations/{org}/timePeriods/x", as: admin, status: 400, target: "periodId"},
		{route: "DELETE /organizations/{orgId}/timePeriods/{periodId}", kind: "403", path: "/organizations/{org}/timePeriods/{period}", as: member, status: 403},
		{route: "DELETE /organizations/{orgId}/timePeriods/{periodId}", kind: "404", path: "/organizations/{org}/timePeriods/{missing}", as: admin, status: 404},
		{route: "DELETE /organizations/{orgId}/timePeriods/{periodId}", kind: "412", path: "/organizations/{org}/timePeriods/{period}", as: admin, status: 412, header: stale},
		{route: "DELETE /organizations/{orgId}/timePeriods/{periodId}", kind: "409", name: "items in it", path: "/organizations/{org}/timePeriods/{q1}", as: admin, status: 409},
		{route: "DELETE /organizations/{orgId}/timePeriods/{periodId}", kind: "ok", path: "/organizations/{org}/timePeriods/{period}", as: admin, status: 204},

		// Items.
		{route: "GET /organizations/{orgId}/items", kind: "ok", path: "/organizations/{org}/items?kind=objective&level=organization&status=onTrack,behind", as: member, status: 200,
			want: map[string]any{"value.0.id": float64(demo.ContosoGrowthObjectiveID), "value.0.kind": "objective", "value.0.orgId": contoso}},
		{route: "GET /organizations/{orgId}/items", kind: "ok", name: "restricted, owner", path: "/organizations/{org}/items?q=northwind", as: owner, status: 200,
			want: map[string]any{"value.#": 1.0, "value.0.visibility": "restricted"}},
		{route: "GET /organizations/{orgId}/items", kind: "ok", name: "restricted, member", path: "/organizations/{org}/items?q=northwind", as: demo.AlexUPN, status: 200,
			want: map[string]any{"value.#": 0.0}},
		{route: "GET /organizations/{orgId}/items", kind: "ok", name: "filters",
			path: "/organizations/{org}/items?ownerId=me&tag=platform&tag=company&alignedTo=none&minProgress=0&maxProgress=100&periodId=" + demo.ContosoAnnualPeriodID.String(),
			as:   member, status: 200, want: map[string]any{"value.#": 1.0, "value.0.id": float64(demo.ContosoPlatformObjectiveID)}},
		{route: "GET /organizations/{orgId}/items", kind: "ok", name: "aligned to", path: "/organizations/{org}/items?alignedTo={growth}", as: member, status: 200,
			want: map[string]any{"value.#": 3.0}},
		{route: "GET /organizations/{orgId}/items", kind: "ok", name: "page", path: "/organizations/{org}/items?$top=5", as: owner, status: 200,
			want: map[string]any{"value.#": 5.0, "value.4.id": 2295774.0}, save: map[string]string{"itemsNext": "@odata.nextLink"}},
		{route: "GET /organizations/{orgId}/items", kind: "400", path: "/organizations/{org}/items?kind=goal", as: member, status: 400, target: "kind"},
		{route: "GET /organizations/{orgId}/items", kind: "400", name: "unknown parameter", path: "/organizations/{org}/items?owner=me", as: member, status: 400, target: "owner"},
		{route: "GET /organizations/{orgId}/items", kind: "400", name: "ownerId", path: "/organizations/{org}/items?ownerId=lee", as: member, status: 400, target: "ownerId"},
		{route: "GET /organizations/{orgId}/items", kind: "400", name: "progress", path: "/organizations/{org}/items?minProgress=80&maxProgress=20", as: member, status: 400, target: "minProgress"},
		{route: "GET /organizations/{orgId}/items", kind: "404", path: "/organizations/{org}/items", as: outsider, status: 404},
		{route: "GET /organizations/{orgId}/items", kind: "403", path: "/organizations/{org}/items", as: member, scope: wrongScope, status: 403},
		{route: "POST /organizations/{orgId}/items", kind: "ok", path: "/organizations/{org}/items", as: member, status: 201,
			body: `{"kind":"keyResult","title":"Ship the v2 API","periodId":"` + demo.ContosoQ4PeriodID.String() + `","tags":["platform"],` +
				`"metric":{"name":"Endpoints","unit":"endpoints","start":0,"target":40},"currentValue":10,"startDate":"2025-10-01","endDate":"2025-12-31"}`,
			want: map[string]any{"title": "Ship the v2 API", "kind": "keyResult", "level": "individual", "ownerIds": []any{"{lee}"},
				"creatorId": "{lee}", "progress": 25.0, "status": "notStarted", "visibility": "everyone", "metric.direction": "increaseFrom",
				"goalType": "aspirational", "progressMode": "manual", "startDate": "2025-10-01", "lastCheckInDate": nil, "version": 1.0},
			save: map[string]string{"item": "id"}},
		{route: "POST /organizations/{orgId}/items", kind: "400", path: "/organizations/{org}/items", as: member, status: 400,
			body: `{"kind":"objective","title":""}`, target: "title"},
		{route: "POST /organizations/{orgId}/items", kind: "400", name: "read-only", path: "/organizations/{org}/items", as: member, status: 400,
			body: `{"kind":"objective","title":"x","progress":50}`, target: "progress"},
		{route: "POST /organizations/{orgId}/items", kind: "400", name: "metric", path: "/organizations/{org}/items", as: member, status: 400,
			body: `{"kind":"objective","title":"x","metric":{"target":"high"}}`, target: "metric.target"},
		{route: "POST /organizations/{orgId}/items", kind: "403", path: "/organizations/{org}/items", as: observer, status: 403,
			body: `{"kind":"objective","title":"x"}`},
		{route: "POST /organizations/{orgId}/items", kind: "404", path: "/organizations/{org}/items", as: outsider, status: 404,
			body: `{"kind":"objective","title":"x"}`},
		{route: "GET /organizations/{orgId}/items/{itemId}", kind: "ok", path: "/organizations/{org}/items/{item}", as: observer, status: 200,
			want: map[string]any{"id": "{item}", "title": "Ship the v2 API", "currentValue": 10.0}},
		{route: "GET /organizations/{orgId}/items/{itemId}", kind: "ok", name: "restricted, team member", path: "/organizations/{org}/items/{restricted}", as: demo.IsaiahUPN, status: 200},
		{route: "GET /organizations/{orgId}/items/{itemId}", kind: "400", path: "/organizations/{org}/items/abc", as: observer, status: 400, target: "itemId"},
		{route: "GET /organizations/{orgId}/items/{itemId}", kind: "404", path: "/organizations/{org}/items/{restricted}", as: demo.AlexUPN, status: 404},
		{route: "GET /organizations/{orgId}/items/{itemId}", kind: "404", name: "missing", path: "/organizations/{org}/items/99999999", as: demo.AlexUPN, status: 404},
		{route: "GET /organizations/{orgId}/items/{itemId}", kind: "404", name: "other organization", path: "/organizations/{fab}/items/{growth}", as: outsider, status: 404},
		{route: "GET /organizations/{orgId}/items/{itemId}", kind: "403", path: "/organizations/{org}/items/{item}", as: observer, scope: wrongScope, status: 403},
		{route: "PATCH /organizations/{orgId}/items/{itemId}", kind: "ok", path: "/organizations/{org}/items/{item}", as: member, status: 200,
			body: `{"title":"Ship the v2 API","currentValue":20,"metric":{"unit":"routes"},"tags":null}`,
			want: map[string]any{"currentValue": 20.0, "progress": 50.0, "metric.unit": "routes", "metric.name": "Endpoints", "tags": []any{}, "version": 2.0}},
		{route: "PATCH /organizations/{orgId}/items/{itemId}", kind: "400", path: "/organizations/{org}/items/{item}", as: member, status: 400,
			body: `{"status":"done"}`, target: "status"},
		{route: "PATCH /organizations/{orgId}/items/{itemId}", kind: "400", name: "read-only", path: "/organizations/{org}/items/{item}", as: member, status: 400,
			body: `{"id":5}`, target: "id"},
		{route: "PATCH /organizations/{orgId}/items/{itemId}", kind: "400", name: "nested unknown", path: "/organizations/{org}/items/{item}", as: member, status: 400,
			body: `{"metric":{"goal":1}}`, target: "metric.goal"},
		{route: "PATCH /organizations/{orgId}/items/{itemId}", kind: "400", name: "rollup value", path: "/organizations/{org}/items/{platform}", as: member, status: 400,
			body: `{"currentValue":10}`, target: "currentValue"},
		{route: "PATCH /organizations/{orgId}/items/{itemId}", kind: "403", path: "/organizations/{org}/items/{growth}", as: member, status: 403,
			body: `{"title":"Mine now"}`},
		{route: "PATCH /organizations/{orgId}/items/{itemId}", kind: "403", name: "observer", path: "/organizations/{org}/items/{item}", as: observer, status: 403,
			body: `{"title":"Mine now"}`},
		{route: "PATCH /organizations/{orgId}/items/{itemId}", kind: "404", path: "/organizations/{org}/items/{restricted}", as: demo.AlexUPN, status: 404,
			body: `{"title":"Leaked"}`},
		{route: "PATCH /organizations/{orgId}/items/{itemId}", kind: "412", path: "/organizations/{org}/items/{item}", as: member, status: 412,
			body: `{"title":"Stale"}`, header: stale},
		{route: "PATCH /organizations/{orgId}/items/{itemId}", kind: "ok", name: "admin, any item", path: "/organizations/{org}/items/{item}", as: admin, status: 200,
			body: `{"description":"Edited by an admin."}`, header: []string{"If-Match", `"2"`}, want: map[string]any{"description": "Edited by an admin.", "version": 3.0}},

		// Alignments: the member's new item contributes to their Platform objective.
		{route: "POST /organizations/{orgId}/items/{itemId}/parents", kind: "ok", path: "/organizations/{org}/items/{item}/parents", as: member, status: 201,
			body: `{"parentId":{platform}}`, want: map[string]any{"childId": "{item}", "parentId": "{platform}", "weightFixed": false, "version": 1.0}},
		{route: "POST /organizations/{orgId}/items/{itemId}/parents", kind: "400", path: "/organizations/{org}/items/{item}/parents", as: member, status: 400,
			body: `{"parentId":99999999}`, target: "parentId"},
		{route: "POST /organizations/{orgId}/items/{itemId}/parents", kind: "400", name: "restricted parent", path: "/organizations/{org}/items/{item}/parents", as: member, status: 400,
			body: `{"parentId":{restricted}}`, target: "parentId"},
		{route: "POST /organizations/{orgId}/items/{itemId}/parents", kind: "400", name: "weight", path: "/organizations/{org}/items/{item}/parents", as: member, status: 400,
			body: `{"parentId":{growth},"weight":"half"}`, target: "weight"},
		{route: "POST /organizations/{orgId}/items/{itemId}/parents", kind: "403", path: "/organizations/{org}/items/{growth}/parents", as: member, status: 403,
			body: `{"parentId":{platform}}`},
		{route: "POST /organizations/{orgId}/items/{itemId}/parents", kind: "404", path: "/organizations/{org}/items/{restricted}/parents", as: demo.AlexUPN, status: 404,
			body: `{"parentId":{platform}}`},
		{route: "POST /organizations/{orgId}/items/{itemId}/parents", kind: "409", name: "cycle", path: "/organizations/{org}/items/{growth}/parents", as: owner, status: 409,
			body: `{"parentId":{arr}}`},
		{route: "GET /organizations/{orgId}/items/{itemId}/parents", kind: "ok", path: "/organizations/{org}/items/{emea}/parents", as: observer, status: 200,
			want: map[string]any{"value.#": 2.0, "value.0.parentId": float64(demo.ContosoPipelineObjectiveID), "value.1.parentId": float64(demo.ContosoExpansionObjectiveID)}},
		{route: "GET /organizations/{orgId}/items/{itemId}/parents", kind: "400", path: "/organizations/{org}/items/0/parents", as: observer, status: 400, target: "itemId"},
		{route: "GET /organizations/{orgId}/items/{itemId}/parents", kind: "404", path: "/organizations/{org}/items/{restricted}/parents", as: observer, status: 404},
		{route: "GET /organizations/{orgId}/items/{itemId}/parents", kind: "403", path: "/organizations/{org}/items/{emea}/parents", as: observer, scope: wrongScope, status: 403},
		{route: "GET /organizations/{orgId}/items/{itemId}/contributors", kind: "ok", path: "/organizations/{org}/items/{growth}/contributors", as: observer, status: 200,
			want: map[string]any{"value.#": 3.0, "value.0.childId": float64(demo.ContosoARRKeyResultID), "value.0.weight": 40.0}},
		{route: "POST /organizations/{orgId}/items/{itemId}/parents", kind: "ok", name: "restricted child", path: "/organizations/{org}/items/{restricted}/parents", as: owner, status: 201,
			body: `{"parentId":{growth}}`, want: map[string]any{"childId": "{restricted}", "parentId": "{growth}"}},
		{route: "GET /organizations/{orgId}/items/{itemId}/contributors", kind: "ok", name: "restricted child hidden", path: "/organizations/{org}/items/{growth}/contributors", as: demo.AlexUPN, status: 200,
			want: map[string]any{"value.#": 3.0}},
		{route: "GET /organizations/{orgId}/items/{itemId}/contributors", kind: "ok", name: "restricted child, admin", path: "/organizations/{org}/items/{growth}/contributors", as: admin, status: 200,
			want: map[string]any{"value.#": 4.0, "value.3.childId": "{restricted}"}},
		{route: "GET /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "404", name: "restricted child", path: "/organizations/{org}/items/{restricted}/parents/{growth}", as: demo.AlexUPN, status: 404},
		{route: "DELETE /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "ok", name: "restricted child", path: "/organizations/{org}/items/{restricted}/parents/{growth}", as: owner, status: 204},
		{route: "GET /organizations/{orgId}/items/{itemId}/contributors", kind: "400", path: "/organizations/{org}/items/-1/contributors", as: observer, status: 400, target: "itemId"},
		{route: "GET /organizations/{orgId}/items/{itemId}/contributors", kind: "404", path: "/organizations/{org}/items/{restricted}/contributors", as: observer, status: 404},
		{route: "GET /organizations/{orgId}/items/{itemId}/contributors", kind: "403", path: "/organizations/{org}/items/{growth}/contributors", as: observer, scope: wrongScope, status: 403},
		{route: "GET /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "ok", path: "/organizations/{org}/items/{item}/parents/{platform}", as: observer, status: 200,
			want: map[string]any{"childId": "{item}", "parentId": "{platform}"}},
		{route: "GET /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "400", path: "/organizations/{org}/items/{item}/parents/platform", as: observer, status: 400, target: "parentId"},
		{route: "GET /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "404", path: "/organizations/{org}/items/{item}/parents/{growth}", as: observer, status: 404},
		{route: "GET /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "403", path: "/organizations/{org}/items/{item}/parents/{platform}", as: observer, scope: wrongScope, status: 403},
		{route: "PATCH /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "ok", path: "/organizations/{org}/items/{item}/parents/{platform}", as: member, status: 200,
			body: `{"weight":30}`, want: map[string]any{"weight": 30.0, "weightFixed": true}},
		{route: "PATCH /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "400", path: "/organizations/{org}/items/{item}/parents/{platform}", as: member, status: 400,
			body: `{"weight":130}`, target: "weight"},
		{route: "PATCH /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "400", name: "read-only", path: "/organizations/{org}/items/{item}/parents/{platform}", as: member, status: 400,
			body: `{"childId":1}`, target: "childId"},
		{route: "PATCH /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "403", path: "/organizations/{org}/items/{arr}/parents/{growth}", as: member, status: 403,
			body: `{"weight":10}`},
		{route: "PATCH /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "404", path: "/organizations/{org}/items/{item}/parents/{growth}", as: member, status: 404,
			body: `{"weight":10}`},
		{route: "PATCH /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "412", path: "/organizations/{org}/items/{item}/parents/{platform}", as: member, status: 412,
			body: `{"weight":10}`, header: stale},
		{route: "DELETE /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "400", path: "/organizations/{org}/items/{item}/parents/x", as: member, status: 400, target: "parentId"},
		{route: "DELETE /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "403", path: "/organizations/{org}/items/{arr}/parents/{growth}", as: member, status: 403},
		{route: "DELETE /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "404", path: "/organizations/{org}/items/{item}/parents/{growth}", as: member, status: 404},
		{route: "DELETE /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "412", path: "/organizations/{org}/items/{item}/parents/{platform}", as: member, status: 412, header: stale},
		{route: "DELETE /organizations/{orgId}/items/{itemId}/parents/{parentId}", kind: "ok", path: "/organizations/{org}/items/{item}/parents/{platform}", as: member, status: 204},

		// Check-ins.
		{route: "GET /organizations/{orgId}/items/{itemId}/checkIns", kind: "ok", path: "/organizations/{org}/items/{pipeline}/checkIns", as: observer, status: 200,
			want: map[string]any{"value.#": 5.0, "value.0.date": "2025-12-01", "value.4.date": "2025-10-06", "value.0.userId": demo.IsaiahID.String()},
			save: map[string]string{"isaiahCheckIn": "value.0.id"}},
		{route: "GET /organizations/{orgId}/items/{itemId}/checkIns", kind: "ok", name: "page", path: "/organizations/{org}/items/{pipeline}/checkIns?$top=2", as: observer, status: 200,
			want: map[string]any{"value.#": 2.0, "value.1.date": "2025-11-17"}, save: map[string]string{"checkInsNext": "@odata.nextLink"}},
		{route: "GET /organizations/{orgId}/items/{itemId}/checkIns", kind: "ok", name: "restricted", path: "/organizations/{org}/items/{restricted}/checkIns", as: owner, status: 200,
			want: map[string]any{"value.#": 1.0}, save: map[string]string{"restrictedCheckIn": "value.0.id"}},
		{route: "GET /organizations/{orgId}/items/{itemId}/checkIns", kind: "400", path: "/organizations/{org}/items/{pipeline}/checkIns?$top=x", as: observer, status: 400, target: "$top"},
		{route: "GET /organizations/{orgId}/items/{itemId}/checkIns", kind: "404", path: "/organizations/{org}/items/{restricted}/checkIns", as: observer, status: 404},
		{route: "GET /organizations/{orgId}/items/{itemId}/checkIns", kind: "403", path: "/organizations/{org}/items/{pipeline}/checkIns", as: observer, scope: wrongScope, status: 403},
		{route: "POST /organizations/{orgId}/items/{itemId}/checkIns", kind: "ok", path: "/organizations/{org}/items/{item}/checkIns", as: member, status: 201,
			body: `{"date":"2025-11-30","value":30,"status":"onTrack","note":"Thirty routes live."}`,
			want: map[string]any{"itemId": "{item}", "userId": "{lee}", "date": "2025-11-30", "value": 30.0, "status": "onTrack", "version": 1.0},
			save: map[string]string{"checkIn": "id"}},
		{route: "GET /organizations/{orgId}/items/{itemId}", kind: "ok", name: "after a check-in", path: "/organizations/{org}/items/{item}", as: member, status: 200,
			want: map[string]any{"currentValue": 30.0, "progress": 75.0, "status": "onTrack", "lastCheckInDate": "2025-11-30", "lastCheckInNote": "Thirty routes live."}},
		{route: "POST /organizations/{orgId}/items/{itemId}/checkIns", kind: "400", path: "/organizations/{org}/items/{item}/checkIns", as: member, status: 400,
			body: `{"date":"yesterday"}`, target: "date"},
		{route: "POST /organizations/{orgId}/items/{itemId}/checkIns", kind: "400", name: "read-only", path: "/organizations/{org}/items/{item}/checkIns", as: member, status: 400,
			body: `{"userId":"{adele}"}`, target: "userId"},
		{route: "POST /organizations/{orgId}/items/{itemId}/checkIns", kind: "403", path: "/organizations/{org}/items/{growth}/checkIns", as: member, status: 403,
			body: `{"value":50}`},
		{route: "POST /organizations/{orgId}/items/{itemId}/checkIns", kind: "403", name: "observer", path: "/organizations/{org}/items/{item}/checkIns", as: observer, status: 403,
			body: `{"value":50}`},
		{route: "POST /organizations/{orgId}/items/{itemId}/checkIns", kind: "404", path: "/organizations/{org}/items/{restricted}/checkIns", as: demo.AlexUPN, status: 404,
			body: `{"value":50}`},
		{route: "GET /organizations/{orgId}/checkIns/{checkInId}", kind: "ok", path: "/organizations/{org}/checkIns/{checkIn}", as: observer, status: 200,
			want: map[string]any{"id": "{checkIn}", "note": "Thirty routes live."}},
		{route: "GET /organizations/{orgId}/checkIns/{checkInId}", kind: "400", path: "/organizations/{org}/checkIns/x", as: observer, status: 400, target: "checkInId"},
		{route: "GET /organizations/{orgId}/checkIns/{checkInId}", kind: "404", path: "/organizations/{org}/checkIns/{restrictedCheckIn}", as: demo.AlexUPN, status: 404},
		{route: "GET /organizations/{orgId}/checkIns/{checkInId}", kind: "404", name: "missing", path: "/organizations/{org}/checkIns/99999999", as: owner, status: 404},
		{route: "GET /organizations/{orgId}/checkIns/{checkInId}", kind: "403", path: "/organizations/{org}/checkIns/{checkIn}", as: observer, scope: wrongScope, status: 403},
		{route: "PATCH /organizations/{orgId}/checkIns/{checkInId}", kind: "ok", path: "/organizations/{org}/checkIns/{checkIn}", as: member, status: 200,
			body: `{"note":"Thirty routes live, docs next."}`, want: map[string]any{"note": "Thirty routes live, docs next.", "value": 30.0, "version": 2.0}},
		{route: "PATCH /organizations/{orgId}/checkIns/{checkInId}", kind: "400", path: "/organizations/{org}/checkIns/{checkIn}", as: member, status: 400,
			body: `{"activityAt":"2025-01-01T00:00:00Z"}`, target: "activityAt"},
		{route: "PATCH /organizations/{orgId}/checkIns/{checkInId}", kind: "400", name: "status", path: "/organizations/{org}/checkIns/{checkIn}", as: member, status: 400,
			body: `{"status":"fine"}`, target: "status"},
		{route: "PATCH /organizations/{orgId}/checkIns/{checkInId}", kind: "403", path: "/organizations/{org}/checkIns/{isaiahCheckIn}", as: member, status: 403,
			body: `{"note":"x"}`},
		{route: "PATCH /organizations/{orgId}/checkIns/{checkInId}", kind: "404", path: "/organizations/{org}/checkIns/{restrictedCheckIn}", as: demo.AlexUPN, status: 404,
			body: `{"note":"x"}`},
		{route: "PATCH /organizations/{orgId}/checkIns/{checkInId}", kind: "412", path: "/organizations/{org}/checkIns/{checkIn}", as: member, status: 412,
			body: `{"note":"x"}`, header: stale},
		{route: "DELETE /organizations/{orgId}/checkIns/{checkInId}", kind: "400", path: "/organizations/{org}/checkIns/1.5", as: member, status: 400, target: "checkInId"},
		{route: "DELETE /organizations/{orgId}/checkIns/{checkInId}", kind: "403", path: "/organizations/{org}/checkIns/{isaiahCheckIn}", as: member, status: 403},
		{route: "DELETE /organizations/{orgId}/checkIns/{checkInId}", kind: "404", path: "/organizations/{org}/checkIns/99999999", as: member, status: 404},
		{route: "DELETE /organizations/{orgId}/checkIns/{checkInId}", kind: "412", path: "/organizations/{org}/checkIns/{checkIn}", as: member, status: 412, header: stale},
		{route: "DELETE /organizations/{orgId}/checkIns/{checkInId}", kind: "ok", path: "/organizations/{org}/checkIns/{checkIn}", as: member, status: 204},

		// The item goes once its alignments and check-ins are gone with it.
		{route: "DELETE /organizations/{orgId}/items/{itemId}", kind: "400", path: "/organizations/{org}/items/x", as: member, status: 400, target: "itemId"},
		{route: "DELETE /organizations/{orgId}/items/{itemId}", kind: "403", path: "/organizations/{org}/items/{growth}", as: member, status: 403},
		{route: "DELETE /organizations/{orgId}/items/{itemId}", kind: "404", path: "/organizations/{org}/items/{restricted}", as: demo.AlexUPN, status: 404},
		{route: "DELETE /organizations/{orgId}/items/{itemId}", kind: "412", path: "/organizations/{org}/items/{item}", as: member, status: 412, header: stale},
		{route: "DELETE /organizations/{orgId}/items/{itemId}", kind: "409", name: "has contributors", path: "/organizations/{org}/items/{growth}", as: owner, status: 409},
		{route: "DELETE /organizations/{orgId}/items/{itemId}", kind: "ok", path: "/organizations/{org}/items/{item}", as: member, status: 204},
		{route: "GET /organizations/{orgId}/items/{itemId}", kind: "404", name: "deleted", path: "/organizations/{org}/items/{item}", as: member, status: 404},

		// Views.
		{route: "GET /organizations/{orgId}/views", kind: "ok", path: "/organizations/{org}/views", as: demo.DiegoUPN, status: 200,
			want: map[string]any{"value.#": 11.0}},
		{route: "GET /organizations/{orgId}/views", kind: "ok", name: "no private view of others", path: "/organizations/{org}/views", as: member, status: 200,
			want: map[string]any{"value.#": 10.0}},
		{route: "GET /organizations/{orgId}/views", kind: "400", path: "/organizations/{org}/views?$top=-1", as: member, status: 400, target: "$top"},
		{route: "GET /organizations/{orgId}/views", kind: "404", path: "/organizations/{org}/views", as: outsider, status: 404},
		{route: "GET /organizations/{orgId}/views", kind: "403", path: "/organizations/{org}/views", as: member, scope: wrongScope, status: 403},
		{route: "POST /organizations/{orgId}/views", kind: "ok", path: "/organizations/{org}/views", as: member, status: 201,
			body: `{"name":"My objectives","filter":{"kinds":["objective"],"owners":["me"],"due":{"op":"withinDays","days":30}},"export":{"tags":"column"}}`,
			want: map[string]any{"name": "My objectives", "visibility": "private", "creatorId": "{lee}", "filter.kinds": []any{"objective"},
				"filter.due.days": 30.0, "export.tags": "column", "topLevelOnly": false, "version": 1.0},
			save: map[string]string{"view": "id"}},
		{route: "POST /organizations/{orgId}/views", kind: "400", path: "/organizations/{org}/views", as: member, status: 400,
			body: `{"name":"x","filter":{"kinds":["goal"]}}`, target: "filter.kinds"},
		{route: "POST /organizations/{orgId}/views", kind: "400", name: "nested unknown", path: "/organizations/{org}/views", as: member, status: 400,
			body: `{"name":"x","filter":{"kind":["objective"]}}`, target: "filter.kind"},
		{route: "POST /organizations/{orgId}/views", kind: "403", path: "/organizations/{org}/views", as: observer, status: 403,
			body: `{"name":"x"}`},
		{route: "POST /organizations/{orgId}/views", kind: "404", path: "/organizations/{org}/views", as: outsider, status: 404,
			body: `{"name":"x"}`},
		{route: "GET /organizations/{orgId}/views/{viewId}", kind: "ok", path: "/organizations/{org}/views/{view}", as: member, status: 200,
			want: map[string]any{"id": "{view}", "filter.owners": []any{"me"}}},
		{route: "GET /organizations/{orgId}/views/{viewId}", kind: "400", path: "/organizations/{org}/views/mine", as: member, status: 400, target: "viewId"},
		{route: "GET /organizations/{orgId}/views/{viewId}", kind: "404", path: "/organizations/{org}/views/{privateView}", as: member, status: 404},
		{route: "GET /organizations/{orgId}/views/{viewId}", kind: "404", name: "private, admin", path: "/organizations/{org}/views/{view}", as: admin, status: 404},
		{route: "GET /organizations/{orgId}/views/{viewId}", kind: "403", path: "/organizations/{org}/views/{view}", as: member, scope: wrongScope, status: 403},
		{route: "PATCH /organizations/{orgId}/views/{viewId}", kind: "ok", path: "/organizations/{org}/views/{view}", as: member, status: 200,
			body: `{"visibility":"public","filter":{"due":null,"levels":["team"]}}`,
			want: map[string]any{"visibility": "public", "filter.kinds": []any{"objective"}, "filter.levels": []any{"team"}, "version": 2.0},
			check: func(t *testing.T, res *response) {
				if _, ok := field(jsonOf(t, res.body), "filter.due"); ok {
					t.Errorf("filter.due survived its removal: %s", res.body)
				}
			}},
		{route: "PATCH /organizations/{orgId}/views/{viewId}", kind: "400", path: "/organizations/{org}/views/{view}", as: member, status: 400,
			body: `{"createdAt":"2025-01-01T00:00:00.000Z"}`, target: "createdAt"},
		{route: "PATCH /organizations/{orgId}/views/{viewId}", kind: "400", name: "name", path: "/organizations/{org}/views/{view}", as: member, status: 400,
			body: `{"name":null}`, target: "name"},
		{route: "PATCH /organizations/{orgId}/views/{viewId}", kind: "403", path: "/organizations/{org}/views/{allView}", as: member, status: 403,
			body: `{"name":"Mine"}`},
		{route: "PATCH /organizations/{orgId}/views/{viewId}", kind: "403", name: "observer", path: "/organizations/{org}/views/{view}", as: observer, status: 403,
			body: `{"name":"Mine"}`},
		{route: "PATCH /organizations/{orgId}/views/{viewId}", kind: "ok", name: "admin, public view", path: "/organizations/{org}/views/{view}", as: admin, status: 200,
			body: `{"topLevelOnly":true}`, want: map[string]any{"topLevelOnly": true, "creatorId": "{lee}", "version": 3.0}},
		{route: "PATCH /organizations/{orgId}/views/{viewId}", kind: "404", path: "/organizations/{org}/views/{privateView}", as: admin, status: 404,
			body: `{"name":"Mine"}`},
		{route: "PATCH /organizations/{orgId}/views/{viewId}", kind: "412", path: "/organizations/{org}/views/{view}", as: member, status: 412,
			body: `{"name":"Stale"}`, header: stale},
		{route: "DELETE /organizations/{orgId}/views/{viewId}", kind: "400", path: "/organizations/{org}/views/x", as: member, status: 400, target: "viewId"},
		{route: "DELETE /organizations/{orgId}/views/{viewId}", kind: "403", path: "/organizations/{org}/views/{allView}", as: member, status: 403},
		{route: "DELETE /organizations/{orgId}/views/{viewId}", kind: "404", path: "/organizations/{org}/views/{privateView}", as: member, status: 404},
		{route: "DELETE /organizations/{orgId}/views/{viewId}", kind: "412", path: "/organizations/{org}/views/{view}", as: member, status: 412, header: stale},
		{route: "DELETE /organizations/{orgId}/views/{viewId}", kind: "ok", path: "/organizations/{org}/views/{view}", as: member, status: 204,
			header: []string{"If-Match", "*"}},

		// Import and backup.
		{route: "POST /organizations/{orgId}/import", kind: "ok", path: "/organizations/{missing}/import?orgName=Northwind%20Pilot", as: member, status: 200,
			body: smallCSV, header: []string{"Content-Type", "text/csv"},
			want: map[string]any{"created.items": 2.0, "created.organizations": 1.0, "created.alignments": 1.0}},
		{route: "GET /organizations/{orgId}", kind: "ok", name: "imported", path: "/organizations/{missing}", as: member, status: 200,
			want: map[string]any{"name": "Northwind Pilot"}},
		{route: "POST /organizations/{orgId}/import", kind: "400", path: "/organizations/{org}/import?viewId=all", as: owner, status: 400,
			body: smallCSV, header: []string{"Content-Type", "text/csv"}, target: "viewId"},
		{route: "POST /organizations/{orgId}/import", kind: "400", name: "file", path: "/organizations/{org}/import", as: owner, status: 400,
			body: "Id,Title,Object Type,Status\r\n1,X,Objective,Done\r\n", header: []string{"Content-Type", "text/csv"}},
		{route: "POST /organizations/{orgId}/import", kind: "403", path: "/organizations/{org}/import", as: member, status: 403,
			body: smallCSV, header: []string{"Content-Type", "text/csv"}},
		{route: "POST /organizations/{orgId}/import", kind: "403", name: "unknown user, new organization", path: "/organizations/" + uuid.NewString() + "/import", as: stranger, status: 403,
			body: smallCSV, header: []string{"Content-Type", "text/csv"}},
		{route: "POST /organizations/{orgId}/import", kind: "404", path: "/organizations/{org}/import", as: outsider, status: 404,
			body: smallCSV, header: []string{"Content-Type", "text/csv"}},
		{route: "POST /organizations/{orgId}/import", kind: "415", path: "/organizations/{org}/import", as: owner, status: 415,
			body: smallCSV, header: []string{"Content-Type", "text/plain"}},
		{route: "GET /organizations/{orgId}/export", kind: "ok", path: "/organizations/{org}/export", as: admin, status: 200,
			want: map[string]any{"format": "goalpost.organization", "organization.id": contoso},
			check: func(t *testing.T, res *response) {
				if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=") {
					t.Errorf("Content-Disposition = %q", cd)
				}
			}},
		{route: "GET /organizations/{orgId}/export", kind: "400", path: "/organizations/contoso/export", as: admin, status: 400, target: "orgId"},
		{route: "GET /organizations/{orgId}/export", kind: "403", path: "/organizations/{org}/export", as: member, status: 403},
		{route: "GET /organizations/{orgId}/export", kind: "404", path: "/organizations/{org}/export", as: outsider, status: 404},
	}
}

func TestV1Routes(t *testing.T) { forEachStore(t, testV1Routes) }

func testV1Routes(t *testing.T, store string) {
	v := newV1Env(t, store)
	cases := v1Table()
	for i, c := range cases {
		name := fmt.Sprintf("%03d %s %s %s", i, c.kind, c.route, c.name)
		if !t.Run(name, func(t *testing.T) { v.run(t, c) }) && c.save != nil {
			t.Fatalf("case %d saves %v for later cases; stopping", i, c.save)
		}
	}
	t.Run("next links", func(t *testing.T) {
		for _, name := range []string{"membersNext", "itemsNext", "checkInsNext"} {
			next := v.vars[name]
			if !strings.HasPrefix(next, v.srv.URL+v1+"/organizations/") {
				t.Errorf("%s = %q, want an absolute URL", name, next)
				continue
			}
			res := v.call("GET", strings.TrimPrefix(next, v.srv.URL+v1), demo.AdeleUPN, "", "")
			if res.StatusCode != 200 {
				t.Errorf("%s: %d %s", name, res.StatusCode, res.body)
				continue
			}
			if n, _ := field(jsonOf(t, res.body), "value.#"); n == 0.0 {
				t.Errorf("%s: an empty page", name)
			}
		}
		// The items' second page starts after the first.
		res := v.call("GET", strings.TrimPrefix(v.vars["itemsNext"], v.srv.URL+v1), demo.AdeleUPN, "", "")
		if id, _ := field(jsonOf(t, res.body), "value.0.id"); id != 2295775.0 {
			t.Errorf("second page starts at %v, want 2295775", id)
		}
	})
	t.Run("coverage", func(t *testing.T) { checkCoverage(t, v, cases) })
}

// checkCoverage requires of every route of the OpenAPI document a success,
// a 400, a 403, a 404 (where the path names something) and, for PATCH and
// DELETE, a 412.
func checkCoverage(t *testing.T, v *v1Env, cases []v1Case) {
	res := v.call("GET", "/openapi.json", demo.LeeUPN, "", "")
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(res.body, &doc); err != nil {
		t.Fatal(err)
	}
	have := map[string]map[string]bool{}
	for _, c := range cases {
		if have[c.route] == nil {
			have[c.route] = map[string]bool{}
		}
		have[c.route][c.kind] = true
	}
	var routes []string
	for path, ops := range doc.Paths {
		for method := range ops {
			routes = append(routes, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(routes)
	for _, route := range routes {
		need := []string{"ok", "400", "403"}
		if strings.Contains(route, "{") {
			need = append(need, "404")
		}
		if strings.HasPrefix(route, "PATCH ") || strings.HasPrefix(route, "DELETE ") {
			need = append(need, "412")
		}
		if route == "GET /openapi.json" {
			need = []string{"ok", "400"} // any valid token may read it: no 403
		}
		for _, k := range need {
			if !have[route][k] {
				t.Errorf("%s: no %s case", route, k)
			}
		}
		delete(have, route)
	}
	for route := range have {
		t.Errorf("cases of %s, which the document does not describe", route)
	}
}

// TestV1Protocol checks what every route shares: 405 with Allow, 404 for
// unknown paths, 401 without a token, the request ids.
func TestV1Protocol(t *testing.T) {
	e := newEnv(t, envOptions{})
	tok := e.token(demo.AdeleUPN, goalpost.ScopeGoalsReadWrite)
	res := e.do("PUT", v1+"/organizations/"+contoso, tok, `{}`)
	wantError(t, res, 405, goalpost.EMETHODNOTALLOWED, "", "")
	if got := res.Header.Get("Allow"); got != "GET, HEAD, PATCH, DELETE" {
		t.Errorf("Allow = %q", got)
	}
	res = e.do("DELETE", v1+"/organizations", tok, "")
	wantError(t, res, 405, goalpost.EMETHODNOTALLOWED, "", "")
	if got := res.Header.Get("Allow"); got != "GET, HEAD, POST" {
		t.Errorf("Allow = %q", got)
	}
	wantError(t, e.do("GET", v1+"/teams", tok, ""), 404, goalpost.ENOTFOUND, "unknownResource", "")
	wantError(t, e.do("GET", v1+"/Organizations", tok, ""), 404, goalpost.ENOTFOUND, "", "")
	wantError(t, e.do("GET", v1+"/organizations", "", ""), 401, goalpost.EUNAUTHORIZED, "", "Access token is empty.")
	res = e.do("GET", v1+"/organizations/"+contoso, tok, "", "client-request-id", "abc-123")
	if res.StatusCode != 200 || res.Header.Get("client-request-id") != "abc-123" || !guidRE.MatchString(res.Header.Get("request-id")) {
		t.Errorf("%d, client-request-id %q, request-id %q", res.StatusCode, res.Header.Get("client-request-id"), res.Header.Get("request-id"))
	}
	// A body over the default bound is refused before it is read.
	big := `{"name":"` + strings.Repeat("x", 70<<10) + `"}`
	wantError(t, e.do("POST", v1+"/organizations", tok, big), 413, goalpost.ETOOLARGE, "", "")
	// Trailing data after the object is not a JSON object body.
	wantError(t, e.do("POST", v1+"/organizations", tok, `{"name":"A"} {}`), 400, goalpost.EINVALID, "invalidRequestBody", "")
	wantError(t, e.do("POST", v1+"/organizations", tok, `[1]`), 400, goalpost.EINVALID, "invalidRequestBody", "")
}
