package storetest

import (
	"context"
	"reflect"
	"testing"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

func testDataset(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()

	t.Run("Finders", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)

		org, err := s.FindOrganizationByID(ctx, orgB)
		if err != nil {
			t.Fatal(err)
		}
		want := fixture().Organizations[1]
		want.Version = 1 // every loaded record starts at version 1
		if !reflect.DeepEqual(org, want) {
			t.Errorf("FindOrganizationByID = %+v, want %+v", org, want)
		}

		u, err := s.FindUserByID(ctx, mia)
		if err != nil {
			t.Fatal(err)
		}
		if wantU := (&goalpost.User{ID: mia, UPN: "mia@contoso.test", DisplayName: nameMia, ManagerID: maria}); !reflect.DeepEqual(u, wantU) {
			t.Errorf("FindUserByID = %+v, want %+v", u, wantU)
		}
		u, err = s.FindUserByID(ctx, olivia)
		if err != nil {
			t.Fatal(err)
		}
		if u.ManagerID != uuid.Nil {
			t.Errorf("ManagerID of a user without manager = %v, want uuid.Nil", u.ManagerID)
		}
		for _, upn := range []string{"noah@contoso.test", "NOAH@Contoso.Test"} {
			u, err := s.FindUserByUPN(ctx, upn)
			if err != nil {
				t.Fatalf("FindUserByUPN(%q): %v", upn, err)
			}
			if u.ID != noah || u.UPN != "noah@contoso.test" {
				t.Errorf("FindUserByUPN(%q) = %+v, want Noah as stored", upn, u)
			}
		}

		m, err := s.FindMembership(ctx, orgA, oscar)
		if err != nil {
			t.Fatal(err)
		}
		if wantM := (&goalpost.Membership{OrgID: orgA, UserID: oscar, Role: goalpost.RoleObserver, Version: 1}); *m != *wantM {
			t.Errorf("FindMembership = %+v, want %+v", m, wantM)
		}
		m, err = s.FindMembership(ctx, orgB, adam)
		if err != nil {
			t.Fatal(err)
		}
		if m.Role != goalpost.RoleMember {
			t.Errorf("Adam's role in B = %s, want member", m.Role)
		}

		v, err := s.FindViewByID(ctx, orgA, viewMine)
		if err != nil {
			t.Fatal(err)
		}
		wantV := fixture().Views[1]
		wantV.Version = 1
		if !reflect.DeepEqual(v, wantV) {
			t.Errorf("FindViewByID =\n%+v\nwant\n%+v", v, wantV)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		missing := uuid.MustParse("f0000000-0000-4000-8000-00000000dead")
		_, err := s.FindOrganizationByID(ctx, missing)
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.FindUserByID(ctx, missing)
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.FindUserByUPN(ctx, "nobody@contoso.test")
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.FindUserByUPN(ctx, "mia@contoso")
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.FindMembership(ctx, orgB, mia)
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.FindViewByID(ctx, orgA, missing)
		wantCode(t, err, goalpost.ENOTFOUND, "")
		// A view is found only in its own organization.
		_, err = s.FindViewByID(ctx, orgB, viewAll)
		wantCode(t, err, goalpost.ENOTFOUND, "")
	})

	t.Run("DuplicateLoadWritesNothing", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		if err := s.LoadDataset(ctx, fixture()); err == nil {
			t.Fatal("loading the fixture twice succeeded")
		}

		// New records and one duplicate item id: nothing may stay.
		newOrg := uuid.MustParse("c0000000-0000-4000-8000-000000000001")
		newUser := uuid.MustParse("c0000000-0000-4000-8000-0000000000a1")
		ds := &goalpost.Dataset{
			Organizations: []*goalpost.Organization{{ID: newOrg, Name: "New", CreatedAt: at("2025-01-01 00:00")}},
			Users:         []*goalpost.User{{ID: newUser, UPN: "new@new.test", DisplayName: "New User"}},
			Memberships:   []goalpost.Membership{{OrgID: newOrg, UserID: newUser, Role: goalpost.RoleOwner}},
			Items: []*goalpost.Item{
				{ID: 900, OrgID: newOrg, Kind: goalpost.KindObjective, Level: goalpost.LevelOrganization, Title: "New",
					Status: goalpost.StatusOnTrack, Visibility: goalpost.VisibilityEveryone, CreatedAt: at("2025-01-01 00:00"), UpdatedAt: at("2025-01-01 00:00")},
				{ID: 100, OrgID: newOrg, Kind: goalpost.KindObjective, Level: goalpost.LevelOrganization, Title: "Duplicate of 100",
					Status: goalpost.StatusOnTrack, Visibility: goalpost.VisibilityEveryone, CreatedAt: at("2025-01-01 00:00"), UpdatedAt: at("2025-01-01 00:00")},
			},
		}
		if err := s.LoadDataset(ctx, ds); err == nil {
			t.Fatal("loading a duplicate item id succeeded")
		}
		_, err := s.FindOrganizationByID(ctx, newOrg)
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.FindUserByID(ctx, newUser)
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.FindUserByUPN(ctx, "new@new.test")
		wantCode(t, err, goalpost.ENOTFOUND, "")

		// A UPN that differs only in case is the same user.
		ds = &goalpost.Dataset{Users: []*goalpost.User{{ID: newUser, UPN: "MIA@contoso.test", DisplayName: "Mia again"}}}
		if err := s.LoadDataset(ctx, ds); err == nil {
			t.Fatal("loading a user with a duplicate UPN succeeded")
		}
		_, err = s.FindUserByID(ctx, newUser)
		wantCode(t, err, goalpost.ENOTFOUND, "")

		// The failed loads left the fixture as it was.
		rec := &recorder{}
		if _, err := s.ExportView(ctx, query(adam, goalpost.ViewFilter{}), rec); err != nil {
			t.Fatal(err)
		}
		if got := len(rec.rows); got != 16 {
			t.Errorf("after failed loads, export has %d rows, want 16", got)
		}
	})

	t.Run("DuplicateWithinDataset", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ds := fixture()
		ds.Users = append(ds.Users, &goalpost.User{ID: mia, UPN: "mia2@contoso.test", DisplayName: "Mia twin"})
		if err := s.LoadDataset(ctx, ds); err == nil {
			t.Fatal("a dataset with a user twice loaded")
		}
		_, err := s.FindOrganizationByID(ctx, orgA)
		wantCode(t, err, goalpost.ENOTFOUND, "")
	})

	t.Run("LoadInParts", func(t *testing.T) {
		t.Parallel()
		// Later datasets may refer to records of earlier ones.
		s := open(t)
		ds := fixture()
		items, alignments, checkIns, views := ds.Items, ds.Alignments, ds.CheckIns, ds.Views
		ds.Items, ds.Alignments, ds.CheckIns, ds.Views = nil, nil, nil, nil
		if err := s.LoadDataset(ctx, ds); err != nil {
			t.Fatal(err)
		}
		if err := s.LoadDataset(ctx, &goalpost.Dataset{Items: items, Views: views}); err != nil {
			t.Fatal(err)
		}
		if err := s.LoadDataset(ctx, &goalpost.Dataset{Alignments: alignments, CheckIns: checkIns}); err != nil {
			t.Fatal(err)
		}
		rec := &recorder{}
		if _, err := s.ExportView(ctx, query(adam, goalpost.ViewFilter{}), rec); err != nil {
			t.Fatal(err)
		}
		wantIDs(t, rec, orderAdmin...)
		if got := rec.row(t, 101).LastNote; got != "Slow month" {
			t.Errorf("LastNote of 101 = %q, want %q", got, "Slow month")
		}
	})
}
