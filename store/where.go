package store

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Where is a parsed filter expression over a run's metrics and settings,
// evaluated in Go (no text of it reaches SQL). Its grammar:
//
//	expr    = and { "or" and }
//	and     = unary { "and" unary }
//	unary   = "not" unary | "(" expr ")" | operand op operand
//	op      = "<" | "<=" | ">" | ">=" | "=" | "==" | "!="
//	operand = number | 'text' | "text" | name
//
// A name is letters, digits, '_' and '.' (sharpe, analysis.returns.omega,
// strategy.params.fast, or fast: see Resolver). Two operands that are
// both numbers compare as numbers, otherwise as text. A comparison with a
// name the run lacks, or a value that is not a number against a number, is
// false.
type Where struct {
	root node
	// Names are the names the expression uses, in order of appearance.
	Names []string
}

// Resolver returns the value of a name for one run, and whether the run
// has it.
type Resolver func(name string) (Value, bool)

// Match evaluates w for the run whose values lookup gives. A nil Where
// matches every run.
func (w *Where) Match(lookup Resolver) bool {
	if w == nil {
		return true
	}
	return w.root.eval(lookup)
}

// ParseWhere parses a filter expression (see Where). Errors name the
// position, counted in characters from 1.
func ParseWhere(expr string) (*Where, error) {
	toks, err := lex(expr)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, expr: expr}
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEnd {
		return nil, p.errorf(t, "unexpected %q", t.text)
	}
	return &Where{root: root, Names: p.names}, nil
}

type tokKind int

const (
	tEnd tokKind = iota
	tNum
	tText
	tName
	tOp
	tOpen
	tClose
)

type token struct {
	kind tokKind
	text string
	num  float64
	pos  int // 1-based
}

// lex splits expr into tokens.
func lex(expr string) ([]token, error) {
	var out []token
	rs := []rune(expr)
	for i := 0; i < len(rs); {
		r := rs[i]
		start := i
		switch {
		case unicode.IsSpace(r):
			i++
			continue
		case r == '(' || r == ')':
			k := tOpen
			if r == ')' {
				k = tClose
			}
			out = append(out, token{kind: k, text: string(r), pos: i + 1})
			i++
		case strings.ContainsRune("<>=!", r):
			op := string(r)
			if i+1 < len(rs) && rs[i+1] == '=' {
				op += "="
			}
			if op == "!" {
				return nil, fmt.Errorf("where: position %d: '!' must be followed by '=' (use not for negation)", i+1)
			}
			i += len([]rune(op))
			out = append(out, token{kind: tOp, text: op, pos: start + 1})
		case r == '\'' || r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != r {
				j++
			}
			if j == len(rs) {
				return nil, fmt.Errorf("where: position %d: text not closed by %c", i+1, r)
			}
			out = append(out, token{kind: tText, text: string(rs[i+1 : j]), pos: start + 1})
			i = j + 1
		case unicode.IsDigit(r) || r == '-' || r == '+' || (r == '.' && i+1 < len(rs) && unicode.IsDigit(rs[i+1])):
			j := i + 1
			for j < len(rs) && (unicode.IsDigit(rs[j]) || strings.ContainsRune(".eE", rs[j]) ||
				((rs[j] == '-' || rs[j] == '+') && (rs[j-1] == 'e' || rs[j-1] == 'E'))) {
				j++
			}
			s := string(rs[i:j])
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("where: position %d: %q is not a number", i+1, s)
			}
			out = append(out, token{kind: tNum, text: s, num: f, pos: start + 1})
			i = j
		case unicode.IsLetter(r) || r == '_':
			j := i + 1
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_' || rs[j] == '.') {
				j++
			}
			out = append(out, token{kind: tName, text: string(rs[i:j]), pos: start + 1})
			i = j
		default:
			return nil, fmt.Errorf("where: position %d: unexpected character %q", i+1, r)
		}
	}
	return append(out, token{kind: tEnd, pos: len(rs) + 1}), nil
}

type parser struct {
	toks  []token
	i     int
	expr  string
	names []string
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) errorf(t token, format string, args ...any) error {
	if t.kind == tEnd {
		return fmt.Errorf("where: %q: %s at the end", p.expr, fmt.Sprintf(format, args...))
	}
	return fmt.Errorf("where: %q: position %d: %s", p.expr, t.pos, fmt.Sprintf(format, args...))
}

func (p *parser) keyword(word string) bool {
	if t := p.peek(); t.kind == tName && strings.EqualFold(t.text, word) {
		p.i++
		return true
	}
	return false
}

func (p *parser) or() (node, error) {
	l, err := p.and()
	for err == nil && p.keyword("or") {
		var r node
		if r, err = p.and(); err == nil {
			l = orNode{l, r}
		}
	}
	return l, err
}

func (p *parser) and() (node, error) {
	l, err := p.unary()
	for err == nil && p.keyword("and") {
		var r node
		if r, err = p.unary(); err == nil {
			l = andNode{l, r}
		}
	}
	return l, err
}

func (p *parser) unary() (node, error) {
	if p.keyword("not") {
		n, err := p.unary()
		return notNode{n}, err
	}
	if p.peek().kind == tOpen {
		p.next()
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if t := p.next(); t.kind != tClose {
			return nil, p.errorf(t, "want ')', got %q", t.text)
		}
		return n, nil
	}
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	op := p.next()
	if op.kind != tOp {
		return nil, p.errorf(op, "want a comparison (< <= > >= = !=) after %q", l.text)
	}
	r, err := p.operand()
	if err != nil {
		return nil, err
	}
	return cmpNode{l, op.text, r}, nil
}

func (p *parser) operand() (token, error) {
	t := p.next()
	switch t.kind {
	case tNum, tText:
		return t, nil
	case tName:
		if w := strings.ToLower(t.text); w == "and" || w == "or" || w == "not" {
			return t, p.errorf(t, "want a name, number or text, got %q", t.text)
		}
		p.names = append(p.names, t.text)
		return t, nil
	}
	return t, p.errorf(t, "want a name, number or text, got %q", t.text)
}

type node interface {
	eval(Resolver) bool
}

type orNode struct{ l, r node }
type andNode struct{ l, r node }
type notNode struct{ n node }
type cmpNode struct {
	l  token
	op string
	r  token
}

func (n orNode) eval(f Resolver) bool  { return n.l.eval(f) || n.r.eval(f) }
func (n andNode) eval(f Resolver) bool { return n.l.eval(f) && n.r.eval(f) }
func (n notNode) eval(f Resolver) bool { return !n.n.eval(f) }

func (n cmpNode) eval(f Resolver) bool {
	l, ok1 := value(n.l, f)
	r, ok2 := value(n.r, f)
	if !ok1 || !ok2 {
		return false
	}
	var c int
	switch {
	case l.Numeric && r.Numeric:
		switch {
		case l.Num < r.Num:
			c = -1
		case l.Num > r.Num:
			c = 1
		}
	case n.l.kind == tNum || n.r.kind == tNum:
		return false // text against a number
	default:
		c = strings.Compare(l.Text, r.Text)
	}
	switch n.op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	case "!=":
		return c != 0
	}
	return c == 0
}

// value returns an operand's value.
func value(t token, f Resolver) (Value, bool) {
	switch t.kind {
	case tNum:
		return Value{Text: t.text, Num: t.num, Numeric: true}, true
	case tText:
		return number(t.text), true
	}
	return f(t.text)
}
