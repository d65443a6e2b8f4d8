package httpapi

import (
	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/resource"
)

// Explorer views, through the flows of v1entity.go. A private view of
// someone else does not exist for the caller; who may change a view is
// decided per view.

// viewEntity is /organizations/{orgId}/views.
var viewEntity = &v1Entity[uuid.UUID, goalpost.ExplorerView, resource.View]{
	collection:  "views",
	param:       "viewId",
	parseFunc:   pathGUID,
	keyFunc:     func(v *goalpost.ExplorerView) string { return v.ID.String() },
	versionFunc: func(v *goalpost.ExplorerView) int64 { return v.Version },
	shape:       viewShape,
	fromFunc:    resource.FromView,
	toFunc:      resource.ToView,
	findFunc:    (*Server).authorizeView,
	canEditFunc: authorizeViewEdit,
	listFunc:    (*Server).listViews,
	buildFunc:   (*Server).newView,
	createFunc:  goalpost.Store.CreateView,
	updateFunc:  goalpost.Store.UpdateView,
	deleteFunc:  goalpost.Store.DeleteView,
}

// listViews lists the public views and the caller's private ones.
func (s *Server) listViews(q *v1Request, p goalpost.Page) ([]*goalpost.ExplorerView, error) {
	return s.cfg.Store.ListViews(q.r.Context(), q.orgID, q.m.UserID, p)
}

// newView is the view of a POST: the caller's, and private unless
// visibility says otherwise.
func (s *Server) newView(q *v1Request, obj bodyObject, in *resource.View) (*goalpost.ExplorerView, error) {
	if !obj.has("visibility") {
		in.Visibility = goalpost.ViewPrivate
	}
	v := resource.ToView(in)
	v.OrgID, v.CreatorID, v.CreatedAt = q.orgID, q.m.UserID, s.now().UTC()
	return v, goalpost.ValidateView(v)
}
