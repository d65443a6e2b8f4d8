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
