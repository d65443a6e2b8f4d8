package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/odata"
)

// This file is goalpost's own management API, /api/v1: the route table, the
// dispatcher every route goes through (throttling, authentication, scopes,
// the organization and the caller's role in it), and the conventions all
// resources share (lists, ETags and If-Match). The resources are in
// v1org.go (organizations, members), v1team.go (teams, time periods),
// v1item.go (items, alignments, check-ins), v1view.go and v1import.go
// (import, restore, backup); the list, create, get, update and delete
// that most of them share are in v1entity.go. Their JSON is package
// resource's, with the read-only properties of each request in v1json.go;
// request bodies and merge patches in v1body.go; access decisions in
// v1authz.go; the OpenAPI document in openapi.go.

// v1Prefix is where the management API lives.
const v1Prefix = "/api/v1"

// orgScope says what a route's {orgId} must be.
type orgScope int

const (
	orgNone   orgScope = iota // the route has no {orgId}
	orgMember                 // the caller must be a member of {orgId}; for others it does not exist
	orgAny                    // {orgId} may not exist yet (import); membership is looked up, not required
)

// v1Route is one route of /api/v1. v1Routes is the only list of them: the
// mux is built from it and the OpenAPI drift test compares it with the
// document.
type v1Route struct {
	Method string
	// Path is relative to /api/v1, with ServeMux wildcards that are also
	// the OpenAPI path template ("/organizations/{orgId}").
	Path string
	// Name is the route's OpenAPI operationId and its metrics label.
	Name string
	op   operation
	org  orgScope
	// rule is the role a member needs before the handler runs (nil: any
	// member); resource rules are decided in v1authz.go.
	rule *roleRule
	// query names the query parameters the route accepts; list routes
	// also take $top and $skiptoken. Others are refused.
	query []string
	// list marks the paged lists.
	list   bool
	handle func(*Server, *v1Request) error
}

// v1Routes is the management API.
var v1Routes = []v1Route{
	{Method: "GET", Path: "/openapi.json", Name: "getOpenAPI", op: opAnyToken, handle: (*Server).v1OpenAPI},

	{Method: "GET", Path: "/organizations", Name: "listOrganizations", op: opGoalsRead, list: true, handle: (*Server).v1ListOrgs},
	{Method: "POST", Path: "/organizations", Name: "createOrganization", op: opGoalsWrite, handle: (*Server).v1CreateOrg},
	{Method: "GET", Path: "/organizations/{orgId}", Name: "getOrganization", op: opGoalsRead, org: orgMember, handle: (*Server).v1GetOrg},
	{Method: "PATCH", Path: "/organizations/{orgId}", Name: "updateOrganization", op: opGoalsWrite, org: orgMember, rule: ruleAdmin, handle: (*Server).v1UpdateOrg},
	{Method: "DELETE", Path: "/organizations/{orgId}", Name: "deleteOrganization", op: opGoalsWrite, org: orgMember, rule: ruleOwner, handle: (*Server).v1DeleteOrg},

	{Method: "GET", Path: "/organizations/{orgId}/members", Name: "listMembers", op: opGoalsRead, org: orgMember, list: true, handle: memberEntity.list},
	{Method: "POST", Path: "/organizations/{orgId}/members", Name: "addMember", op: opGoalsWrite, org: orgMember, rule: ruleAdmin, handle: (*Server).v1AddMember},
	{Method: "GET", Path: "/organizations/{orgId}/members/{userId}", Name: "getMember", op: opGoalsRead, org: orgMember, handle: memberEntity.get},
	{Method: "PATCH", Path: "/organizations/{orgId}/members/{userId}", Name: "updateMember", op: opGoalsWrite, org: orgMember, rule: ruleAdmin, handle: (*Server).v1UpdateMember},
	{Method: "DELETE", Path: "/organizations/{orgId}/members/{userId}", Name: "removeMember", op: opGoalsWrite, org: orgMember, rule: ruleAdmin, handle: (*Server).v1RemoveMember},

	{Method: "GET", Path: "/organizations/{orgId}/teams", Name: "listTeams", op: opGoalsRead, org: orgMember, list: true, handle: teamEntity.list},
	{Method: "POST", Path: "/organizations/{orgId}/teams", Name: "createTeam", op: opGoalsWrite, org: orgMember, rule: ruleAdmin, handle: teamEntity.create},
	{Method: "GET", Path: "/organizations/{orgId}/teams/{teamId}", Name: "getTeam", op: opGoalsRead, org: orgMember, handle: teamEntity.get},
	{Method: "PATCH", Path: "/organizations/{orgId}/teams/{teamId}", Name: "updateTeam", op: opGoalsWrite, org: orgMember, rule: ruleAdmin, handle: teamEntity.update},
	{Method: "DELETE", Path: "/organizations/{orgId}/teams/{teamId}", Name: "deleteTeam", op: opGoalsWrite, org: orgMember, rule: ruleAdmin, handle: teamEntity.delete},

	{Method: "GET", Path: "/organizations/{orgId}/timePeriods", Name: "listTimePeriods", op: opGoalsRead, org: orgMember, list: true, handle: periodEntity.list},
	{Method: "POST", Path: "/organizations/{orgId}/timePeriods", Name: "createTimePeriod", op: opGoalsWrite, org: orgMember, rule: ruleAdmin, handle: periodEntity.create},
	{Method: "GET", Path: "/organizations/{orgId}/timePeriods/{periodId}", Name: "getTimePeriod", op: opGoalsRead, org: orgMember, handle: periodEntity.get},
	{Method: "PATCH", Path: "/organizations/{orgId}/timePeriods/{periodId}", Name: "updateTimePeriod", op: opGoalsWrite, org: orgMember, rule: ruleAdmin, handle: periodEntity.update},
	{Method: "DELETE", Path: "/organizations/{orgId}/timePeriods/{periodId}", Name: "deleteTimePeriod", op: opGoalsWrite, org: orgMember, rule: ruleAdmin, handle: periodEntity.delete},

	{Method: "GET", Path: "/organizations/{orgId}/items", Name: "listItems", op: opGoalsRead, org: orgMember, list: true, query: itemFilterParams, handle: itemEntity.list},
	{Method: "POST", Path: "/organizations/{orgId}/items", Name: "createItem", op: opGoalsWrite, org: orgMember, rule: ruleContributor, handle: itemEntity.create},
	{Method: "GET", Path: "/organizations/{orgId}/items/{itemId}", Name: "getItem", op: opGoalsRead, org: orgMember, handle: itemEntity.get},
	{Method: "PATCH", Path: "/organizations/{orgId}/items/{itemId}", Name: "updateItem", op: opGoalsWrite, org: orgMember, rule: ruleContributor, handle: itemEntity.update},
	{Method: "DELETE", Path: "/organizations/{orgId}/items/{itemId}", Name: "deleteItem", op: opGoalsWrite, org: orgMember, rule: ruleContributor, handle: itemEntity.delete},

	{Method: "GET", Path: "/organizations/{orgId}/items/{itemId}/parents", Name: "listParents", op: opGoalsRead, org: orgMember, handle: (*Server).v1ListParents},
	{Method: "POST", Path: "/organizations/{orgId}/items/{itemId}/parents", Name: "createAlignment", op: opGoalsWrite, org: orgMember, rule: ruleContributor, handle: (*Server).v1CreateAlignment},
	{Method: "GET", Path: "/organizations/{orgId}/items/{itemId}/parents/{parentId}", Name: "getAlignment", op: opGoalsRead, org: orgMember, handle: (*Server).v1GetAlignment},
	{Method: "PATCH", Path: "/organizations/{orgId}/items/{itemId}/parents/{parentId}", Name: "updateAlignment", op: opGoalsWrite, org: orgMember, rule: ruleContributor, handle: (*Server).v1UpdateAlignment},
	{Method: "DELETE", Path: "/organizations/{orgId}/items/{itemId}/parents/{parentId}", Name: "deleteAlignment", op: opGoalsWrite, org: orgMember, rule: ruleContributor, handle: (*Server).v1DeleteAlignment},
	{Method: "GET", Path: "/organizations/{orgId}/items/{itemId}/contributors", Name: "listContributors", op: opGoalsRead, org: orgMember, handle: (*Server).v1ListContributors},

	{Method: "GET", Path: "/organizations/{orgId}/items/{itemId}/checkIns", Name: "listCheckIns", op: opGoalsRead, org: orgMember, list: true, handle: (*Server).v1ListCheckIns},
	{Method: "POST", Path: "/organizations/{orgId}/items/{itemId}/checkIns", Name: "createCheckIn", op: opGoalsWrite, org: orgMember, rule: ruleContributor, handle: (*Server).v1CreateCheckIn},
	{Method: "GET", Path: "/organizations/{orgId}/checkIns/{checkInId}", Name: "getCheckIn", op: opGoalsRead, org: orgMember, handle: (*Server).v1GetCheckIn},
	{Method: "PATCH", Path: "/organizations/{orgId}/checkIns/{checkInId}", Name: "updateCheckIn", op: opGoalsWrite, org: orgMember, rule: ruleContributor, handle: (*Server).v1UpdateCheckIn},
	{Method: "DELETE", Path: "/organizations/{orgId}/checkIns/{checkInId}", Name: "deleteCheckIn", op: opGoalsWrite, org: orgMember, rule: ruleContributor, handle: (*Server).v1DeleteCheckIn},

	{Method: "GET", Path: "/organizations/{orgId}/views", Name: "listViews", op: opGoalsRead, org: orgMember, list: true, handle: viewEntity.list},
	{Method: "POST", Path: "/organizations/{orgId}/views", Name: "createView", op: opGoalsWrite, org: orgMember, rule: ruleContributor, handle: viewEntity.create},
	{Method: "GET", Path: "/organizations/{orgId}/views/{viewId}", Name: "getView", op: opGoalsRead, org: orgMember, handle: viewEntity.get},
	{Method: "PATCH", Path: "/organizations/{orgId}/views/{viewId}", Name: "updateView", op: opGoalsWrite, org: orgMember, rule: ruleContributor, handle: viewEntity.update},
	{Method: "DELETE", Path: "/organizations/{orgId}/views/{viewId}", Name: "deleteView", op: opGoalsWrite, org: orgMember, rule: ruleContributor, handle: viewEntity.delete},

	{Method: "POST", Path: "/organizations/{orgId}/import", Name: "importOrganization", op: opGoalsWrite, org: orgAny, query: []string{"viewId", "orgName"}, handle: (*Server).v1Import},
	{Method: "GET", Path: "/organizations/{orgId}/export", Name: "exportOrganization", op: opGoalsRead, org: orgMember, rule: ruleAdmin, handle: (*Server).v1Export},
}

// v1Handler returns the mux of /api/v1. Every path of v1Routes also gets a
// method-less pattern that answers 405 with Allow, and everything else under
// /api/v1 is 404, both in the Graph error envelope.
func (s *Server) v1Handler() http.Handler {
	mux := http.NewServeMux()
	allow := map[string][]string{}
	var paths []string
	for i := range v1Routes {
		rt := &v1Routes[i]
		mux.Handle(rt.Method+" "+v1Prefix+rt.Path, s.adapt(s.v1Serve(rt)))
		if _, ok := allow[rt.Path]; !ok {
			paths = append(paths, rt.Path)
		}
		allow[rt.Path] = append(allow[rt.Path], rt.Method)
	}
	for _, p := range paths {
		methods := allowedMethods(allow[p])
		mux.Handle(v1Prefix+p, s.adapt(func(w http.ResponseWriter, r *http.Request) error {
			setRoute(r, "v1.methodNotAllowed")
			return methodNotAllowed(w, methods)
		}))
	}
	mux.Handle(v1Prefix+"/", s.adapt(func(w http.ResponseWriter, r *http.Request) error {
		setRoute(r, "v1.notFound")
		return &goalpost.Error{Code: goalpost.ENOTFOUND, Inner: "unknownResource",
			Message: "No resource of /api/v1 has the path " + strconv.Quote(truncate(r.URL.Path, 200)) + "."}
	}))
	return mux
}

// allowedMethods is the Allow header of a path: its methods in a fixed
// order, with HEAD wherever GET is (ServeMux serves HEAD with GET).
func allowedMethods(ms []string) string {
	var out []string
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"} {
		if slices.Contains(ms, m) || (m == "HEAD" && slices.Contains(ms, "GET")) {
			out = append(out, m)
		}
	}
	return strings.Join(out, ", ")
}

// v1Request is one request to a route, with what the dispatcher resolved.
type v1Request struct {
	w     http.ResponseWriter
	r     *http.Request
	route *v1Route
	a     *access
	// query is the parsed query string.
	query url.Values
	// orgID and m are the route's organization and the caller's membership
	// of it (nil on routes without one and, for import, for a non-member).
	orgID uuid.UUID
	m     *goalpost.Membership
}

// v1Serve is the dispatcher: every check that all routes share, in order.
func (s *Server) v1Serve(rt *v1Route) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		setRoute(r, "v1."+rt.Name)
		if err := s.throttle(w, r); err != nil {
			return err
		}
		a, err := s.authorize(r, rt.op)
		if err != nil {
			return err
		}
		q := &v1Request{w: w, r: r, route: rt, a: a}
		if q.query, err = v1Query(r, rt); err != nil {
			return err
		}
		if rt.org == orgNone {
			return rt.handle(s, q)
		}
		if q.orgID, err = pathGUID(r, "orgId"); err != nil {
			return err
		}
		if q.m, err = s.membership(r.Context(), a, q.orgID); err != nil {
			return err
		}
		if err := s.authorizeV1Route(q); err != nil {
			return err
		}
		if rt.changesIdentity() {
			// Whatever the outcome, no cached membership outlives it.
			defer s.identity.clear()
		}
		return rt.handle(s, q)
	}
}

// changesIdentity reports whether the route may change a user or a
// membership that the identity cache keeps (a new one is never hidden by
// the cache, so adding members needs nothing).
func (rt *v1Route) changesIdentity() bool {
	switch rt.Name {
	case "updateMember", "removeMember", "deleteOrganization", "importOrganization":
		return true
	}
	return false
}

// v1Query parses the query string and refuses parameters the route does not
// take, so that a misspelt filter is an error rather than ignored.
func v1Query(r *http.Request, rt *v1Route) (url.Values, error) {
	vs, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidQuery", Message: "The query string contains malformed percent-encoding."}
	}
	for name, v := range vs {
		known := slices.Contains(rt.query, name) || (rt.list && (name == "$top" || name == "$skiptoken"))
		if !known {
			return nil, &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidQuery", Target: truncate(name, 64),
				Message: fmt.Sprintf("The query parameter %s is not supported on this route.", strconv.Quote(truncate(name, 64)))}
		}
		if (name == "$top" || name == "$skiptoken") && len(v) > 1 {
			return nil, &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidQuery", Target: name,
				Message: "The query parameter " + name + " may be given once."}
		}
	}
	return vs, nil
}

// single returns the one value of a query parameter; giving it twice is an
// error.
func (q *v1Request) single(name string) (string, bool, error) {
	vs := q.query[name]
	switch len(vs) {
	case 0:
		return "", false, nil
	case 1:
		return vs[0], true, nil
	}
	return "", false, invalidParam(name, "The query parameter %s may be given once.", name)
}

// invalidParam is a 400 naming a path or query parameter, or a header.
func invalidParam(target, format string, args ...any) error {
	return &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidParameter", Target: target, Message: fmt.Sprintf(format, args...)}
}

// pathGUID reads a GUID path parameter in its 36-character form.
func pathGUID(r *http.Request, name string) (uuid.UUID, error) {
	v := r.PathValue(name)
	id, ok := parseGUID(v)
	if !ok {
		return uuid.Nil, invalidParam(name, "The path parameter %s must be a GUID, not %s.", name, strconv.Quote(truncate(v, 64)))
	}
	return id, nil
}

// pathInt reads a positive integer id path parameter (items, check-ins).
func pathInt(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != v {
		return 0, invalidParam(name, "The path parameter %s must be a positive integer, not %s.", name, strconv.Quote(truncate(v, 64)))
	}
	return n, nil
}

// Lists.

// page reads $top and $skiptoken. $skiptoken is the store's Page.After: the
// key of the last record of the previous page, opaque to clients.
func (q *v1Request) page() (goalpost.Page, error) {
	p := goalpost.Page{Limit: goalpost.DefaultPageSize}
	if v, ok, _ := q.single("$top"); ok {
		n, err := odata.ParseTop(v, goalpost.MaxPageSize)
		if err != nil {
			return p, invalidParam("$top", "%s", err.(*odata.Error).Message)
		}
		p.Limit = n
	}
	if v, ok, _ := q.single("$skiptoken"); ok {
		if v == "" || len(v) > 64 {
			return p, invalidParam("$skiptoken", "Invalid $skiptoken value.")
		}
		p.After = v
	}
	return p, nil
}

// probe is the page to ask the store for: one more record than wanted tells
// whether there is a next page (at the largest page size the store cannot
// give more, and a full page gets a nextLink that may lead to an empty one).
func probe(p goalpost.Page) goalpost.Page {
	if p.Limit < goalpost.MaxPageSize {
		p.Limit++
	}
	return p
}

// listPage cuts list to the page p asked for and returns the nextLink, or
// "" on the last page.
func listPage[T any](s *Server, q *v1Request, p goalpost.Page, list []T, key func(T) string) ([]T, string) {
	more := len(list) > p.Limit || (p.Limit == goalpost.MaxPageSize && len(list) == p.Limit)
	if len(list) > p.Limit {
		list = list[:p.Limit]
	}
	if !more || len(list) == 0 {
		return list, ""
	}
	vs := url.Values{}
	for k, v := range q.query {
		vs[k] = v
	}
	vs.Set("$top", strconv.Itoa(p.Limit))
	vs.Set("$skiptoken", key(list[len(list)-1]))
	// "$" needs no escaping in a query; $top reads better than %24top.
	return list, s.baseURL(q.r) + q.r.URL.Path + "?" + strings.ReplaceAll(vs.Encode(), "%24", "$")
}

// listPaged is a paged list: $top and $skiptoken, then list, which gets
// the page to ask the store for (see probe), then the page with its
// nextLink, each record converted by from.
func listPaged[R, J any](s *Server, q *v1Request, list func(goalpost.Page) ([]*R, error), key func(*R) string, from func(*R) J) error {
	p, err := q.page()
	if err != nil {
		return err
	}
	recs, err := list(probe(p))
	if err != nil {
		return err
	}
	recs, next := listPage(s, q, p, recs, key)
	return writeList(q, recs, next, from)
}

// listBody is the body of a list: its page of values and the link to the
// next page.
type listBody[T any] struct {
	Value    []T    `json:"value"`
	NextLink string `json:"@odata.nextLink,omitempty"`
}

// writeList writes a page of values converted by conv.
func writeList[R, T any](q *v1Request, recs []R, next string, conv func(R) T) error {
	body := listBody[T]{Value: make([]T, 0, len(recs)), NextLink: next}
	for _, r := range recs {
		body.Value = append(body.Value, conv(r))
	}
	return q.writeJSON(http.StatusOK, body, "")
}

// Entities.

// v1ContentType is the Content-Type of the management API's JSON.
const v1ContentType = "application/json; charset=utf-8"

// writeJSON writes v with status and, when etag is set, an ETag.
func (q *v1Request) writeJSON(status int, v any, etag string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // titles and notes read as written: "<", ">", "&"
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	h := q.w.Header()
	h.Set("Content-Type", v1ContentType)
	h.Set("Cache-Control", "no-store")
	if etag != "" {
		h.Set("ETag", etag)
	}
	q.w.WriteHeader(status)
	_, err := q.w.Write(buf.Bytes())
	return err
}

// etag is the strong ETag of a version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// writeEntity writes one resource with its ETag.
func (q *v1Request) writeEntity(status int, v any, version int64) error {
	return q.writeJSON(status, v, etag(version))
}

// writeCreated writes a created resource: 201, Location (absolute) and ETag.
func (s *Server) writeCreated(q *v1Request, path string, v any, version int64) error {
	q.w.Header().Set("Location", s.baseURL(q.r)+v1Prefix+path)
	return q.writeEntity(http.StatusCreated, v, version)
}

// noContent answers a delete.
func (q *v1Request) noContent() error {
	q.w.Header().Set("Cache-Control", "no-store")
	q.w.WriteHeader(http.StatusNoContent)
	return nil
}

// etagRE matches the one ETag form If-Match may carry: a version, strong
// or weak.
var etagRE = regexp.MustCompile(`^(?:W/)?"([0-9]{1,18})"$`)

// ifMatch reads If-Match for the store's ifVersion: 0 (unconditional) when
// absent or "*"; a version to compare otherwise. Version 0 never matches a
// stored record; it becomes -1 so that the store does not read it as
// "unconditional". Anything but one ETag of ours is a 400.
func (q *v1Request) ifMatch() (int64, error) {
	vs := q.r.Header.Values("If-Match")
	if len(vs) == 0 {
		return 0, nil
	}
	v := strings.TrimSpace(vs[0])
	if len(vs) == 1 && v == "*" {
		return 0, nil
	}
	m := etagRE.FindStringSubmatch(v)
	if len(vs) != 1 || m == nil {
		return 0, invalidParam("If-Match", `The If-Match header must be one ETag of this API ("3", W/"3") or *.`)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	if n == 0 {
		return -1, nil
	}
	return n, nil
}

// today is the server's date in UTC, for check-ins and relative filters.
func (s *Server) today() goalpost.Date { return goalpost.DateOf(s.now().UTC()) }

// v1OpenAPI is GET /api/v1/openapi.json.
func (s *Server) v1OpenAPI(q *v1Request) error {
	b, err := openAPIJSON()
	if err != nil {
		return err
	}
	h := q.w.Header()
	h.Set("Content-Type", v1ContentType)
	h.Set("Cache-Control", "no-cache")
	_, err = q.w.Write(b)
	return err
}
