package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

func testDeleteOrganization(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()
	s := mustOpenLoaded(t, open)
	d := s
	m := newJobMaker(8)
	jobA := create(t, s, m.job(t, orgA, viewAll, mia, jobTime))
	jobB := create(t, s, m.job(t, orgB, viewB, otto, jobTime))
	if _, err := s.LoadOrCreateSigningKey(ctx, func() ([]byte, error) { return []byte("key"), nil }); err != nil {
		t.Fatal(err)
	}

	if err := d.DeleteOrganization(ctx, orgA, 0); err != nil {
		t.Fatal(err)
	}
	_, err := s.FindOrganizationByID(ctx, orgA)
	wantCode(t, err, goalpost.ENOTFOUND, "")
	_, err = s.FindViewByID(ctx, orgA, viewAll)
	wantCode(t, err, goalpost.ENOTFOUND, "")
	_, err = s.FindExportJob(ctx, jobA.ID)
	wantCode(t, err, goalpost.ENOTFOUND, "")
	_, err = s.FindMembership(ctx, orgA, adam)
	wantCode(t, err, goalpost.ENOTFOUND, "")
	// orgA's own users are gone; Adam, a member of orgB too, stays.
	for _, u := range []uuid.UUID{olivia, maria, mia, noah, tina, oscar} {
		_, err = s.FindUserByID(ctx, u)
		wantCode(t, err, goalpost.ENOTFOUND, "")
	}
	if _, err := s.FindUserByID(ctx, adam); err != nil {
		t.Errorf("Adam: %v", err)
	}
	if m, err := s.FindMembership(ctx, orgB, adam); err != nil || m.Role != goalpost.RoleMember {
		t.Errorf("Adam's membership of orgB = %v, %v", m, err)
	}
	// orgB is untouched.
	if _, err := s.FindExportJob(ctx, jobB.ID); err != nil {
		t.Errorf("orgB's job: %v", err)
	}
	q := goalpost.ExportQuery{View: &goalpost.ExplorerView{ID: viewB, OrgID: orgB}, ViewerID: otto, Now: fixtureNow}
	wantIDs(t, export(t, s, q), 200, 201)
	// orgA's items are gone with it: its export is empty, and their ids
	// are free again.
	wantIDs(t, export(t, s, query(adam, goalpost.ViewFilter{})))
	again := &goalpost.Dataset{
		Organizations: []*goalpost.Organization{{ID: orgA, Name: "Contoso again", CreatedAt: at("2025-01-01 00:00")}},
		Items: []*goalpost.Item{{ID: 100, OrgID: orgA, Kind: goalpost.KindObjective, Level: goalpost.LevelOrganization, Title: "Again",
			Status: goalpost.StatusOnTrack, Visibility: goalpost.VisibilityEveryone, CreatedAt: at("2025-01-01 00:00"), UpdatedAt: at("2025-01-01 00:00")}},
	}
	if err := s.LoadDataset(ctx, again); err != nil {
		t.Errorf("loading orgA's ids again: %v", err)
	}

	// The deployment's signing key is no organization's.
	key, err := s.LoadOrCreateSigningKey(ctx, func() ([]byte, error) { return nil, errors.New("generate called") })
	if err != nil || !bytes.Equal(key, []byte("key")) {
		t.Errorf("signing key after the delete = %q, %v; want the stored key", key, err)
	}

	err = d.DeleteOrganization(ctx, uuid.MustParse("f0000000-0000-4000-8000-00000000dead"), 0)
	wantCode(t, err, goalpost.ENOTFOUND, "goalsOrganizationIdNotFound")
}
