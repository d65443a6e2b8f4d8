package odata

import (
	"slices"
	"testing"
)

var jobProperties = []string{
	"id", "createdDateTime", "lastActionDateTime", "status", "statusDetail",
	"resourceLocation", "goalsOrganizationId", "explorerViewId", "expirationDateTime",
}

// selectCases are accepted $select values; FuzzParseSelect seeds from them too.
var selectCases = []struct {
	value string
	want  []string
}{
	{"id", []string{"id"}},
	{"id,status", []string{"id", "status"}},
	{"status,id", []string{"status", "id"}},
	{" id , status ", []string{"id", "status"}},
	{"\tid,\tstatus\t", []string{"id", "status"}},
	{"ID,STATUS", []string{"id", "status"}},
	{"createddatetime", []string{"createdDateTime"}},
	{"GoalsOrganizationID", []string{"goalsOrganizationId"}},
	{"id,status,id", []string{"id", "status"}},
	{"status,Status,STATUS", []string{"status"}},
	{"expirationDateTime,id,statusDetail", []string{"expirationDateTime", "id", "statusDetail"}},
}

func TestParseSelect(t *testing.T) {
	for _, tt := range selectCases {
		got, err := ParseSelect(tt.value, "goalsExportJob", jobProperties)
		if err != nil {
			t.Errorf("ParseSelect(%q): %v", tt.value, err)
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ParseSelect(%q) = %q, want %q", tt.value, got, tt.want)
		}
	}
}

// selectErrorCases are rejected $select values and their messages; FuzzParseSelect seeds from them too.
var selectErrorCases = []struct {
	value string
	want  string
}{
	{"x", "Parsing OData Select and Expand failed: Could not find a property named 'x' on type 'microsoft.graph.goalsExportJob'."},
	{"id,Bogus", "Parsing OData Select and Expand failed: Could not find a property named 'Bogus' on type 'microsoft.graph.goalsExportJob'."},
	{"id, nope ,status", "Parsing OData Select and Expand failed: Could not find a property named 'nope' on type 'microsoft.graph.goalsExportJob'."},
	{"content", "Parsing OData Select and Expand failed: Could not find a property named 'content' on type 'microsoft.graph.goalsExportJob'."},
	{"*", "Parsing OData Select and Expand failed: Could not find a property named '*' on type 'microsoft.graph.goalsExportJob'."},
	{"id status", "Parsing OData Select and Expand failed: Could not find a property named 'id status' on type 'microsoft.graph.goalsExportJob'."},
	{"id;status", "Parsing OData Select and Expand failed: Could not find a property named 'id;status' on type 'microsoft.graph.goalsExportJob'."},
	{"", "Parsing OData Select and Expand failed: Syntax error at position 0 in '': expected a property name."},
	{"  ", "Parsing OData Select and Expand failed: Syntax error at position 2 in '  ': expected a property name."},
	{",", "Parsing OData Select and Expand failed: Syntax error at position 0 in ',': expected a property name."},
	{"id,", "Parsing OData Select and Expand failed: Syntax error at position 3 in 'id,': expected a property name."},
	{",id", "Parsing OData Select and Expand failed: Syntax error at position 0 in ',id': expected a property name."},
	{"id,,status", "Parsing OData Select and Expand failed: Syntax error at position 3 in 'id,,status': expected a property name."},
	{"id, ,status", "Parsing OData Select and Expand failed: Syntax error at position 4 in 'id, ,status': expected a property name."},
}

func TestParseSelectErrors(t *testing.T) {
	for _, tt := range selectErrorCases {
		got, err := ParseSelect(tt.value, "goalsExportJob", jobProperties)
		if got != nil {
			t.Errorf("ParseSelect(%q) = %q, want nil", tt.value, got)
		}
		checkErr(t, err, tt.want)
	}
}
