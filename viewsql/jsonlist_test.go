package viewsql

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

type testObj struct {
	S string  `json:"s"`
	N float64 `json:"n"`
	I int64   `json:"i"`
}

func decodeTestObjs(b []byte) ([]testObj, error) {
	var out []testObj
	err := DecodeObjects(b, func() { out = append(out, testObj{}) }, func(k []byte, v JSONValue) error {
		o := &out[len(out)-1]
		switch string(k) {
		case "s":
			o.S = v.Str
		case "n":
			o.N = v.Num
		case "i":
			o.I = v.Int()
		}
		return nil
	})
	return out, err
}

func TestDecodeLists(t *testing.T) {
	strs := []string{"", "a", `quote " and \ backslash`, "line\nfeed\r\ttab\u0001", "Ünïcødé 日本 🎯", "/slash", "\xff\xfeinvalid", "\u2028"}
	b, _ := json.Marshal(strs)
	// PostgreSQL's spacing, escaped non-ASCII and a surrogate pair.
	for _, in := range [][]byte{b, []byte(`[ "a" , "\u00e9\ud83c\udfaf" ,"\ud800x", "\/"]`), []byte(`["\ud83c"]`)} {
		var want []string
		if err := json.Unmarshal(in, &want); err != nil {
			t.Fatal(err)
		}
		got, err := DecodeStrings(in, []string{"stale"})
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("DecodeStrings(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "null", "[]", " [ ] "} {
		got, err := DecodeStrings([]byte(in), []string{"stale"})
		if err != nil || len(got) != 0 {
			t.Errorf("DecodeStrings(%q) = %q, %v; want empty", in, got, err)
		}
	}
	objs := []testObj{{"x", 1.5, 1741640228000}, {"Zoë \"q\"", -0.25, 0}, {"", 1e21, -3}}
	b, _ = json.Marshal(objs)
	pg := []byte(`[{"s" : "x", "n" : 1.5, "i" : 1741640228000}, ` + "\n" + ` {"s" : "Zoë \"q\"", "n" : -0.25, "i" : 0, "z" : null, "t" : true}, {"s":"","n":1e+21,"i":-3.0}]`)
	for _, in := range [][]byte{b, pg} {
		got, err := decodeTestObjs(in)
		if err != nil || !reflect.DeepEqual(got, objs) {
			t.Errorf("DecodeObjects(%s) = %+v, %v; want %+v", in, got, err, objs)
		}
	}
	for _, in := range []string{"[", `["a"`, `["a",]`, `[1]`, `["a"]x`, `[{"s":}]`, `[{"s" "x"}]`, `{"s":"x"}`, `["\x"]`, `["\u12"]`} {
		_, err1 := DecodeStrings([]byte(in), nil)
		_, err2 := decodeTestObjs([]byte(in))
		if err1 == nil && err2 == nil {
			t.Errorf("%s decoded without error", in)
		}
	}
}

func FuzzDecodeStrings(f *testing.F) {
	f.Add("a", "b\n\"c\"")
	f.Add("\xff", "🎯")
	f.Fuzz(func(t *testing.T, a, b string) {
		in, _ := json.Marshal([]string{a, b})
		var want []string
		if err := json.Unmarshal(in, &want); err != nil {
			t.Skip()
		}
		got, err := DecodeStrings(in, nil)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("DecodeStrings(%s) = %q, %v; want %q", in, got, err, want)
		}
	})
}

func BenchmarkDecodeObjects(b *testing.B) {
	var objs []testObj
	for i := range 4 {
		objs = append(objs, testObj{fmt.Sprintf("Check-in note number %d, with some words", i), 42.5, 1741640228000})
	}
	in, _ := json.Marshal(objs)
	b.Run("viewsql", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeTestObjs(in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		var out []testObj
		for b.Loop() {
			out = out[:0]
			if err := json.Unmarshal(in, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
