package sqlstore

import (
	"context"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// errTODO marks a method not written yet.
var errTODO = goalpost.Errorf(goalpost.EINTERNAL, "not implemented")

func (s *Store) ListTeams(ctx context.Context, orgID uuid.UUID, p goalpost.Page) ([]*goalpost.Team, error) {
	return nil, errTODO
}

func (s *Store) FindTeam(ctx context.Context, orgID, id uuid.UUID) (*goalpost.Team, error) {
	return nil, errTODO
}

func (s *Store) CreateTeam(ctx context.Context, t *goalpost.Team) error {
	return errTODO
}

func (s *Store) UpdateTeam(ctx context.Context, orgID, id uuid.UUID, ifVersion int64, fn func(*goalpost.Team) error) (*goalpost.Team, error) {
	return nil, errTODO
}

func (s *Store) DeleteTeam(ctx context.Context, orgID, id uuid.UUID, ifVersion int64) error {
	return errTODO
}

func (s *Store) ListItems(ctx context.Context, f goalpost.ItemFilter) ([]*goalpost.Item, error) {
	return nil, errTODO
}

func (s *Store) FindItem(ctx context.Context, orgID uuid.UUID, id int64) (*goalpost.Item, error) {
	return nil, errTODO
}

func (s *Store) CreateItem(ctx context.Context, it *goalpost.Item) error {
	return errTODO
}

func (s *Store) UpdateItem(ctx context.Context, orgID uuid.UUID, id int64, ifVersion int64, fn func(*goalpost.Item) error) (*goalpost.Item, error) {
	return nil, errTODO
}

func (s *Store) DeleteItem(ctx context.Context, orgID uuid.UUID, id int64, ifVersion int64) error {
	return errTODO
}

func (s *Store) ListAlignments(ctx context.Context, orgID uuid.UUID, f goalpost.AlignmentFilter) ([]*goalpost.Alignment, error) {
	return nil, errTODO
}

func (s *Store) FindAlignment(ctx context.Context, orgID uuid.UUID, childID, parentID int64) (*goalpost.Alignment, error) {
	return nil, errTODO
}

func (s *Store) CreateAlignment(ctx context.Context, orgID uuid.UUID, a *goalpost.Alignment) error {
	return errTODO
}

func (s *Store) UpdateAlignment(ctx context.Context, orgID uuid.UUID, childID, parentID int64, ifVersion int64, fn func(*goalpost.Alignment) error) (*goalpost.Alignment, error) {
	return nil, errTODO
}

func (s *Store) DeleteAlignment(ctx context.Context, orgID uuid.UUID, childID, parentID int64, ifVersion int64) error {
	return errTODO
}

func (s *Store) ListCheckIns(ctx context.Context, orgID uuid.UUID, itemID int64, p goalpost.Page) ([]*goalpost.CheckIn, error) {
	return nil, errTODO
}

func (s *Store) FindCheckIn(ctx context.Context, orgID uuid.UUID, id int64) (*goalpost.CheckIn, error) {
	return nil, errTODO
}

func (s *Store) CreateCheckIn(ctx context.Context, orgID uuid.UUID, c *goalpost.CheckIn) error {
	return errTODO
}

func (s *Store) UpdateCheckIn(ctx context.Context, orgID uuid.UUID, id int64, ifVersion int64, fn func(*goalpost.CheckIn) error) (*goalpost.CheckIn, error) {
	return nil, errTODO
}

func (s *Store) DeleteCheckIn(ctx context.Context, orgID uuid.UUID, id int64, ifVersion int64) error {
	return errTODO
}

func (s *Store) ListViews(ctx context.Context, orgID, viewerID uuid.UUID, p goalpost.Page) ([]*goalpost.ExplorerView, error) {
	return nil, errTODO
}

func (s *Store) CreateView(ctx context.Context, v *goalpost.ExplorerView) error {
	return errTODO
}

func (s *Store) UpdateView(ctx context.Context, orgID, id uuid.UUID, ifVersion int64, fn func(*goalpost.ExplorerView) error) (*goalpost.ExplorerView, error) {
	return nil, errTODO
}

func (s *Store) DeleteView(ctx context.Context, orgID, id uuid.UUID, ifVersion int64) error {
	return errTODO
}

func (s *Store) ReadOrganization(ctx context.Context, orgID uuid.UUID) (*goalpost.Dataset, error) {
	return nil, errTODO
}

func (s *Store) ImportOrganization(ctx context.Context, orgID uuid.UUID, opts goalpost.ImportOptions, build func(existing *goalpost.Dataset) (*goalpost.Dataset, error)) (goalpost.ImportResult, error) {
	return goalpost.ImportResult{}, errTODO
}

func (t tx) insertView(ctx context.Context, v *goalpost.ExplorerView) error { return errTODO }
