package odata

import (
	"encoding/base64"
	"math"
	"strings"
	"testing"
)

func TestParseTop(t *testing.T) {
	tests := []struct {
		value string
		max   int
		want  int
	}{
		{"1", 100, 1},
		{"5", 100, 5},
		{"100", 100, 100},
		{"007", 100, 7},
		{" 10 ", 100, 10},
		{"\t10", 100, 10},
		{"999", 999, 999},
	}
	for _, tt := range tests {
		got, err := ParseTop(tt.value, tt.max)
		if err != nil {
			t.Errorf("ParseTop(%q, %d): %v", tt.value, tt.max, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseTop(%q, %d) = %d, want %d", tt.value, tt.max, got, tt.want)
		}
	}
}

func TestParseTopErrors(t *testing.T) {
	for _, v := range []string{
		"", " ", "0", "000", "101", "-1", "+1", "1.0", "1e2", "0x10", "ten", "1 0", "1,2",
		"99999999999999999999999", "١", // Arabic-Indic digit one
	} {
		got, err := ParseTop(v, 100)
		if got != 0 {
			t.Errorf("ParseTop(%q) = %d, want 0", v, got)
		}
		checkErr(t, err, "Invalid value '"+v+"' for query option '$top': expected an integer between 1 and 100.")
	}
}

func TestSkipTokenRoundTrip(t *testing.T) {
	for _, c := range []Cursor{
		{},
		{CreatedUnixMilli: 1698969182051, ID: "j!" + strings.Repeat("A", 43)},
		{CreatedUnixMilli: -1, ID: "x"},
		{CreatedUnixMilli: math.MaxInt64, ID: strings.Repeat("z", MaxCursorIDLength)},
		{CreatedUnixMilli: math.MinInt64, ID: "\x00\xff\u00e9"},
	} {
		tok := EncodeSkipToken(c)
		for _, r := range tok {
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_') {
				t.Errorf("EncodeSkipToken(%+v) = %q: %q is not URL-safe", c, tok, r)
			}
		}
		got, err := DecodeSkipToken(tok)
		if err != nil {
			t.Errorf("DecodeSkipToken(EncodeSkipToken(%+v)): %v", c, err)
			continue
		}
		if got != c {
			t.Errorf("DecodeSkipToken(EncodeSkipToken(%+v)) = %+v", c, got)
		}
	}
}

func TestDecodeSkipTokenErrors(t *testing.T) {
	// 13 bytes: the last base64 character carries 4 unused bits, and padding
	// would be needed in the padded alphabet.
	valid := EncodeSkipToken(Cursor{CreatedUnixMilli: 1698969182051, ID: "j!abcd"})
	raw, _ := base64.RawURLEncoding.DecodeString(valid)
	enc := base64.RawURLEncoding.EncodeToString
	tests := []struct {
		name string
		tok  string
	}{
		{"empty", ""},
		{"truncated by one", valid[:len(valid)-1]},
		{"truncated to the version", valid[:2]},
		{"impossible base64 length", valid + "AAA"}, // 4n+1 characters
		{"padded", base64.URLEncoding.EncodeToString(raw)},
		{"standard alphabet", strings.NewReplacer("-", "+", "_", "/").Replace(EncodeSkipToken(Cursor{CreatedUnixMilli: -1, ID: "\xfb\xff"}))},
		{"line break", valid[:4] + "\n" + valid[4:]},
		{"space", " " + valid},
		{"bad character", valid[:3] + "." + valid[4:]},
		{"non-canonical trailing bits", valid[:len(valid)-1] + string(valid[len(valid)-1]+1)},
		{"wrong version", enc(append([]byte{2}, raw[1:]...))},
		{"version zero", enc(append([]byte{0}, raw[1:]...))},
		{"version only", enc([]byte{skipTokenVersion})},
		{"unterminated varint", enc([]byte{skipTokenVersion, 0x80})},
		{"overlong varint", enc([]byte{skipTokenVersion, 0x82, 0x00, 'x'})},
		{"varint overflow", enc(append([]byte{skipTokenVersion}, []byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01")...))},
		{"ID too long", EncodeSkipToken(Cursor{ID: strings.Repeat("z", MaxCursorIDLength+1)})},
		{"too long", strings.Repeat("A", 1000)},
		{"JSON", `{"t":1,"id":"x"}`},
	}
	for _, tt := range tests {
		got, err := DecodeSkipToken(tt.tok)
		if got != (Cursor{}) {
			t.Errorf("%s: DecodeSkipToken(%q) = %+v, want zero", tt.name, tt.tok, got)
		}
		if err == nil {
			t.Errorf("%s: DecodeSkipToken(%q): no error", tt.name, tt.tok)
			continue
		}
		checkErr(t, err, "Invalid $skiptoken value.")
	}
}

func TestDecodeSkipTokenTampering(t *testing.T) {
	// Changing any one character either breaks the token or yields another
	// valid cursor; it never yields the original one.
	c := Cursor{CreatedUnixMilli: 1698969182051, ID: "j!" + strings.Repeat("Q", 43)}
	tok := EncodeSkipToken(c)
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range len(tok) {
		for _, r := range alphabet {
			if byte(r) == tok[i] {
				continue
			}
			bad := tok[:i] + string(r) + tok[i+1:]
			got, err := DecodeSkipToken(bad)
			if err != nil {
				checkErr(t, err, "Invalid $skiptoken value.")
				continue
			}
			if got == c || EncodeSkipToken(got) != bad {
				t.Fatalf("DecodeSkipToken(%q) = %+v", bad, got)
			}
		}
	}
}
