package odata

import (
	"errors"
	"maps"
	"testing"
)

// checkErr fails t unless err is an *Error with Message want (any non-empty
// message when want is "").
func checkErr(tb testing.TB, err error, want string) {
	tb.Helper()
	var e *Error
	if !errors.As(err, &e) {
		tb.Fatalf("got error %v (%T), want *Error", err, err)
	}
	if e.Message == "" {
		tb.Fatalf("got *Error with empty Message")
	}
	if want != "" && e.Message != want {
		tb.Fatalf("got message\n\t%q\nwant\n\t%q", e.Message, want)
	}
}

func TestErrorString(t *testing.T) {
	e := &Error{Message: "Invalid $skiptoken value."}
	if got, want := e.Error(), "odata: Invalid $skiptoken value."; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// queryCases are accepted query strings; FuzzParseQuery seeds from them too.
var queryCases = []struct {
	raw  string
	want Options
}{
	{"", Options{}},
	{"&&", Options{}},
	{"$select=id,status", Options{"select": "id,status"}},
	{"select=id", Options{"select": "id"}},
	{"SELECT=id", Options{"select": "id"}},
	{"$SeLeCt=id", Options{"select": "id"}},
	{"%24select=id", Options{"select": "id"}},
	{"%24SELECT=id", Options{"select": "id"}},
	{"%73elect=id", Options{"select": "id"}},
	{"$select", Options{"select": ""}},
	{"$select=", Options{"select": ""}},
	{"$filter=goalsOrganizationId%20eq%20'x'", Options{"filter": "goalsOrganizationId eq 'x'"}},
	{"$filter=goalsOrganizationId+eq+'x'", Options{"filter": "goalsOrganizationId eq 'x'"}},
	{"$filter=%20a%20eq%20'%26'", Options{"filter": " a eq '&'"}},
	{"$filter=a eq 'b=c'", Options{"filter": "a eq 'b=c'"}},
	{"$top=5&$skiptoken=AQID&foo=bar", Options{"top": "5", "skiptoken": "AQID", "foo": "bar"}},
	{"Foo=Bar", Options{"foo": "Bar"}},              // values keep their case
	{"$$select=x&%24%24select=y", Options{}},        // only one '$' is optional, and '$select' is no custom option
	{"=x&$=y&%24=z", Options{}},                     // no name: nothing to keep
	{"a=1;b=2", Options{"a": "1;b=2"}},              // ';' is not a separator
	{"$select=id&", Options{"select": "id"}},        // trailing '&'
	{"$select=%C3%A9", Options{"select": "\u00e9"}}, // UTF-8 decoded
}

func TestParseQuery(t *testing.T) {
	for _, tt := range queryCases {
		got, err := ParseQuery(tt.raw)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.raw, err)
			continue
		}
		if !maps.Equal(got, tt.want) {
			t.Errorf("ParseQuery(%q) = %v, want %v", tt.raw, got, tt.want)
		}
	}
}

// queryErrorCases are rejected query strings and their messages; FuzzParseQuery seeds from them too.
var queryErrorCases = []struct {
	raw  string
	want string
}{
	{"$select=id&$select=status", "Query option '$select' was specified more than once, but it must be specified at most once."},
	{"$select=id&select=status", "Query option '$select' was specified more than once, but it must be specified at most once."},
	{"select=id&%24SELECT=status", "Query option '$select' was specified more than once, but it must be specified at most once."},
	{"$filter=a&$FILTER=a", "Query option '$filter' was specified more than once, but it must be specified at most once."},
	{"$top=1&top", "Query option '$top' was specified more than once, but it must be specified at most once."},
	{"foo=1&FOO=2", "Query option 'foo' was specified more than once, but it must be specified at most once."},
	{"%zzselect=id", "The query string contains malformed percent-encoding."},
	{"$select%=id", "The query string contains malformed percent-encoding."},
	{"$filter=a%2", "The value of query option '$filter' contains malformed percent-encoding."},
	{"foo=%G0", "The value of query option 'foo' contains malformed percent-encoding."},
}

func TestParseQueryErrors(t *testing.T) {
	for _, tt := range queryErrorCases {
		got, err := ParseQuery(tt.raw)
		if got != nil {
			t.Errorf("ParseQuery(%q) = %v, want nil", tt.raw, got)
		}
		checkErr(t, err, tt.want)
	}
}

func TestOptionsGet(t *testing.T) {
	o, err := ParseQuery("%24Select=id&filter=x")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"select", "SELECT", "Select", "$select", "$SELECT"} {
		if v, ok := o.Get(name); !ok || v != "id" {
			t.Errorf("Get(%q) = %q, %v; want %q, true", name, v, ok, "id")
		}
	}
	if v, ok := o.Get("top"); ok || v != "" {
		t.Errorf("Get(top) = %q, %v; want \"\", false", v, ok)
	}
	if v, ok := o.Get("Filter"); !ok || v != "x" {
		t.Errorf("Get(Filter) = %q, %v; want x, true", v, ok)
	}
}

func TestOptionsReject(t *testing.T) {
	o, err := ParseQuery("$select=id&Count=true&%24orderby=createdDateTime&expand=x")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		names []string
		want  string // "" for nil
	}{
		{nil, ""},
		{[]string{"search", "skip"}, ""},
		{[]string{"expand", "orderby", "search", "count"}, "Query option '$expand' is not supported on this resource."},
		{[]string{"search", "count", "orderby", "expand"}, "Query option '$count' is not supported on this resource."},
		{[]string{"ORDERBY"}, "Query option '$orderby' is not supported on this resource."},
		{[]string{"$Expand"}, "Query option '$expand' is not supported on this resource."},
	}
	for _, tt := range tests {
		err := o.Reject(tt.names...)
		if tt.want == "" {
			if err != nil {
				t.Errorf("Reject(%q) = %v, want nil", tt.names, err)
			}
			continue
		}
		checkErr(t, err, tt.want)
	}
}
