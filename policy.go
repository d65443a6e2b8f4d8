package goalpost

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
