package proto

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCountIsMIP00Integer: MIP-00's integers stop at 2^53 - 1, and a count
// is one of them from 0 up; a whole number written with a fraction or an
// exponent, which MIP-00 leaves to the process, the models refuse.
func TestCountIsMIP00Integer(t *testing.T) {
	for text, want := range map[string]bool{
		"0": true, "7": true, "9007199254740991": true,
		"9007199254740992": false, "18446744073709551616": false,
		"-1": false, "1.5": false, "1.0": false, "1e2": false,
	} {
		_, ok := Count(json.Number(text))
		assert.Equal(t, want, ok, text)
	}
	_, ok := Count("7")
	assert.False(t, ok, "a string is not a count")
}
