package wasm

import (
	"fmt"
	"strings"
)

// Format is a module's Module-Format: the target and ABI it was built for.
type Format struct {
	// Name is the Module-Format tag, e.g. wasm32-unknown-emscripten4.
	Name string
	// Memory64: the module addresses its memory with i64 (memory64); the
	// engine lowers it to 32-bit addresses before wazero loads it.
	Memory64 bool
	// Metering: the module reports the gas it used through an import
	// named metering_gasUsed.
	Metering bool
}

// Formats are the Module-Format values the engine runs, as AO's loader
// names them. The engine builds its host functions from the module's own
// import list, so the emscripten versions behind 1 to 4 need no switch of
// their own; the name goes to the module in env.Module's tags.
var Formats = []string{
	"wasm32-unknown-emscripten",
	"wasm32-unknown-emscripten2",
	"wasm32-unknown-emscripten3",
	"wasm32-unknown-emscripten4",
	"wasm32-unknown-emscripten-metering",
	"wasm64-unknown-emscripten-draft_2024_02_15",
	"wasm64-unknown-emscripten-draft_2024_10_16-metering",
}

// ParseFormat checks that name is a Module-Format the engine knows.
func ParseFormat(name string) (Format, error) {
	for _, f := range Formats {
		if f == name {
			return Format{Name: name, Memory64: strings.HasPrefix(name, "wasm64-"), Metering: strings.HasSuffix(name, "-metering")}, nil
		}
	}
	return Format{}, fmt.Errorf("unknown Module-Format %q; the engine runs %s", name, strings.Join(Formats, ", "))
}

// meteringImport is the import a metering build calls with its gas.
const meteringImport = "metering_gasUsed"

// olderABIImports are imports only emscripten's older ABI has (tempRet0 in
// the host, the big memcpy): a module importing one is of the first
// wasm32-unknown-emscripten family.
var olderABIImports = map[string]bool{"getTempRet0": true, "setTempRet0": true, "emscripten_memcpy_big": true}

// binaryTraits is what the binary says of its format.
type binaryTraits struct {
	memory64, metering, olderABI bool
}

func traitsOf(m *moduleInfo) (binaryTraits, error) {
	var t binaryTraits
	var mems []limits
	for _, im := range m.imports {
		switch {
		case im.kind == 2:
			mems = append(mems, im.mem)
		case im.kind == 0 && im.name == meteringImport:
			t.metering = true
		case im.kind == 0 && im.module == "env" && olderABIImports[im.name]:
			t.olderABI = true
		}
	}
	mems = append(mems, m.memories...)
	if len(mems) > 1 {
		return t, fmt.Errorf("the module has %d memories; an AO module has one", len(mems))
	}
	t.memory64 = len(mems) == 1 && mems[0].memory64()
	return t, nil
}

// DetectFormat reads a module's format from its binary: memory64 on its
// memory makes it wasm64, an import of metering_gasUsed a metering build,
// and getTempRet0, setTempRet0 or emscripten_memcpy_big the first
// wasm32-unknown-emscripten; any other wasm32 module is taken for a
// wasm32-unknown-emscripten4 (aos 2.0.4's): the versions 2 to 4 are not
// told apart by the binary, and the engine needs no difference between
// them (it builds its host functions from the module's imports).
func DetectFormat(bin []byte) (Format, error) {
	secs, err := sections(bin)
	if err != nil {
		return Format{}, err
	}
	m, err := readModuleInfo(secs)
	if err != nil {
		return Format{}, err
	}
	t, err := traitsOf(m)
	if err != nil {
		return Format{}, err
	}
	return ParseFormat(detectedName(t))
}

func detectedName(t binaryTraits) string {
	switch {
	case t.memory64 && t.metering:
		return "wasm64-unknown-emscripten-draft_2024_10_16-metering"
	case t.memory64:
		return "wasm64-unknown-emscripten-draft_2024_02_15"
	case t.metering:
		return "wasm32-unknown-emscripten-metering"
	case t.olderABI:
		return "wasm32-unknown-emscripten"
	}
	return "wasm32-unknown-emscripten4"
}

// ResolveFormat returns the format bin runs in: name checked against the
// binary, or, when name is "", the format read from it (DetectFormat).
// The error says how a given format and the binary disagree, or why a
// memory64 module cannot be lowered.
func ResolveFormat(bin []byte, name string) (Format, error) {
	f, _, err := loadable(bin, name)
	return f, err
}

// loadable returns the module's format and the binary wazero is to
// compile: the module itself, or its lowering to 32-bit addresses when it
// is a memory64 one. name is the format given (a flag or the Module-Format
// tag); "" detects it. A given format that the binary contradicts (a
// wasm64 name for a 32-bit memory or the reverse, metering named but not
// imported or the reverse) is an error that says both.
func loadable(bin []byte, name string) (Format, []byte, error) {
	secs, err := sections(bin)
	if err != nil {
		return Format{}, nil, err
	}
	m, err := readModuleInfo(secs)
	if err != nil {
		return Format{}, nil, err
	}
	t, err := traitsOf(m)
	if err != nil {
		return Format{}, nil, err
	}
	detected, err := ParseFormat(detectedName(t))
	if err != nil {
		return Format{}, nil, err
	}
	f := detected
	if name != "" {
		if f, err = ParseFormat(name); err != nil {
			return Format{}, nil, err
		}
		if f.Memory64 != t.memory64 {
			width := map[bool]string{false: "32-bit (no memory64)", true: "64-bit (memory64)"}
			return Format{}, nil, fmt.Errorf("Module-Format %s does not fit the module: its memory is %s, as in %s", name, width[t.memory64], detected.Name)
		}
		if f.Metering != t.metering {
			has := map[bool]string{false: "does not import", true: "imports"}
			return Format{}, nil, fmt.Errorf("Module-Format %s does not fit the module: it %s %s, as a %s does", name, has[t.metering], meteringImport, detected.Name)
		}
	}
	if !f.Memory64 {
		return f, bin, nil
	}
	low, err := lower64(secs, m)
	if err != nil {
		return Format{}, nil, fmt.Errorf("lowering the memory64 module to 32-bit addresses: %w", err)
	}
	return f, low, nil
}

// TakesRuntimeProfile reports whether bin is built as the bundled module
// is, with its setup export: its runtime, the Lua engine's, reads the
// Runtime-Profile tag (Module.Profile) and behaves as that aos version. A
// module without it, such as real aos, is its own runtime and ignores the
// tag.
func TakesRuntimeProfile(bin []byte) (bool, error) {
	secs, err := sections(bin)
	if err != nil {
		return false, err
	}
	for _, s := range secs {
		if s.id != secExport {
			continue
		}
		r := &reader{b: s.body}
		found := false
		err := readVec(r, func() error {
			name, err := r.name()
			if err != nil {
				return err
			}
			kind, err := r.byte()
			if err != nil {
				return err
			}
			found = found || (name == "setup" && kind == 0)
			_, err = r.u32()
			return err
		})
		return found, err
	}
	return false, nil
}
