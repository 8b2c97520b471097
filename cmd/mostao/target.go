package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/certify"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// targetFlags are the flags that say what to certify, shared by certify and
// replay.
type targetFlags struct {
	target  string
	domain  string
	profile string
	session string
	name    string
	mips    mipList
	// maxWork bounds the work of one evaluation; 0 keeps the engine's
	// default. evalTimeout is the engine's wall-clock safety net.
	maxWork     int64
	evalTimeout time.Duration
	// runtime is the engine profile the supplied sources run under.
	runtime string
}

// register adds the target flags to a flag set.
func (f *targetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.target, "target", "", "what to certify: lua:<file or dir> (a dir holds domain.lua, profile.lua, session.lua, any subset) or \"reference\" (the default)")
	fs.StringVar(&f.domain, "domain", "", "Lua `file` of the domain (MIP-01)")
	fs.StringVar(&f.profile, "profile", "", "Lua `file` of the profile (MIP-02)")
	fs.StringVar(&f.session, "session", "", "Lua `file` of the chat session (MIP-03)")
	fs.Int64Var(&f.maxWork, "max-work", 0, fmt.Sprintf("work budget of one message evaluation, in units (about one Lua instruction each; default %d); a process that loops costs this much per message", lua.DefaultMaxWork))
	fs.StringVar(&f.runtime, "runtime", "", "the aos `runtime` the supplied Lua sources run under: aos-current (the default), aos-2.0.4, or aos-sqlite (aos-current with require(\"lsqlite3\"))")
	fs.DurationVar(&f.evalTimeout, "eval-timeout", 0, "wall-clock safety net of one evaluation (default: the engine's, 60s); when it fires the run stops as a suite error (exit 2): the machine is too slow for this run")
}

// roleOfMIP is the role whose behaviour a MIP specifies.
var roleOfMIP = map[string]string{"01": steps.RoleDomain, "02": steps.RoleProfile, "03": steps.RoleSession}

// mipOfRole is the inverse of roleOfMIP.
var mipOfRole = map[string]string{steps.RoleDomain: "01", steps.RoleProfile: "02", steps.RoleSession: "03"}

// resolved is a target built from the flags, with what the report and the
// reproducer need to know about it.
type resolved struct {
	target adapters.Target
	impl   reports.Implementation
	// args are the certify flags that name the same target again.
	args []string
	// mips are the MIPs to certify when --mip is not given: the MIPs of the
	// roles the user supplied, or every MIP for the reference.
	mips []string
	// engine names the engine and runtime profile, for report headers.
	engine string
}

// runtimes are the values --runtime accepts.
var runtimes = []lua.Profile{lua.ProfileCurrent, lua.ProfileAOS204, lua.ProfileAOSSQLite}

// resolve reads the sources the flags name. Every error it returns means the
// suite cannot run (exit 2).
func (f *targetFlags) resolve() (resolved, error) {
	sources := targets.Sources{}
	files := map[string]string{}
	var described, args []string

	if f.target != "" && f.target != "reference" {
		path, ok := strings.CutPrefix(f.target, "lua:")
		if !ok {
			return resolved{}, fmt.Errorf("--target %q: only lua:<file or dir> targets are supported (or \"reference\")", f.target)
		}
		if path == "" {
			return resolved{}, fmt.Errorf("--target lua: needs a file or a directory after the colon")
		}
		args = append(args, "--target", "lua:"+path)
		described = append(described, "lua:"+path)
		info, err := os.Stat(path)
		if err != nil {
			return resolved{}, fmt.Errorf("--target %s: %w", f.target, err)
		}
		if info.IsDir() {
			found := 0
			for _, role := range []string{steps.RoleDomain, steps.RoleProfile, steps.RoleSession} {
				p := filepath.Join(path, role+".lua")
				src, err := readInput(p, maxSourceBytes)
				if os.IsNotExist(err) {
					continue
				}
				if err != nil {
					return resolved{}, fmt.Errorf("--target %s: %w", f.target, err)
				}
				sources[role], files[role] = string(src), p
				found++
			}
			if found == 0 {
				return resolved{}, fmt.Errorf("--target %s: the directory holds none of domain.lua, profile.lua, session.lua", f.target)
			}
		} else {
			role, err := f.fileRole(path)
			if err != nil {
				return resolved{}, err
			}
			if !strings.HasPrefix(filepath.Base(path), role+".") {
				// The role came from --mip: the reproducer must say it too.
				args = append(args, "--mip", strings.Join(f.mips, ","))
			}
			src, err := readInput(path, maxSourceBytes)
			if err != nil {
				return resolved{}, fmt.Errorf("--target %s: %w", f.target, err)
			}
			sources[role], files[role] = string(src), path
		}
	} else if f.target == "reference" {
		args = append(args, "--target", "reference")
	}

	for _, rf := range []struct{ role, path string }{
		{steps.RoleDomain, f.domain}, {steps.RoleProfile, f.profile}, {steps.RoleSession, f.session},
	} {
		if rf.path == "" {
			continue
		}
		src, err := readInput(rf.path, maxSourceBytes)
		if err != nil {
			return resolved{}, fmt.Errorf("--%s: %w", rf.role, err)
		}
		sources[rf.role], files[rf.role] = string(src), rf.path
		args = append(args, "--"+rf.role, rf.path)
		described = append(described, rf.role+"="+rf.path)
	}

	if f.evalTimeout < 0 {
		return resolved{}, fmt.Errorf("--eval-timeout %s: a limit cannot be negative", f.evalTimeout)
	}
	if f.maxWork < 0 {
		return resolved{}, fmt.Errorf("--max-work %d: a limit cannot be negative", f.maxWork)
	}
	profile := lua.Profile(f.runtime)
	if f.runtime != "" {
		known := false
		for _, r := range runtimes {
			known = known || r == profile
		}
		if !known {
			return resolved{}, fmt.Errorf("--runtime %q: the runtimes are %v", f.runtime, runtimes)
		}
		args = append(args, "--runtime", f.runtime)
	}
	opts := targets.Options{FileNames: files, Limits: lua.Limits{EvalTimeout: f.evalTimeout, MaxWork: f.maxWork}, Profile: profile}
	if f.maxWork > 0 {
		args = append(args, "--max-work", fmt.Sprint(f.maxWork))
	}
	if f.evalTimeout > 0 {
		args = append(args, "--eval-timeout", f.evalTimeout.String())
	}

	if len(sources) == 0 {
		t := targets.ReferenceWith(opts)
		name := f.name
		if name == "" {
			name = "MostAO reference processes"
		}
		return resolved{
			target: t,
			impl:   reports.Implementation{Name: name, Target: "lua:processes (reference)"},
			args:   args,
			engine: targets.EngineName(profile),
		}, nil
	}

	var roles, mips []string
	for role := range sources {
		roles = append(roles, role)
		mips = append(mips, mipOfRole[role])
	}
	sort.Strings(roles)
	sort.Strings(mips)
	desc := strings.Join(described, " ")
	name := f.name
	if name == "" {
		var bases []string
		for _, r := range roles {
			bases = append(bases, filepath.Base(files[r]))
		}
		name = strings.Join(bases, " + ")
	}
	t := targets.LuaWith(desc, sources, opts)
	return resolved{
		target: t,
		impl:   reports.Implementation{Name: name, Target: desc},
		args:   args,
		mips:   mips,
		engine: targets.EngineName(profile),
	}, nil
}

// fileRole decides which role a single --target file fills: its name when
// it is domain.lua, profile.lua or session.lua, else the one MIP selected.
func (f *targetFlags) fileRole(path string) (string, error) {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if _, ok := mipOfRole[base]; ok {
		return base, nil
	}
	var roles []string
	for _, m := range f.mips {
		if r, ok := roleOfMIP[certify.NormalizeMIP(m)]; ok {
			roles = append(roles, r)
		}
	}
	if len(roles) != 1 {
		return "", fmt.Errorf("--target lua:%s: say which role the file fills with exactly one of --mip 01 (domain), --mip 02 (profile), --mip 03 (session), or use --domain/--profile/--session", path)
	}
	return roles[0], nil
}

// mipList is a repeatable flag that also takes comma lists: --mip 01,02 --mip 03.
type mipList []string

func (m *mipList) String() string { return strings.Join(*m, ",") }

func (m *mipList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		n := certify.NormalizeMIP(p)
		if len(n) != 2 || n[0] < '0' || n[0] > '9' || n[1] < '0' || n[1] > '9' {
			return fmt.Errorf("%q is not a MIP number (write 01, 02, 03)", p)
		}
		*m = append(*m, n)
	}
	return nil
}
