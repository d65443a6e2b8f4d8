package backup

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost/resource"
)

// The records of a backup are resource types. A record of a backup is
// stored as it is, so each must name itself and what it belongs to; these
// checks say which of its ids is missing before the store's import
// validates the rest.

func checkOrganization(j *resource.Organization) error { return required("id", j.ID) }

func checkUser(j *resource.User) error { return required("id", j.ID) }

func checkMembership(j *resource.Membership) error {
	return firstErr(required("orgId", j.OrgID), required("userId", j.UserID))
}

func checkTeam(j *resource.Team) error {
	return firstErr(required("id", j.ID), required("orgId", j.OrgID))
}

func checkTimePeriod(j *resource.TimePeriod) error {
	return firstErr(required("id", j.ID), required("orgId", j.OrgID))
}

func checkItem(j *resource.Item) error {
	if j.ID <= 0 {
		return fmt.Errorf("the item id must be a positive number, not %d", j.ID)
	}
	return required("orgId", j.OrgID)
}

func checkAlignment(j *resource.Alignment) error {
	if j.ChildID <= 0 || j.ParentID <= 0 {
		return fmt.Errorf("an alignment needs the positive ids of its child and parent")
	}
	return nil
}

func checkCheckIn(j *resource.CheckIn) error {
	if j.ItemID <= 0 || j.ID < 0 {
		return fmt.Errorf("a check-in needs the positive id of its item, and an id that is not negative")
	}
	return nil
}

func checkView(j *resource.View) error {
	return firstErr(required("id", j.ID), required("orgId", j.OrgID))
}

// required fails when the GUID property name is missing, null or the nil
// GUID.
func required(name string, id resource.GUID) error {
	if uuid.UUID(id) == uuid.Nil {
		return fmt.Errorf("%q is required", name)
	}
	return nil
}

// firstErr returns the first error of errs.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// byValue and toValue adapt the conversions of package resource, which
// take and give records by pointer, to the records a dataset holds by
// value (memberships, alignments).
func byValue[T, J any](from func(*T) J) func(T) J {
	return func(v T) J { return from(&v) }
}

func toValue[J, T any](to func(*J) *T) func(*J) T {
	return func(j *J) T { return *to(j) }
}
