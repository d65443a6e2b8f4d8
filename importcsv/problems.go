package importcsv

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goalpost/goalpost"
)

// maxProblems is how many problems one error lists; the rest are counted.
// A file with a systematic mistake (a wrong date format in every row) would
// otherwise produce a message as long as the file.
const maxProblems = 20

// maxQuoted is how many bytes of a bad value a message quotes.
const maxQuoted = 64

// problems collects the problems of a file in the order they are found.
type problems struct {
	list []string
	more int
}

// add records a problem of the cell at line (1-based, the line where the
// record starts) and column (a header name; "" for the record as a whole).
func (p *problems) add(line int, column, format string, args ...any) {
	if len(p.list) >= maxProblems {
		p.more++
		return
	}
	msg := fmt.Sprintf(format, args...)
	if column != "" {
		msg = fmt.Sprintf("line %d, column %s: %s", line, strconv.Quote(column), msg)
	} else {
		msg = fmt.Sprintf("line %d: %s", line, msg)
	}
	p.list = append(p.list, msg)
}

// fatal adds a problem that ends the reading, after those found before
// it, and returns the error.
func (p *problems) fatal(msg string) error {
	p.list = append(p.list, msg)
	return p.err()
}

// any reports whether a problem was recorded.
func (p *problems) any() bool { return len(p.list) > 0 }

// err returns nil without problems, else one EINVALID *goalpost.Error whose
// message lists them, one a line.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	msg := strings.Join(p.list, "\n")
	if p.more > 0 {
		msg += fmt.Sprintf("\n(and %d more problems)", p.more)
	}
	return &goalpost.Error{Code: goalpost.EINVALID, Message: msg}
}

// quote quotes s for a message, cut to maxQuoted bytes on a character
// boundary so that a huge cell is never echoed whole.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	n := maxQuoted
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strconv.Quote(s[:n]) + "…"
}

// invalid returns an EINVALID *goalpost.Error.
func invalid(format string, args ...any) error {
	return goalpost.Errorf(goalpost.EINVALID, format, args...)
}
