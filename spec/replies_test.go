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
