package wallet_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mostao/conformance/arweave/wallet"
	"github.com/mostao/conformance/arweave/wallet/wallettest"
)

// members reads the fixed JWK as a map so tests can break one member.
func members(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(wallettest.JWK, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func encode(t *testing.T, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func b64(v *big.Int) string { return base64.RawURLEncoding.EncodeToString(v.Bytes()) }

func TestParseFixedWalletAddressAndOwner(t *testing.T) {
	w, err := wallet.Parse(wallettest.JWK)
	if err != nil {
		t.Fatal(err)
	}
	owner := w.Owner()
	if len(owner) != wallet.OwnerSize {
		t.Fatalf("owner is %d bytes, want %d", len(owner), wallet.OwnerSize)
	}
	n, _ := base64.RawURLEncoding.DecodeString(members(t)["n"].(string))
	if string(owner) != string(n) {
		t.Fatal("owner is not the JWK's n")
	}
	sum := sha256.Sum256(n)
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	if w.Address() != want || len(want) != 43 || w.Address() != wallettest.Address {
		t.Fatalf("address %q, want %q (43 chars)", w.Address(), want)
	}
	if wallet.OwnerAddress(owner) != want {
		t.Fatal("OwnerAddress disagrees with Address")
	}
}

func TestJWKRoundTrip(t *testing.T) {
	w := wallettest.Wallet(t)
	b, err := w.JWK()
	if err != nil {
		t.Fatal(err)
	}
	var got, want map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want = members(t)
	for _, k := range []string{"kty", "n", "e", "d", "p", "q", "dp", "dq", "qi"} {
		if got[k] != want[k] {
			t.Errorf("member %s differs after a round trip", k)
		}
	}
	w2, err := wallet.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if !w2.Key.Equal(w.Key) {
		t.Fatal("Parse(JWK()) is another key")
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wallet.json")
	if err := os.WriteFile(path, wallettest.JWK, 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := wallet.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if w.Address() != wallettest.Address {
		t.Fatal("loaded wallet has another address")
	}
	if _, err := wallet.Load(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Fatal("a missing file loaded")
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte("{"), 0o600)
	if _, err := wallet.Load(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("a broken file: err = %v, want one naming the file", err)
	}
}

func TestParseRejectsBadKeys(t *testing.T) {
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	fixed := wallettest.Wallet(t).Key
	one := big.NewInt(1)
	cases := []struct {
		name   string
		edit   func(m map[string]any)
		raw    string
		wantIn string
	}{
		{name: "bad JSON", raw: `{"kty":`, wantIn: "not a JWK"},
		{name: "not an object", raw: `[1,2]`, wantIn: "not a JWK"},
		{name: "wrong kty", edit: func(m map[string]any) { m["kty"] = "EC" }, wantIn: `key type "EC"`},
		{name: "no kty", edit: func(m map[string]any) { delete(m, "kty") }, wantIn: "key type"},
		{name: "public key only", edit: func(m map[string]any) { delete(m, "d") }, wantIn: `"d" is missing`},
		{name: "no p", edit: func(m map[string]any) { delete(m, "p") }, wantIn: `"p" is missing`},
		{name: "n not base64url", edit: func(m map[string]any) { m["n"] = "***" }, wantIn: `"n" is not base64url`},
		{name: "n not a string", edit: func(m map[string]any) { m["n"] = 5 }, wantIn: "not a JWK"},
		{name: "short modulus", edit: func(m map[string]any) {
			m["n"], m["d"], m["p"], m["q"] = b64(small.N), b64(small.D), b64(small.Primes[0]), b64(small.Primes[1])
			delete(m, "dp")
			delete(m, "dq")
			delete(m, "qi")
		}, wantIn: "modulus has 1024 bits"},
		{name: "exponent 3", edit: func(m map[string]any) { m["e"] = "Aw" }, wantIn: "public exponent 3"},
		{name: "p*q is not n", edit: func(m map[string]any) { m["p"] = b64(new(big.Int).Add(fixed.Primes[0], big.NewInt(2))) }, wantIn: "p*q is not the modulus"},
		{name: "wrong d", edit: func(m map[string]any) { m["d"] = b64(new(big.Int).Add(fixed.D, one)) }, wantIn: "inconsistent key"},
		{name: "wrong dp", edit: func(m map[string]any) { m["dp"] = b64(new(big.Int).Add(fixed.Precomputed.Dp, one)) }, wantIn: "dp does not match"},
		{name: "wrong dq", edit: func(m map[string]any) { m["dq"] = b64(new(big.Int).Add(fixed.Precomputed.Dq, one)) }, wantIn: "dq does not match"},
		{name: "wrong qi", edit: func(m map[string]any) { m["qi"] = b64(new(big.Int).Add(fixed.Precomputed.Qinv, one)) }, wantIn: "qi does not match"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := []byte(c.raw)
			if c.edit != nil {
				m := members(t)
				c.edit(m)
				b = encode(t, m)
			}
			_, err := wallet.Parse(b)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), c.wantIn) {
				t.Fatalf("error %q does not say %q", err, c.wantIn)
			}
		})
	}
}

func TestParseWithoutCRTMembers(t *testing.T) {
	m := members(t)
	delete(m, "dp")
	delete(m, "dq")
	delete(m, "qi")
	w, err := wallet.Parse(encode(t, m))
	if err != nil {
		t.Fatal(err)
	}
	if w.Address() != wallettest.Address {
		t.Fatal("another address")
	}
}

// TestGenerate makes a real 4096-bit key, which takes seconds, so the quick
// run leaves it to the full one.
func TestGenerate(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 4096-bit key; runs without -short")
	}
	w, err := wallet.Generate(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if w.Key.N.BitLen() != 4096 || w.Key.E != 65537 || len(w.Address()) != 43 {
		t.Fatalf("generated %d bits, e=%d", w.Key.N.BitLen(), w.Key.E)
	}
	b, err := w.JWK()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wallet.Parse(b); err != nil {
		t.Fatalf("a generated wallet does not parse back: %v", err)
	}
}
