package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/odata"
)

// graphPrefix is where the Graph-compatible surface lives.
const graphPrefix = "/beta/"

// jobsPath is the collection's canonical path, as absolute URLs spell it.
const jobsPath = "/beta/employeeExperience/goals/exportJobs"

// jobTypeName is the OData type of the entity, for $select errors.
const jobTypeName = "goalsExportJob"

// jobProperties are the entity's properties in the order responses list
// them. "content" is a stream: it may be selected but is never inlined.
var jobProperties = []string{
	"id", "createdDateTime", "lastActionDateTime", "status", "statusDetail", "resourceLocation",
	"goalsOrganizationId", "explorerViewId", "expirationDateTime", "content",
}

// readOnlyProperties may not be set by a create request.
var readOnlyProperties = map[string]bool{
	"id": true, "createdDateTime": true, "lastActionDateTime": true, "status": true, "statusDetail": true,
	"resourceLocation": true, "expirationDateTime": true, "content": true,
}

const graphTip = "Use $select to choose only the properties your app needs, as this can lead to performance improvements. For example: GET employeeExperience/goals/exportJobs('<key>')?$select=content,expirationDateTime"

// jsonContentType is what Graph sends on JSON success responses.
const jsonContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

// unsupportedOptions are OData options these routes refuse by name.
var unsupportedOptions = []string{"expand", "orderby", "search", "count"}

var (
	errJobNotFound  = goalpost.ErrExportJobNotFound
	errOrgNotFound  = goalpost.ErrOrganizationNotFound
	errViewNotFound = &goalpost.Error{Code: goalpost.ENOTFOUND, Inner: "explorerViewIdNotFound", Message: "Explorer view not found"}
	errInvalidOrgID = &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidGoalsOrganizationId",
		Message: "'GoalsOrganizationId' must be specified in 'Export Job', and it should be a valid GUID."}
	errInvalidViewID = &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidExplorerViewId",
		Message: "'ExplorerViewId' must be specified in 'Export Job', and it should be a valid GUID."}
)

// graphRoute is a parsed Graph path.
type graphRoute struct {
	key     string // raw job key, unescaped; "" for the collection
	hasKey  bool
	content bool
}

// parseGraphPath matches /beta/employeeExperience/goals/exportJobs[/{key}|('{key}')][/content]
// with case-insensitive names. ok is false for any other path.
func parseGraphPath(escaped string) (rt graphRoute, ok bool) {
	rest := escaped[len(graphPrefix):]
	segs := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	if len(segs) < 3 || !strings.EqualFold(segs[0], "employeeExperience") || !strings.EqualFold(segs[1], "goals") {
		return rt, false
	}
	jobs, tail := segs[2], segs[3:]
	switch {
	case strings.EqualFold(jobs, "exportJobs"):
		if len(tail) > 0 {
			rt.key, rt.hasKey, tail = tail[0], true, tail[1:]
		}
	case len(jobs) > len("exportJobs('')") && strings.EqualFold(jobs[:len("exportJobs('")], "exportJobs('") && strings.HasSuffix(jobs, "')"):
		rt.key, rt.hasKey = jobs[len("exportJobs('"):len(jobs)-2], true
	default:
		return rt, false
	}
	if len(tail) == 1 && strings.EqualFold(tail[0], "content") && rt.hasKey {
		rt.content = true
	} else if len(tail) > 0 {
		return rt, false
	}
	if rt.hasKey {
		k, err := url.PathUnescape(rt.key)
		if err != nil {
			k = rt.key // not a key either way: ParseJobKey says 400
		}
		rt.key = k
	}
	return rt, true
}

// serveGraph routes a request under /beta.
func (s *Server) serveGraph(w http.ResponseWriter, r *http.Request) error {
	if err := s.throttle(w, r); err != nil {
		setRoute(r, "graph.throttled")
		return err
	}
	rt, ok := parseGraphPath(r.URL.EscapedPath())
	if !ok {
		return &goalpost.Error{Code: goalpost.ENOTFOUND, Inner: "unknownResource", Message: "Resource not found for the segment '" + firstSegment(strings.TrimPrefix(r.URL.Path, "/beta")) + "'."}
	}
	switch {
	case rt.content:
		setRoute(r, "graph.content")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return methodNotAllowed(w, "GET, HEAD")
		}
		return s.handleContent(w, r, rt.key)
	case rt.hasKey:
		setRoute(r, "graph.get")
		if r.Method != http.MethodGet {
			return methodNotAllowed(w, "GET")
		}
		return s.handleGetJob(w, r, rt.key)
	default:
		switch r.Method {
		case http.MethodGet:
			setRoute(r, "graph.list")
			return s.handleListJobs(w, r)
		case http.MethodPost:
			setRoute(r, "graph.create")
			return s.handleCreateJob(w, r)
		}
		return methodNotAllowed(w, "GET, POST")
	}
}

func methodNotAllowed(w http.ResponseWriter, allow string) error {
	w.Header().Set("Allow", allow)
	return &goalpost.Error{Code: goalpost.EMETHODNOTALLOWED, Inner: "unknown", Message: "The HTTP method is not allowed on this resource."}
}

// handleCreateJob is POST /employeeExperience/goals/exportJobs.
func (s *Server) handleCreateJob(w http.ResponseWriter, r *http.Request) error {
	a, err := s.authorize(r, opCreateExport)
	if err != nil {
		return err
	}
	if _, err := odataOptions(r); err != nil {
		return err
	}
	orgID, viewID, err := s.decodeCreate(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	m, err := s.authorizeExport(ctx, a, orgID, viewID)
	if err != nil {
		return err
	}

	now := s.now().UTC()
	id, err := goalpost.NewJobID(now, s.cfg.RandReader)
	if err != nil {
		return err
	}
	created := now.Truncate(time.Millisecond)
	job := &goalpost.ExportJob{
		ID: id, OrgID: orgID, ViewID: viewID, CreatorID: m.UserID,
		Status: goalpost.JobNotStarted, CreatedAt: created, LastActionAt: created,
		ExpiresAt: created.Add(s.cfg.Retention),
	}
	if err := s.cfg.Store.CreateExportJob(ctx, job); err != nil {
		if e, ok := err.(*goalpost.Error); ok && e.Code == goalpost.ECONFLICT && e.Target != "" {
			w.Header().Set("Location", s.baseURL(r)+jobsPath+"/"+e.Target)
		}
		return err
	}
	s.metrics.created.Inc()
	s.logger.InfoContext(ctx, "export job created", "request_id", requestInfoFrom(ctx).requestID,
		"job_id", job.Key().String(), "view_id", viewID.String())
	w.Header().Set("Location", s.jobURL(r, job))
	return s.writeJob(w, r, http.StatusCreated, job, nil, false)
}

// decodeCreate reads {goalsOrganizationId, explorerViewId}.
func (s *Server) decodeCreate(r *http.Request) (orgID, viewID uuid.UUID, err error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, perr := mime.ParseMediaType(ct)
		if perr != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return orgID, viewID, &goalpost.Error{Code: goalpost.EUNSUPPORTEDMEDIA, Inner: "invalidRequestBody",
				Message: "The request body must be JSON (Content-Type: application/json)."}
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if _, ok := err.(*http.MaxBytesError); ok {
			return orgID, viewID, &goalpost.Error{Code: goalpost.ETOOLARGE, Inner: "invalidRequestBody",
				Message: fmt.Sprintf("The request body is larger than %d bytes.", s.cfg.MaxBodyBytes)}
		}
		return orgID, viewID, &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidRequestBody", Message: "The request body could not be read."}
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil || fields == nil || dec.More() {
		return orgID, viewID, &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidRequestBody",
			Message: "The request body must be a JSON object with 'goalsOrganizationId' and 'explorerViewId'."}
	}
	for name := range fields {
		switch {
		case name == "goalsOrganizationId" || name == "explorerViewId" || strings.HasPrefix(name, "@odata."):
		case readOnlyProperties[name]:
			return orgID, viewID, &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidRequestBody",
				Message: fmt.Sprintf("The property '%s' is read-only and cannot be set.", truncate(name, 64))}
		default:
			return orgID, viewID, &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidRequestBody",
				Message: fmt.Sprintf("The property '%s' does not exist on type 'microsoft.graph.%s'.", truncate(name, 64), jobTypeName)}
		}
	}
	var ok bool
	if orgID, ok = guidField(fields["goalsOrganizationId"]); !ok {
		return orgID, viewID, errInvalidOrgID
	}
	if viewID, ok = guidField(fields["explorerViewId"]); !ok {
		return orgID, viewID, errInvalidViewID
	}
	return orgID, viewID, nil
}

// guidField reads a JSON string holding a GUID in its 36-character form.
func guidField(raw json.RawMessage) (uuid.UUID, bool) {
	var s string
	if raw == nil || json.Unmarshal(raw, &s) != nil {
		return uuid.Nil, false
	}
	return parseGUID(s)
}

// parseGUID accepts only the canonical 8-4-4-4-12 form, any case.
func parseGUID(s string) (uuid.UUID, bool) {
	if len(s) != 36 {
		return uuid.Nil, false
	}
	u, err := uuid.Parse(s)
	return u, err == nil
}

// handleGetJob is GET /employeeExperience/goals/exportJobs/{id}.
func (s *Server) handleGetJob(w http.ResponseWriter, r *http.Request, rawKey string) error {
	a, _, sel, err := s.readRequest(r)
	if err != nil {
		return err
	}
	job, err := s.authorizeJob(r.Context(), a, rawKey)
	if err != nil {
		return err
	}
	if err := s.setRetryAfter(w, r, job); err != nil {
		return err
	}
	if sel != nil || !job.Status.Done() {
		return s.writeJob(w, r, http.StatusOK, job, sel, sel == nil)
	}
	// A finished job's body is the same for every poll on this base URL.
	base := s.baseURL(r)
	body := s.finished.body(job.ID, base)
	if body == nil {
		body = s.jobBody(r, job, nil, true)
		s.finished.setBody(job.ID, base, body)
	}
	return writeBody(w, http.StatusOK, body)
}

// readRequest authenticates a read (poll or list) and parses its OData
// options and $select.
func (s *Server) readRequest(r *http.Request) (*access, odata.Options, []string, error) {
	a, err := s.authorize(r, opReadExport)
	if err != nil {
		return nil, nil, nil, err
	}
	opts, err := odataOptions(r)
	if err != nil {
		return nil, nil, nil, err
	}
	sel, err := selectOption(opts)
	if err != nil {
		return nil, nil, nil, err
	}
	return a, opts, sel, nil
}

// setRetryAfter adds the Retry-After estimate while the job is unfinished.
func (s *Server) setRetryAfter(w http.ResponseWriter, r *http.Request, job *goalpost.ExportJob) error {
	if job.Status.Done() {
		return nil
	}
	stats, err := s.queueStats.get(r.Context(), s.cfg.Store, job)
	if err != nil {
		return err
	}
	d := goalpost.EstimateRetryAfter(job, stats, s.now())
	w.Header().Set("Retry-After", strconv.Itoa(int(d/time.Second)))
	return nil
}

// handleListJobs is GET /employeeExperience/goals/exportJobs.
func (s *Server) handleListJobs(w http.ResponseWriter, r *http.Request) error {
	a, opts, sel, err := s.readRequest(r)
	if err != nil {
		return err
	}
	f := goalpost.ExportJobFilter{Limit: s.cfg.DefaultPageSize}
	var orgs []uuid.UUID
	if v, ok := opts.Get("filter"); ok {
		if orgs, err = parseJobFilter(v); err != nil {
			return err
		}
	}
	if v, ok := opts.Get("top"); ok {
		if f.Limit, err = odata.ParseTop(v, s.cfg.MaxPageSize); err != nil {
			return badRequest(err)
		}
	}
	if v, ok := opts.Get("skiptoken"); ok {
		c, err := odata.DecodeSkipToken(v)
		if err != nil {
			return badRequest(err)
		}
		id, err := uuid.Parse(c.ID)
		if err != nil {
			return &goalpost.Error{Code: goalpost.EINVALID, Inner: "unknown", Message: "Invalid $skiptoken value."}
		}
		f.AfterCreatedAt, f.AfterID = time.UnixMilli(c.CreatedUnixMilli).UTC(), id
	}

	ctx := r.Context()
	var jobs []*goalpost.ExportJob
	conflicting := len(orgs) > 1 && orgs[0] != orgs[1]
	if a.user != nil && !conflicting {
		if len(orgs) > 0 {
			f.OrgID = orgs[0]
		}
		// The store applies goalpost.CanSeeJob's rule to the list.
		f.ViewerID = a.user.ID
		want := f.Limit
		f.Limit++ // one more tells whether there is a next page
		if jobs, err = s.cfg.Store.FindExportJobs(ctx, f); err != nil {
			return err
		}
		f.Limit = want
	}
	var next string
	if len(jobs) > f.Limit {
		jobs = jobs[:f.Limit]
		last := jobs[len(jobs)-1]
		q := url.Values{}
		if v, ok := opts.Get("filter"); ok {
			q.Set("$filter", v)
		}
		if v, ok := opts.Get("select"); ok {
			q.Set("$select", v)
		}
		q.Set("$top", strconv.Itoa(f.Limit))
		q.Set("$skiptoken", odata.EncodeSkipToken(odata.Cursor{CreatedUnixMilli: last.CreatedAt.UnixMilli(), ID: last.ID.String()}))
		next = s.baseURL(r) + jobsPath + "?" + q.Encode()
	}

	now := s.now()
	var buf bytes.Buffer
	buf.WriteString(`{"@odata.context":`)
	writeJSONString(&buf, s.baseURL(r)+"/beta/$metadata#employeeExperience/goals/exportJobs"+selectSuffix(sel))
	buf.WriteString(`,"value":[`)
	first := true
	for _, j := range jobs {
		if !now.Before(j.ExpiresAt) {
			continue // expired, not yet cleaned up: already gone for clients
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		s.appendJob(&buf, r, j, sel, "", "")
	}
	buf.WriteByte(']')
	if next != "" {
		buf.WriteString(`,"@odata.nextLink":`)
		writeJSONString(&buf, next)
	}
	buf.WriteString("}\n")
	writeJSONHeaders(w)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}

// parseJobFilter accepts goalsOrganizationId eq '<guid>' (and conjunctions of it).
func parseJobFilter(v string) ([]uuid.UUID, error) {
	cmps, err := odata.ParseFilter(v)
	if err != nil {
		return nil, badRequest(err)
	}
	var bad []string
	var orgs []uuid.UUID
	for _, c := range cmps {
		if !strings.EqualFold(c.Property, "goalsOrganizationId") {
			bad = append(bad, truncate(c.Property, 64))
			continue
		}
		id, ok := parseGUID(c.Value)
		if !ok {
			return nil, &goalpost.Error{Code: goalpost.EINVALID, Inner: "unknown",
				Message: "Invalid filter value for goalsOrganizationId: expected a GUID."}
		}
		orgs = append(orgs, id)
	}
	if len(bad) > 0 {
		return nil, &goalpost.Error{Code: goalpost.EINVALID, Inner: "unknown", Message: "Invalid filter keys found: " + strings.Join(bad, ", ")}
	}
	return orgs, nil
}

// handleContent is GET /employeeExperience/goals/exportJobs/{id}/content.
func (s *Server) handleContent(w http.ResponseWriter, r *http.Request, rawKey string) error {
	a, err := s.authorize(r, opReadExport)
	if err != nil {
		return err
	}
	if _, err := odataOptions(r); err != nil {
		return err
	}
	job, err := s.authorizeJob(r.Context(), a, rawKey)
	if err != nil {
		return err
	}
	switch job.Status {
	case goalpost.JobFailed:
		return &goalpost.Error{Code: goalpost.ECONFLICT, Inner: "exportJobFailed", Message: "The export job failed: " + job.StatusDetail}
	case goalpost.JobNotStarted, goalpost.JobRunning:
		if err := s.setRetryAfter(w, r, job); err != nil {
			return err
		}
		return &goalpost.Error{Code: goalpost.ECONFLICT, Inner: "exportJobNotCompleted", Message: "The export job has not completed yet."}
	}
	ctx := r.Context()
	rd, err := s.cfg.Bucket.NewReader(ctx, job.Content.Key, nil)
	if err != nil {
		s.logger.ErrorContext(ctx, "open export content", "request_id", requestInfoFrom(ctx).requestID,
			"job_id", job.Key().String(), "err", err)
		return errJobNotFound
	}
	defer rd.Close()
	name := "export.csv"
	if v, err := s.cfg.Store.FindViewByID(ctx, job.OrgID, job.ViewID); err == nil {
		name = contentFileName(v.Name, job.CreatedAt)
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("ETag", `"`+job.Content.SHA256+`"`)
	h.Set("Cache-Control", "private, no-cache")
	if s.writeTimeout > 0 {
		// A large file needs longer than an API answer, but not forever.
		d := s.writeTimeout + time.Duration(job.Content.Size/MinDownloadRate)*time.Second
		if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d)); err != nil {
			s.logger.WarnContext(ctx, "extend write deadline", "err", err)
		}
	}
	http.ServeContent(w, r, "", job.LastActionAt, rd)
	return nil
}

// contentFileName is "<view name> <created>.csv" with only safe characters.
func contentFileName(view string, created time.Time) string {
	var b strings.Builder
	for _, c := range view {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
			b.WriteRune(c)
		case c == ' ' || c == '.':
			b.WriteByte('_')
		}
		if b.Len() >= 80 {
			break
		}
	}
	if b.Len() == 0 {
		b.WriteString("export")
	}
	return b.String() + "_" + created.UTC().Format("20060102T150405Z") + ".csv"
}

// odataOptions parses the query and refuses options these routes never take.
func odataOptions(r *http.Request) (odata.Options, error) {
	opts, err := odata.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, badRequest(err)
	}
	if err := opts.Reject(unsupportedOptions...); err != nil {
		return nil, badRequest(err)
	}
	return opts, nil
}

func selectOption(opts odata.Options) ([]string, error) {
	v, ok := opts.Get("select")
	if !ok {
		return nil, nil
	}
	sel, err := odata.ParseSelect(v, jobTypeName, jobProperties)
	if err != nil {
		return nil, badRequest(err)
	}
	return sel, nil
}

// badRequest turns a parser's client-safe error into a 400.
func badRequest(err error) error {
	if e, ok := err.(*odata.Error); ok {
		return &goalpost.Error{Code: goalpost.EINVALID, Inner: "unknown", Message: e.Message}
	}
	return err
}

// baseURL is the public scheme and host.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) jobURL(r *http.Request, j *goalpost.ExportJob) string {
	return s.baseURL(r) + jobsPath + "/" + j.Key().String()
}

func selectSuffix(sel []string) string {
	if sel == nil {
		return ""
	}
	return "(" + strings.Join(sel, ",") + ")"
}

// writeJob writes one job entity.
func (s *Server) writeJob(w http.ResponseWriter, r *http.Request, status int, j *goalpost.ExportJob, sel []string, tips bool) error {
	return writeBody(w, status, s.jobBody(r, j, sel, tips))
}

// jobBodySize is about the size of a job entity with its context and tip,
// so that rendering one allocates its buffer once.
const jobBodySize = 1024

// jobBody renders one job entity.
func (s *Server) jobBody(r *http.Request, j *goalpost.ExportJob, sel []string, tips bool) []byte {
	buf := bytes.NewBuffer(make([]byte, 0, jobBodySize))
	ctxURL := s.baseURL(r) + "/beta/$metadata#employeeExperience/goals/exportJobs" + selectSuffix(sel) + "/$entity"
	tip := ""
	if tips {
		tip = graphTip
	}
	s.appendJob(buf, r, j, sel, ctxURL, tip)
	buf.WriteByte('\n')
	return buf.Bytes()
}

// writeBody writes a JSON body.
func writeBody(w http.ResponseWriter, status int, body []byte) error {
	writeJSONHeaders(w)
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}

// appendJob writes the entity as a JSON object with properties in Graph's
// order, only the selected ones when sel is non-nil.
func (s *Server) appendJob(buf *bytes.Buffer, r *http.Request, j *goalpost.ExportJob, sel []string, ctxURL, tip string) {
	want := func(name string) bool {
		if sel == nil {
			return true
		}
		for _, n := range sel {
			if n == name {
				return true
			}
		}
		return false
	}
	buf.WriteByte('{')
	sep := false
	field := func(name, value string) {
		if sep {
			buf.WriteByte(',')
		}
		sep = true
		writeJSONString(buf, name)
		buf.WriteByte(':')
		writeJSONString(buf, value)
	}
	if ctxURL != "" {
		field("@odata.context", ctxURL)
	}
	if tip != "" {
		field("@microsoft.graph.tips", tip)
	}
	key := j.Key().String()
	for _, name := range jobProperties {
		if !want(name) {
			continue
		}
		switch name {
		case "id":
			field(name, key)
		case "createdDateTime":
			field(name, formatTime(j.CreatedAt))
		case "lastActionDateTime":
			field(name, formatTime(j.LastActionAt))
		case "status":
			field(name, string(j.Status))
		case "statusDetail":
			if j.Status == goalpost.JobFailed && j.StatusDetail != "" {
				field(name, j.StatusDetail)
			}
		case "resourceLocation":
			if j.Status == goalpost.JobSucceeded {
				field(name, s.baseURL(r)+jobsPath+"/"+key+"/content")
			}
		case "goalsOrganizationId":
			field(name, j.OrgID.String())
		case "explorerViewId":
			field(name, j.ViewID.String())
		case "expirationDateTime":
			field(name, formatTime(j.ExpiresAt))
		}
	}
	buf.WriteByte('}')
}

// formatTime is Graph's DateTimeOffset: UTC, RFC 3339, milliseconds with
// trailing zeros dropped.
func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.999Z07:00") }

// writeJSONString appends s as a JSON string without HTML escaping, so
// "<key>" reads as Graph writes it.
func writeJSONString(buf *bytes.Buffer, s string) {
	if plainJSON(s) {
		// Nothing to escape: the bytes encoding/json would write.
		buf.WriteByte('"')
		buf.WriteString(s)
		buf.WriteByte('"')
		return
	}
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	buf.Truncate(buf.Len() - 1) // Encode ends with a newline
}

// plainJSON reports whether s is printable ASCII without '"' and '\\':
// encoding/json writes such a string as it is, between quotes. Most of a
// job's properties (keys, GUIDs, times, statuses, URLs) are.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func writeJSONHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("OData-Version", "4.0")
	h.Set("Cache-Control", "no-store")
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
