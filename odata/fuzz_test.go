package odata

import (
	"slices"
	"strings"
	"testing"
)

// Each fuzz target checks, beyond "no panic", that every failure is an *Error
// with a message (the HTTP layer relies on that to answer 400 and not 500) and
// a property of the successful results.

func FuzzParseQuery(f *testing.F) {
	for _, tt := range queryCases {
		f.Add(tt.raw)
	}
	for _, tt := range queryErrorCases {
		f.Add(tt.raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		o, err := ParseQuery(raw)
		if err != nil {
			checkErr(t, err, "")
			if o != nil {
				t.Fatalf("got %v with error", o)
			}
			return
		}
		for k, v := range o {
			if k == "" || k[0] == '$' || k != normalizeName("$"+k) {
				t.Fatalf("key %q is not normalized", k)
			}
			for _, name := range []string{k, "$" + k, strings.ToUpper(k), "$" + strings.ToUpper(k)} {
				if normalizeName(name) != k {
					continue // ToUpper changed a non-ASCII letter
				}
				if got, ok := o.Get(name); !ok || got != v {
					t.Fatalf("Get(%q) = %q, %v; want %q, true", name, got, ok, v)
				}
			}
			if err := o.Reject(k); err != nil {
				checkErr(t, err, "Query option '$"+k+"' is not supported on this resource.")
			} else {
				t.Fatalf("Reject(%q) = nil for a present option", k)
			}
		}
	})
}

func FuzzParseSelect(f *testing.F) {
	for _, tt := range selectCases {
		f.Add(tt.value)
	}
	for _, tt := range selectErrorCases {
		f.Add(tt.value)
	}
	f.Fuzz(func(t *testing.T, value string) {
		got, err := ParseSelect(value, "goalsExportJob", jobProperties)
		if err != nil {
			checkErr(t, err, "")
			return
		}
		if len(got) == 0 {
			t.Fatalf("ParseSelect(%q) = empty list without error", value)
		}
		for i, name := range got {
			if !slices.Contains(jobProperties, name) {
				t.Fatalf("ParseSelect(%q) returned %q, not in allowed", value, name)
			}
			if slices.Contains(got[:i], name) {
				t.Fatalf("ParseSelect(%q) returned %q twice", value, name)
			}
		}
		// Selecting what was returned returns it again.
		again, err := ParseSelect(strings.Join(got, ","), "goalsExportJob", jobProperties)
		if err != nil || !slices.Equal(again, got) {
			t.Fatalf("re-parsing %q: %q, %v", got, again, err)
		}
	})
}

func FuzzParseFilter(f *testing.F) {
	// Seeding every table case, the too-long ones included, matters beyond
	// coverage: the fuzzer minimizes each new interesting input, which takes
	// up to -fuzzminimizetime (60s) for a long one, and a path first found by
	// a long input stalls a short -fuzztime run.
	for _, tt := range filterCases {
		f.Add(tt.value)
	}
	for _, tt := range filterErrorCases {
		f.Add(tt.value)
	}
	f.Fuzz(func(t *testing.T, value string) {
		got, err := ParseFilter(value)
		if err != nil {
			checkErr(t, err, "")
			if got != nil {
				t.Fatalf("got %q with error", got)
			}
			return
		}
		if len(got) == 0 {
			t.Fatalf("ParseFilter(%q) = no comparisons without error", value)
		}
		// Writing the comparisons back in canonical form parses to the same.
		var b strings.Builder
		for i, c := range got {
			if c.Property == "" || !isNameStart(c.Property[0]) {
				t.Fatalf("ParseFilter(%q): bad property %q", value, c.Property)
			}
			if i > 0 {
				b.WriteString(" and ")
			}
			b.WriteString(c.Property + " eq '" + strings.ReplaceAll(c.Value, "'", "''") + "'")
		}
		if b.Len() > MaxFilterLength {
			return
		}
		again, err := ParseFilter(b.String())
		if err != nil || !slices.Equal(again, got) {
			t.Fatalf("re-parsing %q from %q: %q, %v", b.String(), value, again, err)
		}
	})
}

func FuzzDecodeSkipToken(f *testing.F) {
	f.Add("", int64(0))
	f.Add(EncodeSkipToken(Cursor{CreatedUnixMilli: 1698969182051, ID: "j!" + strings.Repeat("A", 43)}), int64(1698969182051))
	f.Add(EncodeSkipToken(Cursor{CreatedUnixMilli: -1, ID: ""}), int64(-1))
	f.Add("AQID", int64(1<<62))
	f.Add("Acb9oqfyYmohYWJjZA==", int64(-1<<63))
	f.Add("AYIAeA", int64(7))
	f.Fuzz(func(t *testing.T, tok string, ms int64) {
		c, err := DecodeSkipToken(tok)
		if err != nil {
			checkErr(t, err, "Invalid $skiptoken value.")
			if c != (Cursor{}) {
				t.Fatalf("got %+v with error", c)
			}
		} else {
			// A token decodes to exactly one cursor and is its only encoding.
			if again := EncodeSkipToken(c); again != tok {
				t.Fatalf("DecodeSkipToken(%q) = %+v, which encodes to %q", tok, c, again)
			}
			if d, err := DecodeSkipToken(EncodeSkipToken(c)); err != nil || d != c {
				t.Fatalf("round trip of %+v: %+v, %v", c, d, err)
			}
		}
		// Any cursor with a short enough ID round-trips; the fuzzed string
		// serves as an ID too.
		id := tok
		if len(id) > MaxCursorIDLength {
			id = id[:MaxCursorIDLength]
		}
		want := Cursor{CreatedUnixMilli: ms, ID: id}
		if got, err := DecodeSkipToken(EncodeSkipToken(want)); err != nil || got != want {
			t.Fatalf("round trip of %+v: %+v, %v", want, got, err)
		}
	})
}
