package httpapi

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/goalpost/goalpost/resource"
)

// TestOpenAPIMatchesRoutes walks the OpenAPI document's paths and methods
// and compares them with v1Routes, from which the mux is built: a route
// without a description fails, and so does a description without a route.
// Each operation must also document the route's path and query parameters,
// name it by its operationId and have only references that resolve.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	b, err := openAPIJSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v", doc["openapi"])
	}
	paths, _ := doc["paths"].(map[string]any)

	routes := map[string]*v1Route{}
	for i := range v1Routes {
		rt := &v1Routes[i]
		key := rt.Method + " " + rt.Path
		if routes[key] != nil {
			t.Errorf("route %s twice", key)
		}
		routes[key] = rt
	}
	documented := map[string]bool{}
	ids := map[string]string{}
	for path, item := range paths {
		ops, _ := item.(map[string]any)
		for method, o := range ops {
			key := strings.ToUpper(method) + " " + path
			documented[key] = true
			op, _ := o.(map[string]any)
			rt := routes[key]
			if rt == nil {
				t.Errorf("the document describes %s, which has no route", key)
				continue
			}
			id, _ := op["operationId"].(string)
			if id != rt.Name {
				t.Errorf("%s: operationId %q, route name %q", key, id, rt.Name)
			}
			if prev, dup := ids[id]; dup {
				t.Errorf("operationId %q of %s and %s", id, prev, key)
			}
			ids[id] = key
			checkOperation(t, doc, key, rt, op)
		}
	}
	var missing []string
	for key := range routes {
		if !documented[key] {
			missing = append(missing, key)
		}
	}
	sort.Strings(missing)
	for _, key := range missing {
		t.Errorf("route %s is not in the OpenAPI document", key)
	}
	checkRefs(t, doc, doc)
}

var templateParam = regexp.MustCompile(`\{([^}]+)\}`)

// checkOperation compares an operation's parameters with its route's.
func checkOperation(t *testing.T, doc map[string]any, key string, rt *v1Route, op map[string]any) {
	t.Helper()
	if _, ok := op["responses"].(map[string]any); !ok {
		t.Errorf("%s: no responses", key)
	}
	if sec, _ := op["security"].([]any); len(sec) == 0 {
		t.Errorf("%s: no security requirement", key)
	}
	var pathParams, queryParams []string
	params, _ := op["parameters"].([]any)
	for _, p := range params {
		p := resolve(t, doc, p)
		name, _ := p["name"].(string)
		switch p["in"] {
		case "path":
			pathParams = append(pathParams, name)
			if p["required"] != true {
				t.Errorf("%s: path parameter %s is not required", key, name)
			}
		case "query":
			queryParams = append(queryParams, name)
		}
	}
	var wantPath []string
	for _, m := range templateParam.FindAllStringSubmatch(rt.Path, -1) {
		wantPath = append(wantPath, m[1])
	}
	wantQuery := slices.Clone(rt.query)
	if rt.list {
		wantQuery = append(wantQuery, "$top", "$skiptoken")
	}
	for _, s := range [][]string{pathParams, wantPath, queryParams, wantQuery} {
		sort.Strings(s)
	}
	if !slices.Equal(pathParams, wantPath) {
		t.Errorf("%s: path parameters %v, route has %v", key, pathParams, wantPath)
	}
	if !slices.Equal(queryParams, wantQuery) {
		t.Errorf("%s: query parameters %v, route takes %v", key, queryParams, wantQuery)
	}
	if strings.HasPrefix(key, "PATCH ") || strings.HasPrefix(key, "DELETE ") {
		if !slices.ContainsFunc(params, func(p any) bool { return resolve(t, doc, p)["name"] == "If-Match" }) {
			t.Errorf("%s: If-Match is not documented", key)
		}
	}
	if strings.HasPrefix(key, "POST ") || strings.HasPrefix(key, "PATCH ") {
		if _, ok := op["requestBody"].(map[string]any); !ok {
			t.Errorf("%s: no request body", key)
		}
	}
}

// resolve follows a local $ref.
func resolve(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	m, _ := v.(map[string]any)
	ref, ok := m["$ref"].(string)
	if !ok {
		return m
	}
	target, ok := lookup(doc, ref)
	if !ok {
		t.Errorf("$ref %s does not resolve", ref)
		return nil
	}
	return target
}

func lookup(doc map[string]any, ref string) (map[string]any, bool) {
	cur := any(doc)
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	m, ok := cur.(map[string]any)
	return m, ok
}

// checkRefs requires every $ref in v to resolve.
func checkRefs(t *testing.T, doc map[string]any, v any) {
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok {
			if _, ok := lookup(doc, ref); !ok || !strings.HasPrefix(ref, "#/components/") {
				t.Errorf("$ref %s does not resolve", ref)
			}
		}
		for _, e := range v {
			checkRefs(t, doc, e)
		}
	case []any:
		for _, e := range v {
			checkRefs(t, doc, e)
		}
	}
}

// TestOpenAPISchemasMatchJSON compares the documented properties of each
// resource with the JSON the handlers write and read (package resource's,
// which a backup holds too), so that a field added to one is added to the
// other.
func TestOpenAPISchemasMatchJSON(t *testing.T) {
	schemas := openAPISchemas()
	for name, typ := range map[string]reflect.Type{
		"Organization": reflect.TypeFor[resource.Organization](), "User": reflect.TypeFor[resource.User](),
		"Membership": reflect.TypeFor[resource.Membership](), "Member": reflect.TypeFor[resource.Member](),
		"Team": reflect.TypeFor[resource.Team](), "TimePeriod": reflect.TypeFor[resource.TimePeriod](),
		"Metric": reflect.TypeFor[resource.Metric](), "Item": reflect.TypeFor[resource.Item](),
		"Alignment": reflect.TypeFor[resource.Alignment](), "CheckIn": reflect.TypeFor[resource.CheckIn](),
		"View": reflect.TypeFor[resource.View](),
	} {
		full := props(schemas[name])
		if want := sortedKeys(jsonFields(typ)); !slices.Equal(full, want) {
			t.Errorf("%s: documented %v, JSON has %v", name, full, want)
		}
	}
	for name, sh := range map[string]bodyShape{
		"OrganizationCreate": orgCreateShape, "OrganizationPatch": orgShape, "MemberCreate": memberCreateShape,
		"MemberPatch": memberShape, "TeamInput": teamShape, "TimePeriodInput": periodShape, "ItemInput": itemShape,
		"AlignmentCreate": alignmentCreateShape, "AlignmentPatch": alignmentShape, "CheckInInput": checkInShape, "ViewInput": viewShape,
	} {
		got := props(schemas[name])
		if want := sortedKeys(sh.writable()); !slices.Equal(got, want) {
			t.Errorf("%s: documented %v, the body takes %v", name, got, want)
		}
	}
}

func props(s any) []string {
	m, _ := s.(obj)
	p, _ := m["properties"].(obj)
	var out []string
	for k := range p {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
