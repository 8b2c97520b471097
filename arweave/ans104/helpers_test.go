package ans104

import (
	"testing"

	"github.com/mostao/conformance/arweave/wallet/wallettest"
)

// fixedTarget and fixedAnchor are the golden item's target and anchor. The
// anchor is 32 characters of text because arbundles takes anchors as text.
var (
	fixedTarget = []byte{
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
		16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
	}
	fixedAnchor = []byte("mostao-anchor-000000000000000001")
	fixedTags   = []Tag{
		{"Data-Protocol", "ao"},
		{"Variant", "ao.TN.1"},
		{"Type", "Message"},
		{"Action", "Register"},
	}
	fixedData = []byte("hello, ANS-104")
)

// fixedItem is the golden item's fields, unsigned, owned by the test wallet.
func fixedItem(t testing.TB) *DataItem {
	t.Helper()
	w := wallettest.Wallet(t)
	return New(w.Owner(), clone(fixedTarget), clone(fixedAnchor), append([]Tag(nil), fixedTags...), clone(fixedData))
}
