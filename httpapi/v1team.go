package httpapi

import (
	"net/http"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/resource"
)

// Teams and time periods: every member reads them, owners and admins
// change them (the route table says so).

// v1ListTeams is GET /organizations/{orgId}/teams.
func (s *Server) v1ListTeams(q *v1Request) error {
	p, err := q.page()
	if err != nil {
		return err
	}
	ts, err := s.cfg.Store.ListTeams(q.r.Context(), q.orgID, probe(p))
	if err != nil {
		return err
	}
	ts, next := listPage(s, q, p, ts, func(t *goalpost.Team) string { return t.ID.String() })
	return writeList(q, ts, next, resource.FromTeam)
}

// v1CreateTeam is POST /organizations/{orgId}/teams.
func (s *Server) v1CreateTeam(q *v1Request) error {
	var in resource.Team
	if _, err := s.decodeBody(q.r, teamShape, &in); err != nil {
		return err
	}
	t := resource.ToTeam(&in)
	t.OrgID = q.orgID
	if err := goalpost.ValidateTeam(t); err != nil {
		return err
	}
	if err := s.cfg.Store.CreateTeam(q.r.Context(), t); err != nil {
		return err
	}
	return s.writeCreated(q, "/organizations/"+q.orgID.String()+"/teams/"+t.ID.String(), resource.FromTeam(t), t.Version)
}

// v1GetTeam is GET /organizations/{orgId}/teams/{teamId}.
func (s *Server) v1GetTeam(q *v1Request) error {
	id, err := pathGUID(q.r, "teamId")
	if err != nil {
		return err
	}
	t, err := s.cfg.Store.FindTeam(q.r.Context(), q.orgID, id)
	if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, resource.FromTeam(t), t.Version)
}

// v1UpdateTeam is PATCH /organizations/{orgId}/teams/{teamId}.
func (s *Server) v1UpdateTeam(q *v1Request) error {
	id, ifv, patch, err := s.patchRequest(q, "teamId", teamShape)
	if err != nil {
		return err
	}
	t, err := s.cfg.Store.UpdateTeam(q.r.Context(), q.orgID, id, ifv, func(t *goalpost.Team) error {
		return patchRecord(patch, teamShape, t, resource.FromTeam, resource.ToTeam)
	})
	if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, resource.FromTeam(t), t.Version)
}

// v1DeleteTeam is DELETE /organizations/{orgId}/teams/{teamId}.
func (s *Server) v1DeleteTeam(q *v1Request) error {
	id, err := pathGUID(q.r, "teamId")
	if err != nil {
		return err
	}
	ifv, err := q.ifMatch()
	if err != nil {
		return err
	}
	if err := s.cfg.Store.DeleteTeam(q.r.Context(), q.orgID, id, ifv); err != nil {
		return err
	}
	return q.noContent()
}

// v1ListPeriods is GET /organizations/{orgId}/timePeriods.
func (s *Server) v1ListPeriods(q *v1Request) error {
	p, err := q.page()
	if err != nil {
		return err
	}
	ps, err := s.cfg.Store.ListTimePeriods(q.r.Context(), q.orgID, probe(p))
	if err != nil {
		return err
	}
	ps, next := listPage(s, q, p, ps, func(p *goalpost.TimePeriod) string { return p.ID.String() })
	return writeList(q, ps, next, resource.FromTimePeriod)
}

// v1CreatePeriod is POST /organizations/{orgId}/timePeriods.
func (s *Server) v1CreatePeriod(q *v1Request) error {
	var in resource.TimePeriod
	if _, err := s.decodeBody(q.r, periodShape, &in); err != nil {
		return err
	}
	tp := resource.ToTimePeriod(&in)
	tp.OrgID = q.orgID
	if err := goalpost.ValidateTimePeriod(tp); err != nil {
		return err
	}
	if err := s.cfg.Store.CreateTimePeriod(q.r.Context(), tp); err != nil {
		return err
	}
	return s.writeCreated(q, "/organizations/"+q.orgID.String()+"/timePeriods/"+tp.ID.String(), resource.FromTimePeriod(tp), tp.Version)
}

// v1GetPeriod is GET /organizations/{orgId}/timePeriods/{periodId}.
func (s *Server) v1GetPeriod(q *v1Request) error {
	id, err := pathGUID(q.r, "periodId")
	if err != nil {
		return err
	}
	tp, err := s.cfg.Store.FindTimePeriod(q.r.Context(), q.orgID, id)
	if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, resource.FromTimePeriod(tp), tp.Version)
}

// v1UpdatePeriod is PATCH /organizations/{orgId}/timePeriods/{periodId}.
func (s *Server) v1UpdatePeriod(q *v1Request) error {
	id, ifv, patch, err := s.patchRequest(q, "periodId", periodShape)
	if err != nil {
		return err
	}
	tp, err := s.cfg.Store.UpdateTimePeriod(q.r.Context(), q.orgID, id, ifv, func(tp *goalpost.TimePeriod) error {
		return patchRecord(patch, periodShape, tp, resource.FromTimePeriod, resource.ToTimePeriod)
	})
	if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, resource.FromTimePeriod(tp), tp.Version)
}

// v1DeletePeriod is DELETE /organizations/{orgId}/timePeriods/{periodId}.
func (s *Server) v1DeletePeriod(q *v1Request) error {
	id, err := pathGUID(q.r, "periodId")
	if err != nil {
		return err
	}
	ifv, err := q.ifMatch()
	if err != nil {
		return err
	}
	if err := s.cfg.Store.DeleteTimePeriod(q.r.Context(), q.orgID, id, ifv); err != nil {
		return err
	}
	return q.noContent()
}

// patchRequest reads what a PATCH of a resource keyed by a GUID needs: the
// key, If-Match and the merge patch.
func (s *Server) patchRequest(q *v1Request, key string, sh bodyShape) (uuid.UUID, int64, bodyObject, error) {
	id, err := pathGUID(q.r, key)
	if err != nil {
		return uuid.Nil, 0, nil, err
	}
	ifv, err := q.ifMatch()
	if err != nil {
		return uuid.Nil, 0, nil, err
	}
	patch, err := s.readPatch(q.r, sh)
	if err != nil {
		return uuid.Nil, 0, nil, err
	}
	return id, ifv, patch, nil
}
