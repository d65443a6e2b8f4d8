package httpapi

import (
	"encoding/json"
	"sync"
)

// The OpenAPI 3.1 description of /api/v1, written by hand as a Go value
// and served at GET /api/v1/openapi.json. TestOpenAPIMatchesRoutes walks
// its paths and methods against v1Routes: a route without a description,
// or a description without a route, fails it.

// obj is a JSON object of the document.
type obj = map[string]any

// openAPIJSON is the document, encoded once.
var openAPIJSON = sync.OnceValues(func() ([]byte, error) {
	b, err := json.MarshalIndent(openAPIDocument(), "", "  ")
	return append(b, '\n'), err
})

func schemaRef(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }
func paramRef(name string) obj  { return obj{"$ref": "#/components/parameters/" + name} }

// Scopes that operations need.
var (
	readScopes  = []string{"Goals.Read.All", "Goals.ReadWrite.All"}
	writeScopes = []string{"Goals.ReadWrite.All"}
)

// apiOp is one operation of the document.
type apiOp struct {
	id, summary, description string
	tag                      string
	scopes                   []string // nil: any scope
	params                   []obj
	body                     obj // the request body, or nil
	responses                obj // the success responses
	errors                   []string
}

// readOp and writeOp are the usual shapes: reads may fail 400, 404; writes
// also 403, 409 and 415.
func readOp(tag, id, summary string, params []obj, ok obj) apiOp {
	return apiOp{tag: tag, id: id, summary: summary, scopes: readScopes, params: params, responses: ok,
		errors: []string{"400", "401", "403", "404", "429"}}
}

func writeOp(tag, id, summary string, params []obj, body, ok obj, errs ...string) apiOp {
	return apiOp{tag: tag, id: id, summary: summary, scopes: writeScopes, params: params, body: body, responses: ok,
		errors: append([]string{"400", "401", "403", "404", "409", "413", "415", "429"}, errs...)}
}

func (o apiOp) withDescription(d string) apiOp { o.description = d; return o }

func (o apiOp) doc() obj {
	security := []obj{{"bearer": o.scopes}}
	if o.scopes == nil {
		security = []obj{{"bearer": []string{}}}
	}
	responses := obj{}
	for code, r := range o.responses {
		responses[code] = r
	}
	for _, code := range o.errors {
		responses[code] = obj{"$ref": "#/components/responses/" + errorResponses[code]}
	}
	d := obj{
		"operationId": o.id,
		"summary":     o.summary,
		"tags":        []string{o.tag},
		"security":    security,
		"responses":   responses,
	}
	if o.description != "" {
		d["description"] = o.description
	}
	if len(o.params) > 0 {
		d["parameters"] = o.params
	}
	if o.body != nil {
		d["requestBody"] = o.body
	}
	return d
}

// errorResponses names the shared error response of each status.
var errorResponses = map[string]string{
	"400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound",
	"409": "Conflict", "412": "PreconditionFailed", "413": "TooLarge", "415": "UnsupportedMediaType",
	"429": "TooManyRequests",
}

// Request bodies and responses.

func jsonBody(schema string, description string) obj {
	return obj{"required": true, "description": description,
		"content": obj{"application/json": obj{"schema": schemaRef(schema)}}}
}

func patchBody(schema string) obj {
	return obj{"required": true,
		"description": "A JSON merge patch (RFC 7396): the properties to change; null resets one to its default. " +
			"Unknown and read-only properties are refused (400, with error.target naming them).",
		"content": obj{
			"application/merge-patch+json": obj{"schema": schemaRef(schema)},
			"application/json":             obj{"schema": schemaRef(schema)},
		}}
}

var etagHeader = obj{"description": `The resource's version as a strong ETag ("3"); send it back in If-Match.`,
	"schema": obj{"type": "string"}}

func entity(schema, description string) obj {
	return obj{"200": obj{"description": description, "headers": obj{"ETag": etagHeader},
		"content": obj{"application/json": obj{"schema": schemaRef(schema)}}}}
}

func created(schema string) obj {
	return obj{"201": obj{"description": "Created.",
		"headers": obj{
			"ETag":     etagHeader,
			"Location": obj{"description": "The absolute URL of the new resource.", "schema": obj{"type": "string", "format": "uri"}},
		},
		"content": obj{"application/json": obj{"schema": schemaRef(schema)}}}}
}

func list(schema string) obj {
	return obj{"200": obj{"description": "One page of the list.",
		"content": obj{"application/json": obj{"schema": obj{
			"type":     "object",
			"required": []string{"value"},
			"properties": obj{
				"value":           obj{"type": "array", "items": schemaRef(schema)},
				"@odata.nextLink": obj{"type": "string", "format": "uri", "description": "The next page; absent on the last."},
			},
		}}}}}
}

var deleted = obj{"204": obj{"description": "Deleted."}}

func with(ps []obj, more ...obj) []obj { return append(append([]obj(nil), ps...), more...) }

// openAPIDocument is the document.
func openAPIDocument() obj {
	// Parameters of the operations.
	var (
		org       = []obj{paramRef("orgId")}
		page      = []obj{paramRef("top"), paramRef("skiptoken")}
		ifMatch   = paramRef("If-Match")
		orgPage   = []obj{paramRef("orgId"), paramRef("top"), paramRef("skiptoken")}
		member    = []obj{paramRef("orgId"), paramRef("userId")}
		team      = []obj{paramRef("orgId"), paramRef("teamId")}
		period    = []obj{paramRef("orgId"), paramRef("periodId")}
		item      = []obj{paramRef("orgId"), paramRef("itemId")}
		alignment = []obj{paramRef("orgId"), paramRef("itemId"), paramRef("parentId")}
		checkIn   = []obj{paramRef("orgId"), paramRef("checkInId")}
		view      = []obj{paramRef("orgId"), paramRef("viewId")}
	)
	itemFilters := []obj{}
	for _, p := range itemFilterParams {
		itemFilters = append(itemFilters, paramRef("filter."+p))
	}
	paths := obj{
		"/openapi.json": obj{
			"get": apiOp{tag: "meta", id: "getOpenAPI", summary: "This description of the API.", responses: obj{"200": obj{
				"description": "The OpenAPI 3.1 document.",
				"content":     obj{"application/json": obj{"schema": obj{"type": "object"}}}}},
				errors: []string{"401", "429"}}.
				withDescription("Any valid delegated token may read it, whatever its scopes.").doc(),
		},
		"/organizations": obj{
			"get": readOp("organizations", "listOrganizations", "The caller's organizations, by id.", page, list("Organization")).doc(),
			"post": writeOp("organizations", "createOrganization", "Create an organization; the caller becomes its owner.",
				nil, jsonBody("OrganizationCreate", "The new organization."), created("Organization")).
				withDescription("The caller must be a user goalpost knows (403 otherwise). The organization gets the default views.").doc(),
		},
		"/organizations/{orgId}": obj{
			"get": readOp("organizations", "getOrganization", "One organization.", org, entity("Organization", "The organization.")).doc(),
			"patch": writeOp("organizations", "updateOrganization", "Rename an organization or change its terminology (owners and admins).",
				with(org, ifMatch), patchBody("OrganizationPatch"), entity("Organization", "The organization as changed."), "412").doc(),
			"delete": writeOp("organizations", "deleteOrganization", "Delete an organization with everything in it (owners).",
				with(org, ifMatch), nil, deleted, "412").doc(),
		},
		"/organizations/{orgId}/members": obj{
			"get": readOp("members", "listMembers", "The organization's members, by user id.", orgPage, list("Member")).doc(),
			"post": writeOp("members", "addMember", "Add a user to the organization (owners and admins; only owners add owners).",
				org, jsonBody("MemberCreate", "The user (found by id, else by upn, else created) and their role."), created("Member")).doc(),
		},
		"/organizations/{orgId}/members/{userId}": obj{
			"get": readOp("members", "getMember", "One member.", member, entity("Member", "The member.")).doc(),
			"patch": writeOp("members", "updateMember", "Change a member's role, display name or manager (owners and admins; only owners grant or revoke the owner role).",
				with(member, ifMatch), patchBody("MemberPatch"), entity("Member", "The member as changed."), "412").doc(),
			"delete": writeOp("members", "removeMember", "End a membership (owners and admins; only owners remove owners). The last owner cannot leave.",
				with(member, ifMatch), nil, deleted, "412").doc(),
		},
		"/organizations/{orgId}/teams": obj{
			"get":  readOp("teams", "listTeams", "The organization's teams, by id.", orgPage, list("Team")).doc(),
			"post": writeOp("teams", "createTeam", "Create a team (owners and admins).", org, jsonBody("TeamInput", "The new team."), created("Team")).doc(),
		},
		"/organizations/{orgId}/teams/{teamId}": obj{
			"get": readOp("teams", "getTeam", "One team.", team, entity("Team", "The team.")).doc(),
			"patch": writeOp("teams", "updateTeam", "Change a team (owners and admins).",
				with(team, ifMatch), patchBody("TeamInput"), entity("Team", "The team as changed."), "412").doc(),
			"delete": writeOp("teams", "deleteTeam", "Delete a team no item names (owners and admins); its child teams become top-level.",
				with(team, ifMatch), nil, deleted, "412").doc(),
		},
		"/organizations/{orgId}/timePeriods": obj{
			"get": readOp("timePeriods", "listTimePeriods", "The organization's time periods, by id.", orgPage, list("TimePeriod")).doc(),
			"post": writeOp("timePeriods", "createTimePeriod", "Create a time period (owners and admins).",
				org, jsonBody("TimePeriodInput", "The new time period."), created("TimePeriod")).doc(),
		},
		"/organizations/{orgId}/timePeriods/{periodId}": obj{
			"get": readOp("timePeriods", "getTimePeriod", "One time period.", period, entity("TimePeriod", "The time period.")).doc(),
			"patch": writeOp("timePeriods", "updateTimePeriod", "Change a time period (owners and admins).",
				with(period, ifMatch), patchBody("TimePeriodInput"), entity("TimePeriod", "The time period as changed."), "412").doc(),
			"delete": writeOp("timePeriods", "deleteTimePeriod", "Delete a time period no item is in (owners and admins).",
				with(period, ifMatch), nil, deleted, "412").doc(),
		},
		"/organizations/{orgId}/items": obj{
			"get": readOp("items", "listItems", "The items the caller may see that match every filter given, by id.",
				append(with(orgPage), itemFilters...), list("Item")).
				withDescription("Each list filter is repeatable or comma-separated; values of one filter are alternatives (OR), filters all hold (AND).").doc(),
			"post": writeOp("items", "createItem", "Create an item (owners, admins, members). The caller is its creator and, unless ownerIds is given, its owner.",
				org, jsonBody("ItemInput", "The new item; omitted fields take their defaults."), created("Item")).doc(),
		},
		"/organizations/{orgId}/items/{itemId}": obj{
			"get": readOp("items", "getItem", "One item; a restricted item the caller may not see is 404.", item, entity("Item", "The item.")).doc(),
			"patch": writeOp("items", "updateItem", "Change an item (owners and admins any; members those they own or created).",
				with(item, ifMatch), patchBody("ItemInput"), entity("Item", "The item as changed."), "412").doc(),
			"delete": writeOp("items", "deleteItem", "Delete an item without contributors, with its alignments and check-ins.",
				with(item, ifMatch), nil, deleted, "412").doc(),
		},
		"/organizations/{orgId}/items/{itemId}/parents": obj{
			"get": readOp("alignments", "listParents", "The items this item contributes to, in position order (not paged).",
				item, list("Alignment")).doc(),
			"post": writeOp("alignments", "createAlignment", "Align the item to a parent (whoever may edit the item).",
				item, jsonBody("AlignmentCreate", "The parent and, optionally, a fixed weight."), created("Alignment")).doc(),
		},
		"/organizations/{orgId}/items/{itemId}/parents/{parentId}": obj{
			"get": readOp("alignments", "getAlignment", "One alignment of the item.", alignment, entity("Alignment", "The alignment.")).doc(),
			"patch": writeOp("alignments", "updateAlignment", "Change an alignment's weight; a weight given without weightFixed becomes fixed.",
				with(alignment, ifMatch), patchBody("AlignmentPatch"), entity("Alignment", "The alignment as changed."), "412").doc(),
			"delete": writeOp("alignments", "deleteAlignment", "Remove an alignment.", with(alignment, ifMatch), nil, deleted, "412").doc(),
		},
		"/organizations/{orgId}/items/{itemId}/contributors": obj{
			"get": readOp("alignments", "listContributors", "The items that contribute to this item, by child id (not paged).",
				item, list("Alignment")).doc(),
		},
		"/organizations/{orgId}/items/{itemId}/checkIns": obj{
			"get": readOp("checkIns", "listCheckIns", "The item's check-ins, newest first.", with(item, page...), list("CheckIn")).doc(),
			"post": writeOp("checkIns", "createCheckIn", "Check in on an item (its owners, owners and admins).",
				item, jsonBody("CheckInInput", "The check-in; date defaults to today (UTC), status and value to the item's."), created("CheckIn")).doc(),
		},
		"/organizations/{orgId}/checkIns/{checkInId}": obj{
			"get": readOp("checkIns", "getCheckIn", "One check-in.", checkIn, entity("CheckIn", "The check-in.")).doc(),
			"patch": writeOp("checkIns", "updateCheckIn", "Change a check-in (the item's owners, owners and admins).",
				with(checkIn, ifMatch), patchBody("CheckInInput"), entity("CheckIn", "The check-in as changed."), "412").doc(),
			"delete": writeOp("checkIns", "deleteCheckIn", "Delete a check-in.", with(checkIn, ifMatch), nil, deleted, "412").doc(),
		},
		"/organizations/{orgId}/views": obj{
			"get": readOp("views", "listViews", "The public views and the caller's private ones, by id.", orgPage, list("View")).doc(),
			"post": writeOp("views", "createView", "Create an explorer view (everyone but observers); private unless visibility says public.",
				org, jsonBody("ViewInput", "The new view."), created("View")).doc(),
		},
		"/organizations/{orgId}/views/{viewId}": obj{
			"get": readOp("views", "getView", "One view; a private view of someone else is 404.", view, entity("View", "The view.")).doc(),
			"patch": writeOp("views", "updateView", "Change a view (its creator; owners and admins any public view).",
				with(view, ifMatch), patchBody("ViewInput"), entity("View", "The view as changed."), "412").doc(),
			"delete": writeOp("views", "deleteView", "Delete a view.", with(view, ifMatch), nil, deleted, "412").doc(),
		},
		"/organizations/{orgId}/import": obj{
			"post": writeOp("backup", "importOrganization", "Import an Explorer CSV, or restore a backup.",
				with(org, paramRef("import.viewId"), paramRef("import.orgName")),
				obj{"required": true, "content": obj{
					"text/csv": obj{"schema": obj{"type": "string"},
						"description": "An Explorer CSV: records are created or updated, none is deleted."},
					"application/json": obj{"schema": schemaRef("Backup"),
						"description": "A backup of this organization (its organization.id must be {orgId}): the organization becomes what it holds."},
				}},
				obj{"200": obj{"description": "What the import did.",
					"content": obj{"application/json": obj{"schema": schemaRef("ImportResult")}}}}).
				withDescription("The organization need not exist: any caller goalpost knows may then import and becomes its owner. " +
					"An existing organization needs an owner or admin. The body may be up to Config.MaxImportBytes (64 MiB by default).").doc(),
		},
		"/organizations/{orgId}/export": obj{
			"get": apiOp{tag: "backup", id: "exportOrganization", summary: "A backup of the whole organization (owners and admins).",
				scopes: readScopes, params: org, responses: obj{"200": obj{
					"description": "The backup, as a download (Content-Disposition: attachment).",
					"content":     obj{"application/json": obj{"schema": schemaRef("Backup")}}}},
				errors: []string{"401", "403", "404", "429"}}.doc(),
		},
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":   "goalpost management API",
			"version": "1",
			"description": "goalpost's own API for an organization's OKRs: organizations, members, teams, time periods, items, " +
				"alignments, check-ins, explorer views, import and backup. Bodies are JSON with camelCase names; dates are " +
				"YYYY-MM-DD, times RFC 3339 in UTC with milliseconds. Single resources carry a version, also sent as a strong " +
				"ETag; PATCH and DELETE honour If-Match. Lists return {value, @odata.nextLink} and take $top (1..1000, default " +
				"100) and $skiptoken; query parameters an operation does not take are refused (400). Errors use the Microsoft Graph error envelope. An organization the caller is not a " +
				"member of, a private view of someone else and a restricted item the caller may not see are all 404.",
		},
		"servers":  []obj{{"url": "/api/v1"}},
		"security": []obj{{"bearer": []string{}}},
		"paths":    paths,
		"components": obj{
			"securitySchemes": obj{"bearer": obj{
				"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
				"description": "A delegated (user) access token. Reads need Goals.Read.All or Goals.ReadWrite.All, " +
					"writes Goals.ReadWrite.All; each operation lists the scopes it accepts. Application (app-only) tokens are refused.",
			}},
			"parameters": openAPIParameters(),
			"responses":  openAPIErrorResponses(),
			"schemas":    openAPISchemas(),
		},
	}
}

func openAPIParameters() obj {
	path := func(name, description string, schema obj) obj {
		return obj{"name": name, "in": "path", "required": true, "description": description, "schema": schema}
	}
	query := func(name, description string, schema obj) obj {
		return obj{"name": name, "in": "query", "description": description, "schema": schema}
	}
	guid := obj{"type": "string", "format": "uuid"}
	id := obj{"type": "integer", "format": "int64", "minimum": 1}
	csvList := func(name, description string, items obj) obj {
		p := query(name, description+" Repeatable or comma-separated.", obj{"type": "array", "items": items})
		p["style"], p["explode"] = "form", true
		return p
	}
	return obj{
		"orgId":     path("orgId", "The organization's id.", guid),
		"userId":    path("userId", "The member's user id.", guid),
		"teamId":    path("teamId", "The team's id.", guid),
		"periodId":  path("periodId", "The time period's id.", guid),
		"itemId":    path("itemId", "The item's id.", id),
		"parentId":  path("parentId", "The parent item's id.", id),
		"checkInId": path("checkInId", "The check-in's id.", id),
		"viewId":    path("viewId", "The view's id.", guid),
		"import.viewId": query("viewId", "CSV imports: the id of the view the import creates or updates (default: derived from the organization id).",
			guid),
		"import.orgName": query("orgName", "CSV imports: the organization's name (a new one defaults to \"Imported organization\"; an existing one keeps its name unless given).",
			obj{"type": "string"}),
		"top": query("$top", "The page size.", obj{"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}),
		"skiptoken": query("$skiptoken", "Where the page starts: taken from the previous page's @odata.nextLink.",
			obj{"type": "string"}),
		"If-Match": obj{"name": "If-Match", "in": "header", "required": false, "schema": obj{"type": "string"},
			"description": `Apply the change only to this version: "3", W/"3" or *. A stale version is 412 and changes nothing; a malformed value is 400.`},
		"filter.kind":     csvList("kind", "Item kinds.", obj{"type": "string", "enum": []string{"objective", "keyResult", "initiative"}}),
		"filter.level":    csvList("level", "Item levels.", obj{"type": "string", "enum": []string{"organization", "team", "individual"}}),
		"filter.status":   csvList("status", "Item statuses.", obj{"type": "string", "enum": statusEnum}),
		"filter.periodId": csvList("periodId", "Time period ids.", guid),
		"filter.ownerId": csvList("ownerId", `Owner user ids, "me" (the caller) or "unassigned" (items without owner).`,
			obj{"type": "string"}),
		"filter.teamId": csvList("teamId", "Team ids.", guid),
		"filter.tag":    csvList("tag", "Tags.", obj{"type": "string"}),
		"filter.q":      query("q", "A keyword the title contains, ignoring case.", obj{"type": "string"}),
		"filter.alignedTo": query("alignedTo", `An item id (items aligned to it), "any" (aligned to anything) or "none" (aligned to nothing).`,
			obj{"type": "string"}),
		"filter.minProgress": query("minProgress", "Least progress, in percent.", obj{"type": "number", "minimum": 0, "maximum": 100}),
		"filter.maxProgress": query("maxProgress", "Most progress, in percent.", obj{"type": "number", "minimum": 0, "maximum": 100}),
	}
}

var statusEnum = []string{"notStarted", "onTrack", "behind", "atRisk", "closed", "postponed", "reopened"}

func openAPIErrorResponses() obj {
	r := func(description string) obj {
		return obj{"description": description, "content": obj{"application/json": obj{"schema": schemaRef("Error")}}}
	}
	return obj{
		"BadRequest":           r("The request is not valid; error.target names the property, parameter or header at fault."),
		"Unauthorized":         r("The bearer token is missing, malformed, expired or not for this API."),
		"Forbidden":            r("The token lacks the scope, is app-only, or the caller's role does not allow the write."),
		"NotFound":             r("No such resource, or none the caller may see (an organization they are not a member of, a private view of someone else, a restricted item)."),
		"Conflict":             r("The write would break a rule: a cycle, the last owner, an item with contributors, a duplicate."),
		"PreconditionFailed":   r("If-Match names another version than the stored one; nothing was changed."),
		"TooLarge":             r("The request body is over its bound."),
		"UnsupportedMediaType": r("The request body's Content-Type is not one this operation reads."),
		"TooManyRequests":      r("Throttled; retry after the seconds of Retry-After."),
	}
}

func openAPISchemas() obj {
	str := obj{"type": "string"}
	guid := obj{"type": "string", "format": "uuid"}
	nullGUID := obj{"type": []string{"string", "null"}, "format": "uuid"}
	date := obj{"type": []string{"string", "null"}, "format": "date"}
	dateTime := obj{"type": "string", "format": "date-time"}
	num := obj{"type": "number"}
	version := obj{"type": "integer", "format": "int64", "readOnly": true, "description": "Incremented by every change; the ETag."}
	ro := func(s obj) obj {
		out := obj{"readOnly": true}
		for k, v := range s {
			out[k] = v
		}
		return out
	}
	enum := func(vs ...string) obj { return obj{"type": "string", "enum": vs} }
	guids := obj{"type": "array", "items": guid}
	arrayOf := func(schema string) obj { return obj{"type": "array", "items": schemaRef(schema)} }
	object := func(props obj, required ...string) obj {
		o := obj{"type": "object", "properties": props, "additionalProperties": false}
		if len(required) > 0 {
			o["required"] = required
		}
		return o
	}
	merge := func(a, b obj) obj {
		out := obj{}
		for k, v := range a {
			out[k] = v
		}
		for k, v := range b {
			out[k] = v
		}
		return out
	}

	terminology := object(obj{"objective": str, "keyResult": str, "initiative": str})
	orgWrite := obj{"name": str, "terminology": schemaRef("Terminology")}
	memberWrite := obj{"displayName": str, "managerId": nullGUID, "role": enum("owner", "admin", "member", "observer")}
	teamWrite := obj{"name": str, "parentId": nullGUID, "ownerId": nullGUID, "type": str, "archived": obj{"type": "boolean"},
		"memberIds": guids}
	periodWrite := obj{"name": str, "startDate": date, "endDate": date}
	metric := object(obj{
		"name": obj{"type": "string", "description": "Empty for the plain percent metric (0 → 100 %)."},
		"unit": str, "start": num, "target": num,
		"direction": enum("reach", "increaseFrom", "decreaseFrom", "stayAbove", "stayBelow", "baseline"),
	})
	itemWrite := obj{
		"kind":  enum("objective", "keyResult", "initiative"),
		"level": enum("organization", "team", "individual"),
		"title": str, "description": str,
		"teamIds": guids, "ownerIds": obj{"type": "array", "items": guid, "description": "Ordered; the first is the check-in owner."},
		"periodId": nullGUID, "startDate": date, "endDate": date,
		"goalType": enum("aspirational", "committed"),
		"tags":     obj{"type": "array", "items": str},
		"metric":   schemaRef("Metric"),
		"currentValue": obj{"type": "number",
			"description": "The metric's current value; read-only when progressMode is rollup."},
		"progressMode": enum("manual", "rollup"),
		"status":       enum(statusEnum...),
		"score":        obj{"type": []string{"number", "null"}, "minimum": 0, "maximum": 1, "description": "Only when closed."},
		"visibility":   enum("everyone", "restricted"),
	}
	alignmentWrite := obj{"weight": obj{"type": "number", "minimum": 0, "maximum": 100, "description": "Percent."},
		"weightFixed": obj{"type": "boolean", "description": "A fixed weight is kept when the parent's contributors are rebalanced."}}
	checkInWrite := obj{"date": date, "note": str, "status": enum(statusEnum...), "value": num}
	dateFilter := object(obj{
		"op":   enum("on", "before", "after", "moreThanDaysAgo", "lessThanDaysAgo", "withinDays", "overdue"),
		"date": obj{"type": "string", "format": "date"},
		"days": obj{"type": "integer", "minimum": 0, "maximum": 3650},
	}, "op")
	viewFilter := object(obj{
		"timePeriods": guids, "kinds": obj{"type": "array", "items": enum("objective", "keyResult", "initiative")},
		"levels":   obj{"type": "array", "items": enum("organization", "team", "individual")},
		"statuses": obj{"type": "array", "items": enum(statusEnum...)},
		"owners":   obj{"type": "array", "items": str, "description": `User GUIDs, "me" or "unassigned".`},
		"managers": guids, "teams": guids,
		"teamTypes": obj{"type": "array", "items": str}, "tags": obj{"type": "array", "items": str},
		"progress": object(obj{"min": num, "max": num}, "min", "max"),
		"keyword":  str,
		"aligned":  object(obj{"mode": enum("any", "none", "item"), "itemId": obj{"type": "integer", "format": "int64"}}, "mode"),
		"due":      schemaRef("DateFilter"), "startDate": schemaRef("DateFilter"), "created": schemaRef("DateFilter"),
		"updated": schemaRef("DateFilter"), "lastCheckIn": schemaRef("DateFilter"),
	})
	exportSettings := object(obj{
		"columns":         obj{"type": "array", "items": str, "description": "Explorer CSV columns in order; empty for all."},
		"tags":            enum("", "column", "perTag"),
		"includeChildren": obj{"type": "boolean"},
	})
	viewWrite := obj{"name": str, "visibility": enum("public", "private"), "filter": schemaRef("ViewFilter"),
		"topLevelOnly": obj{"type": "boolean"}, "export": schemaRef("ExportSettings")}
	counts := obj{"type": "object", "additionalProperties": obj{"type": "integer"},
		"description": "By kind of record: organizations, users, memberships, teams, timePeriods, items, alignments, checkIns, views."}

	return obj{
		"Error": obj{"type": "object", "required": []string{"error"}, "properties": obj{"error": obj{
			"type": "object", "required": []string{"code", "message", "innerError"},
			"properties": obj{
				"code":    str,
				"message": str,
				"target":  obj{"type": "string", "description": "The property, parameter or header at fault, where there is one."},
				"innerError": obj{"type": "object", "properties": obj{
					"code":              str,
					"date":              obj{"type": "string", "description": "UTC, YYYY-MM-DDTHH:MM:SS."},
					"request-id":        guid,
					"client-request-id": str,
				}},
			},
		}}},
		"Terminology": terminology,
		"Organization": object(merge(orgWrite, obj{"id": ro(guid), "createdAt": ro(dateTime), "version": version}),
			"id", "name", "terminology", "createdAt", "version"),
		"OrganizationCreate": object(merge(orgWrite, obj{"id": obj{"type": "string", "format": "uuid", "description": "Optional; a new GUID otherwise."}}), "name"),
		"OrganizationPatch":  object(orgWrite),
		"Member": object(merge(memberWrite, obj{"id": ro(guid), "orgId": ro(guid), "upn": ro(str), "version": version}),
			"id", "orgId", "upn", "displayName", "role", "version"),
		"MemberCreate": object(merge(memberWrite, obj{"id": obj{"type": "string", "format": "uuid", "description": "Optional: an existing user, or the id of a new one."},
			"upn": str}), "role"),
		"MemberPatch": object(memberWrite),
		"User":        object(obj{"id": guid, "upn": str, "displayName": str, "managerId": nullGUID}, "id", "upn", "displayName", "managerId"),
		"Membership": object(obj{"orgId": guid, "userId": guid, "role": memberWrite["role"], "version": version},
			"orgId", "userId", "role", "version"),
		"Team": object(merge(teamWrite, obj{"id": ro(guid), "orgId": ro(guid), "version": version}),
			"id", "orgId", "name", "version"),
		"TeamInput": object(teamWrite),
		"TimePeriod": object(merge(periodWrite, obj{"id": ro(guid), "orgId": ro(guid), "version": version}),
			"id", "orgId", "name", "startDate", "endDate", "version"),
		"TimePeriodInput": object(periodWrite),
		"Metric":          metric,
		"Item": object(merge(itemWrite, obj{
			"id": ro(obj{"type": "integer", "format": "int64"}), "orgId": ro(guid), "creatorId": ro(nullGUID),
			"progress":  ro(obj{"type": "number", "minimum": 0, "maximum": 100, "description": "Percent, from the metric (manual) or the contributors (rollup)."}),
			"createdAt": ro(dateTime), "updatedAt": ro(dateTime),
			"lastCheckInDate": ro(date), "lastCheckInNote": ro(str), "version": version,
		}), "id", "orgId", "kind", "level", "title", "status", "progress", "version"),
		"ItemInput": object(itemWrite),
		"Alignment": object(merge(alignmentWrite, obj{
			"childId":  ro(obj{"type": "integer", "format": "int64"}),
			"parentId": ro(obj{"type": "integer", "format": "int64"}), "version": version,
		}), "childId", "parentId", "weight", "weightFixed", "version"),
		"AlignmentCreate": object(merge(alignmentWrite, obj{"parentId": obj{"type": "integer", "format": "int64", "minimum": 1}}), "parentId"),
		"AlignmentPatch":  object(alignmentWrite),
		"CheckIn": object(merge(checkInWrite, obj{
			"id": ro(obj{"type": "integer", "format": "int64"}), "itemId": ro(obj{"type": "integer", "format": "int64"}),
			"userId":     ro(merge(nullGUID, obj{"description": "Who checked in; null for an imported check-in without a user."})),
			"activityAt": ro(dateTime), "version": version,
		}), "id", "itemId", "userId", "date", "status", "value", "activityAt", "version"),
		"CheckInInput":   object(checkInWrite),
		"DateFilter":     dateFilter,
		"ViewFilter":     viewFilter,
		"ExportSettings": exportSettings,
		"View": object(merge(viewWrite, obj{"id": ro(guid), "orgId": ro(guid), "creatorId": ro(nullGUID),
			"createdAt": ro(dateTime), "version": version}), "id", "orgId", "name", "visibility", "version"),
		"ViewInput": object(viewWrite),
		"ImportResult": obj{"type": "object", "required": []string{"created", "updated", "unchanged", "deleted"},
			"properties": obj{"created": counts, "updated": counts, "unchanged": counts, "deleted": counts}},
		"Backup": obj{"type": "object", "required": []string{"format", "formatVersion", "organization"},
			"additionalProperties": false,
			"description": "goalpost's backup of one organization: every record, field for field and version for version, " +
				"each as this API represents it. A restore writes the read-only properties too. " +
				"Users are the organization's members and the users its records name; memberships say which are members.",
			"properties": obj{
				"format":        obj{"const": "goalpost.organization"},
				"formatVersion": obj{"const": 1},
				"exportedAt":    dateTime,
				"organization":  schemaRef("Organization"),
				"users":         arrayOf("User"),
				"memberships":   arrayOf("Membership"),
				"teams":         arrayOf("Team"),
				"timePeriods":   arrayOf("TimePeriod"),
				"items":         arrayOf("Item"),
				"alignments":    arrayOf("Alignment"),
				"checkIns":      arrayOf("CheckIn"),
				"views":         arrayOf("View"),
			}},
	}
}
