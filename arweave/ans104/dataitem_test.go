package ans104

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/mostao/conformance/arweave/wallet/wallettest"
)

// The golden items: one signed here, one signed by arbundles 0.11.2 with the
// same test wallet (crosscheck.js sign), both committed.
const (
	goldenGoID        = "smHZM0AftczFzJ4VM7Hx2fQbMHD8A2HgaZ1wSw9BssA"
	goldenArbundlesID = "9ALz08R6AHH9Y3TyVsZqLxkrc02C5XUV64nzH_1AHzk"
)

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGoldenEncoding builds the golden item from its fixed fields and the
// signature it was given once, and checks every byte, with the layout
// restated by hand: type, signature, owner, target, anchor, tag headers,
// the Avro tags, data.
func TestGoldenEncoding(t *testing.T) {
	golden := readFile(t, "testdata/golden-go.item")
	d := fixedItem(t)
	d.Signature = clone(golden[2 : 2+SignatureSize])
	got, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, golden) {
		t.Fatalf("encoding differs from testdata/golden-go.item")
	}
	if err := d.Verify(); err != nil {
		t.Fatalf("golden item does not verify: %v", err)
	}
	if d.ID() != goldenGoID {
		t.Fatalf("id %s, want %s", d.ID(), goldenGoID)
	}

	tagsHex := "08" + // 4 tags, zigzag
		"1a" + hex.EncodeToString([]byte("Data-Protocol")) + "04" + hex.EncodeToString([]byte("ao")) +
		"0e" + hex.EncodeToString([]byte("Variant")) + "0e" + hex.EncodeToString([]byte("ao.TN.1")) +
		"08" + hex.EncodeToString([]byte("Type")) + "0e" + hex.EncodeToString([]byte("Message")) +
		"0c" + hex.EncodeToString([]byte("Action")) + "10" + hex.EncodeToString([]byte("Register")) +
		"00" // end of the array
	tags, _ := hex.DecodeString(tagsHex)
	var want []byte
	want = append(want, 1, 0)
	want = append(want, d.Signature...)
	want = append(want, wallettest.Wallet(t).Owner()...)
	want = append(want, 1)
	want = append(want, fixedTarget...)
	want = append(want, 1)
	want = append(want, fixedAnchor...)
	want = append(want, 4, 0, 0, 0, 0, 0, 0, 0)
	want = append(want, byte(len(tags)), 0, 0, 0, 0, 0, 0, 0)
	want = append(want, tags...)
	want = append(want, fixedData...)
	if !bytes.Equal(got, want) {
		t.Fatalf("encoding differs from the layout restated by hand:\n got %x\nwant %x", got, want)
	}
}

func TestGoldenDecode(t *testing.T) {
	d := decodeVerified(t, "testdata/golden-go.item")
	if !bytes.Equal(d.Target, fixedTarget) || !bytes.Equal(d.Anchor, fixedAnchor) || !bytes.Equal(d.Data, fixedData) ||
		len(d.Tags) != len(fixedTags) || d.OwnerAddress() != wallettest.Address {
		t.Fatalf("decoded %+v", d)
	}
	for i := range fixedTags {
		if d.Tags[i] != fixedTags[i] {
			t.Fatalf("tag %d: %v, want %v", i, d.Tags[i], fixedTags[i])
		}
	}
}

// TestArbundlesSignedItemVerifies reads the item arbundles signed with the
// test wallet: it verifies here, with the id arbundles gave it and the tags
// and data it was given (a tag value with non-ASCII text among them).
func TestArbundlesSignedItemVerifies(t *testing.T) {
	d := decodeVerified(t, "testdata/golden-arbundles.item")
	if d.ID() != goldenArbundlesID {
		t.Fatalf("id %s, want %s", d.ID(), goldenArbundlesID)
	}
	want := append(append([]Tag(nil), fixedTags...), Tag{"Name", "ünïcode ✓"})
	if len(d.Tags) != len(want) {
		t.Fatalf("tags %v", d.Tags)
	}
	for i := range want {
		if d.Tags[i] != want[i] {
			t.Fatalf("tag %d: %v, want %v", i, d.Tags[i], want[i])
		}
	}
	if string(d.Data) != "signed by arbundles" || string(d.Anchor) != "mostao-anchor-000000000000000002" ||
		!bytes.Equal(d.Target, fixedTarget) || d.OwnerAddress() != wallettest.Address {
		t.Fatalf("decoded %+v", d)
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	w := wallettest.Wallet(t)
	for _, d := range []*DataItem{
		fixedItem(t),
		New(nil, nil, nil, nil, nil),
		New(nil, nil, clone(fixedAnchor), []Tag{{"Empty-Value", ""}}, []byte(" ")),
	} {
		if err := d.Sign(w); err != nil {
			t.Fatal(err)
		}
		if err := d.Verify(); err != nil {
			t.Fatalf("a freshly signed item does not verify: %v", err)
		}
		b, err := d.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if err := back.Verify(); err != nil {
			t.Fatal(err)
		}
		if back.ID() != d.ID() || len(d.ID()) != 43 {
			t.Fatalf("id %q after decoding, %q before", back.ID(), d.ID())
		}
	}
}

func TestSignRefusesAnotherOwner(t *testing.T) {
	d := fixedItem(t)
	d.Owner = bytes.Repeat([]byte{7}, OwnerSize)
	if err := d.Sign(wallettest.Wallet(t)); err == nil {
		t.Fatal("signed an item owned by another key")
	}
}

func TestUnsignedItem(t *testing.T) {
	d := fixedItem(t)
	if d.ID() != "" {
		t.Fatal("an unsigned item has an id")
	}
	if _, err := d.Bytes(); err == nil || !strings.Contains(err.Error(), "signed") {
		t.Fatalf("Bytes of an unsigned item: %v", err)
	}
	if err := d.Verify(); !errors.Is(err, ErrMalformed) {
		t.Fatalf("Verify of an unsigned item: %v", err)
	}
}

// TestTamperingFailsVerify changes every byte of a signed item in turn
// (each of its bits, one at a time; one bit per byte in the quick run): the
// result either does not decode or does not verify.
func TestTamperingFailsVerify(t *testing.T) {
	golden := readFile(t, "testdata/golden-go.item")
	for i := range golden {
		for bit := range 8 {
			if testing.Short() && bit != i%8 {
				continue
			}
			b := clone(golden)
			b[i] ^= 1 << bit
			d, err := Decode(b)
			if err != nil {
				continue
			}
			if err := d.Verify(); err == nil {
				t.Fatalf("flipping bit %d of byte %d still verifies", bit, i)
			}
		}
	}
	// Appending data is tampering too.
	d, err := Decode(append(clone(golden), 'x'))
	if err != nil {
		t.Fatal(err)
	}
	if d.Verify() == nil {
		t.Fatal("an item with a byte appended verifies")
	}
}

// TestChangedFieldsFailVerify edits the decoded fields rather than bytes.
func TestChangedFieldsFailVerify(t *testing.T) {
	for name, edit := range map[string]func(d *DataItem){
		"tag value":      func(d *DataItem) { d.Tags[0].Value = "ap" },
		"tag dropped":    func(d *DataItem) { d.Tags = d.Tags[1:] },
		"tags reordered": func(d *DataItem) { d.Tags[0], d.Tags[1] = d.Tags[1], d.Tags[0] },
		"target removed": func(d *DataItem) { d.Target = nil },
		"anchor removed": func(d *DataItem) { d.Anchor = nil },
		"data":           func(d *DataItem) { d.Data = []byte("hello, ANS-105") },
	} {
		d, err := Decode(readFile(t, "testdata/golden-go.item"))
		if err != nil {
			t.Fatal(err)
		}
		edit(d)
		if err := d.Verify(); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: Verify = %v, want a bad signature", name, err)
		}
	}
}

// item assembles item bytes by hand around a tag section, so that tests can
// write sections no encoder here would.
func item(count uint64, tags []byte, data string) []byte {
	b := []byte{1, 0}
	b = append(b, make([]byte, SignatureSize)...)
	b = append(b, bytes.Repeat([]byte{0xc5}, OwnerSize)...)
	b = append(b, 0, 0)
	b = binary.LittleEndian.AppendUint64(b, count)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(tags)))
	b = append(b, tags...)
	return append(b, data...)
}

// avroBytes is one Avro bytes value.
func avroBytes(s string) []byte { return append(appendLong(nil, int64(len(s))), s...) }

func tagSection(blocks ...[]Tag) []byte {
	var b []byte
	for _, blk := range blocks {
		b = appendLong(b, int64(len(blk)))
		for _, t := range blk {
			b = append(b, avroBytes(t.Name)...)
			b = append(b, avroBytes(t.Value)...)
		}
	}
	return appendLong(b, 0)
}

func manyTags(n int) []Tag {
	tags := make([]Tag, n)
	for i := range tags {
		tags[i] = Tag{"T", "v"}
	}
	return tags
}

func TestDecodeTagLimits(t *testing.T) {
	ok := func(name string, b []byte) {
		t.Helper()
		if _, err := Decode(b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	bad := func(name string, b []byte, wantIn string) {
		t.Helper()
		_, err := Decode(b)
		if err == nil {
			t.Errorf("%s: decoded", name)
			return
		}
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), wantIn) {
			t.Errorf("%s: error %q, want ErrMalformed saying %q", name, err, wantIn)
		}
	}
	ok("no tags", item(0, nil, "d"))
	ok("no tags as an empty Avro array", item(0, []byte{0}, "d"))
	ok("128 tags", item(128, tagSection(manyTags(128)), ""))
	bad("129 tags in the header", item(129, tagSection(manyTags(129)), ""), "129 tags")
	bad("129 tags in the section", item(128, tagSection(manyTags(128), manyTags(1)), ""), "more than 128 tags")
	ok("name of 1024 bytes", item(1, tagSection([]Tag{{strings.Repeat("n", 1024), "v"}}), ""))
	bad("name of 1025 bytes", item(1, tagSection([]Tag{{strings.Repeat("n", 1025), "v"}}), ""), "name is 1025 bytes")
	ok("value of 3072 bytes", item(1, tagSection([]Tag{{"n", strings.Repeat("v", 3072)}}), ""))
	bad("value of 3073 bytes", item(1, tagSection([]Tag{{"n", strings.Repeat("v", 3073)}}), ""), "value is 3073 bytes")
	bad("empty name", item(1, tagSection([]Tag{{"", "v"}}), ""), "empty name")
	ok("empty value", item(1, tagSection([]Tag{{"n", ""}}), ""))
	bad("header count too high", item(2, tagSection(manyTags(1)), ""), "header says 2 tags")
	bad("header count too low", item(1, tagSection(manyTags(2)), ""), "header says 1 tags")
	bad("tags but no section", item(1, nil, ""), "header says 1 tags")
	bad("trailing bytes in the section", item(1, append(tagSection(manyTags(1)), 0), ""), "1 bytes after the end")
	bad("no terminating zero", item(1, tagSection(manyTags(1))[:5], ""), "ends inside a number")
	bad("negative string length", item(1, []byte{2, 1, 'x'}, ""), "length -1")
	bad("string past the end", item(1, []byte{2, 20, 'x'}, ""), "length 10")
	bad("varint overflow", item(1, bytes.Repeat([]byte{0xff}, 11), ""), "overflows 64 bits")
	ok("two blocks", item(3, tagSection(manyTags(1), manyTags(2)), ""))

	// A negative block count is followed by the block's size in bytes.
	neg, blk := negativeBlock()
	d, err := Decode(item(2, append(neg, 0), "data"))
	if err != nil {
		t.Fatalf("negative block count: %v", err)
	}
	if len(d.Tags) != 2 || d.Tags[0] != (Tag{"A", "1"}) || d.Tags[1] != (Tag{"B", "2"}) || string(d.Data) != "data" {
		t.Fatalf("negative block count decoded to %+v", d)
	}
	wrong := append(appendLong(appendLong(nil, -2), int64(len(blk)+1)), blk...)
	bad("negative block count, wrong size", item(2, append(wrong, 0), ""), "block says")
	negSize := append(appendLong(appendLong(nil, -2), -5), blk...)
	bad("negative block size", item(2, append(negSize, 0), ""), "is negative")
}

func TestDecodeRejectsMalformedLayout(t *testing.T) {
	golden := readFile(t, "testdata/golden-go.item")
	targetAt := 2 + SignatureSize + OwnerSize
	for _, c := range []struct {
		name   string
		b      []byte
		wantIn string
	}{
		{"empty", nil, "too short"},
		{"one byte", []byte{1}, "too short"},
		{"signature type 2", append([]byte{2, 0}, golden[2:]...), "unsupported signature type 2"},
		{"signature type 0", append([]byte{0, 0}, golden[2:]...), "unsupported signature type 0"},
		{"signature type 256", append([]byte{0, 1}, golden[2:]...), "unsupported signature type 256"},
		{"short", golden[:minSize-1], "at least"},
		{"target presence 2", func() []byte { b := clone(golden); b[targetAt] = 2; return b }(), "target presence byte is 2"},
		{"anchor presence 255", func() []byte { b := clone(golden); b[targetAt+33] = 255; return b }(), "anchor presence byte is 255"},
		{"ends inside the target", golden[:targetAt+20], "inside the target"},
		{"ends before the tag headers", golden[:targetAt+66+8], "before the tag headers"},
		{"tag section longer than the item", func() []byte {
			b := clone(golden)
			binary.LittleEndian.PutUint64(b[targetAt+66+8:], 1<<40)
			return b
		}(), "only"},
		{"tag count huge", func() []byte {
			b := clone(golden)
			binary.LittleEndian.PutUint64(b[targetAt+66:], 1<<63)
			return b
		}(), "tags, at most 128"},
	} {
		_, err := Decode(c.b)
		if err == nil || !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), c.wantIn) {
			t.Errorf("%s: error %v, want ErrMalformed saying %q", c.name, err, c.wantIn)
		}
	}
}

func TestEncodeEnforcesLimits(t *testing.T) {
	w := wallettest.Wallet(t)
	for name, d := range map[string]*DataItem{
		"129 tags":       New(nil, nil, nil, manyTags(129), nil),
		"long name":      New(nil, nil, nil, []Tag{{strings.Repeat("n", 1025), ""}}, nil),
		"long value":     New(nil, nil, nil, []Tag{{"n", strings.Repeat("v", 3073)}}, nil),
		"empty name":     New(nil, nil, nil, []Tag{{"", "v"}}, nil),
		"short target":   New(nil, []byte{1, 2, 3}, nil, nil, nil),
		"long anchor":    New(nil, nil, make([]byte, 33), nil, nil),
		"signature type": {SignatureType: 3},
	} {
		if err := d.Sign(w); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Sign = %v, want ErrMalformed", name, err)
		}
		d.Owner = w.Owner()
		d.Signature = make([]byte, SignatureSize)
		if _, err := d.Bytes(); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Bytes = %v, want ErrMalformed", name, err)
		}
		if err := d.Verify(); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Verify = %v, want ErrMalformed", name, err)
		}
	}
}

// TestVerifyTagBytesLimit: tags within ANS-104's limits may still make a
// section larger than arbundles verifies; Verify refuses it.
func TestVerifyTagBytesLimit(t *testing.T) {
	d := New(nil, nil, nil, []Tag{{"A", strings.Repeat("v", 3000)}, {"B", strings.Repeat("v", 1100)}}, nil)
	if err := d.Sign(wallettest.Wallet(t)); err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(); err == nil || !strings.Contains(err.Error(), "arbundles accepts at most 4096") {
		t.Fatalf("Verify = %v", err)
	}
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(b); err != nil {
		t.Fatalf("Decode refuses what ANS-104 allows: %v", err)
	}
}

// TestNonCanonicalTagsKeepTheirBytes: a signature covers the tag bytes as
// they were written, so an item whose tags use another valid Avro encoding
// (a negative block count, several blocks) still verifies and re-encodes to
// the same bytes.
func TestNonCanonicalTagsKeepTheirBytes(t *testing.T) {
	d, section := signedNonCanonical(t, "data")
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, section) {
		t.Fatal("re-encoding lost the tag bytes the signature covers")
	}
	back, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := back.Verify(); err != nil {
		t.Fatalf("an item with non-canonical tags does not verify: %v", err)
	}
	// Changing the tags drops the old bytes for the canonical encoding,
	// which the old signature does not cover.
	back.Tags[2].Value = "w"
	if err := back.Verify(); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("edited tags: Verify = %v", err)
	}
	b2, _ := back.Bytes()
	if bytes.Contains(b2, section) {
		t.Fatal("edited tags kept the old bytes")
	}
}

// sameItem compares the exported fields of two items, nil and empty alike.
func sameItem(a, b *DataItem) bool {
	if a.SignatureType != b.SignatureType || len(a.Tags) != len(b.Tags) {
		return false
	}
	for i := range a.Tags {
		if a.Tags[i] != b.Tags[i] {
			return false
		}
	}
	return bytes.Equal(a.Signature, b.Signature) && bytes.Equal(a.Owner, b.Owner) &&
		bytes.Equal(a.Target, b.Target) && bytes.Equal(a.Anchor, b.Anchor) && bytes.Equal(a.Data, b.Data)
}

// TestSaltLengths: Sign uses the largest salt, as Node's signing does
// (checked by verifying with exactly that length), and Verify accepts the
// other lengths signers use (browsers' WebCrypto signs with 32 bytes).
func TestSaltLengths(t *testing.T) {
	w := wallettest.Wallet(t)
	d := fixedItem(t)
	if err := d.Sign(w); err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(d.signatureData())
	maxSalt := SignatureSize - 2 - sha256.Size
	if err := rsa.VerifyPSS(&w.Key.PublicKey, crypto.SHA256, digest[:], d.Signature, &rsa.PSSOptions{SaltLength: maxSalt}); err != nil {
		t.Fatalf("Sign did not use a %d-byte salt: %v", maxSalt, err)
	}
	for _, salt := range []int{0, 32, maxSalt} {
		sig, err := rsa.SignPSS(rand.Reader, w.Key, crypto.SHA256, digest[:], &rsa.PSSOptions{SaltLength: salt})
		if err != nil {
			t.Fatal(err)
		}
		d.Signature = sig
		if err := d.Verify(); err != nil {
			t.Errorf("a %d-byte salt does not verify: %v", salt, err)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	w := wallettest.Wallet(b)
	d := fixedItem(b)
	for b.Loop() {
		if err := d.Sign(w); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	d, err := Decode(readFile(b, "testdata/golden-go.item"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := d.Verify(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	golden := readFile(b, "testdata/golden-go.item")
	for b.Loop() {
		if _, err := Decode(golden); err != nil {
			b.Fatal(err)
		}
	}
}
