package storetest

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// The contract of goalpost.GoalsStore: the management API's writes. Each
// resource's tests are in a file of their own (goals_*.go); this file holds
// organizations, members and time periods, and the helpers they share.

func testOrganizations(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()
	s := mustOpenLoaded(t, open)

	newOrg := &goalpost.Organization{ID: uuid.MustParse("c0000000-0000-4000-8000-000000000001"), Name: "Northwind Test"}
	owner := &goalpost.User{UPN: "Nina@Northwind.test", DisplayName: "Nina Owner"}
	if err := s.CreateOrganization(ctx, newOrg, owner); err != nil {
		t.Fatal(err)
	}
	if newOrg.Version != 1 || newOrg.CreatedAt.IsZero() || owner.ID == uuid.Nil {
		t.Fatalf("created %+v owner %+v: want version 1, a creation time and the owner's new id", newOrg, owner)
	}
	m, err := s.FindMember(ctx, newOrg.ID, owner.ID)
	if err != nil || m.Role != goalpost.RoleOwner || m.UPN != owner.UPN {
		t.Fatalf("FindMember(owner) = %+v, %v; want the owner", m, err)
	}
	views, err := s.ListViews(ctx, newOrg.ID, owner.ID, goalpost.Page{})
	if err != nil || len(views) != len(goalpost.DefaultViews) {
		t.Fatalf("ListViews(new org) = %d views, %v; want the %d default views", len(views), err, len(goalpost.DefaultViews))
	}
	// An owner named by UPN, case-insensitively, is the existing user.
	second := &goalpost.Organization{Name: "Second"}
	again := &goalpost.User{UPN: "nina@northwind.TEST"}
	if err := s.CreateOrganization(ctx, second, again); err != nil {
		t.Fatal(err)
	}
	if again.ID != owner.ID {
		t.Fatalf("second organization's owner = %s, want the existing user %s", again.ID, owner.ID)
	}
	err = s.CreateOrganization(ctx, &goalpost.Organization{ID: orgA, Name: "Dup"}, &goalpost.User{ID: olivia})
	wantCode(t, err, goalpost.ECONFLICT, "")
	err = s.CreateOrganization(ctx, &goalpost.Organization{Name: " "}, owner)
	if e := wantCode(t, err, goalpost.EINVALID, ""); e.Target != "name" {
		t.Fatalf("blank name: target %q, want name", e.Target)
	}

	mine, err := s.ListOrganizations(ctx, goalpost.OrganizationFilter{MemberID: owner.ID})
	if err != nil || len(mine) != 2 {
		t.Fatalf("ListOrganizations(member) = %d, %v; want 2", len(mine), err)
	}
	all, err := s.ListOrganizations(ctx, goalpost.OrganizationFilter{Page: goalpost.Page{Limit: 2}})
	if err != nil || len(all) != 2 || all[0].ID.String() >= all[1].ID.String() {
		t.Fatalf("ListOrganizations(limit 2) = %v, %v; want 2 in id order", all, err)
	}
	rest, err := s.ListOrganizations(ctx, goalpost.OrganizationFilter{Page: goalpost.Page{After: all[1].ID.String()}})
	if err != nil || len(rest) != 2 {
		t.Fatalf("ListOrganizations(after) = %d, %v; want the other 2", len(rest), err)
	}

	up, err := s.UpdateOrganization(ctx, newOrg.ID, 1, func(o *goalpost.Organization) error {
		o.Name = "Northwind Traders"
		o.Terminology.Objective = "Goal"
		o.Version = 99 // ignored: the store sets versions
		return nil
	})
	if err != nil || up.Version != 2 || up.Name != "Northwind Traders" || up.Terminology.Objective != "Goal" {
		t.Fatalf("UpdateOrganization = %+v, %v", up, err)
	}
	_, err = s.UpdateOrganization(ctx, newOrg.ID, 1, func(o *goalpost.Organization) error { o.Name = "Lost"; return nil })
	wantCode(t, err, goalpost.EPRECONDITION, "")
	got, err := s.FindOrganizationByID(ctx, newOrg.ID)
	if err != nil || got.Name != "Northwind Traders" {
		t.Fatalf("after a stale update: %+v, %v; want it unchanged", got, err)
	}
	wantCode(t, s.DeleteOrganization(ctx, newOrg.ID, 1), goalpost.EPRECONDITION, "")
	if err := s.DeleteOrganization(ctx, newOrg.ID, 2); err != nil {
		t.Fatal(err)
	}
	// Nina still belongs to the second organization.
	if _, err := s.FindUserByID(ctx, owner.ID); err != nil {
		t.Fatalf("owner of another organization deleted: %v", err)
	}
}

func testMembers(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()
	s := mustOpenLoaded(t, open)

	ms, err := s.ListMembers(ctx, orgA, goalpost.Page{Limit: 3})
	if err != nil || len(ms) != 3 || ms[0].ID != olivia || ms[0].Role != goalpost.RoleOwner || ms[0].DisplayName != nameOlivia {
		t.Fatalf("ListMembers = %+v, %v", ms, err)
	}
	_, err = s.ListMembers(ctx, uuid.New(), goalpost.Page{})
	wantCode(t, err, goalpost.ENOTFOUND, "")

	// Otto, a member of B, joins A by UPN; a new user is created.
	m := &goalpost.Member{OrgID: orgA, User: goalpost.User{UPN: "OTTO@fabrikam.test"}, Role: goalpost.RoleObserver}
	if err := s.AddMember(ctx, m); err != nil {
		t.Fatal(err)
	}
	if m.ID != otto || m.Version != 1 {
		t.Fatalf("AddMember(existing user by UPN) = %+v, want Otto at version 1", m)
	}
	wantCode(t, s.AddMember(ctx, &goalpost.Member{OrgID: orgA, User: goalpost.User{ID: otto}, Role: goalpost.RoleMember}), goalpost.ECONFLICT, "")
	nu := &goalpost.Member{OrgID: orgA, User: goalpost.User{UPN: "new@contoso.test", DisplayName: "New Person"}, Role: goalpost.RoleMember}
	if err := s.AddMember(ctx, nu); err != nil || nu.ID == uuid.Nil {
		t.Fatalf("AddMember(new user) = %+v, %v", nu, err)
	}
	bad := &goalpost.Member{OrgID: orgA, User: goalpost.User{UPN: "not an address", DisplayName: "X"}, Role: goalpost.RoleMember}
	wantCode(t, s.AddMember(ctx, bad), goalpost.EINVALID, "")

	up, err := s.UpdateMember(ctx, orgA, otto, 1, func(m *goalpost.Member) error { m.Role = goalpost.RoleAdmin; return nil })
	if err != nil || up.Version != 2 || up.Role != goalpost.RoleAdmin {
		t.Fatalf("UpdateMember(role) = %+v, %v", up, err)
	}
	_, err = s.UpdateMember(ctx, orgA, otto, 1, func(m *goalpost.Member) error { return nil })
	wantCode(t, err, goalpost.EPRECONDITION, "")
	// The new user belongs to A alone: A may change who they are.
	up, err = s.UpdateMember(ctx, orgA, nu.ID, 1, func(m *goalpost.Member) error {
		m.DisplayName = "New Person Renamed"
		m.UPN = "renamed@contoso.test"
		m.ManagerID = olivia
		return nil
	})
	if err != nil || up.Version != 2 || up.DisplayName != "New Person Renamed" || up.ManagerID != olivia {
		t.Fatalf("UpdateMember(user) = %+v, %v", up, err)
	}
	if u, err := s.FindUserByUPN(ctx, "RENAMED@contoso.test"); err != nil || u.ID != nu.ID {
		t.Fatalf("FindUserByUPN(new UPN) = %+v, %v", u, err)
	}
	_, err = s.UpdateMember(ctx, orgA, nu.ID, 0, func(m *goalpost.Member) error { m.ManagerID = nu.ID; return nil })
	wantCode(t, err, goalpost.EINVALID, "")

	// Adam belongs to B too: A may change his role, but not who he is.
	for name, edit := range map[string]func(m *goalpost.Member){
		"upn":         func(m *goalpost.Member) { m.UPN = "attacker@evil.test" },
		"displayName": func(m *goalpost.Member) { m.DisplayName = "Not Adam" },
		"managerId":   func(m *goalpost.Member) { m.ManagerID = maria },
	} {
		_, err = s.UpdateMember(ctx, orgA, adam, 0, func(m *goalpost.Member) error { edit(m); return nil })
		wantCode(t, err, goalpost.EFORBIDDEN, "sharedUser")
		if u, err := s.FindUserByID(ctx, adam); err != nil || u.UPN != "adam@contoso.test" || u.DisplayName != nameAdam || u.ManagerID != uuid.Nil {
			t.Fatalf("after a refused change of %s, Adam is %+v, %v", name, u, err)
		}
	}
	if _, err := s.UpdateMember(ctx, orgA, adam, 0, func(m *goalpost.Member) error { m.Role = goalpost.RoleMember; return nil }); err != nil {
		t.Fatalf("a role change of a shared user: %v", err)
	}
	// An import may not rewrite him either.
	_, err = s.ImportOrganization(ctx, orgA, goalpost.ImportOptions{}, func(existing *goalpost.Dataset) (*goalpost.Dataset, error) {
		for _, u := range existing.Users {
			if u.ID == adam {
				u.UPN = "attacker@evil.test"
			}
		}
		return existing, nil
	})
	wantCode(t, err, goalpost.EFORBIDDEN, "sharedUser")
	if u, err := s.FindUserByUPN(ctx, "adam@contoso.test"); err != nil || u.ID != adam {
		t.Fatalf("after a refused import, Adam is %+v, %v", u, err)
	}

	// Olivia is A's only owner: she can neither step down nor leave.
	_, err = s.UpdateMember(ctx, orgA, olivia, 0, func(m *goalpost.Member) error { m.Role = goalpost.RoleMember; return nil })
	wantCode(t, err, goalpost.ECONFLICT, "")
	wantCode(t, s.RemoveMember(ctx, orgA, olivia, 0), goalpost.ECONFLICT, "")
	if _, err := s.UpdateMember(ctx, orgA, otto, 0, func(m *goalpost.Member) error { m.Role = goalpost.RoleOwner; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveMember(ctx, orgA, olivia, 0); err != nil {
		t.Fatalf("RemoveMember(an owner of two): %v", err)
	}
	_, err = s.FindMember(ctx, orgA, olivia)
	wantCode(t, err, goalpost.ENOTFOUND, "")
	wantCode(t, s.RemoveMember(ctx, orgA, olivia, 0), goalpost.ENOTFOUND, "")
}

func testTimePeriods(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()
	s := mustOpenLoaded(t, open)

	ps, err := s.ListTimePeriods(ctx, orgA, goalpost.Page{})
	if err != nil || len(ps) != 3 {
		t.Fatalf("ListTimePeriods = %d, %v; want 3", len(ps), err)
	}
	p := &goalpost.TimePeriod{OrgID: orgA, Name: "Q3 2025", Start: date("2025-07-01"), End: date("2025-09-30")}
	if err := s.CreateTimePeriod(ctx, p); err != nil || p.ID == uuid.Nil || p.Version != 1 {
		t.Fatalf("CreateTimePeriod = %+v, %v", p, err)
	}
	got, err := s.FindTimePeriod(ctx, orgA, p.ID)
	if err != nil || *got != *p {
		t.Fatalf("FindTimePeriod = %+v, %v; want %+v", got, err, p)
	}
	_, err = s.FindTimePeriod(ctx, orgB, p.ID)
	wantCode(t, err, goalpost.ENOTFOUND, "")
	err = s.CreateTimePeriod(ctx, &goalpost.TimePeriod{OrgID: orgA, Name: "Backwards", Start: date("2025-09-30"), End: date("2025-07-01")})
	wantCode(t, err, goalpost.EINVALID, "")
	err = s.CreateTimePeriod(ctx, &goalpost.TimePeriod{OrgID: uuid.New(), Name: "Nowhere", Start: date("2025-07-01"), End: date("2025-09-30")})
	wantCode(t, err, goalpost.ENOTFOUND, "")

	up, err := s.UpdateTimePeriod(ctx, orgA, p.ID, 1, func(p *goalpost.TimePeriod) error { p.Name = "Q3 FY25"; return nil })
	if err != nil || up.Version != 2 || up.Name != "Q3 FY25" {
		t.Fatalf("UpdateTimePeriod = %+v, %v", up, err)
	}
	_, err = s.UpdateTimePeriod(ctx, orgA, p.ID, 1, func(p *goalpost.TimePeriod) error { return nil })
	wantCode(t, err, goalpost.EPRECONDITION, "")
	_, err = s.UpdateTimePeriod(ctx, orgA, p.ID, 0, func(p *goalpost.TimePeriod) error { p.End = date("2025-01-01"); return nil })
	wantCode(t, err, goalpost.EINVALID, "")

	wantCode(t, s.DeleteTimePeriod(ctx, orgA, periodQ1, 0), goalpost.ECONFLICT, "")
	wantCode(t, s.DeleteTimePeriod(ctx, orgA, p.ID, 1), goalpost.EPRECONDITION, "")
	if err := s.DeleteTimePeriod(ctx, orgA, p.ID, 2); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.DeleteTimePeriod(ctx, orgA, p.ID, 0), goalpost.ENOTFOUND, "")
}
