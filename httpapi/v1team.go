package httpapi

import (
	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/resource"
)

// Teams and time periods: every member reads them, owners and admins
// change them (the route table says so). Both go through the flows of
// v1entity.go.

// teamEntity is /organizations/{orgId}/teams.
var teamEntity = &v1Entity[uuid.UUID, goalpost.Team, resource.Team]{
	collection:  "teams",
	param:       "teamId",
	parseFunc:   pathGUID,
	keyFunc:     func(t *goalpost.Team) string { return t.ID.String() },
	versionFunc: func(t *goalpost.Team) int64 { return t.Version },
	shape:       teamShape,
	fromFunc:    resource.FromTeam,
	toFunc:      resource.ToTeam,
	findFunc:    inOrg(goalpost.Store.FindTeam),
	listFunc:    inOrg(goalpost.Store.ListTeams),
	buildFunc:   (*Server).newTeam,
	createFunc:  goalpost.Store.CreateTeam,
	updateFunc:  goalpost.Store.UpdateTeam,
	deleteFunc:  goalpost.Store.DeleteTeam,
}

// newTeam is the team of a POST.
func (s *Server) newTeam(q *v1Request, _ bodyObject, in *resource.Team) (*goalpost.Team, error) {
	t := resource.ToTeam(in)
	t.OrgID = q.orgID
	return t, goalpost.ValidateTeam(t)
}

// periodEntity is /organizations/{orgId}/timePeriods.
var periodEntity = &v1Entity[uuid.UUID, goalpost.TimePeriod, resource.TimePeriod]{
	collection:  "timePeriods",
	param:       "periodId",
	parseFunc:   pathGUID,
	keyFunc:     func(tp *goalpost.TimePeriod) string { return tp.ID.String() },
	versionFunc: func(tp *goalpost.TimePeriod) int64 { return tp.Version },
	shape:       periodShape,
	fromFunc:    resource.FromTimePeriod,
	toFunc:      resource.ToTimePeriod,
	findFunc:    inOrg(goalpost.Store.FindTimePeriod),
	listFunc:    inOrg(goalpost.Store.ListTimePeriods),
	buildFunc:   (*Server).newPeriod,
	createFunc:  goalpost.Store.CreateTimePeriod,
	updateFunc:  goalpost.Store.UpdateTimePeriod,
	deleteFunc:  goalpost.Store.DeleteTimePeriod,
}

// newPeriod is the time period of a POST.
func (s *Server) newPeriod(q *v1Request, _ bodyObject, in *resource.TimePeriod) (*goalpost.TimePeriod, error) {
	tp := resource.ToTimePeriod(in)
	tp.OrgID = q.orgID
	return tp, goalpost.ValidateTimePeriod(tp)
}
