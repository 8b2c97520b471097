package models

import "pgregory.net/rapid"

// capped wraps each action so that it does nothing once *count requests have
// been made: a sequence then stops at limit requests, whatever number of
// actions rapid draws.
func capped(acts map[string]func(*rapid.T), count *int, limit int) map[string]func(*rapid.T) {
	out := make(map[string]func(*rapid.T), len(acts))
	for name, act := range acts {
		out[name] = func(t *rapid.T) {
			if *count < limit {
				*count++
				act(t)
			}
		}
	}
	return out
}
