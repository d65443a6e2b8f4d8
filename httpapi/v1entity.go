package httpapi

import (
	"context"
	"net/http"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// The flows that the resources of an organization with an id of their own
// (teams, time periods, items, views, and members for reading) share: a
// paged list, a create, and a get, update and delete of one record by the
// id in its path. A resource describes itself with a v1Entity, and the
// route table names its flows (teamEntity.get). Flows that decide more
// (organizations, members' roles, alignments keyed by two ids, check-ins
// authorized through their item) are written out in their own files.

// v1Entity describes a resource kind: record R, with the JSON J of package
// resource, found by an id K (a GUID or an integer) in the path. A flow
// uses only the fields it needs; a resource whose writes are explicit
// leaves their fields nil.
type v1Entity[K any, R any, J any] struct {
	// collection is the path segment of the resource under its
	// organization ("teams"), for the Location of a created record.
	collection string
	// param is the path parameter of the id ("teamId"), read by parseFunc
	// (pathGUID or pathInt).
	param     string
	parseFunc func(r *http.Request, name string) (K, error)
	// keyFunc is a record's id as it stands in its path and in $skiptoken.
	keyFunc     func(*R) string
	versionFunc func(*R) int64
	// shape is the body of a create and of a merge patch.
	shape    bodyShape
	fromFunc func(*R) J
	toFunc   func(*J) *R

	// findFunc reads a record the caller may see; one they may not see is
	// not found, the same answer as a missing one.
	findFunc func(s *Server, q *v1Request, id K) (*R, error)
	// canEditFunc, when set, decides a change of a record the caller may
	// see: an update or delete reads the record and decides before the
	// body is read, and an update decides again on the record the store's
	// transaction holds. Without it, the route's role decides alone and a
	// missing record is the store's 404.
	canEditFunc func(q *v1Request, rec *R) error
	// patchedFunc, when set, checks a patched record inside the
	// transaction.
	patchedFunc func(patch bodyObject, rec *R) error
	// buildFunc turns a decoded create body (obj tells which properties
	// it holds) into a valid record of the organization.
	buildFunc func(s *Server, q *v1Request, obj bodyObject, in *J) (*R, error)
	// listFunc lists the organization's records the caller may see, at
	// page p.
	listFunc func(s *Server, q *v1Request, p goalpost.Page) ([]*R, error)

	createFunc func(goalpost.Store, context.Context, *R) error
	updateFunc func(st goalpost.Store, ctx context.Context, orgID uuid.UUID, id K, ifVersion int64, fn func(*R) error) (*R, error)
	deleteFunc func(st goalpost.Store, ctx context.Context, orgID uuid.UUID, id K, ifVersion int64) error
}

// inOrg adapts a store call on the request's organization (a find by id,
// a list by page) to a flow's function.
func inOrg[A, T any](f func(goalpost.Store, context.Context, uuid.UUID, A) (T, error)) func(*Server, *v1Request, A) (T, error) {
	return func(s *Server, q *v1Request, a A) (T, error) { return f(s.cfg.Store, q.r.Context(), q.orgID, a) }
}

// path is where rec lives, relative to /api/v1.
func (e *v1Entity[K, R, J]) path(orgID uuid.UUID, rec *R) string {
	return "/organizations/" + orgID.String() + "/" + e.collection + "/" + e.keyFunc(rec)
}

// list is GET of the collection.
func (e *v1Entity[K, R, J]) list(s *Server, q *v1Request) error {
	return listPaged(s, q, func(p goalpost.Page) ([]*R, error) { return e.listFunc(s, q, p) }, e.keyFunc, e.fromFunc)
}

// create is POST of the collection.
func (e *v1Entity[K, R, J]) create(s *Server, q *v1Request) error {
	var in J
	obj, err := s.decodeBody(q.r, e.shape, &in)
	if err != nil {
		return err
	}
	rec, err := e.buildFunc(s, q, obj, &in)
	if err != nil {
		return err
	}
	if err := e.createFunc(s.cfg.Store, q.r.Context(), rec); err != nil {
		return err
	}
	return s.writeCreated(q, e.path(q.orgID, rec), e.fromFunc(rec), e.versionFunc(rec))
}

// get is GET of one record.
func (e *v1Entity[K, R, J]) get(s *Server, q *v1Request) error {
	id, err := e.parseFunc(q.r, e.param)
	if err != nil {
		return err
	}
	rec, err := e.findFunc(s, q, id)
	if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, e.fromFunc(rec), e.versionFunc(rec))
}

// target reads what a write of one record starts with: its id, then
// If-Match.
func (e *v1Entity[K, R, J]) target(q *v1Request) (K, int64, error) {
	id, err := e.parseFunc(q.r, e.param)
	if err != nil {
		return id, 0, err
	}
	ifv, err := q.ifMatch()
	return id, ifv, err
}

// authorizeEdit reads the record and decides the edit, when the resource
// decides edits per record.
func (e *v1Entity[K, R, J]) authorizeEdit(s *Server, q *v1Request, id K) (*R, error) {
	rec, err := e.findFunc(s, q, id)
	if err != nil {
		return nil, err
	}
	if err := e.canEditFunc(q, rec); err != nil {
		return nil, err
	}
	return rec, nil
}

// update is PATCH of one record: a merge patch applied inside the store's
// transaction.
func (e *v1Entity[K, R, J]) update(s *Server, q *v1Request) error {
	id, ifv, err := e.target(q)
	if err != nil {
		return err
	}
	if e.canEditFunc != nil {
		if _, err := e.authorizeEdit(s, q, id); err != nil {
			return err
		}
	}
	patch, err := s.readPatch(q.r, e.shape)
	if err != nil {
		return err
	}
	rec, err := e.updateFunc(s.cfg.Store, q.r.Context(), q.orgID, id, ifv, func(cur *R) error {
		if e.canEditFunc != nil {
			if err := e.canEditFunc(q, cur); err != nil {
				return err
			}
		}
		if err := patchRecord(patch, e.shape, cur, e.fromFunc, e.toFunc); err != nil {
			return err
		}
		if e.patchedFunc != nil {
			return e.patchedFunc(patch, cur)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, e.fromFunc(rec), e.versionFunc(rec))
}

// delete is DELETE of one record.
func (e *v1Entity[K, R, J]) delete(s *Server, q *v1Request) error {
	id, ifv, err := e.target(q)
	if err != nil {
		return err
	}
	ctx := q.r.Context()
	if e.canEditFunc == nil {
		err = e.deleteFunc(s.cfg.Store, ctx, q.orgID, id, ifv)
	} else {
		err = checkedWrite(ifv, func(version func(int64) int64) error {
			rec, err := e.authorizeEdit(s, q, id)
			if err != nil {
				return err
			}
			return e.deleteFunc(s.cfg.Store, ctx, q.orgID, id, version(e.versionFunc(rec)))
		})
	}
	if err != nil {
		return err
	}
	return q.noContent()
}

// checkedWrite runs op, which authorizes against a record it reads and then
// writes that record at the version passed through version. Without
// If-Match (ifv 0) the write is pinned to the version the check saw, and a
// record that changed in between is read and checked again, so that no
// write is decided on a stale read; with If-Match the client's version
// decides.
func checkedWrite(ifv int64, op func(version func(seen int64) int64) error) error {
	for range 3 {
		pinned := false
		err := op(func(seen int64) int64 {
			if ifv != 0 {
				return ifv
			}
			pinned = true
			return seen
		})
		if !pinned || goalpost.ErrorCode(err) != goalpost.EPRECONDITION {
			return err
		}
	}
	return goalpost.Errorf(goalpost.ECONFLICT, "The resource changed while the request was being decided; try again.")
}
