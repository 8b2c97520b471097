// Package wallet reads, writes and makes Arweave wallets: RSA-4096 keys in
// the JWK form the Arweave tools use, with the address and owner bytes that
// AO messages carry.
package wallet

import (
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"
)

// ModulusBits is the size of an Arweave key. Data items carry the modulus
// alone as their owner, in exactly ModulusBits/8 bytes, so no other size can
// sign one.
const ModulusBits = 4096

// OwnerSize is the length of Owner(): the modulus, big-endian, 512 bytes.
const OwnerSize = ModulusBits / 8

// PublicExponent is the only exponent an Arweave key may have: a data item
// carries the modulus but not the exponent, so verifiers assume 65537.
const PublicExponent = 65537

// Wallet is an Arweave wallet: an RSA-4096 private key with e = 65537.
type Wallet struct{ Key *rsa.PrivateKey }

// jwk is the JSON shape of an Arweave key file. Other members (kid, ext,
// alg) are ignored on read and not written.
type jwk struct {
	Kty string `json:"kty"`
	N   string `json:"n"`
	E   string `json:"e"`
	D   string `json:"d,omitempty"`
	P   string `json:"p,omitempty"`
	Q   string `json:"q,omitempty"`
	Dp  string `json:"dp,omitempty"`
	Dq  string `json:"dq,omitempty"`
	Qi  string `json:"qi,omitempty"`
}

// Parse reads an Arweave JWK and checks that it is a consistent RSA-4096
// private key with e = 65537: a wallet that cannot sign a verifiable data
// item is refused here rather than at the first signature.
func Parse(b []byte) (*Wallet, error) {
	var k jwk
	if err := json.Unmarshal(b, &k); err != nil {
		return nil, fmt.Errorf("wallet: not a JWK: %w", err)
	}
	if k.Kty != "RSA" {
		return nil, fmt.Errorf("wallet: key type %q, want RSA", k.Kty)
	}
	var n, e, d, p, q *big.Int
	for _, f := range []struct {
		name, text string
		dst        **big.Int
	}{{"n", k.N, &n}, {"e", k.E, &e}, {"d", k.D, &d}, {"p", k.P, &p}, {"q", k.Q, &q}} {
		v, err := decodeInt(f.name, f.text)
		if err != nil {
			return nil, err
		}
		*f.dst = v
	}
	if n.BitLen() != ModulusBits {
		return nil, fmt.Errorf("wallet: modulus has %d bits, an Arweave key has %d", n.BitLen(), ModulusBits)
	}
	if !e.IsInt64() || e.Int64() != PublicExponent {
		return nil, fmt.Errorf("wallet: public exponent %s, an Arweave key has %d", e, PublicExponent)
	}
	if new(big.Int).Mul(p, q).Cmp(n) != 0 {
		return nil, errors.New("wallet: inconsistent key: p*q is not the modulus")
	}
	key := &rsa.PrivateKey{
		PublicKey: rsa.PublicKey{N: n, E: PublicExponent},
		D:         d,
		Primes:    []*big.Int{p, q},
	}
	if err := key.Validate(); err != nil {
		return nil, fmt.Errorf("wallet: inconsistent key: %w", err)
	}
	// The CRT members are optional in a JWK; when present they must agree
	// with d, p and q, or another tool reading the same file would sign
	// with a different (broken) key.
	wantDp, wantDq, wantQi := crt(d, p, q)
	for _, c := range []struct {
		name, text string
		want       *big.Int
	}{{"dp", k.Dp, wantDp}, {"dq", k.Dq, wantDq}, {"qi", k.Qi, wantQi}} {
		if c.text == "" {
			continue
		}
		v, err := decodeInt(c.name, c.text)
		if err != nil {
			return nil, err
		}
		if v.Cmp(c.want) != 0 {
			return nil, fmt.Errorf("wallet: inconsistent key: %s does not match d, p and q", c.name)
		}
	}
	key.Precompute()
	return &Wallet{Key: key}, nil
}

// Load reads and parses an Arweave JWK file.
func Load(path string) (*Wallet, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("wallet: %w", err)
	}
	w, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return w, nil
}

// Generate makes a new RSA-4096 wallet with e = 65537. Since Go 1.26 the
// standard library draws the key from its own secure source and ignores r
// (unless GODEBUG=cryptocustomrand=1); r is kept so callers can say which
// source they meant. Making a 4096-bit key takes seconds: tests should load
// a fixed key instead.
func Generate(r io.Reader) (*Wallet, error) {
	key, err := rsa.GenerateKey(r, ModulusBits)
	if err != nil {
		return nil, fmt.Errorf("wallet: %w", err)
	}
	if key.E != PublicExponent || key.N.BitLen() != ModulusBits {
		return nil, fmt.Errorf("wallet: generated key has e=%d and %d bits", key.E, key.N.BitLen())
	}
	return &Wallet{Key: key}, nil
}

// JWK writes the wallet as an Arweave JWK, with the CRT members, so that
// Parse(w.JWK()) is the same key.
func (w *Wallet) JWK() ([]byte, error) {
	k := w.Key
	if k == nil || len(k.Primes) != 2 {
		return nil, errors.New("wallet: JWK needs a two-prime RSA key")
	}
	p, q := k.Primes[0], k.Primes[1]
	dp, dq, qi := crt(k.D, p, q)
	return json.Marshal(jwk{
		Kty: "RSA",
		N:   encodeInt(k.N),
		E:   encodeInt(big.NewInt(int64(k.E))),
		D:   encodeInt(k.D),
		P:   encodeInt(p),
		Q:   encodeInt(q),
		Dp:  encodeInt(dp),
		Dq:  encodeInt(dq),
		Qi:  encodeInt(qi),
	})
}

// Address is the wallet's Arweave address: base64url(sha256(owner)).
func (w *Wallet) Address() string { return OwnerAddress(w.Owner()) }

// Owner is the public modulus, big-endian in OwnerSize bytes: the owner
// field of the data items the wallet signs.
func (w *Wallet) Owner() []byte {
	return w.Key.N.FillBytes(make([]byte, OwnerSize))
}

// OwnerAddress is the Arweave address of an owner (a modulus as a data item
// carries it): base64url(sha256(owner)), 43 characters.
func OwnerAddress(owner []byte) string {
	sum := sha256.Sum256(owner)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// crt computes the CRT members of a JWK from d, p and q.
func crt(d, p, q *big.Int) (dp, dq, qi *big.Int) {
	one := big.NewInt(1)
	dp = new(big.Int).Mod(d, new(big.Int).Sub(p, one))
	dq = new(big.Int).Mod(d, new(big.Int).Sub(q, one))
	qi = new(big.Int).ModInverse(q, p)
	if qi == nil {
		qi = new(big.Int)
	}
	return dp, dq, qi
}

// decodeInt reads one base64url member of a JWK as a positive integer.
// Padding is tolerated because some tools write it; empty is not.
func decodeInt(name, text string) (*big.Int, error) {
	if text == "" {
		return nil, fmt.Errorf("wallet: JWK member %q is missing (a wallet needs the private key)", name)
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(text, "="))
	if err != nil {
		return nil, fmt.Errorf("wallet: JWK member %q is not base64url: %w", name, err)
	}
	v := new(big.Int).SetBytes(b)
	if v.Sign() == 0 {
		return nil, fmt.Errorf("wallet: JWK member %q is zero", name)
	}
	return v, nil
}

// encodeInt writes a positive integer as a JWK member: base64url of its
// minimal big-endian bytes.
func encodeInt(v *big.Int) string {
	return base64.RawURLEncoding.EncodeToString(v.Bytes())
}
