package lua

// moduleFormat is the Module-Format tag the module of a process carries:
// the format of the aos build each profile stands for (aos 2.0.4 was also
// built for wasm32; 2.0.6 and later run on wasm64), so a process cannot
// tell from its environment that it does not run on AO.
func moduleFormat(profile Profile) string {
	if profile == ProfileAOS204 {
		return "wasm32-unknown-emscripten4"
	}
	return "wasm64-unknown-emscripten-draft_2024_02_15"
}
