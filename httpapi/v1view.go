package httpapi

import (
	"net/http"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/resource"
)

// Explorer views. A private view of someone else does not exist for the
// caller.

// v1ListViews is GET /organizations/{orgId}/views: the public views and
// the caller's private ones.
func (s *Server) v1ListViews(q *v1Request) error {
	p, err := q.page()
	if err != nil {
		return err
	}
	vs, err := s.cfg.Store.ListViews(q.r.Context(), q.orgID, q.m.UserID, probe(p))
	if err != nil {
		return err
	}
	vs, next := listPage(s, q, p, vs, func(v *goalpost.ExplorerView) string { return v.ID.String() })
	return writeList(q, vs, next, resource.FromView)
}

func viewPath(orgID, id uuid.UUID) string {
	return "/organizations/" + orgID.String() + "/views/" + id.String()
}

// v1CreateView is POST /organizations/{orgId}/views; a view is private
// unless visibility says otherwise.
func (s *Server) v1CreateView(q *v1Request) error {
	var in resource.View
	obj, err := s.decodeBody(q.r, viewShape, &in)
	if err != nil {
		return err
	}
	if !obj.has("visibility") {
		in.Visibility = goalpost.ViewPrivate
	}
	v := resource.ToView(&in)
	v.OrgID, v.CreatorID, v.CreatedAt = q.orgID, q.m.UserID, s.now().UTC()
	if err := goalpost.ValidateView(v); err != nil {
		return err
	}
	if err := s.cfg.Store.CreateView(q.r.Context(), v); err != nil {
		return err
	}
	return s.writeCreated(q, viewPath(q.orgID, v.ID), resource.FromView(v), v.Version)
}

// v1GetView is GET /organizations/{orgId}/views/{viewId}.
func (s *Server) v1GetView(q *v1Request) error {
	id, err := pathGUID(q.r, "viewId")
	if err != nil {
		return err
	}
	v, err := s.authorizeView(q, id)
	if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, resource.FromView(v), v.Version)
}

// v1UpdateView is PATCH /organizations/{orgId}/views/{viewId}. The edit
// right is checked again on the record the store's transaction holds.
func (s *Server) v1UpdateView(q *v1Request) error {
	id, err := pathGUID(q.r, "viewId")
	if err != nil {
		return err
	}
	ifv, err := q.ifMatch()
	if err != nil {
		return err
	}
	v, err := s.authorizeView(q, id)
	if err != nil {
		return err
	}
	if err := authorizeViewEdit(q, v); err != nil {
		return err
	}
	patch, err := s.readPatch(q.r, viewShape)
	if err != nil {
		return err
	}
	v, err = s.cfg.Store.UpdateView(q.r.Context(), q.orgID, id, ifv, func(v *goalpost.ExplorerView) error {
		if err := authorizeViewEdit(q, v); err != nil {
			return err
		}
		return patchRecord(patch, viewShape, v, resource.FromView, resource.ToView)
	})
	if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, resource.FromView(v), v.Version)
}

// v1DeleteView is DELETE /organizations/{orgId}/views/{viewId}.
func (s *Server) v1DeleteView(q *v1Request) error {
	id, err := pathGUID(q.r, "viewId")
	if err != nil {
		return err
	}
	ifv, err := q.ifMatch()
	if err != nil {
		return err
	}
	err = checkedWrite(ifv, func(version func(int64) int64) error {
		v, err := s.authorizeView(q, id)
		if err != nil {
			return err
		}
		if err := authorizeViewEdit(q, v); err != nil {
			return err
		}
		return s.cfg.Store.DeleteView(q.r.Context(), q.orgID, id, version(v.Version))
	})
	if err != nil {
		return err
	}
	return q.noContent()
}
