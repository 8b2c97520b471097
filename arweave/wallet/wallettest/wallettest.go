// Package wallettest holds one fixed Arweave wallet for tests. It is a test
// key, committed in the clear: making a 4096-bit key takes seconds, and
// golden data needs the same signer every run.
package wallettest

import (
	_ "embed"
	"testing"

	"github.com/mostao/conformance/arweave/wallet"
)

// JWK is the fixed test wallet, as an Arweave JWK file. Its path in the
// repository is arweave/wallet/wallettest/testdata/wallet.json, for tools
// outside Go that need the same key.
//
//go:embed testdata/wallet.json
var JWK []byte

// Address is the fixed wallet's Arweave address.
const Address = "NhETahtE58pw7A3gEwolDhkcHcETB0DTAuzFOh__CxA"

// Wallet parses the fixed test wallet, failing the test if it does not.
func Wallet(tb testing.TB) *wallet.Wallet {
	tb.Helper()
	w, err := wallet.Parse(JWK)
	if err != nil {
		tb.Fatalf("wallettest: the embedded test wallet does not parse: %v", err)
	}
	return w
}
