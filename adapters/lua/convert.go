package lua

import (
	"fmt"
	"strings"

	glua "github.com/yuin/gopher-lua"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
)

// messageTable builds msg the way a Compute Unit hands it to a process:
// root fields plus the raw Tags array. The runtime normalises it.
func (p *process) messageTable(d delivery) *glua.LTable {
	L := p.L
	m := d.msg
	// Room for the root keys set here, the tags normalize copies to the
	// root and the keys it and the runtime add (TagArray, reply, forward).
	t := newKeyedTable(L, 0, 16+len(m.Tags))
	owner := m.Owner
	if owner == "" {
		owner = m.From
	}
	t.RawSetString("Id", glua.LString(m.ID))
	t.RawSetString("Owner", glua.LString(owner))
	t.RawSetString("From", glua.LString(m.From))
	target := m.Target
	if d.ownTarget != "" {
		target = d.ownTarget
	}
	t.RawSetString("Target", glua.LString(target))
	if m.Anchor != "" {
		t.RawSetString("Anchor", glua.LString(m.Anchor))
	}
	t.RawSetString("Data", glua.LString(m.Data))
	t.RawSetString("Timestamp", glua.LNumber(m.Timestamp))
	t.RawSetString("Block-Height", glua.LNumber(m.BlockHeight))
	t.RawSetString("Cron", glua.LFalse)
	t.RawSetString("Read-Only", glua.LBool(d.readOnly))
	if d.nonce >= 0 {
		t.RawSetString("Nonce", glua.LNumber(d.nonce))
	}
	t.RawSetString("Tags", tagArray(L, m.Tags))
	return t
}

// tagArray is tags as AO hands them to a process: an array of
// { name = ..., value = ... } tables, in order.
func tagArray(L *glua.LState, tags adapters.Tags) *glua.LTable {
	t := L.CreateTable(len(tags), 0)
	for i, tag := range tags {
		e := newKeyedTable(L, 0, 2)
		e.RawSetString("name", glua.LString(tag.Name))
		e.RawSetString("value", glua.LString(tag.Value))
		t.RawSetInt(i+1, e)
	}
	return t
}

// convertResult reads the runtime's result table. untrusted is true when
// the runtime refused the message.
func (p *process) convertResult(v glua.LValue, lim evalLimits) (res adapters.Result, untrusted bool) {
	t, ok := v.(*glua.LTable)
	if !ok {
		return adapters.Result{Error: "runtime crash: process.handle returned " + v.Type().String() + ", not a result table", ErrorKind: adapters.ErrorCrash}, false
	}
	if e := t.RawGetString("Error"); e != glua.LNil {
		return adapters.Result{Error: clip(addressString(p.L, e), lim.output)}, false
	}
	untrusted = glua.LVAsBool(t.RawGetString("Untrusted"))
	if out, ok := t.RawGetString("Output").(*glua.LTable); ok {
		switch d := out.RawGetString("data").(type) {
		case glua.LString:
			res.Output = string(d)
		case *glua.LTable:
			var b strings.Builder
			if encodeJSON(&b, d, lim.output) == "" {
				res.Output = b.String()
			}
		case *glua.LNilType:
		default:
			res.Output = addressString(p.L, d)
		}
	}
	res.Output = clip(res.Output, lim.output)
	res.Messages = p.convertMessages(t.RawGetString("Messages"))
	res.Spawns = p.convertMessages(t.RawGetString("Spawns"))
	p.assignments = convertAssignments(p.L, t.RawGetString("Assignments"))
	total := 0
	for _, list := range [][]adapters.Message{res.Messages, res.Spawns} {
		for _, m := range list {
			total += len(m.Data)
		}
	}
	if total > lim.outbox {
		return adapters.Result{ErrorKind: adapters.ErrorMemoryLimit,
			Error: fmt.Sprintf("evaluation sent %d bytes of Data, more than the limit of %d (MaxOutboxBytes)", total, lim.outbox)}, untrusted
	}
	for _, list := range [][]adapters.Message{res.Messages, res.Spawns} {
		for i := range list {
			list[i].Data = clip(list[i].Data, lim.data)
		}
	}
	return res, untrusted
}

// clip keeps the first max bytes of s and says how long it was.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	return s[:max] + fmt.Sprintf("\n[clipped by the engine: %d bytes in all, %d kept]", len(s), max)
}

// convertAssignments reads the Assignments of an aos result: each asks the
// world to deliver an existing message to processes.
func convertAssignments(L *glua.LState, v glua.LValue) []aonet.Assignment {
	t, ok := v.(*glua.LTable)
	if !ok {
		return nil
	}
	var out []aonet.Assignment
	n := t.Len()
	for i := 1; i <= n; i++ {
		at, ok := t.RawGetInt(i).(*glua.LTable)
		if !ok {
			continue
		}
		a := aonet.Assignment{Message: luaString(L, at.RawGetString("Message"))}
		if ps, ok := at.RawGetString("Processes").(*glua.LTable); ok {
			for j, pn := 1, ps.Len(); j <= pn; j++ {
				a.Processes = append(a.Processes, luaString(L, ps.RawGetInt(j)))
			}
		}
		out = append(out, a)
	}
	return out
}

func (p *process) convertMessages(v glua.LValue) []adapters.Message {
	t, ok := v.(*glua.LTable)
	if !ok {
		return nil
	}
	var out []adapters.Message
	n := t.Len()
	for i := 1; i <= n; i++ {
		mt, ok := t.RawGetInt(i).(*glua.LTable)
		if !ok {
			continue
		}
		m := adapters.Message{
			Target: luaString(p.L, mt.RawGetString("Target")),
			Anchor: luaString(p.L, mt.RawGetString("Anchor")),
			Data:   luaString(p.L, mt.RawGetString("Data")),
		}
		if tags, ok := mt.RawGetString("Tags").(*glua.LTable); ok {
			tn := tags.Len()
			m.Tags = make(adapters.Tags, 0, tn)
			for j := 1; j <= tn; j++ {
				tag, ok := tags.RawGetInt(j).(*glua.LTable)
				if !ok {
					continue
				}
				m.Tags = append(m.Tags, adapters.Tag{Name: luaString(p.L, tag.RawGetString("name")), Value: luaString(p.L, tag.RawGetString("value"))})
			}
		}
		out = append(out, m)
	}
	return out
}

func luaString(L *glua.LState, v glua.LValue) string {
	switch x := v.(type) {
	case glua.LString:
		return string(x)
	case *glua.LNilType:
		return ""
	default:
		return addressString(L, x)
	}
}
