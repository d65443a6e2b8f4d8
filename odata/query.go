// Package odata parses the OData query options that the Graph export-job
// routes accept: $select, $filter, $top and $skiptoken, plus the query string
// they arrive in. The parsers are pure and small on purpose: they see
// untrusted input on every request, so each one is table-tested and fuzzed,
// and every failure is an *Error whose message can go to the client as is.
package odata

import (
	"net/url"
	"strings"
)

// Error is a parse failure whose Message is safe to show to a client verbatim,
// worded as Graph words it. The HTTP layer turns it into a 400 badRequest.
type Error struct {
	Message string
}

// Error implements the error interface. Clients should be shown Message, not
// this string: the prefix only tells a log reader where the error came from.
func (e *Error) Error() string { return "odata: " + e.Message }

// systemOptions are the OData system query options. Only they are named with
// a '$' in messages, so that a repeated unknown option is named as the client
// is likely to have written it.
var systemOptions = map[string]bool{
	"apply": true, "compute": true, "count": true, "deltatoken": true,
	"expand": true, "filter": true, "format": true, "id": true, "index": true,
	"orderby": true, "schemaversion": true, "search": true, "select": true,
	"skip": true, "skiptoken": true, "top": true,
}

// Options are the query options of one request. Names are matched
// case-insensitively, with or without the leading '$' ("select", "$select"
// and "%24SELECT" after URL-decoding all mean "select"), because Graph beta
// accepts all of those. Keys of the map are lower-case names without '$';
// values are URL-decoded.
type Options map[string]string

// ParseQuery parses a raw URL query (r.URL.RawQuery). Repeating the same
// option in any spelling is an *Error naming it: which of two $filter values
// wins is not something a client should have to guess. Malformed
// percent-encoding is an *Error. Options that are not OData system options are
// kept too; handlers ignore the ones they do not know.
func ParseQuery(rawQuery string) (Options, error) {
	o := Options{}
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil {
			return nil, &Error{Message: "The query string contains malformed percent-encoding."}
		}
		key := normalizeName(name)
		if key == "" || key[0] == '$' {
			// "=x", a lone "$" or "$$select" name nothing a handler could
			// ask for (OData reserves '$' for system options), so they are
			// ignored like any unknown option.
			continue
		}
		value, err := url.QueryUnescape(rawValue)
		if err != nil {
			return nil, &Error{Message: "The value of query option '" + displayName(key) + "' contains malformed percent-encoding."}
		}
		if _, dup := o[key]; dup {
			return nil, &Error{Message: "Query option '" + displayName(key) + "' was specified more than once, but it must be specified at most once."}
		}
		o[key] = value
	}
	return o, nil
}

// Get returns the value of the option name and whether it was present. The
// name is given without '$' in any case; a leading '$' is tolerated.
func (o Options) Get(name string) (string, bool) {
	v, ok := o[normalizeName(name)]
	return v, ok
}

// Reject returns an *Error for the first of names that is present, checked in
// the order given, or nil when none is. Routes use it for the options Graph
// refuses on them ($expand, $orderby, $search, $count) rather than silently
// ignoring an option that would change the meaning of the response.
func (o Options) Reject(names ...string) error {
	for _, name := range names {
		key := normalizeName(name)
		if _, ok := o[key]; ok {
			return &Error{Message: "Query option '$" + key + "' is not supported on this resource."}
		}
	}
	return nil
}

// normalizeName maps an option name to its map key: one leading '$' dropped,
// ASCII letters lowered. Only ASCII is folded so that no exotic spelling
// (such as the Kelvin sign, which strings.ToLower turns into 'k') aliases a
// system option.
func normalizeName(name string) string {
	name = strings.TrimPrefix(name, "$")
	for i := 0; i < len(name); i++ {
		if c := name[i]; 'A' <= c && c <= 'Z' {
			b := []byte(name)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return name
}

// displayName is how messages name the option with key.
func displayName(key string) string {
	if systemOptions[key] {
		return "$" + key
	}
	return key
}
