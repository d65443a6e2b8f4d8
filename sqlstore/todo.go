package sqlstore

import (
	"context"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// errTODO marks a method not written yet.
var errTODO = goalpost.Errorf(goalpost.EINTERNAL, "not implemented")

func (s *Store) ReadOrganization(ctx context.Context, orgID uuid.UUID) (*goalpost.Dataset, error) {
	return nil, errTODO
}

func (s *Store) ImportOrganization(ctx context.Context, orgID uuid.UUID, opts goalpost.ImportOptions, build func(existing *goalpost.Dataset) (*goalpost.Dataset, error)) (goalpost.ImportResult, error) {
	return goalpost.ImportResult{}, errTODO
}
