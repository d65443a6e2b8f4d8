package odata

import (
	"slices"
	"strings"
	"testing"
)

const org = "3d9a1f4e-0c4b-4e55-9b1a-7f2d9c1e8a60"

var orgOnly = []Comparison{{"goalsOrganizationId", org}}

// filterCases are accepted $filter values; FuzzParseFilter seeds from them too.
var filterCases = []struct {
	value string
	want  []Comparison
}{
	{"goalsOrganizationId eq '" + org + "'", orgOnly},
	{" goalsOrganizationId eq '" + org + "'", orgOnly},
	{"goalsOrganizationId eq '" + org + "' ", orgOnly},
	{"   goalsOrganizationId   eq   '" + org + "'   ", orgOnly},
	{"\tgoalsOrganizationId\teq\t'" + org + "'\t", orgOnly},
	{"goalsOrganizationId EQ '" + org + "'", orgOnly},
	{"goalsOrganizationId Eq '" + org + "'", orgOnly},
	{"goalsOrganizationId eq'" + org + "'", orgOnly},
	{"(goalsOrganizationId eq '" + org + "')", orgOnly},
	{" ( goalsOrganizationId eq '" + org + "' ) ", orgOnly},
	{"((goalsOrganizationId eq '" + org + "'))", orgOnly},
	{"GoalsOrganizationID eq 'X'", []Comparison{{"GoalsOrganizationID", "X"}}}, // names and values as written
	{"a eq ''", []Comparison{{"a", ""}}},
	{"a eq ''''", []Comparison{{"a", "'"}}},
	{"a eq 'O''Brien'", []Comparison{{"a", "O'Brien"}}},
	{"a eq 'x''''y'", []Comparison{{"a", "x''y"}}},
	{"a eq ' spaced  out '", []Comparison{{"a", " spaced  out "}}},
	{"a eq 'and or eq ( ) ,'", []Comparison{{"a", "and or eq ( ) ,"}}},
	{"a eq '\u00e9\u4e2d'", []Comparison{{"a", "\u00e9\u4e2d"}}},
	{"_a1 eq 'x'", []Comparison{{"_a1", "x"}}},
	{"a eq 'x' and b eq 'y'", []Comparison{{"a", "x"}, {"b", "y"}}},
	{"a eq 'x' AND b eq 'y'", []Comparison{{"a", "x"}, {"b", "y"}}},
	{"a eq 'x' and b eq 'y' and a eq 'z'", []Comparison{{"a", "x"}, {"b", "y"}, {"a", "z"}}},
	{"(a eq 'x') and (b eq 'y')", []Comparison{{"a", "x"}, {"b", "y"}}},
	{"(a eq 'x' and b eq 'y')", []Comparison{{"a", "x"}, {"b", "y"}}},
	{"(a eq 'x')and(b eq 'y')", []Comparison{{"a", "x"}, {"b", "y"}}},
	{"a eq 'x' and (b eq 'y' and (c eq 'z'))", []Comparison{{"a", "x"}, {"b", "y"}, {"c", "z"}}},
	{"and eq 'x'", []Comparison{{"and", "x"}}}, // keywords are only keywords where they fit
	{"eq eq 'x'", []Comparison{{"eq", "x"}}},
	{"not eq 'x'", []Comparison{{"not", "x"}}},
	{"a eq '" + strings.Repeat("x", MaxFilterLength-7) + "'", []Comparison{{"a", strings.Repeat("x", MaxFilterLength-7)}}},
}

func TestParseFilter(t *testing.T) {
	for _, tt := range filterCases {
		got, err := ParseFilter(tt.value)
		if err != nil {
			t.Errorf("ParseFilter(%q): %v", tt.value, err)
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ParseFilter(%q) = %q, want %q", tt.value, got, tt.want)
		}
	}
}

// filterErrorCases are rejected $filter values and their messages; FuzzParseFilter seeds from them too.
var filterErrorCases = []struct {
	value string
	want  string
}{
	// Positions are 0-based byte offsets; the end of input is len(value).
	{"goalsOrganizationId eq", "Syntax error at position 22 in 'goalsOrganizationId eq': expected a quoted string."},
	{"goalsOrganizationId eq ", "Syntax error at position 23 in 'goalsOrganizationId eq ': expected a quoted string."},
	{"goalsOrganizationId eq " + org, "Syntax error at position 23 in 'goalsOrganizationId eq " + org + "': expected a quoted string."},
	{"a eq 42", "Syntax error at position 5 in 'a eq 42': expected a quoted string."},
	{"a eq null", "Syntax error at position 5 in 'a eq null': expected a quoted string."},
	{"a eq true", "Syntax error at position 5 in 'a eq true': expected a quoted string."},
	{"a eq \"x\"", "Syntax error at position 5 in 'a eq \"x\"': expected a quoted string."},
	{"a eq b", "Syntax error at position 5 in 'a eq b': expected a quoted string."},
	{"a eq ('x')", "Syntax error at position 5 in 'a eq ('x')': expected a quoted string."},
	{"a eq 'x", "Syntax error at position 5 in 'a eq 'x': unterminated string literal."},
	{"a eq '", "Syntax error at position 5 in 'a eq '': unterminated string literal."},
	{"a eq 'x''", "Syntax error at position 5 in 'a eq 'x''': unterminated string literal."},
	{"a eq 'x' and b eq 'y", "Syntax error at position 18 in 'a eq 'x' and b eq 'y': unterminated string literal."},
	{"", "Syntax error at position 0 in '': expected a property name."},
	{"   ", "Syntax error at position 3 in '   ': expected a property name."},
	{"()", "Syntax error at position 1 in '()': expected a property name."},
	{"'x' eq a", "Syntax error at position 0 in ''x' eq a': expected a property name."},
	{"1 eq 'x'", "Syntax error at position 0 in '1 eq 'x'': expected a property name."},
	{"a", "Syntax error at position 1 in 'a': expected 'eq'."},
	{"a 'x'", "Syntax error at position 2 in 'a 'x'': expected 'eq'."},
	{"a = 'x'", "Syntax error at position 2 in 'a = 'x'': expected 'eq'."},
	{"a == 'x'", "Syntax error at position 2 in 'a == 'x'': expected 'eq'."},
	{"aeq 'x'", "Syntax error at position 4 in 'aeq 'x'': expected 'eq'."},
	{"a/b eq 'x'", "Syntax error at position 1 in 'a/b eq 'x'': expected 'eq'."},
	{"tags/any(t: t eq 'x')", "Syntax error at position 4 in 'tags/any(t: t eq 'x')': expected 'eq'."},
	{"a ne 'x'", "Syntax error at position 2 in 'a ne 'x'': operator 'ne' is not supported; only 'eq' is."},
	{"a NE 'x'", "Syntax error at position 2 in 'a NE 'x'': operator 'NE' is not supported; only 'eq' is."},
	{"a gt 'x'", "Syntax error at position 2 in 'a gt 'x'': operator 'gt' is not supported; only 'eq' is."},
	{"a ge 'x'", "Syntax error at position 2 in 'a ge 'x'': operator 'ge' is not supported; only 'eq' is."},
	{"a lt 'x'", "Syntax error at position 2 in 'a lt 'x'': operator 'lt' is not supported; only 'eq' is."},
	{"a le 'x'", "Syntax error at position 2 in 'a le 'x'': operator 'le' is not supported; only 'eq' is."},
	{"a in ('x','y')", "Syntax error at position 2 in 'a in ('x','y')': operator 'in' is not supported; only 'eq' is."},
	{"a has 'x'", "Syntax error at position 2 in 'a has 'x'': operator 'has' is not supported; only 'eq' is."},
	{"a eq 'x' or b eq 'y'", "Syntax error at position 9 in 'a eq 'x' or b eq 'y'': operator 'or' is not supported; only 'and' is."},
	{"(a eq 'x' OR b eq 'y')", "Syntax error at position 10 in '(a eq 'x' OR b eq 'y')': operator 'or' is not supported; only 'and' is."},
	{"not a eq 'x'", "Syntax error at position 0 in 'not a eq 'x'': operator 'not' is not supported."},
	{"NOT (a eq 'x')", "Syntax error at position 0 in 'NOT (a eq 'x')': function 'NOT' is not supported."},
	{"startswith(a,'x')", "Syntax error at position 0 in 'startswith(a,'x')': function 'startswith' is not supported."},
	{"contains (a, 'x')", "Syntax error at position 0 in 'contains (a, 'x')': function 'contains' is not supported."},
	{"a eq 'x' b eq 'y'", "Syntax error at position 9 in 'a eq 'x' b eq 'y'': expected 'and' or end of input."},
	{"a eq 'x' and", "Syntax error at position 12 in 'a eq 'x' and': expected a property name."},
	{"a eq 'x' and and", "Syntax error at position 16 in 'a eq 'x' and and': expected 'eq'."},
	{"and a eq 'x'", "Syntax error at position 4 in 'and a eq 'x'': expected 'eq'."},
	{"a eq 'x' )", "Syntax error at position 9 in 'a eq 'x' )': expected 'and' or end of input."},
	{"a eq 'x''y' 'z'", "Syntax error at position 12 in 'a eq 'x''y' 'z'': expected 'and' or end of input."},
	{"a eq 'x';", "Syntax error at position 8 in 'a eq 'x';': expected 'and' or end of input."},
	{"(a eq 'x'", "Syntax error at position 9 in '(a eq 'x'': expected 'and' or ')'."},
	{"((a eq 'x')", "Syntax error at position 11 in '((a eq 'x')': expected 'and' or ')'."},
	{"(a eq 'x' b", "Syntax error at position 10 in '(a eq 'x' b': expected 'and' or ')'."},
	{"(a) eq 'x'", "Syntax error at position 2 in '(a) eq 'x'': expected 'eq'."},
	{"a eq 'x' and ()", "Syntax error at position 14 in 'a eq 'x' and ()': expected a property name."},
	{"\u00e9 eq 'x'", "Syntax error at position 0 in '\u00e9 eq 'x'': expected a property name."},
	{"a\neq 'x'", "Syntax error at position 1 in 'a\neq 'x'': expected 'eq'."},
	{"a eq '" + strings.Repeat("x", MaxFilterLength-6) + "'", "The query specified in the URI is too long."},
	{strings.Repeat("(", MaxFilterLength+1), "The query specified in the URI is too long."},
	{strings.Repeat("(", MaxFilterLength), "Syntax error at position 2048 in '" + strings.Repeat("(", MaxFilterLength) + "': expected a property name."},
}

func TestParseFilterErrors(t *testing.T) {
	for _, tt := range filterErrorCases {
		got, err := ParseFilter(tt.value)
		if got != nil {
			t.Errorf("ParseFilter(%q) = %q, want nil", tt.value, got)
		}
		checkErr(t, err, tt.want)
	}
}
