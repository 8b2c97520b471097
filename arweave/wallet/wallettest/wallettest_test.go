package wallettest

import "testing"

func TestFixedWalletParsesToItsAddress(t *testing.T) {
	if got := Wallet(t).Address(); got != Address {
		t.Fatalf("address %s, want %s", got, Address)
	}
}
