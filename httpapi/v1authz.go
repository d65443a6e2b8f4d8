package httpapi

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// The authorization of /api/v1, in the layer of authz.go: every route names
// an operation (its scopes) and, in v1Routes, the role a member needs; the
// functions below decide access to single resources with goalpost's policy
// (policy.go). Handlers call them and decide nothing themselves.
//
// As on the Graph surface, an organization the caller is not a member of
// does not exist for them (404), and neither does a private view of someone
// else or a restricted item they may not see. A member whose role does not
// allow a write gets 403.

// roleRule is the role a route needs, with the message of its 403.
type roleRule struct {
	allow   func(*goalpost.Membership) bool
	message string
}

var (
	ruleAdmin = &roleRule{goalpost.CanAdminister,
		"Only the organization's owners and admins may do this."}
	ruleOwner = &roleRule{goalpost.CanDeleteOrganization,
		"Only the organization's owners may delete it."}
	// ruleContributor lets owners, admins and members try a write of
	// items, alignments, check-ins and views; which ones they may touch is
	// decided per resource.
	ruleContributor = &roleRule{goalpost.CanCreateItem,
		"Observers may read the organization's goals but not change them."}
)

// forbidden is the 403 of a member whose role does not allow a write.
func forbidden(format string, args ...any) error {
	return &goalpost.Error{Code: goalpost.EFORBIDDEN, Inner: "accessDenied", Message: fmt.Sprintf(format, args...)}
}

// authorizeV1Route checks the organization and the role a route needs.
// Import (orgAny) is decided by authorizeImport, as the organization may not
// exist yet.
func (s *Server) authorizeV1Route(q *v1Request) error {
	if q.route.org == orgAny {
		return nil
	}
	if q.m == nil || !goalpost.CanReadGoals(q.m) {
		return errOrgNotFound
	}
	if rule := q.route.rule; rule != nil && !rule.allow(q.m) {
		return forbidden("%s", rule.message)
	}
	return nil
}

// authorizeCreateOrg: any caller goalpost knows may create an organization
// and becomes its owner.
func authorizeCreateOrg(a *access) error {
	if a.user == nil {
		return errUnknownCaller
	}
	return nil
}

// errUnknownCaller is the 403 of a valid token of someone goalpost does not
// know (users are not provisioned on first sight).
var errUnknownCaller = &goalpost.Error{Code: goalpost.EFORBIDDEN, Inner: "unknownUser",
	Message: "The signed-in user is not known to goalpost; an organization's owner or admin must add them first."}

// authorizeMemberChange decides a change of a membership from one role to
// another ("" for an addition or a removal).
func authorizeMemberChange(q *v1Request, from, to goalpost.Role) error {
	if !goalpost.CanManageMember(q.m, from, to) {
		return forbidden("Only the organization's owners may grant, change or remove the owner role.")
	}
	return nil
}

// itemSeer decides which items a member may see, loading the teams of
// restricted items once per request.
type itemSeer struct {
	s     *Server
	m     *goalpost.Membership
	teams map[uuid.UUID]*goalpost.Team
}

func (s *Server) seer(q *v1Request) *itemSeer {
	return &itemSeer{s: s, m: q.m, teams: map[uuid.UUID]*goalpost.Team{}}
}

// canSee applies goalpost.CanSeeItem.
func (v *itemSeer) canSee(ctx context.Context, it *goalpost.Item) (bool, error) {
	if goalpost.CanSeeItem(v.m, it, nil) {
		return true, nil
	}
	if it.Visibility != goalpost.VisibilityRestricted || v.m == nil {
		return false, nil
	}
	teams := make([]*goalpost.Team, 0, len(it.TeamIDs))
	for _, id := range it.TeamIDs {
		t, ok := v.teams[id]
		if !ok {
			var err error
			t, err = v.s.cfg.Store.FindTeam(ctx, it.OrgID, id)
			if goalpost.IsNotFound(err) {
				t = nil
			} else if err != nil {
				return false, err
			}
			v.teams[id] = t
		}
		if t != nil {
			teams = append(teams, t)
		}
	}
	return goalpost.CanSeeItem(v.m, it, teams), nil
}

// item finds an item the member may see; an invisible one is not found.
func (v *itemSeer) item(ctx context.Context, orgID uuid.UUID, id int64) (*goalpost.Item, error) {
	it, err := v.s.cfg.Store.FindItem(ctx, orgID, id)
	if goalpost.IsNotFound(err) {
		return nil, itemNotFound(id)
	} else if err != nil {
		return nil, err
	}
	ok, err := v.canSee(ctx, it)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, itemNotFound(id)
	}
	return it, nil
}

// itemNotFound is the 404 of an item that does not exist or that the
// caller may not see: the same answer, so that nothing leaks.
func itemNotFound(id int64) error {
	return &goalpost.Error{Code: goalpost.ENOTFOUND, Inner: "itemNotFound", Message: fmt.Sprintf("The item %d does not exist.", id)}
}

// authorizeItem returns the item of the request that the caller may see.
func (s *Server) authorizeItem(q *v1Request, id int64) (*goalpost.Item, error) {
	return s.seer(q).item(q.r.Context(), q.orgID, id)
}

// authorizeItemEdit decides an edit, deletion or alignment of it.
func authorizeItemEdit(q *v1Request, it *goalpost.Item) error {
	if !goalpost.CanEditItem(q.m, it) {
		return forbidden("Members may change only the items they own or created.")
	}
	return nil
}

// authorizeCheckIn decides a check-in of it.
func authorizeCheckIn(q *v1Request, it *goalpost.Item) error {
	if !goalpost.CanCheckIn(q.m, it) {
		return forbidden("Only the item's owners and the organization's owners and admins may check in on it.")
	}
	return nil
}

// authorizeView returns a view the caller may use; a private view of
// someone else is not found.
func (s *Server) authorizeView(q *v1Request, id uuid.UUID) (*goalpost.ExplorerView, error) {
	v, err := s.cfg.Store.FindViewByID(q.r.Context(), q.orgID, id)
	if goalpost.IsNotFound(err) {
		return nil, errViewNotFound
	} else if err != nil {
		return nil, err
	}
	if !goalpost.CanSeeView(q.m, v) {
		return nil, errViewNotFound
	}
	return v, nil
}

// authorizeViewEdit decides an edit or deletion of a view.
func authorizeViewEdit(q *v1Request, v *goalpost.ExplorerView) error {
	if !goalpost.CanEditView(q.m, v) {
		return forbidden("Members may change only their own views; owners and admins also the public ones.")
	}
	return nil
}

// authorizeImport decides an import or restore: into an organization that
// exists, its owners and admins; into a new one, any caller goalpost knows,
// who becomes its owner. exists says whether the organization exists.
func authorizeImport(q *v1Request, exists bool) error {
	if !exists {
		return authorizeCreateOrg(q.a)
	}
	if q.m == nil {
		return errOrgNotFound
	}
	if !goalpost.CanAdminister(q.m) {
		return forbidden("%s", ruleAdmin.message)
	}
	return nil
}

// authorizeImportInto decides an import again inside its transaction, on
// what the organization holds now: a new organization, any caller goalpost
// knows; an existing one, its owners and admins for a CSV import, and its
// owners for a restore, which replaces everything, memberships and the
// owner role included (an admin restoring an edited backup would make
// themselves owner).
func authorizeImportInto(a *access, orgID uuid.UUID, existing *goalpost.Dataset, restore bool) error {
	if a.user == nil {
		return errUnknownCaller
	}
	if len(existing.Organizations) == 0 {
		return nil
	}
	for _, m := range existing.Memberships {
		if m.UserID != a.user.ID || m.OrgID != orgID {
			continue
		}
		switch {
		case restore && !goalpost.CanRestore(&m):
			return forbidden("Only an owner of the organization may restore a backup into it.")
		case !goalpost.CanAdminister(&m):
			return forbidden("%s", ruleAdmin.message)
		}
		return nil
	}
	return errOrgNotFound
}
