package odata

import (
	"fmt"
	"strings"
)

// MaxFilterLength is the longest $filter value, in bytes, that ParseFilter
// accepts. The routes only ever need a comparison or two; the bound keeps the
// work (and the nesting depth of parentheses) per request small.
const MaxFilterLength = 2048

// Comparison is one "Property eq 'Value'" term of a $filter. A parsed $filter
// is a conjunction of them, the only shape these routes support.
type Comparison struct {
	Property string // as the client wrote it; the handler decides which names it knows
	Value    string // the string literal without its quotes, doubled quotes made single
}

// ParseFilter parses a $filter value such as
// "goalsOrganizationId eq '3d9a…'": comparisons of a property with a
// single-quoted string literal (a doubled quote stands for one quote),
// joined by "and". The keywords "eq" and "and" are case-insensitive, spaces
// and tabs around tokens are tolerated (including leading and trailing ones),
// and parentheses may group the whole expression or any part of it. Anything
// else is an *Error saying where, as a 0-based byte offset into value: other
// operators (ne, gt, or, not, …), functions, a value that is not a quoted
// string, an unterminated string, trailing tokens, or an empty expression. A
// value longer than MaxFilterLength is an *Error too.
func ParseFilter(value string) ([]Comparison, error) {
	if len(value) > MaxFilterLength {
		return nil, &Error{Message: "The query specified in the URI is too long."}
	}
	p := &filterParser{src: value}
	if err := p.next(); err != nil {
		return nil, err
	}
	var out []Comparison
	if err := p.conjunction(&out); err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.unexpectedAfterTerm("end of input")
	}
	return out, nil
}

type tokenKind int

const (
	tokEOF    tokenKind = iota
	tokWord             // a run of ASCII letters, digits and '_': a name, keyword or number
	tokString           // a single-quoted string literal
	tokLParen           // (
	tokRParen           // )
	tokOther            // any other byte
)

type token struct {
	kind tokenKind
	pos  int    // byte offset of the token's first byte
	text string // the word, or the unescaped contents of a string literal
}

// filterParser is a recursive-descent parser over a one-token lookahead.
// Recursion happens only at '(', and MaxFilterLength bounds how many there are.
type filterParser struct {
	src string
	pos int // offset of the first byte not yet lexed
	tok token
}

// next lexes the token after the current one into p.tok.
func (p *filterParser) next() error {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
	start := p.pos
	if start == len(p.src) {
		p.tok = token{kind: tokEOF, pos: start}
		return nil
	}
	switch c := p.src[start]; {
	case c == '(':
		p.pos++
		p.tok = token{kind: tokLParen, pos: start}
	case c == ')':
		p.pos++
		p.tok = token{kind: tokRParen, pos: start}
	case c == '\'':
		var b strings.Builder
		i := start + 1
		for {
			j := strings.IndexByte(p.src[i:], '\'')
			if j < 0 {
				return p.fail(start, "unterminated string literal")
			}
			b.WriteString(p.src[i : i+j])
			i += j + 1
			if i < len(p.src) && p.src[i] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			break
		}
		p.pos = i
		p.tok = token{kind: tokString, pos: start, text: b.String()}
	case isWordByte(c):
		for p.pos < len(p.src) && isWordByte(p.src[p.pos]) {
			p.pos++
		}
		p.tok = token{kind: tokWord, pos: start, text: p.src[start:p.pos]}
	default:
		p.pos++
		p.tok = token{kind: tokOther, pos: start}
	}
	return nil
}

// conjunction parses term ("and" term)*.
func (p *filterParser) conjunction(out *[]Comparison) error {
	for {
		if err := p.term(out); err != nil {
			return err
		}
		if !p.isKeyword("and") {
			return nil
		}
		if err := p.next(); err != nil {
			return err
		}
	}
}

// term parses "(" conjunction ")" or a comparison.
func (p *filterParser) term(out *[]Comparison) error {
	switch {
	case p.tok.kind == tokLParen:
		if err := p.next(); err != nil {
			return err
		}
		if err := p.conjunction(out); err != nil {
			return err
		}
		if p.tok.kind != tokRParen {
			return p.unexpectedAfterTerm("')'")
		}
		return p.next()
	case p.tok.kind == tokWord && isNameStart(p.tok.text[0]):
		return p.comparison(out)
	default:
		return p.fail(p.tok.pos, "expected a property name")
	}
}

// comparison parses name "eq" string, explaining the near misses a client is
// likely to try (other operators, functions, not) instead of a bare
// "expected 'eq'".
func (p *filterParser) comparison(out *[]Comparison) error {
	name := p.tok
	if err := p.next(); err != nil {
		return err
	}
	if !p.isKeyword("eq") {
		switch {
		case p.tok.kind == tokLParen:
			return p.fail(name.pos, fmt.Sprintf("function '%s' is not supported", name.text))
		case strings.EqualFold(name.text, "not"):
			return p.fail(name.pos, "operator 'not' is not supported")
		case p.tok.kind == tokWord && comparisonOperators[strings.ToLower(p.tok.text)]:
			return p.fail(p.tok.pos, fmt.Sprintf("operator '%s' is not supported; only 'eq' is", p.tok.text))
		default:
			return p.fail(p.tok.pos, "expected 'eq'")
		}
	}
	if err := p.next(); err != nil {
		return err
	}
	if p.tok.kind != tokString {
		return p.fail(p.tok.pos, "expected a quoted string")
	}
	*out = append(*out, Comparison{Property: name.text, Value: p.tok.text})
	return p.next()
}

// comparisonOperators are the OData operators that may stand where "eq" does.
var comparisonOperators = map[string]bool{
	"ne": true, "gt": true, "ge": true, "lt": true, "le": true, "has": true, "in": true,
	"add": true, "sub": true, "mul": true, "div": true, "divby": true, "mod": true,
}

// unexpectedAfterTerm is the error for a token after a complete term where
// only "and" or closer may stand.
func (p *filterParser) unexpectedAfterTerm(closer string) error {
	if p.isKeyword("or") {
		return p.fail(p.tok.pos, "operator 'or' is not supported; only 'and' is")
	}
	return p.fail(p.tok.pos, "expected 'and' or "+closer)
}

func (p *filterParser) isKeyword(kw string) bool {
	return p.tok.kind == tokWord && strings.EqualFold(p.tok.text, kw)
}

func (p *filterParser) fail(pos int, what string) error {
	return &Error{Message: fmt.Sprintf("Syntax error at position %d in '%s': %s.", pos, p.src, what)}
}

func isWordByte(c byte) bool {
	return isNameStart(c) || '0' <= c && c <= '9'
}

func isNameStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}
