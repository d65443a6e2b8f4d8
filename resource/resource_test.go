package resource_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/resource"
)

// fill sets every field of the struct v points to, recursively, to a value
// that is not zero, so that a field a conversion forgets shows.
func fill(t *testing.T, v reflect.Value) {
	t.Helper()
	switch v.Interface().(type) {
	case uuid.UUID:
		v.Set(reflect.ValueOf(uuid.New()))
		return
	case time.Time:
		v.Set(reflect.ValueOf(time.Date(2025, 3, 15, 12, 0, 0, 123e6, time.UTC)))
		return
	case goalpost.Date:
		v.Set(reflect.ValueOf(goalpost.MustParseDate("2025-03-15")))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Float64:
		v.SetFloat(0.25)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(t, v.Index(0))
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i))
			}
		}
	default:
		t.Fatalf("fill: no value for %v", v.Type())
	}
}

// roundTrip fills a D, converts it to JSON with from, encodes, decodes
// strictly and converts back with to: what comes back must be what went
// in.
func roundTrip[D, J any](t *testing.T, from func(*D) J, to func(*J) *D) {
	t.Helper()
	var d D
	fill(t, reflect.ValueOf(&d).Elem())
	b, err := json.Marshal(from(&d))
	if err != nil {
		t.Fatal(err)
	}
	var j J
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	if got := to(&j); !reflect.DeepEqual(*got, d) {
		t.Errorf("%T does not round-trip:\ngot  %+v\nwant %+v\nJSON %s", d, *got, d, b)
	}
}

// TestRoundTrip requires every field of every domain type to reach the
// JSON and come back: a field added to a domain type fails it until its
// resource type has it.
func TestRoundTrip(t *testing.T) {
	roundTrip(t, resource.FromOrganization, resource.ToOrganization)
	roundTrip(t, resource.FromUser, resource.ToUser)
	roundTrip(t, resource.FromMembership, resource.ToMembership)
	roundTrip(t, resource.FromMember, resource.ToMember)
	roundTrip(t, resource.FromTeam, resource.ToTeam)
	roundTrip(t, resource.FromTimePeriod, resource.ToTimePeriod)
	roundTrip(t, resource.FromItem, resource.ToItem)
	roundTrip(t, resource.FromAlignment, resource.ToAlignment)
	roundTrip(t, resource.FromCheckIn, resource.ToCheckIn)
	roundTrip(t, resource.FromView, resource.ToView)
}

// TestLists: lists are [] in JSON when empty, and nil in the domain.
func TestLists(t *testing.T) {
	b, err := json.Marshal(resource.FromItem(&goalpost.Item{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{`"teamIds":[]`, `"ownerIds":[]`, `"tags":[]`, `"creatorId":null`, `"score":null`, `"createdAt":null`} {
		if !bytes.Contains(b, []byte(p)) {
			t.Errorf("the JSON of an empty item has no %s: %s", p, b)
		}
	}
	it := resource.ToItem(&resource.Item{TeamIDs: []resource.GUID{}, Tags: []string{}})
	if it.TeamIDs != nil || it.Tags != nil {
		t.Errorf("empty lists convert to %#v and %#v, want nil", it.TeamIDs, it.Tags)
	}
	if tm := resource.ToTeam(&resource.Team{MemberIDs: []resource.GUID{}}); tm.Members != nil {
		t.Errorf("empty members convert to %#v, want nil", tm.Members)
	}
}

func TestGUID(t *testing.T) {
	id := uuid.MustParse("a0000000-0000-4000-8000-0000000000a1")
	for _, tt := range []struct {
		in   resource.GUID
		want string
	}{
		{resource.GUID(id), `"a0000000-0000-4000-8000-0000000000a1"`},
		{resource.GUID(uuid.Nil), `null`},
	} {
		if b, err := json.Marshal(tt.in); err != nil || string(b) != tt.want {
			t.Errorf("Marshal(%v) = %s, %v; want %s", uuid.UUID(tt.in), b, err, tt.want)
		}
	}
	for _, tt := range []struct {
		in      string
		want    uuid.UUID
		wantErr string
	}{
		{`"a0000000-0000-4000-8000-0000000000a1"`, id, ""},
		{`"A0000000-0000-4000-8000-0000000000A1"`, id, ""},
		{`null`, uuid.Nil, ""},
		{`"a00000000000400080000000000000a1"`, uuid.Nil, `"a00000000000400080000000000000a1" is not a GUID`},
		{`"urn:uuid:a0000000-0000-4000-8000-0000000000a1"`, uuid.Nil, `"urn:uuid:a0000000-0000-4000-8000-0000000000a1" is not a GUID`},
		{`"` + strings.Repeat("x", 100) + `"`, uuid.Nil, `"` + strings.Repeat("x", 64) + `" is not a GUID`},
		{`7`, uuid.Nil, "expected a GUID string"},
	} {
		var g resource.GUID
		err := json.Unmarshal([]byte(tt.in), &g)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Unmarshal(%s) = %v, want %s", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || uuid.UUID(g) != tt.want {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v", tt.in, uuid.UUID(g), err, tt.want)
		}
	}
}

func TestTime(t *testing.T) {
	zurich := time.FixedZone("CET", 3600)
	for _, tt := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2025, 3, 15, 13, 0, 0, 5e8+999, zurich), `"2025-03-15T12:00:00.500Z"`},
		{time.Time{}, `null`},
	} {
		if b, err := json.Marshal(resource.Time(tt.in)); err != nil || string(b) != tt.want {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tt.in, b, err, tt.want)
		}
	}
	for _, tt := range []struct {
		in      string
		want    time.Time
		wantErr string
	}{
		{`"2025-03-15T13:00:00.5+01:00"`, time.Date(2025, 3, 15, 12, 0, 0, 5e8, time.UTC), ""},
		{`null`, time.Time{}, ""},
		{`"2025-03-15 12:00"`, time.Time{}, `invalid time "2025-03-15 12:00": expected RFC 3339, such as 2025-03-15T12:00:00.000Z`},
		{`1742040000`, time.Time{}, `invalid time 1742040000: expected an RFC 3339 string`},
	} {
		var got resource.Time
		err := json.Unmarshal([]byte(tt.in), &got)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Unmarshal(%s) = %v, want %s", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !time.Time(got).Equal(tt.want) || time.Time(got).Location() != tt.want.Location() {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v", tt.in, time.Time(got), err, tt.want)
		}
	}
}
