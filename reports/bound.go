package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/mostao/conformance/adapters"
)

// Limits bound what a report keeps of what an implementation sent. An
// implementation under test may answer every request with thousands of
// messages or megabytes of data; a report must stay small enough to read,
// to upload and to show in a CI step summary, and must say what it left out.
type Limits struct {
	// Text is the most bytes kept of one message's Data, of a printed
	// output, and of an error text.
	Text int
	// Reason is the most bytes kept of a check's error (the suite's own
	// explanation, which quotes the implementation).
	Reason int
	// Field is the most bytes kept of a tag name, a tag value or an id.
	Field int
	// Tags is the most tags kept per message.
	Tags int
	// Messages is the most messages kept in each list of a trace or a result
	// (deliveries, replies, outbox, spawns).
	Messages int
	// Exchanges is the most exchanges kept per check, the last ones: the
	// failure is at the end.
	Exchanges int
	// Check is the budget of one check, in bytes of kept exchanges
	// (estimated as their text plus a fixed cost per message): the
	// exchanges are kept from the last one back while they fit, and the
	// last one is always kept while the run has budget left.
	Check int64
	// Run is the budget of the whole run, in the same bytes. A check met
	// after it is spent keeps its reason but no exchanges.
	Run int64
}

// DefaultLimits are the limits every writer applies. With them a report of
// any implementation stays within a few tens of megabytes in every format;
// the Markdown report has its own, smaller cap (maxMarkdownBytes).
var DefaultLimits = Limits{Text: 4 << 10, Reason: 16 << 10, Field: 256, Tags: 32, Messages: 20, Exchanges: 40, Check: 1 << 20, Run: 8 << 20}

// messageCost is the fixed cost counted per kept message: its ids, numbers
// and the markup every format wraps around it.
const messageCost = 256

// Clipping says what Bound left out. It is kept in the report (on the check
// and, summed, in the header) so a reader knows the record is not whole.
type Clipping struct {
	// Bytes of text cut from data, outputs, errors, tags and ids.
	Bytes int64 `json:"bytes,omitempty"`
	// Tags left out of messages.
	Tags int `json:"tags,omitempty"`
	// Messages left out of traces and results.
	Messages int `json:"messages,omitempty"`
	// Exchanges left out of checks: always the first ones of a check.
	Exchanges int `json:"exchanges,omitempty"`
}

// IsZero is true when nothing was left out.
func (c *Clipping) IsZero() bool { return c == nil || *c == Clipping{} }

// add counts what another clipping left out.
func (c *Clipping) add(o Clipping) {
	c.Bytes += o.Bytes
	c.Tags += o.Tags
	c.Messages += o.Messages
	c.Exchanges += o.Exchanges
}

// String says in words what was left out, e.g. "12345 bytes, 900 messages
// and 3 exchanges left out".
func (c *Clipping) String() string {
	if c.IsZero() {
		return ""
	}
	var parts []string
	if c.Bytes > 0 {
		parts = append(parts, fmt.Sprintf("%d bytes", c.Bytes))
	}
	if c.Tags > 0 {
		parts = append(parts, fmt.Sprintf("%d tags", c.Tags))
	}
	if c.Messages > 0 {
		parts = append(parts, fmt.Sprintf("%d messages", c.Messages))
	}
	if c.Exchanges > 0 {
		parts = append(parts, fmt.Sprintf("%d exchanges", c.Exchanges))
	}
	s := parts[len(parts)-1]
	if len(parts) > 1 {
		s = strings.Join(parts[:len(parts)-1], ", ") + " and " + s
	}
	return "clipped: " + s + " left out"
}

// clipNote is the mark clipText leaves where it cut.
const clipNote = "… [clipped: %d bytes]"

// Bound returns a copy of run that keeps at most what lim allows of every
// check, with a Clipping on each check it cut and their sum in the header
// (what was cut before, by BoundExchanges, included). The run given is not
// changed. Bound is idempotent: bounding a bounded run cuts nothing more,
// so every writer can apply it.
func Bound(run Run, lim Limits) Run {
	out := run
	var total Clipping
	budget := lim.Run
	out.Requirements = make([]Requirement, len(run.Requirements))
	for i, r := range run.Requirements {
		checks := make([]Check, len(r.Checks))
		for j, c := range r.Checks {
			b := bounder{lim: lim}
			checks[j] = b.check(c, &budget)
			if cl := checks[j].Clipped; cl != nil {
				total.add(*cl)
			}
		}
		r.Checks = checks
		out.Requirements[i] = r
	}
	if !total.IsZero() {
		out.Header.Clipped = &total
	}
	return out
}

// BoundExchanges returns what Bound keeps of one check's exchanges while
// the run's budget lasts, and what it cut. A run bounds each check's
// exchanges with it as soon as the check ends, so that it never holds more
// than its reports keep; Bound then applies the run's budget, and counts
// what was cut here from the check's Clipped.
func BoundExchanges(exs []adapters.Exchange, lim Limits) ([]adapters.Exchange, Clipping) {
	b := bounder{lim: lim}
	budget := int64(math.MaxInt64)
	kept := b.exchanges(exs, &budget)
	return kept, b.cut
}

// bounder cuts one check and counts what it cut.
type bounder struct {
	lim  Limits
	cut  Clipping
	cost int64
}

func (b *bounder) check(c Check, budget *int64) Check {
	c.Error = b.text(c.Error, b.lim.Reason)
	c.FailedStep = b.text(c.FailedStep, b.lim.Text)
	c.Reproducer = b.text(c.Reproducer, b.lim.Text)
	if c.Steps != nil {
		steps := make([]Step, len(c.Steps))
		for i, s := range c.Steps {
			s.Text = b.text(s.Text, b.lim.Text)
			s.Error = b.text(s.Error, b.lim.Text)
			steps[i] = s
		}
		c.Steps = steps
	}
	var prior Clipping
	if c.Clipped != nil {
		prior = *c.Clipped
	}
	c.Exchanges = b.exchanges(c.Exchanges, budget)
	if !b.cut.IsZero() {
		prior.add(b.cut)
		c.Clipped = &prior
	}
	return c
}

// exchanges keeps the last exchanges of a check that fit its count, the
// check's budget and what is left of the run's.
func (b *bounder) exchanges(exs []adapters.Exchange, budget *int64) []adapters.Exchange {
	if exs == nil {
		return nil
	}
	if n := b.lim.Exchanges; len(exs) > n {
		b.cut.Exchanges += len(exs) - n
		exs = exs[len(exs)-n:]
	}
	allowed := min(b.lim.Check, *budget)
	kept := make([]adapters.Exchange, 0, len(exs))
	var cost int64
	for i := len(exs) - 1; i >= 0 && *budget > 0; i-- {
		before := b.cost
		ex := b.exchange(exs[i])
		c := b.cost - before
		if cost+c > allowed && len(kept) > 0 {
			b.cut.Exchanges += i + 1
			break
		}
		cost += c
		kept = append(kept, ex)
	}
	if *budget <= 0 {
		b.cut.Exchanges += len(exs)
	}
	*budget -= cost
	slices.Reverse(kept)
	return kept
}

func (b *bounder) exchange(ex adapters.Exchange) adapters.Exchange {
	ex.Request = b.message(ex.Request)
	ex.Err = b.text(ex.Err, b.lim.Text)
	if ex.Trace != nil {
		tr := *ex.Trace
		tr.Deliveries = boundList(b, tr.Deliveries, func(d adapters.Delivery) adapters.Delivery {
			d.Message = b.message(d.Message)
			d.Result = b.result(d.Result)
			return d
		})
		tr.ToWallets = boundList(b, tr.ToWallets, b.message)
		tr.Spawned = boundList(b, tr.Spawned, func(id string) string { return b.text(id, b.lim.Field) })
		ex.Trace = &tr
	}
	if ex.Result != nil {
		r := b.result(*ex.Result)
		ex.Result = &r
	}
	return ex
}

func (b *bounder) result(r adapters.Result) adapters.Result {
	r.Messages = boundList(b, r.Messages, b.message)
	r.Spawns = boundList(b, r.Spawns, b.message)
	r.Output = b.text(r.Output, b.lim.Text)
	r.Error = b.text(r.Error, b.lim.Text)
	return r
}

func (b *bounder) message(m adapters.Message) adapters.Message {
	b.cost += messageCost
	m.ID = b.text(m.ID, b.lim.Field)
	m.From = b.text(m.From, b.lim.Field)
	m.Owner = b.text(m.Owner, b.lim.Field)
	m.Target = b.text(m.Target, b.lim.Field)
	m.Anchor = b.text(m.Anchor, b.lim.Field)
	m.Data = b.text(m.Data, b.lim.Text)
	if m.Tags != nil {
		tags := m.Tags
		if len(tags) > b.lim.Tags {
			b.cut.Tags += len(tags) - b.lim.Tags
			tags = tags[:b.lim.Tags]
		}
		out := make(adapters.Tags, len(tags))
		for i, t := range tags {
			out[i] = adapters.Tag{Name: b.text(t.Name, b.lim.Field), Value: b.text(t.Value, b.lim.Field)}
		}
		m.Tags = out
	}
	return m
}

// boundList keeps the first lim.Messages items of a list, each bounded.
func boundList[T any](b *bounder, list []T, each func(T) T) []T {
	if list == nil {
		return nil
	}
	if len(list) > b.lim.Messages {
		b.cut.Messages += len(list) - b.lim.Messages
		list = list[:b.lim.Messages]
	}
	out := make([]T, len(list))
	for i, v := range list {
		out[i] = each(v)
	}
	return out
}

// text keeps at most n bytes of s, the note of what was cut included, and
// counts the text kept against the run's budget.
func (b *bounder) text(s string, n int) string {
	kept, cut := clipText(s, n)
	b.cut.Bytes += int64(cut)
	b.cost += int64(len(kept))
	return kept
}

// clipText cuts s on a rune boundary so that, with the note saying how many
// bytes were cut, it is at most n bytes long. It returns the kept text and
// the number of bytes cut. A text already at most n bytes is kept whole, so
// clipping twice cuts once.
func clipText(s string, n int) (string, int) {
	if len(s) <= n {
		return s, 0
	}
	// The note's length depends on the number it shows; the longest number
	// is the whole length.
	cut := n - len(fmt.Sprintf(clipNote, len(s)))
	if cut < 0 {
		cut = 0
	}
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf(clipNote, len(s)-cut), len(s) - cut
}
