package goalpost_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

func TestPolicy(t *testing.T) {
	org, other := uuid.New(), uuid.New()
	creator, someone := uuid.New(), uuid.New()
	public := &goalpost.ExplorerView{OrgID: org, Visibility: goalpost.ViewPublic, CreatorID: creator}
	private := &goalpost.ExplorerView{OrgID: org, Visibility: goalpost.ViewPrivate, CreatorID: creator}
	job := &goalpost.ExportJob{OrgID: org, CreatorID: creator}
	m := func(user uuid.UUID, role goalpost.Role) *goalpost.Membership {
		return &goalpost.Membership{OrgID: org, UserID: user, Role: role}
	}
	for _, tt := range []struct {
		name                          string
		m                             *goalpost.Membership
		seePublic, seePrivate, seeJob bool
		exportPublic, exportPrivate   bool
	}{
		{"creator, member", m(creator, goalpost.RoleMember), true, true, true, true, true},
		{"creator, observer", m(creator, goalpost.RoleObserver), true, true, true, true, true},
		{"other member", m(someone, goalpost.RoleMember), true, false, false, true, false},
		{"other observer", m(someone, goalpost.RoleObserver), true, false, false, true, false},
		{"admin", m(someone, goalpost.RoleAdmin), true, false, true, true, false},
		{"owner", m(someone, goalpost.RoleOwner), true, false, true, true, false},
		{"not a member", nil, false, false, false, false, false},
		{"member of another organization", &goalpost.Membership{OrgID: other, UserID: creator, Role: goalpost.RoleOwner}, false, false, false, false, false},
		{"unknown role", m(creator, "emperor"), true, true, true, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := goalpost.CanSeeView(tt.m, public); got != tt.seePublic {
				t.Errorf("CanSeeView(public) = %v", got)
			}
			if got := goalpost.CanSeeView(tt.m, private); got != tt.seePrivate {
				t.Errorf("CanSeeView(private) = %v", got)
			}
			if got := goalpost.CanSeeJob(tt.m, job); got != tt.seeJob {
				t.Errorf("CanSeeJob = %v", got)
			}
			if got := goalpost.CanExport(tt.m, public); got != tt.exportPublic {
				t.Errorf("CanExport(public) = %v", got)
			}
			if got := goalpost.CanExport(tt.m, private); got != tt.exportPrivate {
				t.Errorf("CanExport(private) = %v", got)
			}
		})
	}
}

func TestManagementPolicy(t *testing.T) {
	org, other := uuid.New(), uuid.New()
	owner, admin, member, observer, stranger := uuid.New(), uuid.New(), uuid.New(), uuid.New(), uuid.New()
	teamMate := uuid.New()
	m := func(user uuid.UUID, role goalpost.Role) *goalpost.Membership {
		return &goalpost.Membership{OrgID: org, UserID: user, Role: role}
	}
	roles := map[string]*goalpost.Membership{
		"owner":      m(owner, goalpost.RoleOwner),
		"admin":      m(admin, goalpost.RoleAdmin),
		"member":     m(member, goalpost.RoleMember),
		"observer":   m(observer, goalpost.RoleObserver),
		"team mate":  m(teamMate, goalpost.RoleMember),
		"stranger":   m(stranger, goalpost.RoleMember),
		"non-member": nil,
		"other org":  {OrgID: other, UserID: owner, Role: goalpost.RoleOwner},
		"bad role":   m(member, "emperor"),
	}
	team := &goalpost.Team{ID: uuid.New(), OrgID: org, Members: []uuid.UUID{teamMate}}
	otherTeam := &goalpost.Team{ID: uuid.New(), OrgID: org, Members: []uuid.UUID{stranger}}
	teams := []*goalpost.Team{team, otherTeam}
	owned := &goalpost.Item{OrgID: org, OwnerIDs: []uuid.UUID{member}, CreatorID: admin, Visibility: goalpost.VisibilityEveryone}
	created := &goalpost.Item{OrgID: org, OwnerIDs: []uuid.UUID{admin}, CreatorID: member, Visibility: goalpost.VisibilityEveryone}
	restricted := &goalpost.Item{OrgID: org, OwnerIDs: []uuid.UUID{member}, CreatorID: member, TeamIDs: []uuid.UUID{team.ID},
		Visibility: goalpost.VisibilityRestricted}
	observed := &goalpost.Item{OrgID: org, OwnerIDs: []uuid.UUID{observer}, CreatorID: observer, Visibility: goalpost.VisibilityEveryone}
	publicView := &goalpost.ExplorerView{OrgID: org, Visibility: goalpost.ViewPublic, CreatorID: member}
	privateView := &goalpost.ExplorerView{OrgID: org, Visibility: goalpost.ViewPrivate, CreatorID: member}
	observerView := &goalpost.ExplorerView{OrgID: org, Visibility: goalpost.ViewPrivate, CreatorID: observer}

	type want struct {
		read, admin, deleteOrg, createItem                bool
		editOwned, editCreated, checkInOwned, checkInMade bool
		seeRestricted, editObserved                       bool
		createView, editPublic, editPrivate, editObsView  bool
	}
	for _, tt := range []struct {
		who  string
		want want
	}{
		{"owner", want{true, true, true, true, true, true, true, true, true, true, true, true, false, false}},
		{"admin", want{true, true, false, true, true, true, true, true, true, true, true, true, false, false}},
		{"member", want{true, false, false, true, true, true, true, false, true, false, true, true, true, false}},
		{"observer", want{true, false, false, false, false, false, false, false, false, false, false, false, false, false}},
		{"team mate", want{true, false, false, true, false, false, false, false, true, false, true, false, false, false}},
		{"stranger", want{true, false, false, true, false, false, false, false, false, false, true, false, false, false}},
		{"non-member", want{}},
		{"other org", want{}},
		{"bad role", want{}},
	} {
		t.Run(tt.who, func(t *testing.T) {
			mm := roles[tt.who]
			got := want{
				read:          goalpost.CanReadGoals(mm),
				admin:         goalpost.CanAdminister(mm) && mm.OrgID == org,
				deleteOrg:     goalpost.CanDeleteOrganization(mm) && mm.OrgID == org,
				createItem:    goalpost.CanCreateItem(mm) && mm.OrgID == org,
				editOwned:     goalpost.CanEditItem(mm, owned),
				editCreated:   goalpost.CanEditItem(mm, created),
				checkInOwned:  goalpost.CanCheckIn(mm, owned),
				checkInMade:   goalpost.CanCheckIn(mm, created),
				seeRestricted: goalpost.CanSeeItem(mm, restricted, teams),
				editObserved:  goalpost.CanEditItem(mm, observed),
				createView:    goalpost.CanCreateView(mm) && mm.OrgID == org,
				editPublic:    goalpost.CanEditView(mm, publicView),
				editPrivate:   goalpost.CanEditView(mm, privateView),
				editObsView:   goalpost.CanEditView(mm, observerView),
			}
			// CanReadGoals checks the role only; membership of the right
			// organization is the caller's lookup.
			if tt.who == "other org" {
				got.read = false
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestCanManageMember(t *testing.T) {
	org := uuid.New()
	m := func(role goalpost.Role) *goalpost.Membership {
		return &goalpost.Membership{OrgID: org, UserID: uuid.New(), Role: role}
	}
	const (
		owner, admin, member, observer = goalpost.RoleOwner, goalpost.RoleAdmin, goalpost.RoleMember, goalpost.RoleObserver
	)
	for _, tt := range []struct {
		caller   goalpost.Role
		from, to goalpost.Role
		want     bool
	}{
		{owner, "", owner, true},
		{owner, owner, admin, true},
		{owner, owner, "", true},
		{owner, member, observer, true},
		{admin, "", member, true},
		{admin, "", admin, true},
		{admin, member, admin, true},
		{admin, admin, "", true},
		{admin, "", owner, false},
		{admin, admin, owner, false},
		{admin, owner, member, false},
		{admin, owner, "", false},
		{member, "", member, false},
		{member, member, "", false},
		{observer, "", observer, false},
	} {
		if got := goalpost.CanManageMember(m(tt.caller), tt.from, tt.to); got != tt.want {
			t.Errorf("%s changing %q → %q: %v, want %v", tt.caller, tt.from, tt.to, got, tt.want)
		}
	}
	if goalpost.CanManageMember(nil, "", goalpost.RoleMember) {
		t.Error("a non-member manages members")
	}
}
