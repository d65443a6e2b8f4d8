// Package resource is the JSON of goalpost's records: one type per domain
// type, in the form /api/v1 answers with and a backup holds. httpapi writes
// responses with these types and reads request bodies into them (a body
// sets the properties that are not read-only); backup bundles them into
// its document. So a property added here appears in both, and the OpenAPI
// document's drift test names it until it is described.
//
// The domain types carry no JSON tags; the JSON changes here, on purpose.
// GUIDs are their 36-character form, null when unset; dates are
// "YYYY-MM-DD" or null (goalpost.Date); times are RFC 3339 in UTC with
// milliseconds, null when unset; lists are [] when empty.
//
// The From… functions convert a domain record to its JSON, the To…
// functions convert back, giving nil for an empty list as the stores do.
// To… checks nothing: a record read from a request or a file goes through
// the domain's validation like any other.
package resource

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// GUID is a GUID in JSON: its 36-character string, or null for uuid.Nil (a
// reference that is unset). A record's own id is never nil; its readers
// check that it is there.
type GUID uuid.UUID

// MarshalJSON writes the GUID, or null.
func (g GUID) MarshalJSON() ([]byte, error) {
	if uuid.UUID(g) == uuid.Nil {
		return []byte("null"), nil
	}
	return json.Marshal(uuid.UUID(g).String())
}

// UnmarshalJSON reads null or a GUID string in the 36-character form only
// (any case), the one form goalpost writes.
func (g *GUID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*g = GUID(uuid.Nil)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("expected a GUID string")
	}
	id, ok := parseGUID(s)
	if !ok {
		if len(s) > 64 {
			s = s[:64]
		}
		return fmt.Errorf("%s is not a GUID", strconv.Quote(s))
	}
	*g = GUID(id)
	return nil
}

// parseGUID parses the canonical 8-4-4-4-12 form of a GUID, any case.
func parseGUID(s string) (uuid.UUID, bool) {
	if len(s) != 36 {
		return uuid.Nil, false
	}
	u, err := uuid.Parse(s)
	return u, err == nil
}

// guids converts a list of GUIDs to JSON, [] when empty.
func guids(ids []uuid.UUID) []GUID {
	out := make([]GUID, len(ids))
	for i, id := range ids {
		out[i] = GUID(id)
	}
	return out
}

// uuids converts a list of GUIDs from JSON, nil when empty.
func uuids(gs []GUID) []uuid.UUID {
	if len(gs) == 0 {
		return nil
	}
	out := make([]uuid.UUID, len(gs))
	for i, g := range gs {
		out[i] = uuid.UUID(g)
	}
	return out
}

// strs returns a list of strings for JSON, [] when empty.
func strs(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// strsDomain returns a list of strings from JSON, nil when empty.
func strsDomain(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	return ss
}

// TimeLayout is how Time writes a time: RFC 3339 with milliseconds, as
// the stores keep times, and in UTC ("Z").
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// Time is a time in JSON: RFC 3339 in UTC with milliseconds, or null for
// the zero time.
type Time time.Time

// MarshalJSON writes the time in UTC, or null.
func (t Time) MarshalJSON() ([]byte, error) {
	if time.Time(t).IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(time.Time(t).UTC().Format(TimeLayout))
}

// UnmarshalJSON reads null or an RFC 3339 string in any zone, and keeps
// the time in UTC.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("invalid time %s: expected an RFC 3339 string", b)
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("invalid time %q: expected RFC 3339, such as 2025-03-15T12:00:00.000Z", s)
	}
	*t = Time(v.UTC())
	return nil
}
