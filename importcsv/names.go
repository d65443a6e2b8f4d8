package importcsv

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/goalpost/goalpost"
	"github.com/google/uuid"
)

// upnDomain is the domain of the user principal names of imported users:
// reserved (RFC 2606), so that no mail is ever sent to them.
const upnDomain = "imported.invalid"

// slug returns the local part of an imported user's UPN before its
// suffixes: the name's ASCII letters and digits, lower-cased, in runs joined
// with '.'. Latin letters with diacritics count as their base letters
// (Zoë Ångström → zoe.angstrom). It returns "" when nothing is left.
func slug(name string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(name) {
		s := foldRune(r)
		if s == "" {
			sep = b.Len() > 0
			continue
		}
		if sep {
			b.WriteByte('.')
			sep = false
		}
		b.WriteString(s)
	}
	return b.String()
}

// foldRune returns the ASCII letters or digit that r stands for in a
// slug, or "" for a separator.
func foldRune(r rune) string {
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return string(r)
	case r < 0x80:
		return ""
	}
	return latinFold[r] // other scripts separate runs like punctuation
}

// latinFold maps the lower-case letters of Latin-1 and Latin Extended-A to
// ASCII.
var latinFold = func() map[rune]string {
	m := make(map[rune]string)
	for base, letters := range map[string]string{
		"a":  "àáâãäåāăą",
		"ae": "æ",
		"c":  "çćĉċč",
		"d":  "ðďđ",
		"e":  "èéêëēĕėęě",
		"g":  "ĝğġģ",
		"h":  "ĥħ",
		"i":  "ìíîïĩīĭįı",
		"ij": "ĳ",
		"j":  "ĵ",
		"k":  "ķĸ",
		"l":  "ĺļľŀł",
		"n":  "ñńņňŉŋ",
		"o":  "òóôõöøōŏő",
		"oe": "œ",
		"r":  "ŕŗř",
		"s":  "śŝşšſ",
		"ss": "ß",
		"t":  "ţťŧ",
		"th": "þ",
		"u":  "ùúûüũūŭůűų",
		"w":  "ŵ",
		"y":  "ýÿŷ",
		"z":  "źżž",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// upnFor returns the UPN of an imported user: <slug>.<first 8 hex digits
// of the organization id>@imported.invalid, with the first 8 hex digits of
// the user's own id before the organization's when withID is set (a name
// without ASCII letters or digits, or one whose slug another user has).
func upnFor(name string, userID, orgID uuid.UUID, withID bool) string {
	s := slug(name)
	if s == "" {
		s, withID = "user", true
	}
	if withID {
		s += "." + userID.String()[:8]
	}
	return s + "." + orgID.String()[:8] + "@" + upnDomain
}

// periodName matches the names whose dates follow from the name.
var periodName = regexp.MustCompile(`^(?i)(?:(Q[1-4]|H[12]|FY|Annual) )?(\d{4})$`)

// periodDates returns the dates a period's name stands for: Q1 2025 …
// Q4 2025, H1 2025 and H2 2025, and the calendar year for 2025, FY 2025
// and Annual 2025 (a fiscal year that starts elsewhere cannot be read
// from its name).
func periodDates(name string) (start, end goalpost.Date, ok bool) {
	m := periodName.FindStringSubmatch(name)
	if m == nil {
		return start, end, false
	}
	year, _ := strconv.Atoi(m[2])
	first, months := time.January, 12
	switch p := strings.ToUpper(m[1]); {
	case strings.HasPrefix(p, "Q"):
		first, months = time.Month(3*(int(p[1]-'0')-1)+1), 3
	case strings.HasPrefix(p, "H"):
		first, months = time.Month(6*(int(p[1]-'0')-1)+1), 6
	}
	s := time.Date(year, first, 1, 0, 0, 0, 0, time.UTC)
	return goalpost.DateOf(s), goalpost.DateOf(s.AddDate(0, months, -1)), true
}
