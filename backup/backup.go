// Package backup reads and writes goalpost's own backup format: every
// record of one organization as one JSON document. A backup holds what
// Store.ReadOrganization returns and is what Store.ImportOrganization
// restores, field for field and version for version:
//
//	{
//	  "format": "goalpost.organization",
//	  "formatVersion": 1,
//	  "exportedAt": "2025-03-15T12:00:00.000Z",
//	  "organization": {…},
//	  "users": […], "memberships": […], "teams": […], "timePeriods": […],
//	  "items": […], "alignments": […], "checkIns": […], "views": […]
//	}
//
// Each record is its resource representation (package resource), the
// JSON /api/v1 answers with: a backup is the organization's records as the
// API shows them, bundled. Dates are "YYYY-MM-DD", times RFC 3339 in UTC
// with milliseconds, references that may be unset are null. Decode is
// strict: it refuses unknown fields, another format or version, records
// without their ids, and records of another organization.
package backup

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/resource"
)

// The document's identity.
const (
	// Format is the value of a backup's "format" field.
	Format = "goalpost.organization"
	// FormatVersion is the version of the format this package writes and
	// reads. A change that an older reader would misread increments it.
	FormatVersion = 1
	// MaxSize is the most bytes Decode reads; a larger input fails with
	// ETOOLARGE rather than filling memory.
	MaxSize = 1 << 30
)

// Encoder writes backups.
type Encoder struct {
	// NowFunc returns the time a backup records as "exportedAt"; nil means
	// time.Now.
	NowFunc func() time.Time
}

// Encode writes ds, which must hold exactly one organization, as a backup
// with the current time as its exportedAt.
func Encode(w io.Writer, ds *goalpost.Dataset) error { return Encoder{}.Encode(w, ds) }

// Encode writes ds, which must hold exactly one organization, to w. It
// writes record by record, so that memory holds one record's JSON at a
// time beside the dataset.
func (e Encoder) Encode(w io.Writer, ds *goalpost.Dataset) error {
	if len(ds.Organizations) != 1 || ds.Organizations[0] == nil {
		return goalpost.Errorf(goalpost.EINVALID, "A backup holds exactly one organization; the dataset has %d.", len(ds.Organizations))
	}
	now := time.Now
	if e.NowFunc != nil {
		now = e.NowFunc
	}
	bw := bufio.NewWriter(w)
	ew := &encodeWriter{w: bw}
	ew.printf("{\n  \"format\": %q,\n  \"formatVersion\": %d,\n  \"exportedAt\": %q,\n  \"organization\": ",
		Format, FormatVersion, now().UTC().Format(resource.TimeLayout))
	ew.value(resource.FromOrganization(ds.Organizations[0]), "  ")
	writeList(ew, "users", ds.Users, resource.FromUser)
	writeList(ew, "memberships", ds.Memberships, byValue(resource.FromMembership))
	writeList(ew, "teams", ds.Teams, resource.FromTeam)
	writeList(ew, "timePeriods", ds.TimePeriods, resource.FromTimePeriod)
	writeList(ew, "items", ds.Items, resource.FromItem)
	writeList(ew, "alignments", ds.Alignments, byValue(resource.FromAlignment))
	writeList(ew, "checkIns", ds.CheckIns, resource.FromCheckIn)
	writeList(ew, "views", ds.Views, resource.FromView)
	ew.printf("\n}\n")
	if ew.err != nil {
		return fmt.Errorf("encode backup: %w", ew.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("encode backup: %w", err)
	}
	return nil
}

// encodeWriter keeps the first error of a sequence of writes.
type encodeWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer // one record's JSON
	err error
}

func (ew *encodeWriter) printf(format string, args ...any) {
	if ew.err == nil {
		_, ew.err = fmt.Fprintf(ew.w, format, args...)
	}
}

// value writes v as indented JSON whose lines after the first start with
// indent. Text keeps <, > and & as they are: a backup is no HTML.
func (ew *encodeWriter) value(v any, indent string) {
	if ew.err != nil {
		return
	}
	ew.buf.Reset()
	enc := json.NewEncoder(&ew.buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(indent, "  ")
	if ew.err = enc.Encode(v); ew.err != nil {
		return
	}
	_, ew.err = ew.w.Write(bytes.TrimSuffix(ew.buf.Bytes(), []byte("\n")))
}

// writeList writes one array member of the document, a record per line
// group.
func writeList[T, J any](ew *encodeWriter, name string, records []T, to func(T) J) {
	ew.printf(",\n  %q: [", name)
	for i, r := range records {
		if i > 0 {
			ew.printf(",")
		}
		ew.printf("\n    ")
		ew.value(to(r), "    ")
	}
	if len(records) > 0 {
		ew.printf("\n  ")
	}
	ew.printf("]")
}

// Detect reports whether a file that starts with prefix is a backup rather
// than a CSV file: after an optional UTF-8 byte order mark and white space
// it starts with '{'. A prefix of a few hundred bytes is plenty.
func Detect(prefix []byte) bool {
	prefix = bytes.TrimPrefix(prefix, bom)
	prefix = bytes.TrimLeft(prefix, " \t\r\n")
	return len(prefix) > 0 && prefix[0] == '{'
}

// bom is the UTF-8 byte order mark, which some editors put first.
var bom = []byte{0xEF, 0xBB, 0xBF}

// errTooLarge is the error of an input beyond MaxSize.
var errTooLarge = &goalpost.Error{Code: goalpost.ETOOLARGE,
	Message: fmt.Sprintf("The backup is larger than %d GiB, the most goalpost reads.", MaxSize>>30)}

// limit is MaxSize; tests lower it.
var limit int64 = MaxSize

// limitReader reads at most MaxSize bytes of r (an io.LimitReader of one
// byte more, which tells a file of exactly MaxSize from a larger one) and
// fails with errTooLarge beyond them.
type limitReader struct {
	r io.Reader
	n int64 // bytes read
}

func newLimitReader(r io.Reader) *limitReader {
	return &limitReader{r: io.LimitReader(r, limit+1)}
}

func (l *limitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > limit {
		return 0, errTooLarge
	}
	return n, err
}

// Decode reads one backup from r: at most MaxSize bytes (larger input
// fails with ETOOLARGE), one JSON document and nothing after it, of Format
// at FormatVersion, without unknown fields, with exactly one organization
// that every record belongs to. It fails with EINVALID and a message that
// says where otherwise. It checks the document, not the records: the
// store's import validates them.
func Decode(r io.Reader) (*goalpost.Dataset, error) {
	br := bufio.NewReader(newLimitReader(r))
	if b, err := br.Peek(len(bom)); err == nil && bytes.Equal(b, bom) {
		br.Discard(len(bom))
	}
	d := &decoder{dec: json.NewDecoder(br)}
	d.dec.DisallowUnknownFields()
	ds, err := d.document()
	if err != nil {
		var e *goalpost.Error
		if errors.As(err, &e) {
			return nil, err
		}
		return nil, goalpost.Errorf(goalpost.EINVALID, "The backup is not valid: %v.", err)
	}
	return ds, nil
}

// decoder reads a document member by member, so that a wrong format is
// reported before the records and the records are decoded one at a time.
type decoder struct {
	dec *json.Decoder
}

// invalid returns the EINVALID error of a problem in the document.
func invalid(format string, args ...any) error {
	return goalpost.Errorf(goalpost.EINVALID, format, args...)
}

// jsonError turns an error of the JSON decoder in the member where ("" for
// the document itself) into the error Decode returns.
func jsonError(where string, err error) error {
	at := ""
	if where != "" {
		at = " in " + where
	}
	var e *goalpost.Error
	var se *json.SyntaxError
	switch {
	case errors.As(err, &e):
		return err
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("The backup ends early%s: the file is cut short.", at)
	case errors.As(err, &se):
		return invalid("The backup is not valid JSON%s: %v (at byte %d).", at, se, se.Offset)
	}
	return invalid("The backup is not valid%s: %v.", at, err)
}

func (d *decoder) document() (*goalpost.Dataset, error) {
	tok, err := d.dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, invalid("The backup is empty.")
		}
		return nil, jsonError("", err)
	}
	if tok != json.Delim('{') {
		return nil, invalid("The backup must be a JSON object.")
	}
	ds := &goalpost.Dataset{}
	var org *resource.Organization
	seen := map[string]bool{}
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return nil, jsonError("", err)
		}
		key := tok.(string) // an object's keys are strings
		if seen[key] {
			return nil, invalid("The backup has %q twice.", key)
		}
		seen[key] = true
		switch key {
		case "format":
			var f string
			if err := d.dec.Decode(&f); err != nil {
				return nil, jsonError("format", err)
			}
			if f != Format {
				return nil, invalid("The file is not a goalpost organization backup: its format is %q, not %q.", f, Format)
			}
		case "formatVersion":
			var v int
			if err := d.dec.Decode(&v); err != nil {
				return nil, jsonError("formatVersion", err)
			}
			if v != FormatVersion {
				return nil, invalid("The backup's format version %d is not supported; this goalpost reads version %d.", v, FormatVersion)
			}
		case "exportedAt":
			var t resource.Time
			if err := d.dec.Decode(&t); err != nil {
				return nil, jsonError("exportedAt", err)
			}
		case "organization":
			if err := d.dec.Decode(&org); err != nil {
				return nil, jsonError("organization", err)
			}
			if org == nil {
				return nil, jsonError(key, errNull)
			}
			if err := checkOrganization(org); err != nil {
				return nil, jsonError(key, err)
			}
			ds.Organizations = []*goalpost.Organization{resource.ToOrganization(org)}
		case "users":
			err = readList(d, key, &ds.Users, checkUser, resource.ToUser)
		case "memberships":
			err = readList(d, key, &ds.Memberships, checkMembership, toValue(resource.ToMembership))
		case "teams":
			err = readList(d, key, &ds.Teams, checkTeam, resource.ToTeam)
		case "timePeriods":
			err = readList(d, key, &ds.TimePeriods, checkTimePeriod, resource.ToTimePeriod)
		case "items":
			err = readList(d, key, &ds.Items, checkItem, resource.ToItem)
		case "alignments":
			err = readList(d, key, &ds.Alignments, checkAlignment, toValue(resource.ToAlignment))
		case "checkIns":
			err = readList(d, key, &ds.CheckIns, checkCheckIn, resource.ToCheckIn)
		case "views":
			err = readList(d, key, &ds.Views, checkView, resource.ToView)
		default:
			if !seen["format"] {
				return nil, invalid("The file is not a goalpost organization backup: it has an unknown member %q.", key)
			}
			return nil, invalid("The backup has an unknown member %q.", key)
		}
		if err != nil {
			return nil, err
		}
	}
	if _, err := d.dec.Token(); err != nil { // the closing brace
		return nil, jsonError("", err)
	}
	if !seen["format"] {
		return nil, invalid(`The file is not a goalpost organization backup: it has no "format".`)
	}
	if !seen["formatVersion"] {
		return nil, invalid(`The backup has no "formatVersion".`)
	}
	if _, err := d.dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil && !isSyntax(err) {
			return nil, jsonError("", err)
		}
		return nil, invalid("The backup has data after its closing brace.")
	}
	if len(ds.Organizations) == 0 {
		return nil, invalid("The backup has no organization.")
	}
	if err := checkOrg(ds); err != nil {
		return nil, err
	}
	return ds, nil
}

// errNull is the error of a record that is null.
var errNull = errors.New("the record is null")

// isSyntax reports a JSON syntax error.
func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se)
}

// readList decodes the array member name into *out, one record at a time,
// each checked before it is converted.
func readList[J any, T any](d *decoder, name string, out *[]T, check func(*J) error, to func(*J) T) error {
	tok, err := d.dec.Token()
	if err != nil {
		return jsonError(name, err)
	}
	if tok == nil {
		return nil // null: none
	}
	if tok != json.Delim('[') {
		return invalid("The backup's %q must be an array.", name)
	}
	for i := 0; d.dec.More(); i++ {
		where := fmt.Sprintf("%s[%d]", name, i)
		var j *J
		if err := d.dec.Decode(&j); err != nil {
			return jsonError(where, err)
		}
		if j == nil {
			return jsonError(where, errNull)
		}
		if err := check(j); err != nil {
			return jsonError(where, err)
		}
		*out = append(*out, to(j))
	}
	if _, err := d.dec.Token(); err != nil { // the closing bracket
		return jsonError(name, err)
	}
	return nil
}

// checkOrg checks that every record names the backup's organization.
func checkOrg(ds *goalpost.Dataset) error {
	org := ds.Organizations[0].ID
	check := func(what string, id any, of uuid.UUID) error {
		if of != org {
			return invalid("The %s %v belongs to organization %s, not to the backup's organization %s.", what, id, of, org)
		}
		return nil
	}
	for _, m := range ds.Memberships {
		if err := check("membership of user", m.UserID, m.OrgID); err != nil {
			return err
		}
	}
	for _, t := range ds.Teams {
		if err := check("team", t.ID, t.OrgID); err != nil {
			return err
		}
	}
	for _, p := range ds.TimePeriods {
		if err := check("time period", p.ID, p.OrgID); err != nil {
			return err
		}
	}
	for _, it := range ds.Items {
		if err := check("item", it.ID, it.OrgID); err != nil {
			return err
		}
	}
	for _, v := range ds.Views {
		if err := check("view", v.ID, v.OrgID); err != nil {
			return err
		}
	}
	return nil
}
