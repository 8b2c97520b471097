package wasm

import (
	"bytes"
	"encoding/json"
	"sort"

	"github.com/mostao/conformance/adapters"
)

// parseEnvelope reads handle's {"ok", "response"}. Our module's envelope
// code gives the response already reduced; a real aos module gives its
// result table as its json encodes it: Output is {data, prompt, print}
// (data a string or a table), an empty list may come as {} (Lua cannot
// tell an empty array from an empty object), Data and tag values need not
// be strings, and an Error need not be one. Each is read as the reduced
// form reads it (module/mostao.lua): tables as their JSON text.
func parseEnvelope(out string) (envelope, error) {
	var raw struct {
		OK       *bool           `json:"ok"`
		Response json.RawMessage `json:"response"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		return envelope{}, err
	}
	e := envelope{OK: raw.OK}
	if len(raw.Response) == 0 || string(raw.Response) == "null" {
		return e, nil
	}
	var r struct {
		Error       json.RawMessage `json:"Error"`
		Output      json.RawMessage `json:"Output"`
		Messages    json.RawMessage `json:"Messages"`
		Spawns      json.RawMessage `json:"Spawns"`
		Assignments json.RawMessage `json:"Assignments"`
		Untrusted   bool            `json:"Untrusted"`
	}
	if err := json.Unmarshal(raw.Response, &r); err != nil {
		return envelope{}, err
	}
	res := &response{Untrusted: r.Untrusted}
	if len(r.Error) > 0 && string(r.Error) != "null" {
		text := jsonText(r.Error)
		res.Error = &text
	}
	res.Output = outputText(r.Output)
	var err error
	if res.Messages, err = outgoingList(r.Messages); err != nil {
		return envelope{}, err
	}
	if res.Spawns, err = outgoingList(r.Spawns); err != nil {
		return envelope{}, err
	}
	if list := emptyObjectAsList(r.Assignments); len(list) > 0 {
		if err := json.Unmarshal(list, &res.Assignments); err != nil {
			return envelope{}, err
		}
	}
	e.Response = res
	return e, nil
}

// jsonText is a JSON value as text: a string's contents, null as "", and
// anything else as its JSON.
func jsonText(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(v)
}

// outputText reads Output: a string, or aos's {data = ..., prompt, print}.
func outputText(v json.RawMessage) string {
	var o struct {
		Data json.RawMessage `json:"data"`
	}
	if bytes.HasPrefix(bytes.TrimSpace(v), []byte("{")) && json.Unmarshal(v, &o) == nil {
		return jsonText(o.Data)
	}
	return jsonText(v)
}

// emptyObjectAsList turns an empty JSON object into an empty list.
func emptyObjectAsList(v json.RawMessage) json.RawMessage {
	var m map[string]json.RawMessage
	if bytes.HasPrefix(bytes.TrimSpace(v), []byte("{")) && json.Unmarshal(v, &m) == nil && len(m) == 0 {
		return nil
	}
	if string(bytes.TrimSpace(v)) == "null" {
		return nil
	}
	return v
}

// outgoingList reads Messages or Spawns.
func outgoingList(v json.RawMessage) ([]wireOutgoing, error) {
	v = emptyObjectAsList(v)
	if len(v) == 0 {
		return nil, nil
	}
	var list []struct {
		Target, Anchor, Data json.RawMessage
		Tags                 json.RawMessage
	}
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, err
	}
	out := make([]wireOutgoing, 0, len(list))
	for _, m := range list {
		w := wireOutgoing{Target: jsonText(m.Target), Anchor: jsonText(m.Anchor), Data: jsonText(m.Data)}
		tags, err := tagList(m.Tags)
		if err != nil {
			return nil, err
		}
		w.Tags = tags
		out = append(out, w)
	}
	return out, nil
}

// tagList reads Tags: a list of {name, value}, or a name -> value object
// (in name order, since an object has none).
func tagList(v json.RawMessage) (adapters.Tags, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return nil, nil
	}
	if v[0] == '{' {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(v, &m); err != nil {
			return nil, err
		}
		names := make([]string, 0, len(m))
		for n := range m {
			names = append(names, n)
		}
		sort.Strings(names)
		out := make(adapters.Tags, 0, len(names))
		for _, n := range names {
			out = append(out, adapters.Tag{Name: n, Value: jsonText(m[n])})
		}
		return out, nil
	}
	var list []struct{ Name, Value json.RawMessage }
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, err
	}
	out := make(adapters.Tags, 0, len(list))
	for _, t := range list {
		out = append(out, adapters.Tag{Name: jsonText(t.Name), Value: jsonText(t.Value)})
	}
	return out, nil
}
