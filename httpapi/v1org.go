package httpapi

import (
	"net/http"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/resource"
)

// Organizations and their members.

// v1ListOrgs is GET /organizations: the caller's organizations.
func (s *Server) v1ListOrgs(q *v1Request) error {
	return listPaged(s, q, func(p goalpost.Page) ([]*goalpost.Organization, error) {
		if q.a.user == nil {
			return nil, nil
		}
		return s.cfg.Store.ListOrganizations(q.r.Context(), goalpost.OrganizationFilter{MemberID: q.a.user.ID, Page: p})
	}, func(o *goalpost.Organization) string { return o.ID.String() }, resource.FromOrganization)
}

// v1CreateOrg is POST /organizations; the caller becomes the owner.
func (s *Server) v1CreateOrg(q *v1Request) error {
	if err := authorizeCreateOrg(q.a); err != nil {
		return err
	}
	var in resource.Organization
	if _, err := s.decodeBody(q.r, orgCreateShape, &in); err != nil {
		return err
	}
	org := resource.ToOrganization(&in)
	if err := goalpost.ValidateOrganization(org); err != nil {
		return err
	}
	owner := *q.a.user
	if err := s.cfg.Store.CreateOrganization(q.r.Context(), org, &owner); err != nil {
		return err
	}
	return s.writeCreated(q, "/organizations/"+org.ID.String(), resource.FromOrganization(org), org.Version)
}

// v1GetOrg is GET /organizations/{orgId}.
func (s *Server) v1GetOrg(q *v1Request) error {
	org, err := s.cfg.Store.FindOrganizationByID(q.r.Context(), q.orgID)
	if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, resource.FromOrganization(org), org.Version)
}

// v1UpdateOrg is PATCH /organizations/{orgId}.
func (s *Server) v1UpdateOrg(q *v1Request) error {
	ifv, err := q.ifMatch()
	if err != nil {
		return err
	}
	patch, err := s.readPatch(q.r, orgShape)
	if err != nil {
		return err
	}
	org, err := s.cfg.Store.UpdateOrganization(q.r.Context(), q.orgID, ifv, func(o *goalpost.Organization) error {
		return patchRecord(patch, orgShape, o, resource.FromOrganization, resource.ToOrganization)
	})
	if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, resource.FromOrganization(org), org.Version)
}

// v1DeleteOrg is DELETE /organizations/{orgId}.
func (s *Server) v1DeleteOrg(q *v1Request) error {
	ifv, err := q.ifMatch()
	if err != nil {
		return err
	}
	if err := s.cfg.Store.DeleteOrganization(q.r.Context(), q.orgID, ifv); err != nil {
		return err
	}
	return q.noContent()
}

// memberEntity serves the list and the get of members through the flows
// of v1entity.go; adding, changing and removing a member decide the owner
// role and are written out below.
var memberEntity = &v1Entity[uuid.UUID, goalpost.Member, resource.Member]{
	collection:  "members",
	param:       "userId",
	parseFunc:   pathGUID,
	keyFunc:     func(m *goalpost.Member) string { return m.ID.String() },
	versionFunc: func(m *goalpost.Member) int64 { return m.Version },
	fromFunc:    resource.FromMember,
	findFunc:    inOrg(goalpost.Store.FindMember),
	listFunc:    inOrg(goalpost.Store.ListMembers),
}

// v1AddMember is POST /organizations/{orgId}/members: the user is found by
// id, else by UPN, else created.
func (s *Server) v1AddMember(q *v1Request) error {
	var in resource.Member
	if _, err := s.decodeBody(q.r, memberCreateShape, &in); err != nil {
		return err
	}
	if !in.Role.Valid() {
		return invalidBody("role", "The role must be one of owner, admin, member, observer.")
	}
	if in.UPN == "" && uuid.UUID(in.ID) == uuid.Nil {
		return invalidBody("upn", "The user principal name (upn) is required.")
	}
	if err := authorizeMemberChange(q, "", in.Role); err != nil {
		return err
	}
	m := resource.ToMember(&in)
	m.OrgID = q.orgID
	if err := s.cfg.Store.AddMember(q.r.Context(), m); err != nil {
		return err
	}
	return s.writeCreated(q, memberEntity.path(q.orgID, m), resource.FromMember(m), m.Version)
}

// v1UpdateMember is PATCH /organizations/{orgId}/members/{userId}.
func (s *Server) v1UpdateMember(q *v1Request) error {
	id, ifv, err := memberEntity.target(q)
	if err != nil {
		return err
	}
	patch, err := s.readPatch(q.r, memberShape)
	if err != nil {
		return err
	}
	m, err := s.cfg.Store.UpdateMember(q.r.Context(), q.orgID, id, ifv, func(m *goalpost.Member) error {
		from := m.Role
		if err := patchRecord(patch, memberShape, m, resource.FromMember, resource.ToMember); err != nil {
			return err
		}
		if m.Role != from {
			return authorizeMemberChange(q, from, m.Role)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, resource.FromMember(m), m.Version)
}

// v1RemoveMember is DELETE /organizations/{orgId}/members/{userId}.
func (s *Server) v1RemoveMember(q *v1Request) error {
	id, ifv, err := memberEntity.target(q)
	if err != nil {
		return err
	}
	ctx := q.r.Context()
	err = checkedWrite(ifv, func(version func(int64) int64) error {
		m, err := s.cfg.Store.FindMember(ctx, q.orgID, id)
		if err != nil {
			return err
		}
		if err := authorizeMemberChange(q, m.Role, ""); err != nil {
			return err
		}
		return s.cfg.Store.RemoveMember(ctx, q.orgID, id, version(m.Version))
	})
	if err != nil {
		return err
	}
	return q.noContent()
}
