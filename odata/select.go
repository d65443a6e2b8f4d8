package odata

import (
	"fmt"
	"strings"
)

// ParseSelect parses the value of $select ("a,b" for "$select=a,b") for an
// entity of type microsoft.graph.<typeName> whose properties are allowed.
// Names are separated by commas; spaces and tabs around them are tolerated.
// An empty list or an empty element is an *Error. Names are matched
// case-insensitively and returned in allowed's spelling, without duplicates,
// in the order the client gave them. An unknown name is an *Error worded as
// Graph words it, naming the property as the client wrote it.
func ParseSelect(value string, typeName string, allowed []string) ([]string, error) {
	var out []string
	for start := 0; ; {
		end := strings.IndexByte(value[start:], ',')
		if end < 0 {
			end = len(value)
		} else {
			end += start
		}
		lo, hi := start, end
		for lo < hi && isSpace(value[lo]) {
			lo++
		}
		for hi > lo && isSpace(value[hi-1]) {
			hi--
		}
		if lo == hi {
			return nil, &Error{Message: fmt.Sprintf("Parsing OData Select and Expand failed: Syntax error at position %d in '%s': expected a property name.", lo, value)}
		}
		name := value[lo:hi]
		canonical, ok := lookupFold(allowed, name)
		if !ok {
			return nil, &Error{Message: fmt.Sprintf("Parsing OData Select and Expand failed: Could not find a property named '%s' on type 'microsoft.graph.%s'.", name, typeName)}
		}
		if _, dup := lookupFold(out, canonical); !dup {
			out = append(out, canonical)
		}
		if end == len(value) {
			return out, nil
		}
		start = end + 1
	}
}

// lookupFold returns the element of list equal to name under case folding.
// The lists are a handful of property names, so a linear scan is enough.
func lookupFold(list []string, name string) (string, bool) {
	for _, s := range list {
		if strings.EqualFold(s, name) {
			return s, true
		}
	}
	return "", false
}

// isSpace reports whether c is OData whitespace (SP or HTAB; a '+' in the
// query string has already become SP when the query was decoded).
func isSpace(c byte) bool { return c == ' ' || c == '\t' }
