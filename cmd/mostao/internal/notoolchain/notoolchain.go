// Package notoolchain keeps the mostao command from running the Go tool as
// it starts. A certifier must not need Go at run time, and running it is
// not harmless: every "go" command writes telemetry counters into the
// user's home.
//
// The command runs scenarios with godog, and godog's root package imports
// its internal builder package (used only by godog's own command line to
// compile test packages), whose package variables run "go env GOTOOLDIR"
// when the program initialises. Go initialises packages in a set order (by
// import path, each once all its imports are: the Go spec, "Package
// initialization"): this package imports nothing but os, and its path sorts
// before os/exec, which the builder needs, so it is always initialised
// before the builder. Its init hides PATH, so the builder finds no "go" and
// falls back to its default, and Restore, called from the command's own
// init (which runs after every imported package), puts PATH back.
//
// TestStartsWithoutTheGoTool in cmd/mostao fails if "go" runs again.
package notoolchain

import "os"

var (
	path    string
	hadPath bool
)

func init() {
	path, hadPath = os.LookupEnv("PATH")
	os.Setenv("PATH", "")
}

// Restore puts back the PATH that init hid.
func Restore() {
	if hadPath {
		os.Setenv("PATH", path)
	} else {
		os.Unsetenv("PATH")
	}
}
