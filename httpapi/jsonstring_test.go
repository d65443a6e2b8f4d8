package httpapi

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzWriteJSONString: the plain fast path writes what encoding/json (HTML
// escaping off) writes, for any string.
func FuzzWriteJSONString(f *testing.F) {
	for _, s := range []string{"", "j!AbC-_09", "2025-03-10T20:57:08.051Z", `say "hi"`, `back\slash`, "tab\there",
		"<a&b>", "ünïcode", "\u2028", "\x7f", "\xff", "http://127.0.0.1:8080/beta/$metadata#exportJobs"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got, want bytes.Buffer
		writeJSONString(&got, s)
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		want.Truncate(want.Len() - 1)
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("writeJSONString(%q) = %s, encoding/json writes %s", s, got.Bytes(), want.Bytes())
		}
	})
}
