package ans104

import (
	"crypto/sha512"
	"encoding/hex"
	"strconv"
	"testing"
)

// sha384 is one SHA-384, for restating the documented deep hash by hand.
func sha384(parts ...[]byte) []byte {
	h := sha512.New384()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

// TestDeepHashByHand restates the deep hash from its definition: a blob
// is SHA384(SHA384("blob"+len) || SHA384(bytes)), a list folds its items
// into SHA384("list"+count).
func TestDeepHashByHand(t *testing.T) {
	blob := func(b string) []byte {
		return sha384(sha384([]byte("blob"+strconv.Itoa(len(b)))), sha384([]byte(b)))
	}
	if got, want := Blob("abc").DeepHash(), blob("abc"); hex.EncodeToString(got) != hex.EncodeToString(want) {
		t.Fatalf("blob: %x, want %x", got, want)
	}
	acc := sha384([]byte("list2"))
	acc = sha384(acc, blob("dataitem"))
	inner := sha384(sha384([]byte("list1")), blob(""))
	acc = sha384(acc, inner)
	got := DeepHash(Blob("dataitem"), List{Blob(nil)})
	if hex.EncodeToString(got) != hex.EncodeToString(acc) {
		t.Fatalf("list: %x, want %x", got, acc)
	}
	if len(got) != 48 {
		t.Fatalf("deep hash is %d bytes", len(got))
	}
}

// TestDeepHashVectors pins vectors that arbundles 0.11.2's deepHash gives
// for the same chunks (crosscheck.js deephash), so the two agree even where
// Node is not installed.
func TestDeepHashVectors(t *testing.T) {
	for _, v := range []struct {
		name  string
		chunk Chunk
		want  string
	}{
		{"empty blob", Blob(""), "fbf00cc444f5fea9dc3bedf62a13fba8ae87e7445fc910567a23bec4eb82fadb1143c433069314d8362983dc3c2e4a38"},
		{"abc", Blob("abc"), "71115a30152ebcffb6defbb643abc8ef76f01fe323f1d62340646085960f6e347cb2d8e9a46ddee655b3012c6131d4e0"},
		{"empty list", List{}, "a69e7d37fdc7f040a9ec16aae84de24fab4a653dac4de0bd247e36bab9fe45d9289c5a04a893c95285812f5cefc9707a"},
		{"nested", List{Blob(""), Blob("abc"), List{}, List{Blob("a"), List{Blob("b")}}},
			"9dee45c724808fecee54b727fac88a296893a143090a2a3ae8b19f1af1b67f8ffe3381beef1a426b189b70bfe2106b1b"},
	} {
		if got := hex.EncodeToString(v.chunk.DeepHash()); got != v.want {
			t.Errorf("%s: %s, want %s", v.name, got, v.want)
		}
	}
}
