package spec

import (
	"regexp"
	"strings"
	"testing"
)

// TestReplyShapesAreTheTexts keeps the reply shapes in step with the MIP
// texts: each rule exists, its paragraph names the read's Action and every
// field the shape lists, and the field is not one the text makes optional.
func TestReplyShapesAreTheTexts(t *testing.T) {
	texts, err := Texts()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, shape := range ReplyShapes() {
		req, ok := cat.Get(shape.Requirement)
		if !ok {
			t.Errorf("%s: %s is not in the catalogue", shape.Action, shape.Requirement)
			continue
		}
		para := paragraph(texts["mip-"+req.MIP+".md"], shape.Requirement)
		if para == "" {
			t.Errorf("%s: no paragraph states %s", shape.Action, shape.Requirement)
			continue
		}
		if !strings.Contains(para, shape.Action) && !strings.Contains(para, shape.Action+"-Response") {
			t.Errorf("%s does not name %s: %s", shape.Requirement, shape.Action, para)
		}
		for _, f := range shape.Fields {
			named := regexp.MustCompile(`"` + regexp.QuoteMeta(f) + `"(\?)?`).FindStringSubmatch(para)
			switch {
			case named == nil:
				t.Errorf("%s does not name the field %q of %s: %s", shape.Requirement, f, shape.Action, para)
			case named[1] != "":
				t.Errorf("%s makes the field %q of %s optional", shape.Requirement, f, shape.Action)
			}
			if got := ReadRequirement(shape.Action); got != shape.Requirement {
				t.Errorf("ReadRequirement(%s) = %q, want %s", shape.Action, got, shape.Requirement)
			}
			if got := ShapeRequirement(shape.Action, f); got != shape.Requirement {
				t.Errorf("ShapeRequirement(%s, %s) = %q, want %s", shape.Action, f, got, shape.Requirement)
			}
		}
	}
	if got := ShapeRequirement("GetSessionInfo", "title"); got != "" {
		t.Errorf("an optional field has a shape rule: %s", got)
	}
	if got := ReadRequirement("SendMessage"); got != "" {
		t.Errorf("a write has a read rule: %s", got)
	}
	if got := ShapeRequirement("SendMessage", "id"); got != "" {
		t.Errorf("a write has a shape rule: %s", got)
	}
}

// paragraph returns the text of the paragraph that states id, from its
// definition to the next blank line.
func paragraph(text, id string) string {
	start := strings.Index(text, "**"+id+" (")
	if start < 0 {
		return ""
	}
	rest := text[start:]
	if end := strings.Index(rest, "\n\n"); end >= 0 {
		rest = rest[:end]
	}
	return rest
}

// TestStateShapesAreTheTexts: the rule StateShapeRequirement names for a
// field of a domain read, in each state, states that field in its reply.
func TestStateShapesAreTheTexts(t *testing.T) {
	texts, err := Texts()
	if err != nil {
		t.Fatal(err)
	}
	registered, free := map[string]any{"registered": true}, map[string]any{"registered": false}
	for _, c := range []struct {
		action, field string
		want, got     map[string]any
		rule          string
	}{
		{"QueryDomain", "name", registered, free, "MIP01-QRY-1"},
		{"QueryDomain", "registered", registered, nil, "MIP01-QRY-1"},
		{"QueryDomain", "name", free, registered, "MIP01-QRY-2"},
		{"QueryDomain", "registered", free, nil, "MIP01-QRY-2"},
		// A step that expects the name alone: the reply says the state.
		{"QueryDomain", "name", map[string]any{"name": "shop"}, registered, "MIP01-QRY-1"},
		{"QueryDomain", "name", map[string]any{"name": "shop"}, free, "MIP01-QRY-2"},
		{"QueryDomain", "name", map[string]any{"name": "shop"}, nil, ""},
		{"QueryDomain", "owner", registered, nil, ""},
		{"GetDomains", "owner", map[string]any{"domains": []any{}}, nil, "MIP01-GET-1"},
		{"GetDomains", "domains", map[string]any{"domains": []any{"shop"}}, nil, "MIP01-GET-1"},
		{"GetDomains", "domains", map[string]any{"domains": []any{}}, nil, "MIP01-GET-3"},
		{"GetDomains", "domains", map[string]any{"owner": "x"}, nil, ""},
		{"GetProfile", "pid", map[string]any{}, nil, ""},
	} {
		got := StateShapeRequirement(c.action, c.field, c.want, c.got)
		if got != c.rule {
			t.Errorf("StateShapeRequirement(%s, %s, %v, %v) = %q, want %q", c.action, c.field, c.want, c.got, got, c.rule)
			continue
		}
		if got == "" {
			continue
		}
		if para := paragraph(texts["mip-01.md"], got); !strings.Contains(para, `"`+c.field+`"`) {
			t.Errorf("%s does not name the field %q: %s", got, c.field, para)
		}
	}
}
