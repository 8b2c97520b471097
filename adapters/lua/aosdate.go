package lua

import (
	"fmt"
	"math"
	"strings"
	"time"

	glua "github.com/yuin/gopher-lua"
)

// aosDate is os.date as a process on AO gets it, made deterministic: the
// time argument is in seconds, as in Lua; without it the date is the
// current message's Timestamp (os.time(), in milliseconds, as aos gives
// it), never the host's clock. Dates are in UTC whether or not the format
// starts with "!" (an AO unit has no local time zone to offer). The
// conversions are C99's in the C locale; an unknown one is an error, as in
// Lua 5.3.
func aosDate(L *glua.LState) int {
	format := L.OptString(1, "%c")
	var secs float64
	if L.GetTop() >= 2 && L.Get(2) != glua.LNil {
		secs = float64(L.CheckNumber(2))
	} else {
		L.Push(L.GetField(L.GetGlobal("os"), "time"))
		L.Call(0, 1)
		ms, ok := L.Get(-1).(glua.LNumber)
		L.Pop(1)
		if !ok {
			L.RaiseError("os.date: os.time() did not return a number")
		}
		secs = math.Floor(float64(ms) / 1000)
	}
	if !isInt(secs) || math.Abs(secs) > 1e15 {
		L.ArgError(2, "time out-of-bounds")
	}
	t := time.Unix(int64(secs), 0).UTC()
	format = strings.TrimPrefix(format, "!")
	if strings.HasPrefix(format, "*t") {
		r := L.CreateTable(0, 9)
		for _, f := range []struct {
			k string
			v int
		}{{"year", t.Year()}, {"month", int(t.Month())}, {"day", t.Day()}, {"hour", t.Hour()},
			{"min", t.Minute()}, {"sec", t.Second()}, {"wday", int(t.Weekday()) + 1}, {"yday", t.YearDay()}} {
			r.RawSetString(f.k, glua.LNumber(f.v))
		}
		r.RawSetString("isdst", glua.LFalse)
		L.Push(r)
		return 1
	}
	out, err := strftimeC(t, format)
	if err != nil {
		L.ArgError(1, err.Error())
	}
	L.Push(glua.LString(out))
	return 1
}

// strftimeC formats t with C's strftime conversions in the C locale.
func strftimeC(t time.Time, format string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b.WriteByte(format[i])
			continue
		}
		i++
		if i >= len(format) {
			return "", fmt.Errorf("invalid conversion specifier '%%'")
		}
		c := format[i]
		if c == 'E' || c == 'O' { // C99 modifiers: same output in the C locale
			if i+1 >= len(format) || !strings.ContainsRune(modifiable[c], rune(format[i+1])) {
				return "", fmt.Errorf("invalid conversion specifier '%%%s'", format[i:min(i+2, len(format))])
			}
			i++
			c = format[i]
		}
		s, ok := convertC(t, c)
		if !ok {
			return "", fmt.Errorf("invalid conversion specifier '%%%c'", c)
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

var modifiable = map[byte]string{'E': "cCxXyY", 'O': "deHImMSuUVwWy"}

func convertC(t time.Time, c byte) (string, bool) {
	year, week := t.ISOWeek()
	switch c {
	case 'a':
		return t.Format("Mon"), true
	case 'A':
		return t.Format("Monday"), true
	case 'b', 'h':
		return t.Format("Jan"), true
	case 'B':
		return t.Format("January"), true
	case 'c':
		return fmt.Sprintf("%s %s %2d %02d:%02d:%02d %d", t.Format("Mon"), t.Format("Jan"), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Year()), true
	case 'C':
		return fmt.Sprintf("%02d", t.Year()/100), true
	case 'd':
		return fmt.Sprintf("%02d", t.Day()), true
	case 'D':
		return fmt.Sprintf("%02d/%02d/%02d", int(t.Month()), t.Day(), t.Year()%100), true
	case 'e':
		return fmt.Sprintf("%2d", t.Day()), true
	case 'F':
		return fmt.Sprintf("%d-%02d-%02d", t.Year(), int(t.Month()), t.Day()), true
	case 'g':
		return fmt.Sprintf("%02d", year%100), true
	case 'G':
		return fmt.Sprint(year), true
	case 'H':
		return fmt.Sprintf("%02d", t.Hour()), true
	case 'I':
		return fmt.Sprintf("%02d", (t.Hour()+11)%12+1), true
	case 'j':
		return fmt.Sprintf("%03d", t.YearDay()), true
	case 'm':
		return fmt.Sprintf("%02d", int(t.Month())), true
	case 'M':
		return fmt.Sprintf("%02d", t.Minute()), true
	case 'n':
		return "\n", true
	case 'p':
		if t.Hour() < 12 {
			return "AM", true
		}
		return "PM", true
	case 'r':
		return fmt.Sprintf("%02d:%02d:%02d %s", (t.Hour()+11)%12+1, t.Minute(), t.Second(), map[bool]string{true: "AM", false: "PM"}[t.Hour() < 12]), true
	case 'R':
		return fmt.Sprintf("%02d:%02d", t.Hour(), t.Minute()), true
	case 'S':
		return fmt.Sprintf("%02d", t.Second()), true
	case 't':
		return "\t", true
	case 'T', 'X':
		return fmt.Sprintf("%02d:%02d:%02d", t.Hour(), t.Minute(), t.Second()), true
	case 'u':
		return fmt.Sprint((int(t.Weekday())+6)%7 + 1), true
	case 'U':
		return fmt.Sprintf("%02d", (t.YearDay()+6-int(t.Weekday()))/7), true
	case 'V':
		return fmt.Sprintf("%02d", week), true
	case 'w':
		return fmt.Sprint(int(t.Weekday())), true
	case 'W':
		return fmt.Sprintf("%02d", (t.YearDay()+6-(int(t.Weekday())+6)%7)/7), true
	case 'x':
		return fmt.Sprintf("%02d/%02d/%02d", int(t.Month()), t.Day(), t.Year()%100), true
	case 'y':
		return fmt.Sprintf("%02d", t.Year()%100), true
	case 'Y':
		return fmt.Sprint(t.Year()), true
	case 'z':
		return "+0000", true
	case 'Z':
		return "UTC", true
	case '%':
		return "%", true
	}
	return "", false
}
