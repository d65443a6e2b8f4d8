package viewsql

import (
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/goalpost/goalpost"
)

// The export queries hand a row's lists (check-ins, parents, names, tags) to
// Go as JSON arrays that the database builds. Decoding them with
// encoding/json cost about a sixth of an export's CPU time, most of it
// reflection and a second pass to validate; these decoders read the only
// shapes the queries build in one pass, with one allocation per string.
// Strings decode as encoding/json decodes them: escapes resolved, each byte
// of invalid UTF-8 replaced by U+FFFD.

// JSONKind is the kind of a JSONValue.
type JSONKind uint8

// Kinds of JSON values an object member may have.
const (
	JSONNull JSONKind = iota
	JSONString
	JSONNumber
	JSONBool
)

// JSONValue is the value of one member of a decoded object.
type JSONValue struct {
	Kind JSONKind
	Str  string  // JSONString
	Num  float64 // JSONNumber
	Bool bool    // JSONBool
}

// Int returns a number as an int64 (a whole number up to 2^53 is exact).
func (v JSONValue) Int() int64 { return int64(v.Num) }

var errJSON = errors.New("malformed JSON list")

// DecodeStrings decodes a JSON array of strings into dst[:0] and returns it;
// an empty input or null is an empty list, and so is a null element's
// absence: null elements decode as "".
func DecodeStrings(b []byte, dst []string) ([]string, error) {
	dst = dst[:0]
	d := jsonDecoder{b: b}
	if d.null() {
		return dst, nil
	}
	err := d.array(func() error {
		v, err := d.value()
		if err != nil {
			return err
		}
		if v.Kind != JSONString && v.Kind != JSONNull {
			return d.errorf("want a string")
		}
		dst = append(dst, v.Str)
		return nil
	})
	return dst, err
}

// DecodeObjects decodes a JSON array of flat objects (members are strings,
// numbers, booleans or null): it calls begin before each object and member
// for each of its members, in order. An empty input or null is an empty
// list. The key passed to member is only valid during the call.
func DecodeObjects(b []byte, begin func(), member func(key []byte, v JSONValue) error) error {
	d := jsonDecoder{b: b}
	if d.null() {
		return nil
	}
	return d.array(func() error {
		d.space()
		if !d.consume('{') {
			return d.errorf("want an object")
		}
		begin()
		d.space()
		if d.consume('}') {
			return nil
		}
		for {
			d.space()
			key, err := d.key()
			if err != nil {
				return err
			}
			d.space()
			if !d.consume(':') {
				return d.errorf("want ':'")
			}
			v, err := d.value()
			if err != nil {
				return err
			}
			if err := member(key, v); err != nil {
				return err
			}
			d.space()
			if d.consume('}') {
				return nil
			}
			if !d.consume(',') {
				return d.errorf("want ',' or '}'")
			}
		}
	})
}

type jsonDecoder struct {
	b   []byte
	i   int
	buf []byte
}

func (d *jsonDecoder) errorf(msg string) error {
	return fmt.Errorf("%w at byte %d: %s", errJSON, d.i, msg)
}

func (d *jsonDecoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *jsonDecoder) consume(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// null reports whether the whole input is empty or the literal null.
func (d *jsonDecoder) null() bool {
	d.space()
	if d.i == len(d.b) {
		return true
	}
	if len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "null" {
		d.i += 4
		d.space()
		return d.i == len(d.b)
	}
	return false
}

// array reads '[' elem (',' elem)* ']' and then the end of the input.
func (d *jsonDecoder) array(elem func() error) error {
	d.space()
	if !d.consume('[') {
		return d.errorf("want '['")
	}
	d.space()
	if !d.consume(']') {
		for {
			if err := elem(); err != nil {
				return err
			}
			d.space()
			if d.consume(']') {
				break
			}
			if !d.consume(',') {
				return d.errorf("want ',' or ']'")
			}
		}
	}
	d.space()
	if d.i != len(d.b) {
		return d.errorf("trailing data")
	}
	return nil
}

// key reads an object key without escapes (the queries' keys have none)
// and returns it as a slice of the input.
func (d *jsonDecoder) key() ([]byte, error) {
	if !d.consume('"') {
		return nil, d.errorf("want a key")
	}
	start := d.i
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case '"':
			k := d.b[start:d.i]
			d.i++
			return k, nil
		case '\\':
			return nil, d.errorf("escaped key")
		}
		d.i++
	}
	return nil, d.errorf("unterminated key")
}

func (d *jsonDecoder) value() (JSONValue, error) {
	d.space()
	if d.i >= len(d.b) {
		return JSONValue{}, d.errorf("want a value")
	}
	switch c := d.b[d.i]; {
	case c == '"':
		s, err := d.str()
		return JSONValue{Kind: JSONString, Str: s}, err
	case c == 'n':
		return JSONValue{}, d.literal("null")
	case c == 't':
		return JSONValue{Kind: JSONBool, Bool: true}, d.literal("true")
	case c == 'f':
		return JSONValue{Kind: JSONBool}, d.literal("false")
	case c == '-' || c >= '0' && c <= '9':
		start := d.i
		for d.i < len(d.b) {
			c := d.b[d.i]
			if c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || c >= '0' && c <= '9' {
				d.i++
				continue
			}
			break
		}
		f, err := strconv.ParseFloat(string(d.b[start:d.i]), 64)
		if err != nil {
			return JSONValue{}, d.errorf("bad number")
		}
		return JSONValue{Kind: JSONNumber, Num: f}, nil
	}
	return JSONValue{}, d.errorf("unexpected character")
}

func (d *jsonDecoder) literal(lit string) error {
	if len(d.b)-d.i < len(lit) || string(d.b[d.i:d.i+len(lit)]) != lit {
		return d.errorf("bad literal")
	}
	d.i += len(lit)
	return nil
}

// str reads a string: one allocation, none of the input kept.
func (d *jsonDecoder) str() (string, error) {
	d.i++ // '"'
	start := d.i
	simple := true
	for d.i < len(d.b) {
		c := d.b[d.i]
		if c == '"' {
			break
		}
		if c == '\\' {
			simple = false
			d.i += 2
			continue
		}
		if c >= utf8.RuneSelf || c < 0x20 {
			simple = false
		}
		d.i++
	}
	if d.i >= len(d.b) {
		return "", d.errorf("unterminated string")
	}
	raw := d.b[start:d.i]
	d.i++
	if simple {
		return string(raw), nil
	}
	return d.unescape(raw)
}

// unescape decodes a string's body as encoding/json does.
func (d *jsonDecoder) unescape(raw []byte) (string, error) {
	b := d.buf[:0]
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			if i+1 >= len(raw) {
				return "", d.errorf("bad escape")
			}
			e := raw[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(raw[i:])
				if !ok {
					return "", d.errorf("bad \\u escape")
				}
				i += 4
				if utf16.IsSurrogate(r) {
					r2, ok := rune(-1), false
					if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
						r2, ok = hex4(raw[i+2:])
					}
					if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
						i += 6
						r = dec
					} else {
						r = utf8.RuneError
					}
				}
				b = utf8.AppendRune(b, r)
			default:
				return "", d.errorf("bad escape")
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, raw[i:i+size]...)
			}
			i += size
		}
	}
	d.buf = b
	return string(b), nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// DecodeCheckIns decodes the check-ins of an export row into dst[:0]: a
// JSON array of objects whose members are d (the date, YYYY-MM-DD), u (the
// user's display name), n (the note), s (the status), v (the value) and a
// (the activity time in unix milliseconds), as both stores' export queries
// build it.
func DecodeCheckIns(b []byte, dst []goalpost.CheckInCell) ([]goalpost.CheckInCell, error) {
	dst = dst[:0]
	epoch := time.UnixMilli(0).UTC()
	err := DecodeObjects(b, func() {
		dst = append(dst, goalpost.CheckInCell{ActivityAt: epoch})
	}, func(key []byte, v JSONValue) error {
		c := &dst[len(dst)-1]
		switch string(key) {
		case "d":
			if v.Kind == JSONString {
				d, err := goalpost.ParseDate(v.Str)
				if err != nil {
					return err
				}
				c.Date = d
			}
		case "u":
			c.User = v.Str
		case "n":
			c.Note = v.Str
		case "s":
			c.Status = goalpost.Status(v.Str)
		case "v":
			c.Value = v.Num
		case "a":
			c.ActivityAt = time.UnixMilli(v.Int()).UTC()
		}
		return nil
	})
	return dst, err
}

// DecodeParents decodes the parents of an export row into dst[:0]: a JSON
// array of objects whose members are ID, Title and Weight.
func DecodeParents(b []byte, dst []goalpost.AlignedParent) ([]goalpost.AlignedParent, error) {
	dst = dst[:0]
	err := DecodeObjects(b, func() {
		dst = append(dst, goalpost.AlignedParent{})
	}, func(key []byte, v JSONValue) error {
		p := &dst[len(dst)-1]
		switch string(key) {
		case "ID":
			p.ID = v.Int()
		case "Title":
			p.Title = v.Str
		case "Weight":
			p.Weight = v.Num
		}
		return nil
	})
	return dst, err
}
