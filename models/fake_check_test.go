package models

import (
	"context"
	"testing"
)

func TestFakeCorrectPasses(t *testing.T) {
	out, err := Check(context.Background(), fakeTarget(""), "01", Config{Checks: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out {
		if o.Failure != nil {
			t.Fatalf("a correct fake failed:\n%s", o.Failure)
		}
		t.Logf("%s: %d sequences, %d steps, covered %v", o.Property, o.Sequences, o.Steps, o.Covered)
	}
}

func TestFakeBugsAreFound(t *testing.T) {
	for _, bug := range []string{"hijack", "renounce-noop", "double-reply", "crash", "no-validation"} {
		t.Run(bug, func(t *testing.T) {
			out, err := Check(context.Background(), fakeTarget(bug), "01", Config{Checks: 200})
			if err != nil {
				t.Fatal(err)
			}
			f := out[0].Failure
			if f == nil {
				t.Fatalf("bug %s not found", bug)
			}
			t.Logf("\n%s\n%s", f, ExportGherkin(f))
		})
	}
}
