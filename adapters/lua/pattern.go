package lua

import (
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// Lua patterns (string.find, match, gmatch, gsub), written after the rules
// of the Lua 5.3 manual (§6.4.1), because gopher-lua's matcher cannot be
// interrupted: a backtracking pattern such as string.rep("a*", 40) .. "b"
// would run for hours inside one Go call, out of reach of the work budget.
// This matcher charges one unit of work per step (each attempt to match a
// pattern item at a position), so the budget stops it like any loop.

const (
	maxCaptures   = 32
	capUnfinished = -1
	capPosition   = -2
	// maxMatchDepth bounds the matcher's recursion (Lua's MAXCCALLS).
	maxMatchDepth = 200
	// stepsPerCharge is how many steps are counted before they are charged.
	stepsPerCharge = 1024
)

type capture struct{ init, len int }

type matcher struct {
	L        *glua.LState
	src, pat string
	level    int
	capture  [maxCaptures]capture
	depth    int
	steps    int64
}

func newMatcher(L *glua.LState, src, pat string) *matcher {
	// A long pattern is read at least once, whatever the subject.
	chargeLongStrings(L, glua.LString(pat))
	return &matcher{L: L, src: src, pat: pat}
}

// anchor reports whether the pattern starts with '^' (find, match and gsub
// then try only the first position) and where the rest of it starts.
func (m *matcher) anchor() (start int, anchored bool) {
	if strings.HasPrefix(m.pat, "^") {
		return 1, true
	}
	return 0, false
}

// step counts one step and charges the budget every stepsPerCharge steps.
func (m *matcher) step() {
	m.steps++
	if m.steps%stepsPerCharge == 0 {
		spend(m.L, stepsPerCharge)
	}
}

// settle charges the steps not charged yet. It never raises (it runs
// deferred, maybe while an error unwinds): an overdraft stops the
// evaluation at its next instruction.
func (m *matcher) settle() {
	if b := budgetOf(m.L); b != nil && b.reason() == stopNone {
		b.left -= m.steps % stepsPerCharge
		if b.left < 0 {
			b.halt(stopWork)
		}
	}
	m.steps -= m.steps % stepsPerCharge
}

func (m *matcher) fail(msg string) { m.L.RaiseError("%s", msg) }

// at returns the pattern byte at i, or 0 past the end (as C's terminator).
func (m *matcher) at(i int) byte {
	if i < len(m.pat) {
		return m.pat[i]
	}
	return 0
}

// classEnd returns the index just past the single-character class at p.
func (m *matcher) classEnd(p int) int {
	c := m.pat[p]
	p++
	switch c {
	case '%':
		if p >= len(m.pat) {
			m.fail("malformed pattern (ends with '%')")
		}
		return p + 1
	case '[':
		if m.at(p) == '^' {
			p++
		}
		for { // the first character of a set is never its end: "[]]" holds ']'
			if p >= len(m.pat) {
				m.fail("malformed pattern (missing ']')")
			}
			c := m.pat[p]
			p++
			if c == '%' && p < len(m.pat) {
				p++
			}
			if m.at(p) == ']' {
				return p + 1
			}
		}
	}
	return p
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return isLower(c) || isUpper(c) }
func isSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }
func isCntrl(c byte) bool { return c < 32 || c == 127 }
func isGraph(c byte) bool { return c > 32 && c < 127 }

// matchClass reports whether c is in the class %cl (C locale).
func matchClass(c, cl byte) bool {
	var res bool
	switch cl | 0x20 {
	case 'a':
		res = isAlpha(c)
	case 'c':
		res = isCntrl(c)
	case 'd':
		res = isDigit(c)
	case 'g':
		res = isGraph(c)
	case 'l':
		res = isLower(c)
	case 'p':
		res = isGraph(c) && !isAlpha(c) && !isDigit(c)
	case 's':
		res = isSpace(c)
	case 'u':
		res = isUpper(c)
	case 'w':
		res = isAlpha(c) || isDigit(c)
	case 'x':
		res = isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f')
	case 'z':
		res = c == 0
	default:
		return cl == c
	}
	if isUpper(cl) {
		return !res
	}
	return res
}

// matchSet reports whether c is in the set [ ... ] from p ('[') to ec (']').
func (m *matcher) matchSet(c byte, p, ec int) bool {
	sig := true
	if m.at(p+1) == '^' {
		sig = false
		p++
	}
	for p++; p < ec; p++ {
		switch {
		case m.pat[p] == '%':
			p++
			if matchClass(c, m.at(p)) {
				return sig
			}
		case m.at(p+1) == '-' && p+2 < ec:
			p += 2
			if m.pat[p-2] <= c && c <= m.pat[p] {
				return sig
			}
		case m.pat[p] == c:
			return sig
		}
	}
	return !sig
}

// singleMatch reports whether src[s] matches the class from p to ep.
func (m *matcher) singleMatch(s, p, ep int) bool {
	m.step()
	if s >= len(m.src) {
		return false
	}
	c := m.src[s]
	switch m.pat[p] {
	case '.':
		return true
	case '%':
		return matchClass(c, m.at(p+1))
	case '[':
		return m.matchSet(c, p, ep-1)
	}
	return m.pat[p] == c
}

// match matches the pattern from p against src from s and returns the end
// of the match, or -1.
func (m *matcher) match(s, p int) int {
	m.depth++
	if m.depth > maxMatchDepth {
		m.fail("pattern too complex")
	}
	defer func() { m.depth-- }()
	for p < len(m.pat) {
		m.step()
		switch m.pat[p] {
		case '(':
			if m.at(p+1) == ')' {
				return m.startCapture(s, p+2, capPosition)
			}
			return m.startCapture(s, p+1, capUnfinished)
		case ')':
			return m.endCapture(s, p+1)
		case '$':
			if p+1 == len(m.pat) {
				if s == len(m.src) {
					return s
				}
				return -1
			}
		case '%':
			switch c := m.at(p + 1); {
			case c == 'b':
				s = m.matchBalance(s, p+2)
				if s < 0 {
					return -1
				}
				p += 4
				continue
			case c == 'f':
				p += 2
				if m.at(p) != '[' {
					m.fail("missing '[' after '%f' in pattern")
				}
				ep := m.classEnd(p)
				var prev, cur byte
				if s > 0 {
					prev = m.src[s-1]
				}
				if s < len(m.src) {
					cur = m.src[s]
				}
				if !m.matchSet(prev, p, ep-1) && m.matchSet(cur, p, ep-1) {
					p = ep
					continue
				}
				return -1
			case isDigit(c):
				s = m.matchCapture(s, c)
				if s < 0 {
					return -1
				}
				p += 2
				continue
			}
		}
		// A single-character class, maybe followed by a repetition.
		ep := m.classEnd(p)
		rep := m.at(ep)
		if !m.singleMatch(s, p, ep) {
			if rep == '*' || rep == '?' || rep == '-' {
				p = ep + 1
				continue
			}
			return -1
		}
		switch rep {
		case '?':
			if r := m.match(s+1, ep+1); r >= 0 {
				return r
			}
			p = ep + 1
		case '+':
			return m.maxExpand(s+1, p, ep)
		case '*':
			return m.maxExpand(s, p, ep)
		case '-':
			return m.minExpand(s, p, ep)
		default:
			s++
			p = ep
		}
	}
	return s
}

func (m *matcher) maxExpand(s, p, ep int) int {
	i := 0
	for m.singleMatch(s+i, p, ep) {
		i++
	}
	for ; i >= 0; i-- {
		if r := m.match(s+i, ep+1); r >= 0 {
			return r
		}
	}
	return -1
}

func (m *matcher) minExpand(s, p, ep int) int {
	for {
		if r := m.match(s, ep+1); r >= 0 {
			return r
		}
		if !m.singleMatch(s, p, ep) {
			return -1
		}
		s++
	}
}

func (m *matcher) startCapture(s, p, what int) int {
	if m.level >= maxCaptures {
		m.fail("too many captures")
	}
	m.capture[m.level] = capture{init: s, len: what}
	m.level++
	r := m.match(s, p)
	if r < 0 {
		m.level--
	}
	return r
}

func (m *matcher) endCapture(s, p int) int {
	l := -1
	for i := m.level - 1; i >= 0; i-- {
		if m.capture[i].len == capUnfinished {
			l = i
			break
		}
	}
	if l < 0 {
		m.fail("invalid pattern capture")
	}
	m.capture[l].len = s - m.capture[l].init
	r := m.match(s, p)
	if r < 0 {
		m.capture[l].len = capUnfinished
	}
	return r
}

func (m *matcher) matchBalance(s, p int) int {
	if p+1 >= len(m.pat) {
		m.fail("malformed pattern (missing arguments to '%b')")
	}
	if s >= len(m.src) || m.src[s] != m.pat[p] {
		return -1
	}
	b, e := m.pat[p], m.pat[p+1]
	cont := 1
	for s++; s < len(m.src); s++ {
		m.step()
		switch m.src[s] {
		case e:
			cont--
			if cont == 0 {
				return s + 1
			}
		case b:
			cont++
		}
	}
	return -1
}

func (m *matcher) matchCapture(s int, c byte) int {
	l := int(c - '1')
	if l < 0 || l >= m.level || m.capture[l].len == capUnfinished {
		m.L.RaiseError("invalid capture index %%%d", l+1)
	}
	n := m.capture[l].len
	if n < 0 { // a position capture has no text; Lua compares 0 bytes... of garbage
		n = 0
	}
	m.steps += int64(n) / 64
	if len(m.src)-s >= n && m.src[m.capture[l].init:m.capture[l].init+n] == m.src[s:s+n] {
		return s + n
	}
	return -1
}

// captureValue returns capture i of a match from s to e (the whole match
// when the pattern has no captures and i is 0).
func (m *matcher) captureValue(i, s, e int) glua.LValue {
	if i >= m.level {
		if i == 0 {
			return glua.LString(m.src[s:e])
		}
		m.L.RaiseError("invalid capture index %%%d", i+1)
	}
	c := m.capture[i]
	switch c.len {
	case capUnfinished:
		m.L.RaiseError("unfinished capture")
	case capPosition:
		return glua.LNumber(c.init + 1)
	}
	return glua.LString(m.src[c.init : c.init+c.len])
}

// pushCaptures pushes the captures of a match (or the whole match when
// whole is set and there are none) and returns how many.
func (m *matcher) pushCaptures(s, e int, whole bool) int {
	n := m.level
	if n == 0 && whole {
		n = 1
	}
	for i := 0; i < n; i++ {
		m.L.Push(m.captureValue(i, s, e))
	}
	return n
}

// hasSpecials reports whether a pattern uses any magic character.
func hasSpecials(p string) bool { return strings.ContainsAny(p, "^$*+?.([%-") }

// startIndex turns string.find's init argument into a 0-based offset, or -1
// when it is past the end.
func startIndex(init, n int) int {
	if init < 0 {
		init = n + init + 1
	}
	if init < 1 {
		init = 1
	}
	if init > n+1 {
		return -1
	}
	return init - 1
}

func patternFind(L *glua.LState, find bool) int {
	src := L.CheckString(1)
	pat := L.CheckString(2)
	init := startIndex(L.OptInt(3, 1), len(src))
	if init < 0 {
		L.Push(glua.LNil)
		return 1
	}
	if find && (glua.LVAsBool(L.Get(4)) || !hasSpecials(pat)) {
		spend(L, bytesWork(len(src)-init)+longStringWork(glua.LString(pat)))
		i := strings.Index(src[init:], pat)
		if i < 0 {
			L.Push(glua.LNil)
			return 1
		}
		L.Push(glua.LNumber(init + i + 1))
		L.Push(glua.LNumber(init + i + len(pat)))
		return 2
	}
	m := newMatcher(L, src, pat)
	defer m.settle()
	p, anchor := m.anchor()
	for s := init; ; s++ {
		m.level = 0
		if e := m.match(s, p); e >= 0 {
			if find {
				L.Push(glua.LNumber(s + 1))
				L.Push(glua.LNumber(e))
				return m.pushCaptures(-1, -1, false) + 2
			}
			return m.pushCaptures(s, e, true)
		}
		if anchor || s >= len(src) {
			break
		}
	}
	L.Push(glua.LNil)
	return 1
}

func strFind(L *glua.LState) int  { return patternFind(L, true) }
func strMatch(L *glua.LState) int { return patternFind(L, false) }

// strGmatch iterates over the matches. As in Lua 5.1 (and gopher-lua), an
// empty match right after a match is a match too; as in gopher-lua, a
// leading '^' anchors the iteration at the start of the subject.
func strGmatch(L *glua.LState) int {
	src := L.CheckString(1)
	pat := L.CheckString(2)
	pos := 0
	L.Push(L.NewFunction(func(L *glua.LState) int {
		m := newMatcher(L, src, pat)
		defer m.settle()
		p, anchor := m.anchor()
		for s := pos; s <= len(src); s++ {
			m.level = 0
			if e := m.match(s, p); e >= 0 {
				pos = e
				if e == s {
					pos++
				}
				if anchor {
					pos = len(src) + 1
				}
				return m.pushCaptures(s, e, true)
			}
			if anchor {
				break
			}
		}
		pos = len(src) + 1
		return 0
	}))
	return 1
}

func strGsub(L *glua.LState) int {
	src := L.CheckString(1)
	pat := L.CheckString(2)
	repl := L.Get(3)
	switch repl.(type) {
	case glua.LString, glua.LNumber, *glua.LTable, *glua.LFunction:
	default:
		L.ArgError(3, "string/function/table expected")
	}
	maxN := len(src) + 1
	if L.Get(4) != glua.LNil {
		maxN = L.CheckInt(4)
	}
	m := newMatcher(L, src, pat)
	defer m.settle()
	p, anchor := m.anchor()
	var b strings.Builder
	add := func(s string) {
		checkSize(L, float64(b.Len())+float64(len(s)), "string.gsub")
		m.steps += int64(len(s)) / 16
		b.WriteString(s)
	}
	// As in Lua 5.1 (and gopher-lua): an empty match right after a match
	// is replaced too.
	s, n := 0, 0
	for n < maxN {
		m.level = 0
		e := m.match(s, p)
		if e >= 0 {
			n++
			add(m.replacement(repl, s, e))
		}
		if e > s {
			s = e
		} else if s < len(src) {
			add(src[s : s+1])
			s++
		} else {
			break
		}
		if anchor {
			break
		}
	}
	if s < len(src) {
		add(src[s:])
	}
	noteBuilt(L, b.Len())
	L.Push(glua.LString(b.String()))
	L.Push(glua.LNumber(n))
	return 2
}

// replacement is the text that replaces the match from s to e.
func (m *matcher) replacement(repl glua.LValue, s, e int) string {
	L := m.L
	var v glua.LValue
	switch r := repl.(type) {
	case glua.LString, glua.LNumber:
		text := r.String()
		if !strings.Contains(text, "%") {
			return text
		}
		var b strings.Builder
		for i := 0; i < len(text); i++ {
			c := text[i]
			if c != '%' {
				b.WriteByte(c)
				continue
			}
			i++
			switch {
			case i < len(text) && text[i] == '%':
				b.WriteByte('%')
			case i < len(text) && isDigit(text[i]):
				var cv glua.LValue
				if text[i] == '0' {
					cv = glua.LString(m.src[s:e])
				} else {
					cv = m.captureValue(int(text[i]-'1'), s, e)
				}
				piece := cv.String()
				checkSize(L, float64(b.Len())+float64(len(piece)), "string.gsub")
				m.steps += int64(len(piece)) / 16
				b.WriteString(piece)
			default:
				L.RaiseError("%s", "invalid use of '%' in replacement string")
			}
		}
		return b.String()
	case *glua.LTable:
		v = L.GetTable(r, m.captureValue(0, s, e))
	case *glua.LFunction:
		top := L.GetTop()
		L.Push(r)
		n := m.pushCaptures(s, e, true)
		L.Call(n, 1)
		v = L.Get(-1)
		L.SetTop(top)
	}
	switch x := v.(type) {
	case glua.LString, glua.LNumber:
		return x.String()
	case *glua.LNilType:
		return m.src[s:e]
	case glua.LBool:
		if !bool(x) {
			return m.src[s:e]
		}
	}
	L.RaiseError("invalid replacement value (a %s)", v.Type().String())
	return ""
}
