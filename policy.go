package goalpost

import "slices"

// The access rules of goalpost, in one place. The HTTP layer and the export
// worker ask these questions; neither decides access on its own.
//
//   - Only members of an organization see anything of it. Every role
//     (owner, admin, member, observer) may read the organization's goals
//     and export the views they may see.
//   - A public view is visible to every member; a private view only to its
//     creator.
//   - An export job is visible to its creator and to the organization's
//     owners and admins.
//   - Restricted items are visible to their owners, members of their teams
//     and the organization's owners and admins (the stores evaluate this
//     rule in SQL, see Store.ExportView).

// CanSeeView reports whether the member m may use view.
func CanSeeView(m *Membership, view *ExplorerView) bool {
	if m == nil || m.OrgID != view.OrgID {
		return false
	}
	return view.Visibility != ViewPrivate || view.CreatorID == m.UserID
}

// CanExport reports whether the member m may create an export of view.
func CanExport(m *Membership, view *ExplorerView) bool {
	return m != nil && m.Role.Valid() && CanSeeView(m, view)
}

// CanSeeJob reports whether the member m may see job.
func CanSeeJob(m *Membership, job *ExportJob) bool {
	if m == nil || m.OrgID != job.OrgID {
		return false
	}
	return job.CreatorID == m.UserID || m.Role.IsAdmin()
}

// The rules of the management API (/api/v1). Reads need membership of the
// organization (any role); writes need more:
//
//   - the organization's settings, teams, time periods, members, import
//     and backup: its owners and admins; restoring a backup into it and
//     deleting it: its owners. Only an owner grants, changes or removes the owner role, so
//     that an admin cannot make themselves owner;
//   - items: owners and admins any item; members create items and edit or
//     delete the items they own or created; observers read only;
//   - check-ins: the item's owners (except observers), owners and admins;
//   - alignments: whoever may edit the contributing (child) item;
//   - views: members, admins and owners create views (private or public)
//     and edit or delete their own; owners and admins edit or delete any
//     public view. A private view of someone else does not exist for them.
//
// A restricted item the caller may not see does not exist for them either:
// the HTTP layer answers 404, never 403, so that its existence does not leak.

// CanReadGoals reports whether the member m may read the organization's
// goals, teams, periods, members and views.
func CanReadGoals(m *Membership) bool { return m != nil && m.Role.Valid() }

// CanAdminister reports whether m may change the organization's settings,
// teams, time periods and members, and import or back it up.
func CanAdminister(m *Membership) bool { return m != nil && m.Role.IsAdmin() }

// CanRestore reports whether m may restore a backup into the organization:
// a restore replaces everything, memberships and owners included, so it is
// an owner's act.
func CanRestore(m *Membership) bool { return m != nil && m.Role == RoleOwner }

// CanDeleteOrganization reports whether m may delete the organization.
func CanDeleteOrganization(m *Membership) bool { return m != nil && m.Role == RoleOwner }

// CanManageMember reports whether m may change a membership from the role
// from to the role to: from is "" for a new member, to is "" for a removal.
// Owners and admins manage members; only owners touch the owner role.
func CanManageMember(m *Membership, from, to Role) bool {
	if !CanAdminister(m) {
		return false
	}
	if from == RoleOwner || to == RoleOwner {
		return m.Role == RoleOwner
	}
	return true
}

// CanSeeItem reports whether the member m may see it. teams are teams of
// the organization with their members; those the item names decide, for a
// restricted item, whether m belongs to one of its teams (teams the item
// does not name are ignored, missing ones count as having no members).
func CanSeeItem(m *Membership, it *Item, teams []*Team) bool {
	if !CanReadGoals(m) || m.OrgID != it.OrgID {
		return false
	}
	if it.Visibility != VisibilityRestricted || m.Role.IsAdmin() || slices.Contains(it.OwnerIDs, m.UserID) {
		return true
	}
	for _, t := range teams {
		if t != nil && t.OrgID == it.OrgID && slices.Contains(it.TeamIDs, t.ID) && slices.Contains(t.Members, m.UserID) {
			return true
		}
	}
	return false
}

// CanCreateItem reports whether m may create items in the organization.
func CanCreateItem(m *Membership) bool {
	return m != nil && (m.Role.IsAdmin() || m.Role == RoleMember)
}

// CanEditItem reports whether m may edit or delete it, or align it to
// another item: owners and admins any item, members the items they own or
// created.
func CanEditItem(m *Membership, it *Item) bool {
	if m == nil || m.OrgID != it.OrgID {
		return false
	}
	switch m.Role {
	case RoleOwner, RoleAdmin:
		return true
	case RoleMember:
		return it.CreatorID == m.UserID || slices.Contains(it.OwnerIDs, m.UserID)
	}
	return false
}

// CanCheckIn reports whether m may record, edit or delete check-ins of it:
// its owners (observers excepted), and the organization's owners and admins.
func CanCheckIn(m *Membership, it *Item) bool {
	if m == nil || m.OrgID != it.OrgID {
		return false
	}
	switch m.Role {
	case RoleOwner, RoleAdmin:
		return true
	case RoleMember:
		return slices.Contains(it.OwnerIDs, m.UserID)
	}
	return false
}

// CanCreateView reports whether m may create explorer views.
func CanCreateView(m *Membership) bool { return CanCreateItem(m) }

// CanEditView reports whether m may edit or delete view: its creator
// (observers excepted), and owners and admins when the view is public.
func CanEditView(m *Membership, view *ExplorerView) bool {
	if !CanSeeView(m, view) || !CanCreateView(m) {
		return false
	}
	return view.CreatorID == m.UserID || (m.Role.IsAdmin() && view.Visibility == ViewPublic)
}
