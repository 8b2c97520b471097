package steps

import (
	"regexp"
	"sync"

	"github.com/cucumber/godog"
)

// stepContext registers step definitions with expressions compiled once
// per Go process: godog compiles a string expression on every
// registration, and every scenario registers every step anew, which made
// compiling the same hundred regular expressions a tenth of a default
// certification's CPU time. A compiled *regexp.Regexp is safe to share
// between scenarios running at once.
type stepContext struct{ *godog.ScenarioContext }

// compiledSteps maps a step expression to its compiled form.
var compiledSteps sync.Map

// Step registers fn for the steps expr matches, as godog's Step does.
func (sc stepContext) Step(expr string, fn any) {
	re, ok := compiledSteps.Load(expr)
	if !ok {
		re, _ = compiledSteps.LoadOrStore(expr, regexp.MustCompile(expr))
	}
	sc.ScenarioContext.Step(re.(*regexp.Regexp), fn)
}
