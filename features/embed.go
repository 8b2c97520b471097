// Package features embeds the Gherkin scenarios of every MIP, so the command
// line carries them and runs them from any directory.
package features

import "embed"

// FS holds every .feature file, in one folder per MIP (mip01/, mip02/, ...).
//
//go:embed */*.feature
var FS embed.FS
