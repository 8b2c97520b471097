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

// decodeVerified decodes a committed item and checks its signature.
func decodeVerified(t *testing.T, path string) *DataItem {
	t.Helper()
	d, err := Decode(readFile(t, path))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(); err != nil {
		t.Fatal(err)
	}
	return d
}

// negativeBlock is an Avro block of tags A=1 and B=2 written with a
// negative count and its size in bytes, without the closing 0.
func negativeBlock() (block, body []byte) {
	body = append(append(avroBytes("A"), avroBytes("1")...), append(avroBytes("B"), avroBytes("2")...)...)
	return append(appendLong(appendLong(nil, -2), int64(len(body))), body...), body
}

// signedNonCanonical is an item, signed by the test wallet, whose three tags
// are in two blocks, the first with a negative count; it returns the tag
// section too.
func signedNonCanonical(t *testing.T, data string) (*DataItem, []byte) {
	t.Helper()
	w := wallettest.Wallet(t)
	neg, _ := negativeBlock()
	section := append(neg, tagSection([]Tag{{"C", "3"}})...)
	raw := item(3, section, data)
	copy(raw[2+SignatureSize:], w.Owner())
	d, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Sign(w); err != nil {
		t.Fatal(err)
	}
	return d, section
}
