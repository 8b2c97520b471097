package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/live"
	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/adapters/wasm"
	"github.com/mostao/conformance/certify"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/roles"
	"github.com/mostao/conformance/targets"
)

// targetFlags are the flags that say what to certify, shared by certify and
// replay.
type targetFlags struct {
	target string
	// files holds, for each role of the registry, the file its flag
	// (--domain, ...) names.
	files map[string]*string
	name  string
	mips  mipList
	// maxWork bounds the work of one evaluation; 0 keeps the engine's
	// default. evalTimeout is the engine's wall-clock safety net.
	maxWork     int64
	evalTimeout time.Duration
	// runtime is the engine profile the supplied sources run under.
	runtime string
	// wallets is the directory of a live target's wallets.
	wallets string
	// engines are the kinds of target certify --engines builds the
	// sources on (nil: the --target's kind alone): each must honour the
	// target flags given.
	engines []targetScheme
}

// targetScheme is one kind of --target, "<name>:<arg>": the one place where
// an engine joins the command line.
type targetScheme struct {
	// name is what comes before the colon, form how the help writes it.
	name, form, help string
	// read adds the role sources that arg names to in.
	read func(f *targetFlags, arg string, in *targetInputs) error
	// build makes the target of what was read (with the Lua sources of
	// the role flags, which every engine takes for the roles it runs Lua
	// for). Its error means the suite cannot run (exit 2).
	build func(desc string, in *targetInputs, opts targets.Options) (adapters.Target, error)
	// nearness ranks how near the engine runs Lua to AO, and why says
	// what makes it so: where `certify --engines` finds the engines
	// differ, the nearest is the reference.
	nearness int
	why      string
	// refuse says which target flags given the engine cannot honour (nil:
	// it honours them all), so that such a flag is a usage error (exit 2)
	// rather than one that silently does nothing. --wallets is checked
	// apart: it is the live engine's alone (honoured).
	refuse func(f *targetFlags, in *targetInputs) error
}

// targetSchemes are the kinds of --target the command line knows.
var targetSchemes = []targetScheme{
	{
		name: "lua", form: "lua:<file or dir>",
		help:     "a dir holds " + strings.Join(roleFileNames(), ", ") + ", any subset",
		read:     readLuaTarget,
		build:    buildLuaTarget,
		nearness: 1,
		why:      "gopher-lua, a Lua 5.1 VM given Lua 5.3's rules; docs/engine.md lists where it differs from Lua 5.3",
	},
	{
		name: "wasm", form: "wasm:[module.wasm]",
		help:     "a compiled AO module, by default the bundled mostao-lua53.wasm (Lua 5.3.6); its Module-Format (" + strings.Join(wasm.Formats, ", ") + ") is read from the binary unless wasm:module.wasm?format=<Module-Format> gives it; the processes' Lua sources come from --domain, --profile and --session, the reference for the others",
		read:     readWasmTarget,
		build:    buildWasmTarget,
		refuse:   refuseOnWasm,
		nearness: 2,
		why:      "real Lua 5.3.6 compiled to WebAssembly with emscripten, as aos's own module is",
	},
	{
		name: "live", form: "live:[hb+]<url>[?<role>=<pid>&...]",
		help:   "processes on an AO network through its legacy units (MU, SU, CU) at url, or through the HyperBEAM node at url with hb+ (push, slots, read-only compute; ANS-104 items, no HTTP message signatures), e.g. a `mostao devnet`, which serves both; ?domain=<pid> (or profile, session) certifies a process already deployed there, in the state it has (scenarios that need a fresh process of it are untested); the environment overrides each unit's URL, the aos module, scheduler and authority (docs/live.md); wallets are kept in --wallets",
		read:   readLiveTarget,
		build:  buildLiveTarget,
		refuse: refuseOnLive,
	},
}

// targetInputs is what the target flags name: the source of each role
// supplied, the file it came from, and the flags that name them again.
type targetInputs struct {
	// module is the compiled AO module of a wasm target (nil: the bundled
	// one), moduleFormat its Module-Format ("": read from the binary).
	module       []byte
	moduleFormat string
	// live is the URL of a live target's units, deployed the processes
	// already on its network that implement roles, by role.
	live      string
	deployed  map[string]string
	wallets   string
	sources   targets.Sources
	files     map[string]string
	described []string
	args      []string
}

// schemeForms lists the forms of every scheme, for help and errors.
func schemeForms() string {
	var out []string
	for _, s := range targetSchemes {
		out = append(out, s.form)
	}
	return strings.Join(out, ", ")
}

// findScheme finds the scheme of a --target value.
func findScheme(target string) (targetScheme, string, error) {
	name, arg, ok := strings.Cut(target, ":")
	for _, s := range targetSchemes {
		if ok && s.name == name {
			return s, arg, nil
		}
	}
	if !ok {
		return targetScheme{}, "", fmt.Errorf("--target %q: write the kind of target before a colon, one of %s (or \"reference\")", target, schemeForms())
	}
	return targetScheme{}, "", fmt.Errorf("--target %q: unknown kind of target %q; the supported ones are %s (or \"reference\")", target, name, schemeForms())
}

// roleFileNames are the file names a folder target holds, one per role.
func roleFileNames() []string {
	var out []string
	for _, r := range roles.Names() {
		out = append(out, r+".lua")
	}
	return out
}

// register adds the target flags to a flag set.
func (f *targetFlags) register(fs *flag.FlagSet) {
	var forms []string
	for _, s := range targetSchemes {
		forms = append(forms, s.form+" ("+s.help+")")
	}
	fs.StringVar(&f.target, "target", "", "what to certify: "+strings.Join(forms, ", ")+" or \"reference\" (the default)")
	f.files = map[string]*string{}
	for _, r := range roles.All() {
		f.files[r.Name] = fs.String(r.Flag, "", r.FlagHelp)
	}
	fs.Int64Var(&f.maxWork, "max-work", 0, fmt.Sprintf("work budget of one message evaluation, in the Lua engine's units (about one Lua instruction each; default %d), scaled to the wasm engine's; a process that loops costs this much per message; not for a live target", lua.DefaultMaxWork))
	fs.StringVar(&f.runtime, "runtime", "", "the aos `runtime` the supplied Lua sources run under: aos-current (the default), aos-2.0.4, or aos-sqlite (aos-current with require(\"lsqlite3\"), Lua engine only); not for a live target, nor a wasm module without the bundled one's setup export (real aos)")
	fs.StringVar(&f.wallets, "wallets", "", "the `dir`ectory of the wallets a live target signs with (Arweave JWK files, <name>.json, made once when missing; default $"+live.EnvWallets+", else "+live.DefaultWalletDir()+")")
	fs.DurationVar(&f.evalTimeout, "eval-timeout", 0, "wall-clock safety net of one evaluation (default: the engine's: 60s on Lua, 30s on the bundled wasm module, 2m on another module); when it fires the run stops as a suite error (exit 2): the machine is too slow for this run; not for a live target")
}

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
	// sources are the Lua sources the user supplied, by role (none for the
	// reference), and opts the engine options: what builds the target
	// again with one source changed (mostao mutate).
	sources targets.Sources
	opts    targets.Options
}

// runtimes are the values --runtime accepts.
var runtimes = []lua.Profile{lua.ProfileCurrent, lua.ProfileAOS204, lua.ProfileAOSSQLite}

// resolve reads the sources the flags name. Every error it returns means the
// suite cannot run (exit 2).
func (f *targetFlags) resolve() (resolved, error) {
	in := &targetInputs{sources: targets.Sources{}, files: map[string]string{}, wallets: f.wallets}
	scheme := targetSchemes[0] // the role flags name Lua files
	if f.target != "" && f.target != "reference" {
		s, arg, err := findScheme(f.target)
		if err != nil {
			return resolved{}, err
		}
		if err := s.read(f, arg, in); err != nil {
			return resolved{}, err
		}
		scheme = s
	} else if f.target == "reference" {
		in.args = append(in.args, "--target", "reference")
	}

	for _, r := range roles.All() {
		path := ""
		if p := f.files[r.Name]; p != nil {
			path = *p
		}
		if path == "" {
			continue
		}
		src, err := readInput(path, maxSourceBytes)
		if err != nil {
			return resolved{}, fmt.Errorf("--%s: %w", r.Flag, err)
		}
		in.sources[r.Name], in.files[r.Name] = string(src), path
		in.args = append(in.args, "--"+r.Flag, path)
		in.described = append(in.described, r.Name+"="+path)
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
		in.args = append(in.args, "--runtime", f.runtime)
	}
	if err := f.honoured(scheme, in); err != nil {
		return resolved{}, err
	}
	opts := targets.Options{FileNames: in.files, Limits: lua.Limits{EvalTimeout: f.evalTimeout, MaxWork: f.maxWork}, Profile: profile}
	if f.maxWork > 0 {
		in.args = append(in.args, "--max-work", fmt.Sprint(f.maxWork))
	}
	if f.evalTimeout > 0 {
		in.args = append(in.args, "--eval-timeout", f.evalTimeout.String())
	}

	if len(in.sources) == 0 && scheme.name != "lua" {
		// The reference processes on another engine.
		name := f.name
		if name == "" {
			name = "MostAO reference processes"
		}
		desc := strings.Join(in.described, " ")
		target, err := scheme.build(desc, in, opts)
		if err != nil {
			return resolved{}, err
		}
		var mips []string
		if len(in.deployed) > 0 {
			// Processes already deployed: their MIPs, not the stand-ins'.
			mips = suppliedMIPs(target.Supplied)
			if f.name == "" {
				name = "deployed " + strings.Join(target.Supplied, " + ")
			}
		}
		return resolved{
			target: target,
			impl:   reports.Implementation{Name: name, Target: desc},
			args:   in.args,
			mips:   mips,
			opts:   opts,
		}, nil
	}
	if len(in.sources) == 0 {
		t := targets.ReferenceWith(opts)
		name := f.name
		if name == "" {
			name = "MostAO reference processes"
		}
		return resolved{
			target: t,
			impl:   reports.Implementation{Name: name, Target: "lua:processes (reference)"},
			args:   in.args,
			opts:   opts,
		}, nil
	}

	var names []string
	for role := range in.sources {
		names = append(names, role)
	}
	sort.Strings(names)
	desc := strings.Join(in.described, " ")
	name := f.name
	if name == "" {
		var bases []string
		for _, r := range names {
			bases = append(bases, filepath.Base(in.files[r]))
		}
		name = strings.Join(bases, " + ")
	}
	target, err := scheme.build(desc, in, opts)
	if err != nil {
		return resolved{}, err
	}
	mips := suppliedMIPs(names)
	if len(in.deployed) > 0 {
		mips = suppliedMIPs(target.Supplied)
	}
	return resolved{
		target:  target,
		impl:    reports.Implementation{Name: name, Target: desc},
		args:    in.args,
		mips:    mips,
		sources: in.sources,
		opts:    opts,
	}, nil
}

// readLuaTarget reads a lua:<file or dir> target: a folder's files named
// after the roles, or one file whose role its name or --mip gives.
func readLuaTarget(f *targetFlags, path string, in *targetInputs) error {
	if path == "" {
		return fmt.Errorf("--target lua: needs a file or a directory after the colon")
	}
	in.args = append(in.args, "--target", "lua:"+path)
	in.described = append(in.described, "lua:"+path)
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("--target %s: %w", f.target, err)
	}
	if info.IsDir() {
		found := 0
		for _, role := range roles.Names() {
			p := filepath.Join(path, role+".lua")
			src, err := readInput(p, maxSourceBytes)
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				return fmt.Errorf("--target %s: %w", f.target, err)
			}
			in.sources[role], in.files[role] = string(src), p
			found++
		}
		if found == 0 {
			return fmt.Errorf("--target %s: the directory holds none of %s", f.target, strings.Join(roleFileNames(), ", "))
		}
		return nil
	}
	role, err := f.fileRole(path)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(filepath.Base(path), role+".") {
		// The role came from --mip: the reproducer must say it too.
		in.args = append(in.args, "--mip", strings.Join(f.mips, ","))
	}
	src, err := readInput(path, maxSourceBytes)
	if err != nil {
		return fmt.Errorf("--target %s: %w", f.target, err)
	}
	in.sources[role], in.files[role] = string(src), path
	return nil
}

// buildLuaTarget runs the sources on the in-process Lua engine.
func buildLuaTarget(desc string, in *targetInputs, opts targets.Options) (adapters.Target, error) {
	return targets.LuaWith(desc, in.sources, opts), nil
}

// readWasmTarget reads the module a wasm target names, if any, and its
// format: given after ?format=, or read from the binary. A format the
// binary contradicts is refused here, before anything runs.
func readWasmTarget(f *targetFlags, arg string, in *targetInputs) error {
	in.args = append(in.args, "--target", "wasm:"+arg)
	in.described = append(in.described, "wasm:"+arg)
	path, query, _ := strings.Cut(arg, "?")
	if query != "" {
		format, ok := strings.CutPrefix(query, "format=")
		if !ok {
			return fmt.Errorf("--target %s: after ? only format=<Module-Format> is understood", f.target)
		}
		in.moduleFormat = format
	}
	if path != "" {
		b, err := readInput(path, maxModuleBytes)
		if err != nil {
			return fmt.Errorf("--target %s: %w", f.target, err)
		}
		in.module = b
	}
	bin := in.module
	if bin == nil {
		bin = wasm.DefaultModule
	}
	if _, err := wasm.ResolveFormat(bin, in.moduleFormat); err != nil {
		return fmt.Errorf("--target %s: %w", f.target, err)
	}
	return nil
}

func buildWasmTarget(desc string, in *targetInputs, opts targets.Options) (adapters.Target, error) {
	opts.ModuleFormat = in.moduleFormat
	return targets.Wasm(desc, in.module, in.sources, opts), nil
}

// honoured refuses a target flag that an engine the sources run on (the
// --target's, or each of certify --engines) cannot honour, and --wallets
// when none of them is live.
func (f *targetFlags) honoured(scheme targetScheme, in *targetInputs) error {
	on := f.engines
	if len(on) == 0 {
		on = []targetScheme{scheme}
	}
	signs := false
	for _, s := range on {
		signs = signs || s.name == "live"
		if s.refuse == nil {
			continue
		}
		if err := s.refuse(f, in); err != nil {
			return err
		}
	}
	if f.wallets != "" && !signs {
		return fmt.Errorf("--wallets: only a live target (--target live:<url>) signs with wallets; the %s engine has none to keep", on[0].name)
	}
	return nil
}

// refuseOnWasm: the wasm engine takes the work budget and the safety net
// on every module, and a runtime profile only on a module whose runtime
// reads it (the bundled one), which has no SQLite.
func refuseOnWasm(f *targetFlags, in *targetInputs) error {
	if f.runtime == "" {
		return nil
	}
	if lua.Profile(f.runtime) == lua.ProfileAOSSQLite {
		return fmt.Errorf("--runtime %s: the wasm engine's module has no lsqlite3; aos-sqlite runs on the Lua engine (--target lua:)", f.runtime)
	}
	if in.module == nil {
		return nil
	}
	takes, err := wasm.TakesRuntimeProfile(in.module)
	if err != nil {
		return fmt.Errorf("--target %s: %w", f.target, err)
	}
	if !takes {
		return fmt.Errorf("--runtime %s: the module of --target %s is its own runtime (it has no setup export, as real aos has none) and cannot be given another", f.runtime, f.target)
	}
	return nil
}

// refuseOnLive: a live target's evaluations run on its network's compute
// unit and aos module, which the suite does not bound or choose.
func refuseOnLive(f *targetFlags, in *targetInputs) error {
	switch {
	case f.maxWork > 0:
		return fmt.Errorf("--max-work: a live target's evaluations are bounded by its network's compute unit, not by the suite")
	case f.evalTimeout > 0:
		return fmt.Errorf("--eval-timeout: a live target's evaluations run on its network's compute unit, which the suite does not time")
	case f.runtime != "":
		return fmt.Errorf("--runtime %s: a live target's processes run on its network's aos module, which is their runtime", f.runtime)
	}
	return nil
}

// suppliedMIPs are the MIPs of the given roles, sorted.
func suppliedMIPs(names []string) []string {
	var mips []string
	for _, role := range names {
		mips = append(mips, roles.MIPOf(role))
	}
	sort.Strings(mips)
	return mips
}

// readLiveTarget takes the URL of a live target's units and, after ?, the
// processes already deployed there that implement roles:
// live:<url>?domain=<pid>&session=<pid>.
func readLiveTarget(f *targetFlags, arg string, in *targetInputs) error {
	in.args = append(in.args, "--target", "live:"+arg)
	in.described = append(in.described, "live:"+arg)
	base, query, _ := strings.Cut(arg, "?")
	in.live = base
	if in.wallets != "" {
		in.args = append(in.args, "--wallets", in.wallets)
	}
	if query == "" {
		return nil
	}
	in.deployed = map[string]string{}
	for _, pair := range strings.Split(query, "&") {
		role, pid, _ := strings.Cut(pair, "=")
		if _, ok := roles.Get(role); !ok {
			return fmt.Errorf("--target %s: after ? give <role>=<process id>, the role one of %s, not %q", f.target, strings.Join(roles.Names(), ", "), pair)
		}
		if !live.ValidID(pid) {
			return fmt.Errorf("--target %s: %s=%q is not a process id (43 base64url characters)", f.target, role, pid)
		}
		if _, twice := in.deployed[role]; twice {
			return fmt.Errorf("--target %s: the %s is given twice", f.target, role)
		}
		if p := f.files[role]; p != nil && *p != "" {
			return fmt.Errorf("--target %s: the %s is given both as the deployed process %s and as the source --%s %s: give one", f.target, role, pid, role, *p)
		}
		in.deployed[role] = pid
	}
	return nil
}

// liveSetupTimeout bounds what building a live target asks of the network
// (reading the units' information, publishing modules).
const liveSetupTimeout = 2 * time.Minute

// buildLiveTarget reaches the units, publishing the sources on a devnet.
func buildLiveTarget(desc string, in *targetInputs, opts targets.Options) (adapters.Target, error) {
	cfg, err := live.FromEnv(in.live)
	if err != nil {
		return adapters.Target{}, fmt.Errorf("--target live:%s: %w", in.live, err)
	}
	dir := in.wallets
	if dir == "" {
		dir = cfg.WalletDir
	}
	if dir == "" {
		dir = live.DefaultWalletDir()
	}
	ctx, cancel := context.WithTimeout(context.Background(), liveSetupTimeout)
	defer cancel()
	opts.Deployed = in.deployed
	t, err := targets.Live(ctx, desc, cfg, &live.DirKeyring{Dir: dir}, in.sources, opts)
	if err != nil {
		return adapters.Target{}, fmt.Errorf("--target live:%s: %w", in.live, err)
	}
	return t, nil
}

// fileRole decides which role a single --target file fills: its name when
// it is a role's (domain.lua, ...), else the one MIP selected.
func (f *targetFlags) fileRole(path string) (string, error) {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if _, ok := roles.Get(base); ok {
		return base, nil
	}
	var found []string
	for _, m := range f.mips {
		if r := roles.OfMIP(certify.NormalizeMIP(m)); r != "" {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		var choices, flags []string
		for _, r := range roles.All() {
			choices = append(choices, fmt.Sprintf("--mip %s (%s)", r.MIP, r.Name))
			flags = append(flags, "--"+r.Flag)
		}
		return "", fmt.Errorf("--target lua:%s: say which role the file fills with exactly one of %s, or use %s", path, strings.Join(choices, ", "), strings.Join(flags, "/"))
	}
	return found[0], nil
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
