package sqlite_test

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// synthetic is a generated organization for the large tests and the
// benchmark: n items in blocks of 50, each block a tree (a 4-ary heap under
// its root), every seventh item with a second parent, one item in thirteen
// restricted, up to three check-ins per item, two owners, a team and two
// tags each.
type synthetic struct {
	org           uuid.UUID
	view          uuid.UUID
	admin, member uuid.UUID
	ds            *goalpost.Dataset
}

func newSynthetic(org uuid.UUID, firstID int64, n int) *synthetic {
	const users, teams, tags = 50, 10, 20
	id := func(kind string, i int) uuid.UUID { return uuid.NewSHA1(org, fmt.Appendf(nil, "%s-%d", kind, i)) }
	syn := &synthetic{org: org, view: id("view", 0), admin: id("user", 0), member: id("user", 1)}
	created := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	ds := &goalpost.Dataset{
		Organizations: []*goalpost.Organization{{ID: org, Name: "Synthetic " + org.String()[:8], CreatedAt: created}},
		TimePeriods:   []*goalpost.TimePeriod{{ID: id("period", 0), OrgID: org, Name: "FY 2025", Start: goalpost.MustParseDate("2025-01-01"), End: goalpost.MustParseDate("2025-12-31")}},
		Views:         []*goalpost.ExplorerView{{ID: syn.view, OrgID: org, Name: "All objectives", Visibility: goalpost.ViewPublic, CreatorID: syn.admin, CreatedAt: created}},
	}
	for u := range users {
		role := goalpost.RoleMember
		if u == 0 {
			role = goalpost.RoleAdmin
		}
		ds.Users = append(ds.Users, &goalpost.User{ID: id("user", u), UPN: fmt.Sprintf("user%d@%s.test", u, org), DisplayName: fmt.Sprintf("User %d", u), ManagerID: id("user", u/10)})
		ds.Memberships = append(ds.Memberships, goalpost.Membership{OrgID: org, UserID: id("user", u), Role: role})
	}
	ds.Users[0].ManagerID = uuid.Nil
	for tm := range teams {
		ds.Teams = append(ds.Teams, &goalpost.Team{ID: id("team", tm), OrgID: org, Name: fmt.Sprintf("Team %d", tm), OwnerID: id("user", tm), Type: "squad",
			Members: []uuid.UUID{id("user", tm), id("user", tm+teams)}})
	}
	var checkIn int64 = firstID * 10
	for i := range n {
		itemID := firstID + int64(i)
		local := i % 50
		kind := goalpost.KindKeyResult
		if local == 0 {
			kind = goalpost.KindObjective
		} else if local > 20 {
			kind = goalpost.KindInitiative
		}
		visibility := goalpost.VisibilityEveryone
		if i%13 == 5 {
			visibility = goalpost.VisibilityRestricted
		}
		it := &goalpost.Item{
			ID: itemID, OrgID: org, Kind: kind, Level: goalpost.LevelTeam,
			Title:       fmt.Sprintf("Item %d: make the numbers go up", itemID),
			Description: "A synthetic item with a description of ordinary length, the way people write them.",
			TeamIDs:     []uuid.UUID{id("team", i%teams)},
			OwnerIDs:    []uuid.UUID{id("user", (i+2)%users), id("user", (i+3)%users)},
			CreatorID:   id("user", i%users), PeriodID: id("period", 0),
			StartDate: goalpost.MustParseDate("2025-01-01"), EndDate: goalpost.MustParseDate("2025-12-31"),
			GoalType: goalpost.GoalAspirational, Tags: []string{fmt.Sprintf("tag-%d", i%tags), fmt.Sprintf("tag-%d", (i+7)%tags)},
			Metric:  goalpost.Metric{Unit: "%", Target: 100, Direction: goalpost.DirectionIncreaseFrom},
			Current: float64(i % 100), Progress: float64(i % 100), ProgressMode: goalpost.ProgressManual,
			Status: goalpost.StatusOnTrack, Visibility: visibility,
			CreatedAt: created.Add(time.Duration(i) * time.Minute), UpdatedAt: created.Add(time.Duration(i) * time.Hour),
		}
		ds.Items = append(ds.Items, it)
		if local > 0 {
			block := itemID - int64(local)
			ds.Alignments = append(ds.Alignments, goalpost.Alignment{ChildID: itemID, ParentID: block + int64((local-1)/4), Weight: 25})
			if local >= 2 && i%7 == 0 {
				ds.Alignments = append(ds.Alignments, goalpost.Alignment{ChildID: itemID, ParentID: itemID - 1, Weight: 10})
			}
		}
		for c := range i % 4 {
			checkIn++
			ds.CheckIns = append(ds.CheckIns, &goalpost.CheckIn{
				ID: checkIn, ItemID: itemID, Date: goalpost.DateOf(created.AddDate(0, 0, 7*c+i%30)), UserID: id("user", (i+2)%users),
				Note: fmt.Sprintf("Check-in %d: steady progress, nothing to report", c), Status: goalpost.StatusOnTrack,
				Value: float64(10 * c), ActivityAt: created.AddDate(0, 0, 7*c+i%30).Add(time.Hour),
			})
		}
	}
	syn.ds = ds
	return syn
}

// query returns the export of the organization's view, as viewer sees it.
func (syn *synthetic) query(viewer uuid.UUID) goalpost.ExportQuery {
	return goalpost.ExportQuery{View: syn.ds.Views[0], ViewerID: viewer, Now: testNow}
}
