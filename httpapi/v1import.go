package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/backup"
	"github.com/goalpost/goalpost/importcsv"
)

// Import and backup of a whole organization. An import reads an Explorer
// CSV (text/csv) and creates or updates the organization's records; a
// restore reads a backup (application/json) and makes the organization
// exactly what the backup holds. Both run in one transaction of the store.

// isImportPath reports whether path is POST …/organizations/{orgId}/import,
// whose body has its own, larger bound (Config.MaxImportBytes).
func isImportPath(path string) bool {
	rest, ok := strings.CutPrefix(path, v1Prefix+"/organizations/")
	if !ok {
		return false
	}
	org, tail, ok := strings.Cut(rest, "/")
	return ok && org != "" && tail == "import"
}

// bodyLimit is the bound of r's body.
func (s *Server) bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost && isImportPath(r.URL.Path) {
		return s.cfg.MaxImportBytes
	}
	return s.cfg.MaxBodyBytes
}

// v1Import is POST /organizations/{orgId}/import. It answers 200 with what
// the import did (goalpost.ImportResult).
func (s *Server) v1Import(q *v1Request) error {
	ctx := q.r.Context()
	_, err := s.cfg.Store.FindOrganizationByID(ctx, q.orgID)
	if err != nil && !goalpost.IsNotFound(err) {
		return err
	}
	if err := authorizeImport(q, err == nil); err != nil {
		return err
	}
	mt, _, err := mime.ParseMediaType(q.r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	var res goalpost.ImportResult
	switch strings.ToLower(mt) {
	case "text/csv":
		res, err = s.importCSV(q)
	case "application/json":
		res, err = s.restoreBackup(q)
	default:
		return &goalpost.Error{Code: goalpost.EUNSUPPORTEDMEDIA, Inner: "invalidRequestBody",
			Message: "An import is an Explorer CSV (Content-Type: text/csv) or a goalpost backup (Content-Type: application/json)."}
	}
	if err != nil {
		return err
	}
	for _, m := range []*map[string]int{&res.Created, &res.Updated, &res.Unchanged, &res.Deleted} {
		if *m == nil {
			*m = map[string]int{}
		}
	}
	return q.writeJSON(http.StatusOK, res, "")
}

// importCSV imports an Explorer CSV; query parameters viewId and orgName
// go to importcsv.Options. The caller becomes the owner of a new
// organization only.
func (s *Server) importCSV(q *v1Request) (goalpost.ImportResult, error) {
	opts := importcsv.Options{OrgID: q.orgID, Now: s.now()}
	if v, ok, err := q.single("viewId"); err != nil {
		return goalpost.ImportResult{}, err
	} else if ok {
		id, valid := parseGUID(v)
		if !valid || id == uuid.Nil {
			return goalpost.ImportResult{}, invalidParam("viewId", "The query parameter viewId must be a GUID.")
		}
		opts.ViewID = id
	}
	if v, ok, err := q.single("orgName"); err != nil {
		return goalpost.ImportResult{}, err
	} else if ok {
		if strings.TrimSpace(v) == "" {
			return goalpost.ImportResult{}, invalidParam("orgName", "The query parameter orgName must not be empty.")
		}
		opts.OrgName = v
	}
	body := &bodyReader{r: q.r.Body}
	f, err := importcsv.Parse(body)
	if err != nil {
		return goalpost.ImportResult{}, s.importReadError(q.r, body, err)
	}
	return s.cfg.Store.ImportOrganization(q.r.Context(), q.orgID, goalpost.ImportOptions{},
		func(existing *goalpost.Dataset) (*goalpost.Dataset, error) {
			if err := authorizeImportInto(q.a, q.orgID, existing, false); err != nil {
				return nil, err
			}
			o := opts
			if len(existing.Organizations) == 0 {
				owner := *q.a.user
				o.Owner = &owner
			}
			return f.Build(existing, o)
		})
}

// restoreBackup restores a backup of the organization {orgId}: the
// organization becomes what the backup holds. Restoring into a new
// organization makes the caller one of its owners.
func (s *Server) restoreBackup(q *v1Request) (goalpost.ImportResult, error) {
	if len(q.query) > 0 {
		for name := range q.query {
			return goalpost.ImportResult{}, invalidParam(name, "The query parameter %s applies to CSV imports only.", name)
		}
	}
	body := &bodyReader{r: q.r.Body}
	ds, err := backup.Decode(body)
	if err != nil {
		return goalpost.ImportResult{}, s.importReadError(q.r, body, err)
	}
	if org := ds.Organizations[0]; org.ID != q.orgID {
		return goalpost.ImportResult{}, invalidBody("organization.id",
			"The backup is of the organization %s, not of %s; a backup is restored into the organization it was taken of.", org.ID, q.orgID)
	}
	return s.cfg.Store.ImportOrganization(q.r.Context(), q.orgID, goalpost.ImportOptions{Replace: true},
		func(existing *goalpost.Dataset) (*goalpost.Dataset, error) {
			if err := authorizeImportInto(q.a, q.orgID, existing, true); err != nil {
				return nil, err
			}
			if len(existing.Organizations) == 0 {
				return withOwner(ds, q.orgID, q.a.user), nil
			}
			return ds, nil
		})
}

// withOwner returns ds with u as an owner of the organization, unless they
// are one already.
func withOwner(ds *goalpost.Dataset, orgID uuid.UUID, u *goalpost.User) *goalpost.Dataset {
	out := *ds
	for i, m := range ds.Memberships {
		if m.UserID == u.ID {
			out.Memberships = append([]goalpost.Membership(nil), ds.Memberships...)
			out.Memberships[i].Role = goalpost.RoleOwner
			return &out
		}
	}
	known := false
	for _, x := range ds.Users {
		known = known || x.ID == u.ID
	}
	if !known {
		owner := *u
		out.Users = append(append([]*goalpost.User(nil), ds.Users...), &owner)
	}
	out.Memberships = append(append([]goalpost.Membership(nil), ds.Memberships...),
		goalpost.Membership{OrgID: orgID, UserID: u.ID, Role: goalpost.RoleOwner, Version: 1})
	return &out
}

// bodyReader remembers that the body went over its bound, which the
// parsers may report without wrapping the reader's error.
type bodyReader struct {
	r       io.Reader
	tooLong *http.MaxBytesError
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		b.tooLong = mbe
	}
	return n, err
}

// importReadError is the error of a file that could not be read: 413 over
// the bound, the parser's own error (a 400 that says where) otherwise.
func (s *Server) importReadError(r *http.Request, body *bodyReader, err error) error {
	if body.tooLong != nil {
		return s.bodyReadError(r, body.tooLong)
	}
	var e *goalpost.Error
	if errors.As(err, &e) {
		return err
	}
	return s.bodyReadError(r, err)
}

// v1Export is GET /organizations/{orgId}/export: a backup of the whole
// organization from one snapshot, as a download.
func (s *Server) v1Export(q *v1Request) error {
	ds, err := s.cfg.Store.ReadOrganization(q.r.Context(), q.orgID)
	if err != nil {
		return err
	}
	h := q.w.Header()
	h.Set("Content-Type", v1ContentType)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{
		"filename": "goalpost-" + q.orgID.String() + "-" + s.now().UTC().Format("20060102T150405Z") + ".json"}))
	// An error once the body has started is logged by adapt.
	return backup.Encoder{NowFunc: s.cfg.NowFunc}.Encode(q.w, ds)
}
