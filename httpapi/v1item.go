package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/resource"
)

// Items, their alignments and their check-ins. A restricted item the
// caller may not see does not exist for them, on every route that names
// it, and alignments to or from it are left out of lists.

// itemFilterParams are the query parameters of GET …/items, each a
// goalpost.ViewFilter field.
var itemFilterParams = []string{"kind", "level", "status", "periodId", "ownerId", "teamId", "tag", "q", "alignedTo", "minProgress", "maxProgress"}

// listValues returns the values of a repeatable, comma-separated parameter.
func (q *v1Request) listValues(name string) ([]string, error) {
	var out []string
	for _, v := range q.query[name] {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				return nil, invalidParam(name, "The query parameter %s has an empty value.", name)
			}
			out = append(out, part)
		}
	}
	return out, nil
}

// enumValues reads a list parameter whose values are one of known.
func enumValues[T ~string](q *v1Request, name string, known ...T) ([]T, error) {
	vs, err := q.listValues(name)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(vs))
	for _, v := range vs {
		ok := false
		for _, k := range known {
			ok = ok || string(k) == v
		}
		if !ok {
			names := make([]string, len(known))
			for i, k := range known {
				names[i] = string(k)
			}
			return nil, invalidParam(name, "The value %s of %s is not one of %s.", strconv.Quote(truncate(v, 64)), name, strings.Join(names, ", "))
		}
		out = append(out, T(v))
	}
	return out, nil
}

// guidValues reads a list parameter of GUIDs.
func guidValues(q *v1Request, name string) ([]uuid.UUID, error) {
	vs, err := q.listValues(name)
	if err != nil {
		return nil, err
	}
	out := make([]uuid.UUID, 0, len(vs))
	for _, v := range vs {
		id, ok := parseGUID(v)
		if !ok || id == uuid.Nil {
			return nil, invalidParam(name, "The value %s of %s is not a GUID.", strconv.Quote(truncate(v, 64)), name)
		}
		out = append(out, id)
	}
	return out, nil
}

// itemFilter turns the query parameters of GET …/items into a view filter.
func (q *v1Request) itemFilter() (f goalpost.ViewFilter, err error) {
	if f.Kinds, err = enumValues(q, "kind", goalpost.KindObjective, goalpost.KindKeyResult, goalpost.KindInitiative); err != nil {
		return f, err
	}
	if f.Levels, err = enumValues(q, "level", goalpost.LevelOrganization, goalpost.LevelTeam, goalpost.LevelIndividual); err != nil {
		return f, err
	}
	if f.Statuses, err = enumValues(q, "status", goalpost.StatusNotStarted, goalpost.StatusOnTrack, goalpost.StatusBehind,
		goalpost.StatusAtRisk, goalpost.StatusClosed, goalpost.StatusPostponed, goalpost.StatusReopened); err != nil {
		return f, err
	}
	if f.TimePeriods, err = guidValues(q, "periodId"); err != nil {
		return f, err
	}
	if f.Teams, err = guidValues(q, "teamId"); err != nil {
		return f, err
	}
	if f.Tags, err = q.listValues("tag"); err != nil {
		return f, err
	}
	owners, err := q.listValues("ownerId")
	if err != nil {
		return f, err
	}
	for _, o := range owners {
		if o != goalpost.OwnerMe && o != goalpost.OwnerUnassigned {
			id, ok := parseGUID(o)
			if !ok || id == uuid.Nil {
				return f, invalidParam("ownerId", "The value %s of ownerId is neither a GUID nor %q nor %q.",
					strconv.Quote(truncate(o, 64)), goalpost.OwnerMe, goalpost.OwnerUnassigned)
			}
			o = id.String()
		}
		f.Owners = append(f.Owners, o)
	}
	if v, ok, err := q.single("q"); err != nil {
		return f, err
	} else if ok {
		f.Keyword = v
	}
	if v, ok, err := q.single("alignedTo"); err != nil {
		return f, err
	} else if ok {
		switch v {
		case "any":
			f.Aligned = &goalpost.AlignedFilter{Mode: goalpost.AlignedAny}
		case "none":
			f.Aligned = &goalpost.AlignedFilter{Mode: goalpost.AlignedNone}
		default:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return f, invalidParam("alignedTo", `The value of alignedTo must be an item id, "any" or "none".`)
			}
			f.Aligned = &goalpost.AlignedFilter{Mode: goalpost.AlignedTo, ItemID: n}
		}
	}
	lo, hasLo, err := q.progressParam("minProgress", 0)
	if err != nil {
		return f, err
	}
	hi, hasHi, err := q.progressParam("maxProgress", 100)
	if err != nil {
		return f, err
	}
	if hasLo || hasHi {
		if lo > hi {
			return f, invalidParam("minProgress", "minProgress %g is greater than maxProgress %g.", lo, hi)
		}
		f.Progress = &goalpost.ProgressRange{Min: lo, Max: hi}
	}
	// The store validates the filter as it validates a view's; a mistake
	// is reported with the name of the query parameter.
	if err := goalpost.ValidateView(&goalpost.ExplorerView{Name: "items", Visibility: goalpost.ViewPublic, Filter: f}); err != nil {
		if e, ok := err.(*goalpost.Error); ok {
			e2 := *e
			e2.Target = filterParam(e.Target)
			return f, &e2
		}
		return f, err
	}
	return f, nil
}

// filterParam names the query parameter of a view filter's field.
func filterParam(target string) string {
	switch {
	case strings.HasPrefix(target, "filter.keyword"):
		return "q"
	case strings.HasPrefix(target, "filter.tags"):
		return "tag"
	case strings.HasPrefix(target, "filter.aligned"):
		return "alignedTo"
	case strings.HasPrefix(target, "filter.progress"):
		return "minProgress"
	case strings.HasPrefix(target, "filter.owners"):
		return "ownerId"
	case strings.HasPrefix(target, "filter.teams"):
		return "teamId"
	case strings.HasPrefix(target, "filter.timePeriods"):
		return "periodId"
	}
	return target
}

// progressParam reads minProgress or maxProgress: a number from 0 to 100.
func (q *v1Request) progressParam(name string, def float64) (float64, bool, error) {
	v, ok, err := q.single(name)
	if err != nil || !ok {
		return def, false, err
	}
	x, perr := strconv.ParseFloat(v, 64)
	if perr != nil || x < 0 || x > 100 {
		return 0, false, invalidParam(name, "The value of %s must be a number from 0 to 100.", name)
	}
	return x, true, nil
}

// Items, through the flows of v1entity.go; who may change an item is
// decided per item.

// itemEntity is /organizations/{orgId}/items.
var itemEntity = &v1Entity[int64, goalpost.Item, resource.Item]{
	collection:  "items",
	param:       "itemId",
	parseFunc:   pathInt,
	keyFunc:     func(it *goalpost.Item) string { return strconv.FormatInt(it.ID, 10) },
	versionFunc: func(it *goalpost.Item) int64 { return it.Version },
	shape:       itemShape,
	fromFunc:    resource.FromItem,
	toFunc:      resource.ToItem,
	findFunc:    (*Server).authorizeItem,
	canEditFunc: authorizeItemEdit,
	patchedFunc: checkItemPatch,
	listFunc:    (*Server).listItems,
	buildFunc:   (*Server).newItem,
	createFunc:  goalpost.Store.CreateItem,
	updateFunc:  goalpost.Store.UpdateItem,
	deleteFunc:  goalpost.Store.DeleteItem,
}

// listItems lists the items the caller may see that match the filters of
// the query, by id.
func (s *Server) listItems(q *v1Request, p goalpost.Page) ([]*goalpost.Item, error) {
	f, err := q.itemFilter()
	if err != nil {
		return nil, err
	}
	return s.cfg.Store.ListItems(q.r.Context(), goalpost.ItemFilter{
		OrgID: q.orgID, ViewerID: q.m.UserID, Filter: f, Today: s.today(), Page: p})
}

// newItem is the item of a POST. The caller is the creator and, unless
// ownerIds is given, the owner.
func (s *Server) newItem(q *v1Request, obj bodyObject, in *resource.Item) (*goalpost.Item, error) {
	it := resource.ToItem(in)
	it.OrgID, it.CreatorID = q.orgID, q.m.UserID
	if !obj.has("ownerIds") {
		it.OwnerIDs = []uuid.UUID{q.m.UserID}
	}
	if it.ProgressMode == goalpost.ProgressRollup && obj.has("currentValue") {
		return nil, rollupValueError()
	}
	check := *it
	check.ApplyDefaults()
	return it, goalpost.ValidateItem(&check)
}

// checkItemPatch refuses a current value patched into an item whose value
// rolls up.
func checkItemPatch(patch bodyObject, it *goalpost.Item) error {
	if it.ProgressMode == goalpost.ProgressRollup && patch.has("currentValue") {
		return rollupValueError()
	}
	return nil
}

// rollupValueError refuses a current value for an item whose value rolls up.
func rollupValueError() error {
	return invalidBody("currentValue", "The current value of an item with progressMode rollup is rolled up from its contributors and read-only.")
}

// Alignments.

// alignmentNotFound is the 404 of an alignment that does not exist or
// whose parent the caller may not see.
func alignmentNotFound(child, parent int64) error {
	return &goalpost.Error{Code: goalpost.ENOTFOUND, Inner: "alignmentNotFound",
		Message: fmt.Sprintf("The item %d does not contribute to the item %d.", child, parent)}
}

// visibleAlignments keeps the alignments whose other end (other returns
// its id) the caller may see.
func (s *Server) visibleAlignments(ctx context.Context, q *v1Request, as []*goalpost.Alignment, other func(*goalpost.Alignment) int64) ([]*goalpost.Alignment, error) {
	if q.m.Role.IsAdmin() {
		return as, nil
	}
	v := s.seer(q)
	out := as[:0:0]
	for _, a := range as {
		_, err := v.item(ctx, q.orgID, other(a))
		if goalpost.IsNotFound(err) {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// v1ListParents is GET …/items/{itemId}/parents, in position order.
func (s *Server) v1ListParents(q *v1Request) error {
	return s.listAlignments(q, func(id int64) goalpost.AlignmentFilter { return goalpost.AlignmentFilter{ChildID: id} },
		func(a *goalpost.Alignment) int64 { return a.ParentID })
}

// v1ListContributors is GET …/items/{itemId}/contributors, by child id.
func (s *Server) v1ListContributors(q *v1Request) error {
	return s.listAlignments(q, func(id int64) goalpost.AlignmentFilter { return goalpost.AlignmentFilter{ParentID: id} },
		func(a *goalpost.Alignment) int64 { return a.ChildID })
}

func (s *Server) listAlignments(q *v1Request, filter func(int64) goalpost.AlignmentFilter, other func(*goalpost.Alignment) int64) error {
	id, err := pathInt(q.r, "itemId")
	if err != nil {
		return err
	}
	if _, err := s.authorizeItem(q, id); err != nil {
		return err
	}
	ctx := q.r.Context()
	as, err := s.cfg.Store.ListAlignments(ctx, q.orgID, filter(id))
	if err != nil {
		return err
	}
	if as, err = s.visibleAlignments(ctx, q, as, other); err != nil {
		return err
	}
	return writeList(q, as, "", resource.FromAlignment)
}

// alignmentRequest resolves the child and parent of …/parents/{parentId}:
// both must be items the caller may see.
func (s *Server) alignmentRequest(q *v1Request) (child *goalpost.Item, parentID int64, err error) {
	id, err := pathInt(q.r, "itemId")
	if err != nil {
		return nil, 0, err
	}
	if parentID, err = pathInt(q.r, "parentId"); err != nil {
		return nil, 0, err
	}
	v := s.seer(q)
	ctx := q.r.Context()
	if child, err = v.item(ctx, q.orgID, id); err != nil {
		return nil, 0, err
	}
	if _, err := v.item(ctx, q.orgID, parentID); goalpost.IsNotFound(err) {
		return nil, 0, alignmentNotFound(id, parentID)
	} else if err != nil {
		return nil, 0, err
	}
	return child, parentID, nil
}

// findAlignment reads an alignment, with the API's 404.
func (s *Server) findAlignment(ctx context.Context, orgID uuid.UUID, child, parent int64) (*goalpost.Alignment, error) {
	a, err := s.cfg.Store.FindAlignment(ctx, orgID, child, parent)
	if goalpost.IsNotFound(err) {
		return nil, alignmentNotFound(child, parent)
	}
	return a, err
}

func alignmentPath(orgID uuid.UUID, child, parent int64) string {
	return "/organizations/" + orgID.String() + "/items/" + strconv.FormatInt(child, 10) + "/parents/" + strconv.FormatInt(parent, 10)
}

// v1CreateAlignment is POST …/items/{itemId}/parents: the item contributes
// to parentId. A weight given without weightFixed is fixed.
func (s *Server) v1CreateAlignment(q *v1Request) error {
	id, err := pathInt(q.r, "itemId")
	if err != nil {
		return err
	}
	v := s.seer(q)
	ctx := q.r.Context()
	child, err := v.item(ctx, q.orgID, id)
	if err != nil {
		return err
	}
	if err := authorizeItemEdit(q, child); err != nil {
		return err
	}
	var in resource.Alignment
	obj, err := s.decodeBody(q.r, alignmentCreateShape, &in)
	if err != nil {
		return err
	}
	if in.ParentID <= 0 {
		return invalidBody("parentId", "The parentId must be the id of an item.")
	}
	if _, err := v.item(ctx, q.orgID, in.ParentID); goalpost.IsNotFound(err) {
		return invalidBody("parentId", "The item %d does not exist.", in.ParentID)
	} else if err != nil {
		return err
	}
	a := &goalpost.Alignment{ChildID: id, ParentID: in.ParentID, Weight: in.Weight,
		WeightFixed: in.WeightFixed || (obj.has("weight") && !obj.has("weightFixed"))}
	if err := goalpost.ValidateAlignment(a); err != nil {
		return err
	}
	if err := s.cfg.Store.CreateAlignment(ctx, q.orgID, a); err != nil {
		return err
	}
	// Rebalancing may have set the weight; answer with what is stored.
	if a, err = s.findAlignment(ctx, q.orgID, id, in.ParentID); err != nil {
		return err
	}
	return s.writeCreated(q, alignmentPath(q.orgID, id, a.ParentID), resource.FromAlignment(a), a.Version)
}

// v1GetAlignment is GET …/items/{itemId}/parents/{parentId}.
func (s *Server) v1GetAlignment(q *v1Request) error {
	child, parent, err := s.alignmentRequest(q)
	if err != nil {
		return err
	}
	a, err := s.findAlignment(q.r.Context(), q.orgID, child.ID, parent)
	if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, resource.FromAlignment(a), a.Version)
}

// v1UpdateAlignment is PATCH …/items/{itemId}/parents/{parentId}. A weight
// given without weightFixed becomes fixed.
func (s *Server) v1UpdateAlignment(q *v1Request) error {
	ifv, err := q.ifMatch()
	if err != nil {
		return err
	}
	child, parent, err := s.alignmentRequest(q)
	if err != nil {
		return err
	}
	if err := authorizeItemEdit(q, child); err != nil {
		return err
	}
	patch, err := s.readPatch(q.r, alignmentShape)
	if err != nil {
		return err
	}
	a, err := s.cfg.Store.UpdateAlignment(q.r.Context(), q.orgID, child.ID, parent, ifv, func(a *goalpost.Alignment) error {
		if err := patchRecord(patch, alignmentShape, a, resource.FromAlignment, resource.ToAlignment); err != nil {
			return err
		}
		if patch.has("weight") && !patch.has("weightFixed") {
			a.WeightFixed = true
		}
		return nil
	})
	if goalpost.IsNotFound(err) {
		return alignmentNotFound(child.ID, parent)
	} else if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, resource.FromAlignment(a), a.Version)
}

// v1DeleteAlignment is DELETE …/items/{itemId}/parents/{parentId}.
func (s *Server) v1DeleteAlignment(q *v1Request) error {
	ifv, err := q.ifMatch()
	if err != nil {
		return err
	}
	err = checkedWrite(ifv, func(version func(int64) int64) error {
		child, parent, err := s.alignmentRequest(q)
		if err != nil {
			return err
		}
		if err := authorizeItemEdit(q, child); err != nil {
			return err
		}
		a, err := s.findAlignment(q.r.Context(), q.orgID, child.ID, parent)
		if err != nil {
			return err
		}
		err = s.cfg.Store.DeleteAlignment(q.r.Context(), q.orgID, child.ID, parent, version(a.Version))
		if goalpost.IsNotFound(err) {
			return alignmentNotFound(child.ID, parent)
		}
		return err
	})
	if err != nil {
		return err
	}
	return q.noContent()
}

// Check-ins.

func checkInNotFound(id int64) error {
	return &goalpost.Error{Code: goalpost.ENOTFOUND, Inner: "checkInNotFound", Message: fmt.Sprintf("The check-in %d does not exist.", id)}
}

func checkInPath(orgID uuid.UUID, id int64) string {
	return "/organizations/" + orgID.String() + "/checkIns/" + strconv.FormatInt(id, 10)
}

// v1ListCheckIns is GET …/items/{itemId}/checkIns, newest first.
func (s *Server) v1ListCheckIns(q *v1Request) error {
	id, err := pathInt(q.r, "itemId")
	if err != nil {
		return err
	}
	return listPaged(s, q, func(p goalpost.Page) ([]*goalpost.CheckIn, error) {
		if _, err := s.authorizeItem(q, id); err != nil {
			return nil, err
		}
		return s.cfg.Store.ListCheckIns(q.r.Context(), q.orgID, id, p)
	}, func(c *goalpost.CheckIn) string { return strconv.FormatInt(c.ID, 10) }, resource.FromCheckIn)
}

// v1CreateCheckIn is POST …/items/{itemId}/checkIns. The caller checks in
// now; date defaults to today (UTC), status and value to the item's.
func (s *Server) v1CreateCheckIn(q *v1Request) error {
	id, err := pathInt(q.r, "itemId")
	if err != nil {
		return err
	}
	it, err := s.authorizeItem(q, id)
	if err != nil {
		return err
	}
	if err := authorizeCheckIn(q, it); err != nil {
		return err
	}
	var in resource.CheckIn
	obj, err := s.decodeBody(q.r, checkInShape, &in)
	if err != nil {
		return err
	}
	c := resource.ToCheckIn(&in)
	c.ItemID, c.UserID, c.ActivityAt = id, q.m.UserID, s.now().UTC().Truncate(time.Millisecond)
	if !obj.has("date") {
		c.Date = s.today()
	}
	if !obj.has("status") {
		c.Status = it.Status
	}
	if !obj.has("value") {
		c.Value = it.Current
	}
	if err := goalpost.ValidateCheckIn(c); err != nil {
		return err
	}
	if err := s.cfg.Store.CreateCheckIn(q.r.Context(), q.orgID, c); err != nil {
		return err
	}
	return s.writeCreated(q, checkInPath(q.orgID, c.ID), resource.FromCheckIn(c), c.Version)
}

// checkInRequest resolves …/checkIns/{checkInId} to a check-in of an item
// the caller may see.
func (s *Server) checkInRequest(q *v1Request) (*goalpost.CheckIn, *goalpost.Item, error) {
	id, err := pathInt(q.r, "checkInId")
	if err != nil {
		return nil, nil, err
	}
	ctx := q.r.Context()
	c, err := s.cfg.Store.FindCheckIn(ctx, q.orgID, id)
	if goalpost.IsNotFound(err) {
		return nil, nil, checkInNotFound(id)
	} else if err != nil {
		return nil, nil, err
	}
	it, err := s.seer(q).item(ctx, q.orgID, c.ItemID)
	if goalpost.IsNotFound(err) {
		return nil, nil, checkInNotFound(id)
	} else if err != nil {
		return nil, nil, err
	}
	return c, it, nil
}

// v1GetCheckIn is GET /organizations/{orgId}/checkIns/{checkInId}.
func (s *Server) v1GetCheckIn(q *v1Request) error {
	c, _, err := s.checkInRequest(q)
	if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, resource.FromCheckIn(c), c.Version)
}

// v1UpdateCheckIn is PATCH /organizations/{orgId}/checkIns/{checkInId}.
func (s *Server) v1UpdateCheckIn(q *v1Request) error {
	ifv, err := q.ifMatch()
	if err != nil {
		return err
	}
	c, it, err := s.checkInRequest(q)
	if err != nil {
		return err
	}
	if err := authorizeCheckIn(q, it); err != nil {
		return err
	}
	patch, err := s.readPatch(q.r, checkInShape)
	if err != nil {
		return err
	}
	c, err = s.cfg.Store.UpdateCheckIn(q.r.Context(), q.orgID, c.ID, ifv, func(c *goalpost.CheckIn) error {
		return patchRecord(patch, checkInShape, c, resource.FromCheckIn, resource.ToCheckIn)
	})
	if err != nil {
		return err
	}
	return q.writeEntity(http.StatusOK, resource.FromCheckIn(c), c.Version)
}

// v1DeleteCheckIn is DELETE /organizations/{orgId}/checkIns/{checkInId}.
func (s *Server) v1DeleteCheckIn(q *v1Request) error {
	ifv, err := q.ifMatch()
	if err != nil {
		return err
	}
	err = checkedWrite(ifv, func(version func(int64) int64) error {
		c, it, err := s.checkInRequest(q)
		if err != nil {
			return err
		}
		if err := authorizeCheckIn(q, it); err != nil {
			return err
		}
		return s.cfg.Store.DeleteCheckIn(q.r.Context(), q.orgID, c.ID, version(c.Version))
	})
	if err != nil {
		return err
	}
	return q.noContent()
}
