package httpapi

import (
	"fmt"
	"reflect"

	"github.com/goalpost/goalpost/resource"
)

// The JSON of /api/v1's resources is package resource's, the same that a
// backup holds. Responses carry a record's full representation; a POST
// body, and a PATCH merge patch, holds the properties that are not
// read-only in that request, decoded into the same type. The shapes below
// name those read-only properties; a property added to a resource type is
// writable until it is named here.

var (
	orgShape       = shapeOf[resource.Organization]("organization", "id", "createdAt", "version")
	orgCreateShape = shapeOf[resource.Organization]("organization", "createdAt", "version")

	memberShape       = shapeOf[resource.Member]("member", "id", "orgId", "upn", "version")
	memberCreateShape = shapeOf[resource.Member]("member", "orgId", "version")

	teamShape   = shapeOf[resource.Team]("team", "id", "orgId", "version")
	periodShape = shapeOf[resource.TimePeriod]("time period", "id", "orgId", "version")

	itemShape = shapeOf[resource.Item]("item", "id", "orgId", "creatorId", "progress", "createdAt", "updatedAt",
		"lastCheckInDate", "lastCheckInNote", "version")

	alignmentShape       = shapeOf[resource.Alignment]("alignment", "childId", "parentId", "version")
	alignmentCreateShape = shapeOf[resource.Alignment]("alignment", "childId", "version")

	checkInShape = shapeOf[resource.CheckIn]("check-in", "id", "itemId", "userId", "activityAt", "version")
	viewShape    = shapeOf[resource.View]("view", "id", "orgId", "creatorId", "createdAt", "version")
)

// shapeOf is the shape of a body of resource type J in which readOnly are
// read-only. It panics on a name that is not a property of J, so that a
// renamed property cannot silently become writable.
func shapeOf[J any](typeName string, readOnly ...string) bodyShape {
	sh := bodyShape{typeName: typeName, full: reflect.TypeFor[J](), readOnly: readOnly}
	fields := jsonFields(sh.full)
	for _, name := range readOnly {
		if _, ok := fields[name]; !ok {
			panic(fmt.Sprintf("httpapi: %s has no property %q", sh.full, name))
		}
	}
	return sh
}

// patchRecord applies a merge patch of shape sh to *rec through its JSON:
// from gives the JSON, to the record back. The read-only properties keep
// their values, since check refused them in the patch.
func patchRecord[R, J any](patch bodyObject, sh bodyShape, rec *R, from func(*R) J, to func(*J) *R) error {
	j := from(rec)
	if err := applyPatch(patch, &j, sh.typeName); err != nil {
		return err
	}
	*rec = *to(&j)
	return nil
}
