package odata

import (
	"encoding/base64"
	"encoding/binary"
	"strconv"
)

// ParseTop parses the value of $top: a decimal integer from 1 to max. Spaces
// and tabs around it are tolerated, as they are in $filter. Anything else,
// including a sign, is an *Error naming the value as the client wrote it.
func ParseTop(value string, max int) (int, error) {
	s := value
	for s != "" && isSpace(s[0]) {
		s = s[1:]
	}
	for s != "" && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	ok := s != ""
	for i := 0; ok && i < len(s); i++ {
		ok = '0' <= s[i] && s[i] <= '9'
	}
	n, err := strconv.Atoi(s) // digits only by now, so err means out of range
	if !ok || err != nil || n < 1 || n > max {
		return 0, &Error{Message: "Invalid value '" + value + "' for query option '$top': expected an integer between 1 and " + strconv.Itoa(max) + "."}
	}
	return n, nil
}

// Cursor is a keyset position for paging a list newest first: the next page
// holds the jobs created before CreatedUnixMilli, or at that instant with an
// ID less than ID. A keyset (rather than an offset) keeps pages stable while
// jobs are created and expire between requests.
type Cursor struct {
	CreatedUnixMilli int64
	ID               string
}

// MaxCursorIDLength bounds Cursor.ID in bytes. Job keys are 45 bytes; a token
// with a longer ID is rejected by DecodeSkipToken.
const MaxCursorIDLength = 64

// skipTokenVersion is the first byte of every token, so that the format can
// change without old tokens being misread.
const skipTokenVersion = 1

// maxSkipTokenLength is the length of the longest token EncodeSkipToken makes
// for a valid Cursor; longer input is rejected before it is decoded.
var maxSkipTokenLength = base64.RawURLEncoding.EncodedLen(1 + binary.MaxVarintLen64 + MaxCursorIDLength)

// EncodeSkipToken returns the $skiptoken for c: unpadded base64url (safe in a
// URL as is) of a version byte, CreatedUnixMilli as a varint, then ID. It is
// opaque to clients and not signed: a forged token can only move the page
// start, and the handler still filters by what the caller may see. An ID
// longer than MaxCursorIDLength yields a token DecodeSkipToken rejects.
func EncodeSkipToken(c Cursor) string {
	b := make([]byte, 0, 1+binary.MaxVarintLen64+len(c.ID))
	b = append(b, skipTokenVersion)
	b = binary.AppendVarint(b, c.CreatedUnixMilli)
	b = append(b, c.ID...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeSkipToken returns the Cursor that EncodeSkipToken encoded into tok.
// Any string EncodeSkipToken could not have produced is an *Error, so a token
// decodes to exactly one cursor and re-encodes to itself.
func DecodeSkipToken(tok string) (Cursor, error) {
	if tok == "" || len(tok) > maxSkipTokenLength {
		return Cursor{}, errSkipToken()
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(tok)
	if err != nil || len(b) < 2 || b[0] != skipTokenVersion {
		return Cursor{}, errSkipToken()
	}
	ms, n := binary.Varint(b[1:])
	if n <= 0 || len(b)-1-n > MaxCursorIDLength {
		return Cursor{}, errSkipToken()
	}
	c := Cursor{CreatedUnixMilli: ms, ID: string(b[1+n:])}
	// The decoders accept more than the encoders produce (line breaks in
	// base64, over-long varints); re-encoding is the simplest exact check.
	if EncodeSkipToken(c) != tok {
		return Cursor{}, errSkipToken()
	}
	return c, nil
}

// errSkipToken returns a fresh error each time so that no caller can alter a
// shared one.
func errSkipToken() error { return &Error{Message: "Invalid $skiptoken value."} }
