package lua

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"

	glua "github.com/yuin/gopher-lua"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
)

// process is one running process: its own Lua state with the runtime
// loaded, plus what a rollback needs (a snapshot and the log of the
// evaluations kept since).
type process struct {
	id       string
	moduleID string
	mod      Module
	code     *compiledModule
	owner    string
	spawn    adapters.Message

	L      *glua.LState
	handle *glua.LFunction
	env    *glua.LTable
	init   *glua.LFunction // the module code, run with the spawn message
	// typeSample is a function, whose metatable is that of every function.
	typeSample *glua.LFunction
	// waiting is the runtime's table of suspended coroutines (those in
	// Receive have the value "receive").
	waiting *glua.LTable
	// live holds every coroutine the process made that may still run.
	live *glua.LTable

	evaluated int // messages evaluated whose effects were kept
	// broken is set when the process can no longer evaluate anything: its
	// module did not compile, or (under PolicyCU) its spawn message failed.
	broken     string
	brokenKind adapters.ErrorKind

	// assignments are those the last evaluation asked for.
	assignments []aonet.Assignment

	snap *snapshot
	log  []delivery // evaluations kept since snap, for rollback by replay
	// lastWork and lastBuilt are the work of the last evaluation and the
	// bytes its library functions built; sinceWork and sinceBuilt sum them
	// over the evaluations kept since the state's size was last checked, so
	// a process that may have grown fast is checked sooner than every 32
	// messages.
	lastWork, lastBuilt   int64
	sinceWork, sinceBuilt int64
	walker                walker
	// sql holds the process's lsqlite3 databases (profile aos-sqlite).
	sql *sqlRegistry
	// addresses are those tostring shows for the process's objects.
	addresses *addressBook
	// weave is the world's, which the process reads On-Boot code from.
	weave weave
	// onBoot is the transaction the world added as the spawn's On-Boot tag
	// (Module.BootFromWeave): the module's code then comes from the weave,
	// not with the spawn message.
	onBoot string
}

// luaOptions keep per-coroutine memory small: gopher-lua gives every
// coroutine its own stack, and the runtime runs each handler in one.
var luaOptions = glua.Options{
	SkipOpenLibs:        true,
	CallStackSize:       200,
	RegistrySize:        256,
	RegistryMaxSize:     256 * 1024,
	RegistryGrowStep:    256,
	MinimizeStackMemory: true,
}

// newProcess makes the Lua state of a process and loads the runtime. A
// module that does not compile gives a broken process, not an error: the
// spawn message's result reports it, as it would on a network.
func newProcess(id, moduleID string, mod Module, code *compiledModule, spawn adapters.Message, owner string, wv weave, onBoot string) (*process, error) {
	p := &process{id: id, moduleID: moduleID, mod: mod, code: code, spawn: spawn, owner: owner, weave: wv, onBoot: onBoot}
	if mod.Profile == ProfileAOSSQLite {
		p.sql = newSQLRegistry(id)
	}
	if code.proto == nil {
		name := mod.Name
		if name == "" {
			name = moduleID
		}
		p.broken = "module " + name + " does not compile: " + code.err
		p.brokenKind = code.kind
	}
	if err := p.start(); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// close releases the Lua state and the databases of the process.
// ModuleID is the id of the module the process runs (aonet.Process).
func (p *process) ModuleID() string { return p.moduleID }

// Close releases the process (aonet.Process).
func (p *process) Close() { p.close() }

func (p *process) close() {
	if p.L != nil {
		forgetAddresses(p.L)
		p.L.Close()
	}
	p.sql.closeAll()
}

// start gives the process a fresh Lua state with the runtime loaded (and
// closes the old one). There is no snapshot yet: the first one is taken
// when a dryrun or a checkpoint needs it, and until then a rollback starts
// afresh and replays the log.
func (p *process) start() error {
	protos, err := loadRuntime()
	if err != nil {
		return err
	}
	if p.L != nil {
		forgetAddresses(p.L)
		p.L.Close()
	}
	p.sql.closeAll()
	L := glua.NewState(luaOptions)
	p.L = L
	p.addresses = newAddressBook(L)
	p.typeSample = L.NewFunction(func(*glua.LState) int { return 0 })
	p.snap = nil
	p.walker = walker{}
	if err := openLibs(L, protos); err != nil {
		return err
	}
	if p.sql != nil {
		openLSQLite(L, p.sql)
	}
	L.PreloadModule(".weavedrive", sortedModule(p.weave.open))
	sortLibraryKeys(L)
	if err := L.CallByParam(glua.P{Fn: L.GetGlobal("require"), NRet: 1, Protect: true}, glua.LString(".process")); err != nil {
		return fmt.Errorf("loading the runtime: %w", err)
	}
	proc, ok := L.Get(-1).(*glua.LTable)
	L.Pop(1)
	if !ok {
		return errors.New("loading the runtime: .process did not return a table")
	}
	if err := L.CallByParam(glua.P{Fn: L.GetGlobal("require"), NRet: 1, Protect: true}, glua.LString(".gopherlua")); err != nil {
		return fmt.Errorf("loading the runtime: %w", err)
	}
	if engine, ok := L.Get(-1).(*glua.LTable); ok {
		p.live, _ = engine.RawGetString("live").(*glua.LTable)
	}
	L.Pop(1)
	profile := p.mod.Profile
	if profile == "" {
		profile = ProfileCurrent
	}
	cfg := L.NewTable()
	cfg.RawSetString("Profile", glua.LString(profile))
	if err := L.CallByParam(glua.P{Fn: proc.RawGetString("setup"), Protect: true}, cfg); err != nil {
		return fmt.Errorf("configuring the runtime: %w", err)
	}
	p.handle, _ = proc.RawGetString("handle").(*glua.LFunction)
	if h, ok := L.GetGlobal("Handlers").(*glua.LTable); ok {
		p.waiting, _ = h.RawGetString("waiting").(*glua.LTable)
	}
	p.env = p.makeEnv()
	p.init = nil
	if p.code.proto != nil && p.onBoot == "" {
		p.init = L.NewFunctionFromProto(p.code.proto)
	}
	return nil
}

// compiledModule is a module's source compiled once per world: prototypes
// are immutable, so every process of the module shares one.
type compiledModule struct {
	proto *glua.FunctionProto
	work  int64              // the work compiling it cost, charged to the spawn message
	err   string             // why it does not compile
	kind  adapters.ErrorKind // ErrorUnsupported for a Lua 5.3 integer literal beyond 2^53, else ErrorCrash
}

// moduleCache shares compiled modules between worlds: suites make a fresh
// world per scenario from the same few sources, and gopher-lua prototypes
// are read-only once compiled, so sharing them is safe across goroutines.
var moduleCache = struct {
	sync.Mutex
	m map[[32]byte]*compiledModule
}{m: map[[32]byte]*compiledModule{}}

// maxCachedModules bounds the cache (a generator of sources must not grow
// it without end); past it the cache starts over.
const maxCachedModules = 256

func compileModule(moduleID string, mod Module, bounds sourceBounds) *compiledModule {
	name := mod.Name
	if name == "" {
		name = moduleID
	}
	key := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%d\x00%s\x00%s", bounds.bytes, bounds.depth, name, mod.Source)))
	moduleCache.Lock()
	c, ok := moduleCache.m[key]
	moduleCache.Unlock()
	if ok {
		return c
	}
	c = compileModuleSource(name, mod.Source, bounds)
	moduleCache.Lock()
	if len(moduleCache.m) >= maxCachedModules {
		moduleCache.m = map[[32]byte]*compiledModule{}
	}
	moduleCache.m[key] = c
	moduleCache.Unlock()
	return c
}

func compileModuleSource(name, source string, bounds sourceBounds) *compiledModule {
	proto, err := compile(source, name, bounds)
	if err == nil {
		return &compiledModule{proto: proto, work: compileWork(len(source))}
	}
	if errors.Is(err, errSourceBound) {
		// Refused before compiling: a verdict on the source's size.
		return &compiledModule{err: err.Error(), kind: adapters.ErrorComputeLimit}
	}
	c := &compiledModule{err: err.Error(), kind: adapters.ErrorCrash}
	if unsupportedCompile(err) {
		c.kind = adapters.ErrorUnsupported
	}
	return c
}

// openLibs opens the standard libraries a process may use (no io, no file
// access) and registers json, the runtime modules and the Lua 5.3 shims.
func openLibs(L *glua.LState, protos map[string]*glua.FunctionProto) error {
	for _, lib := range []struct {
		name string
		fn   glua.LGFunction
	}{
		{glua.LoadLibName, glua.OpenPackage},
		{glua.BaseLibName, glua.OpenBase},
		{glua.TabLibName, glua.OpenTable},
		{glua.StringLibName, glua.OpenString},
		{glua.MathLibName, glua.OpenMath},
		{glua.OsLibName, glua.OpenOs},
		{glua.CoroutineLibName, glua.OpenCoroutine},
		{glua.DebugLibName, glua.OpenDebug},
	} {
		if err := L.CallByParam(glua.P{Fn: L.NewFunction(lib.fn), Protect: true}, glua.LString(lib.name)); err != nil {
			return fmt.Errorf("opening %s: %w", lib.name, err)
		}
	}
	g := L.G.Global
	for _, name := range []string{"dofile", "loadfile"} {
		g.RawSetString(name, glua.LNil)
	}
	if os, ok := g.RawGetString("os").(*glua.LTable); ok {
		for _, name := range []string{"execute", "exit", "getenv", "remove", "rename", "setlocale", "tmpname", "setenv"} {
			os.RawSetString(name, glua.LNil)
		}
	}
	if pkg, ok := g.RawGetString("package").(*glua.LTable); ok {
		pkg.RawSetString("path", glua.LString(""))
		pkg.RawSetString("cpath", glua.LString(""))
		if loaders, ok := pkg.RawGetString("loaders").(*glua.LTable); ok {
			// Keep only the preload searcher: modules never come from files.
			for i := loaders.Len(); i > 1; i-- {
				loaders.RawSetInt(i, glua.LNil)
			}
		}
	}
	// The aos modules first: the shims wrap what they install (os.date)
	// with its work charge and size bound.
	openAOSModules(L)
	installShims(L)
	L.PreloadModule("json", sortedModule(openJSON))
	for name, proto := range protos {
		proto := proto
		L.PreloadModule(name, func(L *glua.LState) int {
			L.Push(L.NewFunctionFromProto(proto))
			L.Call(0, 1)
			return 1
		})
	}
	return nil
}

func (p *process) makeEnv() *glua.LTable {
	L := p.L
	tags := func(ts adapters.Tags) *glua.LTable { return tagArray(L, ts) }
	proc := L.CreateTable(0, 3)
	proc.RawSetString("Id", glua.LString(p.id))
	proc.RawSetString("Owner", glua.LString(p.owner))
	proc.RawSetString("Tags", tags(p.spawn.Tags))
	mod := L.CreateTable(0, 3)
	mod.RawSetString("Id", glua.LString(p.moduleID))
	mod.RawSetString("Owner", glua.LString(adapters.DeterministicID("module-owner/"+p.moduleID)))
	mod.RawSetString("Tags", tags(adapters.Tags{
		{Name: "Data-Protocol", Value: "ao"},
		{Name: "Type", Value: "Module"},
		{Name: "Module-Format", Value: moduleFormat(p.mod.Profile)},
		{Name: "Name", Value: p.mod.Name},
	}))
	env := L.CreateTable(0, 2)
	env.RawSetString("Process", proc)
	env.RawSetString("Module", mod)
	return env
}

// typeSamples are a value of each type whose metatable is the type's
// (debug.setmetatable sets it for every value of the type): which table
// each one has is state, as the tables' contents are.
func (p *process) typeSamples() []glua.LValue {
	return []glua.LValue{glua.LNil, glua.LFalse, glua.LNumber(0), glua.LString(""), p.typeSample, p.L}
}

// typeMetatable is the metatable of a value's type that the engine sets:
// for strings the engine's own, not the table getmetatable("") shows
// (strmeta.go).
func typeMetatable(L *glua.LState, v glua.LValue) glua.LValue {
	if _, ok := v.(glua.LString); ok {
		if vm := L.G.Registry.RawGetString(vmStringMeta); vm != glua.LNil {
			return vm
		}
	}
	return L.GetMetatable(v)
}

func (p *process) takeSnapshot() *snapshot {
	roots := []glua.LValue{p.L.G.Global, p.L.G.Registry, p.env}
	samples := p.typeSamples()
	metas := make([]glua.LValue, len(samples))
	for i, v := range samples {
		metas[i] = typeMetatable(p.L, v)
		roots = append(roots, metas[i])
	}
	if p.handle != nil {
		roots = append(roots, p.handle)
	}
	if p.init != nil {
		roots = append(roots, p.init)
	}
	s := p.walker.take(roots...)
	s.typeMetas = metas
	s.addresses = p.addresses.mark()
	// Databases the state no longer reaches are garbage.
	p.sql.keepOnly(func(db *sqlDB) bool { return s.holds(db) })
	return s
}

// restoreSnapshot returns the state to the snapshot and closes the
// databases opened since.
func (p *process) restoreSnapshot() {
	p.snap.restore()
	p.addresses.restore(p.snap.addresses)
	for i, v := range p.typeSamples() {
		p.L.SetMetatable(v, p.snap.typeMetas[i])
	}
	p.sql.keepOnly(func(db *sqlDB) bool { return p.snap.holds(db) })
}
