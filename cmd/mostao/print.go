package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/spec"
	"github.com/mostao/conformance/steps"
)

// printRun writes the human report of a run: the header, the verdict of
// every requirement, the details of each failure, and the summary.
func printRun(w io.Writer, run reports.Run, target adapters.Target, quiet bool) {
	h := run.Header
	if !quiet {
		fmt.Fprintf(w, "MostAO certification of %s (%s)\n", reports.Printable(h.Implementation.Name), reports.Printable(h.Implementation.Target))
		fmt.Fprintf(w, "suite %s, spec %s (%s), engine %s, seed %d, %s\n", reports.Printable(h.SuiteVersion), reports.Printable(h.SpecVersion),
			reports.Printable(shortHash(h.SpecHash)), reports.Printable(h.Engine), h.Seed, reports.Printable(h.Date))
		fmt.Fprintf(w, "MIPs: %s\n", reports.Printable(strings.Join(h.MIPs, ", ")))
		switch {
		case len(h.Roles) == 3:
			fmt.Fprintf(w, "roles judged: %s\n", reports.Printable(strings.Join(h.Roles, ", ")))
		case len(h.Roles) > 0:
			fmt.Fprintf(w, "roles judged: %s (the other roles ran the reference and earn no verdict)\n", reports.Printable(strings.Join(h.Roles, ", ")))
		}
		if !h.Clipped.IsZero() {
			fmt.Fprintf(w, "%s of what the implementation sent (the reports keep part of each message record)\n", h.Clipped)
		}
		fmt.Fprintln(w)

		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tLEVEL\tVERDICT\tROLE\tTITLE")
		for _, r := range run.Requirements {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", reports.Printable(r.ID), reports.Printable(string(r.Level)),
				reports.Printable(string(r.Verdict)), reports.Printable(roleWord(r.Role)), reports.Printable(r.Title))
		}
		tw.Flush()
		printFailures(w, run, target)
		printUntested(w, run)
	}
	if !quiet {
		fmt.Fprintln(w)
	}
	printSummary(w, run)
}

// printFailures details every requirement that did not pass. The first
// failing check of each kind (scenario, property) of a requirement is shown in full (reason, messages,
// reproducer) unless an earlier requirement already showed it; its other
// failing checks get one line each, so a broken implementation gives a
// report a person can read to the end.
func printFailures(w io.Writer, run reports.Run, target adapters.Target) {
	const maxListed = 5
	shown := map[string]string{} // check key -> requirement it was shown under
	first := true
	for _, r := range run.Requirements {
		if r.Verdict == reports.Pass || r.Verdict == reports.Untested {
			continue
		}
		if first {
			fmt.Fprintf(w, "\nFailures\n")
			first = false
		}
		if r.Role != "" {
			fmt.Fprintf(w, "\n%s as the %s (%s) %s: %s\n", reports.Printable(r.ID), reports.Printable(r.Role), reports.Printable(string(r.Level)), reports.Printable(string(r.Verdict)), reports.Printable(r.Title))
		} else {
			fmt.Fprintf(w, "\n%s (%s) %s: %s\n", reports.Printable(r.ID), reports.Printable(string(r.Level)), reports.Printable(string(r.Verdict)), reports.Printable(r.Title))
		}
		switch r.Verdict {
		case reports.ExpectedFail:
			fmt.Fprintf(w, "  expected to fail: %s\n", reports.Printable(r.Expected))
		case reports.UnexpectedPass:
			fmt.Fprintf(w, "  listed as a known failure (%s) but it passes now: remove it from the expectations file\n", reports.Printable(r.Expected))
			continue
		}
		detailed, listed := map[reports.CheckKind]bool{}, 0
		var more int
		for _, c := range r.Checks {
			if c.Passed {
				continue
			}
			key := string(c.Kind) + "\x00" + c.URI + "\x00" + c.Name
			prev, seen := shown[key]
			switch {
			case !detailed[c.Kind] && !seen:
				shown[key] = r.ID
				printCheck(w, c, target)
				detailed[c.Kind] = true
			case !detailed[c.Kind] && seen:
				fmt.Fprintf(w, "  %s %q (%s): the failure shown under %s\n", reports.Printable(string(c.Kind)), c.Name, reports.Printable(c.URI), reports.Printable(prev))
				detailed[c.Kind] = true
			case listed < maxListed:
				fmt.Fprintf(w, "  also failed: %s %q (%s)\n", reports.Printable(string(c.Kind)), c.Name, reports.Printable(c.URI))
				listed++
			default:
				more++
			}
		}
		if more > 0 {
			fmt.Fprintf(w, "  and %d more failing %s\n", more, plural(more, "check", "checks"))
		}
	}
}

// printUntested says why each untested MUST requirement was not checked:
// a precondition the target did not meet, a setup that failed, or no check
// of this run reached it. An untested MUST is not a pass.
func printUntested(w io.Writer, run reports.Run) {
	first := true
	for _, r := range run.Requirements {
		if r.Verdict != reports.Untested || r.Level != spec.Must {
			continue
		}
		if first {
			fmt.Fprintf(w, "\nUntested MUST requirements (not passes)\n")
			first = false
		}
		why := "no check of this run reached it"
		for _, c := range r.Checks {
			if !c.Passed && c.Error != "" {
				why = fmt.Sprintf("%s %q (%s): %s", c.Kind, c.Name, c.URI, c.Error)
				break
			}
		}
		who := ""
		if r.Role != "" {
			who = " as the " + r.Role
		}
		fmt.Fprintf(w, "  %s%s: %s\n", reports.Printable(r.ID), reports.Printable(who), reports.Printable(firstLine(why)))
	}
}

// firstLine is the first line of s.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func printCheck(w io.Writer, c reports.Check, target adapters.Target) {
	fmt.Fprintf(w, "  %s %q (%s): %s\n", reports.Printable(string(c.Kind)), c.Name, reports.Printable(c.URI), reports.Printable(c.Status))
	if c.Role != "" {
		fmt.Fprintf(w, "  role: %s\n", reports.Printable(c.Role))
	}
	if len(c.Blamed) > 0 {
		var bs []string
		for _, b := range c.Blamed {
			bs = append(bs, b.String())
		}
		fmt.Fprintf(w, "  blamed on: %s\n", reports.Printable(strings.Join(bs, ", ")))
	}
	if c.FailedStep != "" {
		fmt.Fprintf(w, "  failed step: %s\n", reports.Printable(c.FailedStep))
	}
	if c.Error != "" {
		fmt.Fprintf(w, "  reason: %s\n", indentRest(reports.PrintableLines(c.Error), "    "))
	}
	if !c.Clipped.IsZero() {
		fmt.Fprintf(w, "  %s\n", c.Clipped)
	}
	if len(c.Exchanges) > 0 {
		fmt.Fprintf(w, "  messages:\n")
		var names []string
		for _, st := range c.Steps {
			names = append(names, quotedNames(st.Text)...)
		}
		writeExchanges(w, c.Exchanges, newLabeler(target, names), "    ")
	}
	if c.Reproducer != "" {
		fmt.Fprintf(w, "  reproduce: %s\n", reports.Printable(c.Reproducer))
	}
}

func printSummary(w io.Writer, run reports.Run) {
	s := run.Summary
	fmt.Fprintf(w, "%d requirements: %d pass, %d fail, %d warn, %d untested", s.Total, s.Passed, s.Failed, s.Warned, s.Untested)
	if s.ExpectedFail > 0 || s.UnexpectedPass > 0 {
		fmt.Fprintf(w, ", %d expected-fail, %d unexpected-pass", s.ExpectedFail, s.UnexpectedPass)
	}
	fmt.Fprintf(w, "; MUST %d/%d\n", s.MustPassed, s.MustTotal)
	cert := "none"
	if len(s.Certified) > 0 {
		var ms []string
		for _, m := range s.Certified {
			ms = append(ms, "MIP-"+m+rolesOf(run, m))
		}
		cert = strings.Join(ms, ", ")
	}
	fmt.Fprintf(w, "certified: %s\n", cert)
	if run.Header.Stopped != "" {
		fmt.Fprintf(w, "stopped: %s\n", reports.Printable(run.Header.Stopped))
	}
	for _, u := range run.Header.Untested {
		fmt.Fprintf(w, "untested: %s\n", reports.Printable(u))
	}
	if s.OK {
		fmt.Fprintln(w, "result: PASS")
	} else {
		fmt.Fprintln(w, "result: FAIL")
	}
}

// rolesOf names the roles whose rows of a MIP the run judged, " (domain,
// profile)", so that a certified MIP says whose implementation earned it.
// A role judged on fewer of the MIP's MUST requirements than the spec has
// (MIP-00 for a domain, whose replies carry no whole quantity for
// MIP00-NUM-1, or a run of a few scenarios) says how many: "domain: 19 of
// 20 MUSTs".
func rolesOf(run reports.Run, mip string) string {
	var roles []string
	musts := map[string]int{}
	for _, r := range run.Requirements {
		if r.MIP != mip || r.Role == "" {
			continue
		}
		if !slices.Contains(roles, r.Role) {
			roles = append(roles, r.Role)
		}
		if r.Level == spec.Must {
			musts[r.Role]++
		}
	}
	if len(roles) == 0 {
		return ""
	}
	total := 0
	if cat, err := spec.Load(); err == nil {
		for _, r := range cat.Requirements {
			if r.MIP == mip && r.Level == spec.Must {
				total++
			}
		}
	}
	for i, role := range roles {
		if n := musts[role]; total > 0 && n < total {
			roles[i] = fmt.Sprintf("%s: %d of %d MUSTs", role, n, total)
		}
	}
	return " (" + strings.Join(roles, ", ") + ")"
}

// writeExchanges prints the messages of a failed check as a readable
// sequence: who sent what to whom, what each process did, what came back.
func writeExchanges(w io.Writer, exs []adapters.Exchange, l *labeler, indent string) {
	for _, ex := range exs {
		if ex.Kind == "spawn" {
			l.process(ex.Request.Target, l.roles[ex.Request.Tags.Value("Module")])
		}
	}
	for _, ex := range exs {
		switch ex.Kind {
		case "spawn":
			if _, ok := ex.Request.Tags.Get(steps.DeployedSpawnTag); ok {
				fmt.Fprintf(w, "%s%s is the deployed process %s (no spawn)\n", indent, l.name(ex.Request.Target), ex.Request.Target)
				continue
			}
			fmt.Fprintf(w, "%sspawn %s by %s", indent, l.name(ex.Request.Target), l.name(ex.Request.From))
			if rest := describeTags(ex.Request.Tags, "Module"); rest != "" {
				fmt.Fprintf(w, " with %s", rest)
			}
			fmt.Fprintln(w)
		case "send":
			fmt.Fprintf(w, "%ssend %s -> %s: %s\n", indent, l.name(ex.Request.From), l.name(ex.Request.Target), l.describe(ex.Request))
			if ex.Trace != nil {
				writeTrace(w, *ex.Trace, ex.ReplyTarget(), l, indent+"  ")
			}
		case "dryrun":
			fmt.Fprintf(w, "%sdryrun as %s on %s: %s\n", indent, l.name(ex.Request.From), l.name(ex.Request.Target), l.describe(ex.Request))
			if ex.Result != nil {
				writeResult(w, *ex.Result, ex.Request.From, l, indent+"  ")
			}
		default:
			fmt.Fprintf(w, "%s%s %s -> %s: %s\n", indent, reports.Printable(ex.Kind), l.name(ex.Request.From), l.name(ex.Request.Target), l.describe(ex.Request))
		}
		if ex.Err != "" {
			fmt.Fprintf(w, "%s  world error: %s\n", indent, indentRest(reports.PrintableLines(ex.Err), indent+"    "))
		}
	}
}

func writeTrace(w io.Writer, tr adapters.Trace, requester string, l *labeler, indent string) {
	for _, pid := range tr.Spawned {
		l.process(pid, "")
	}
	for i, d := range tr.Deliveries {
		if i == 0 {
			// The first delivery is the request itself.
			fmt.Fprintf(w, "%s%s evaluated it\n", indent, l.name(d.Message.Target))
		} else {
			fmt.Fprintf(w, "%s#%d %s -> %s: %s\n", indent, d.Seq, l.name(d.Message.From), l.name(d.Message.Target), l.describe(d.Message))
		}
		if !d.Handled {
			fmt.Fprintf(w, "%s  not handled (the runtime refused the sender)\n", indent)
		}
		writeResult(w, d.Result, requester, l, indent+"  ")
	}
	if len(tr.Deliveries) == 0 {
		fmt.Fprintf(w, "%snothing was delivered\n", indent)
	}
	n := len(tr.RepliesTo(requester))
	fmt.Fprintf(w, "%s=> %d %s to %s\n", indent, n, plural(n, "reply", "replies"), l.name(requester))
}

func writeResult(w io.Writer, r adapters.Result, requester string, l *labeler, indent string) {
	for _, m := range r.Messages {
		verb := "sends"
		if m.Target == requester {
			verb = "replies"
		}
		fmt.Fprintf(w, "%s%s -> %s: %s\n", indent, verb, l.name(m.Target), l.describe(m))
	}
	for _, s := range r.Spawns {
		fmt.Fprintf(w, "%sspawns a process: %s\n", indent, l.describe(s))
	}
	if r.Output != "" {
		fmt.Fprintf(w, "%sprinted: %s\n", indent, clip(r.Output, 200))
	}
	if r.Failed() {
		fmt.Fprintf(w, "%serror (%s): %s\n", indent, reports.Printable(string(r.ErrorKind)), clip(r.Error, 300))
	}
	if len(r.Messages) == 0 && len(r.Spawns) == 0 && !r.Failed() {
		fmt.Fprintf(w, "%s(sent nothing)\n", indent)
	}
}

// noiseTags are the protocol tags every message carries; they say nothing
// about a failure.
var noiseTags = map[string]bool{"Data-Protocol": true, "Variant": true, "Type": true, "From-Process": true, "From-Module": true}

// describe is a message in one line: Action first, the other meaningful
// tags, and the Data, clipped; known ids read as their names.
func (l *labeler) describe(m adapters.Message) string {
	var parts []string
	if a := m.Action(); a != "" {
		parts = append(parts, "Action="+quoteIfNeeded(a))
	}
	if rest := l.replaceIDs(describeTags(m.Tags, "Action")); rest != "" {
		parts = append(parts, rest)
	}
	if m.Data != "" {
		parts = append(parts, "Data="+clipData(l.replaceIDs(m.Data), 200))
	}
	if len(parts) == 0 {
		return "(no tags, no data)"
	}
	return strings.Join(parts, " ")
}

func describeTags(tags adapters.Tags, skip string) string {
	var parts []string
	for _, t := range tags {
		if t.Name == skip || noiseTags[t.Name] {
			continue
		}
		parts = append(parts, quoteIfNeeded(t.Name)+"="+quoteIfNeeded(t.Value))
	}
	return strings.Join(parts, " ")
}

// quoteIfNeeded shows a tag name or value as it is when it is one word of
// printable text, else quoted with Go escapes: text from the implementation
// must not move the cursor, start a line or hide a character.
func quoteIfNeeded(s string) string {
	if s == "" || strings.ContainsAny(s, " \"=\\") || reports.Printable(s) != s {
		return strconv.Quote(s)
	}
	return s
}

func clip(s string, n int) string {
	if len(s) <= n {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:n]) + fmt.Sprintf("...(%d bytes)", len(s))
}

// clipData shows Data as it is when it is one line of printable text (it
// ends the line, so nothing is ambiguous), else quoted; clipped at n bytes.
func clipData(s string, n int) string {
	plain := s != "" && strings.TrimSpace(s) == s
	for _, r := range s {
		if !unicode.IsPrint(r) {
			plain = false
			break
		}
	}
	if !plain {
		return clip(s, n)
	}
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("...(%d bytes)", len(s))
}

// short is the first 8 bytes of an id, made Printable: a process may send
// to any "id" it likes.
func short(id string) string {
	if len(id) > 8 {
		id = id[:8]
	}
	return reports.Printable(id)
}

// roleWord is a role, or "-" when it is not known.
func roleWord(role string) string {
	if role == "" {
		return "-"
	}
	return role
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// indentRest indents every line after the first, so a multi-line reason
// stays under its label.
func indentRest(s, indent string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+indent)
}
