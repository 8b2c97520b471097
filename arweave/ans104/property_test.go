package ans104

import (
	"bytes"
	"testing"

	"pgregory.net/rapid"
)

// genTag draws a tag within the limits, often short, sometimes at a limit.
func genTag() *rapid.Generator[Tag] {
	return rapid.Custom(func(t *rapid.T) Tag {
		name := rapid.SliceOfN(rapid.Byte(), 1, -1).Draw(t, "name")
		if len(name) > MaxTagNameSize {
			name = name[:MaxTagNameSize]
		}
		value := rapid.SliceOf(rapid.Byte()).Draw(t, "value")
		if rapid.IntRange(0, 20).Draw(t, "big") == 0 {
			value = bytes.Repeat([]byte{'v'}, MaxTagValueSize)
		}
		return Tag{string(name), string(value)}
	})
}

// genItem draws any well-formed item; the signature is random bytes, as
// encoding and decoding do not check it.
func genItem() *rapid.Generator[*DataItem] {
	return rapid.Custom(func(t *rapid.T) *DataItem {
		optional := func(label string) []byte {
			if rapid.Bool().Draw(t, label+" present") {
				return rapid.SliceOfN(rapid.Byte(), TargetSize, TargetSize).Draw(t, label)
			}
			return nil
		}
		d := &DataItem{
			SignatureType: SignatureArweave,
			Signature:     rapid.SliceOfN(rapid.Byte(), SignatureSize, SignatureSize).Draw(t, "signature"),
			Owner:         rapid.SliceOfN(rapid.Byte(), OwnerSize, OwnerSize).Draw(t, "owner"),
			Target:        optional("target"),
			Anchor:        optional("anchor"),
			Data:          rapid.SliceOf(rapid.Byte()).Draw(t, "data"),
		}
		if n := rapid.IntRange(0, MaxTags).Draw(t, "tags"); n > 0 {
			d.Tags = rapid.SliceOfN(genTag(), n, n).Draw(t, "tag list")
		}
		return d
	})
}

// TestEncodeDecodeRoundTrip: decode(encode(x)) is x, and encoding it again
// gives the same bytes.
func TestEncodeDecodeRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := genItem().Draw(t, "item")
		b, err := d.Bytes()
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		back, err := Decode(b)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if !sameItem(d, back) {
			t.Fatalf("decoded %+v\nfrom %+v", back, d)
		}
		again, err := back.Bytes()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("re-encoding differs (%v)", err)
		}
		if back.ID() != d.ID() {
			t.Fatal("id changed")
		}
	})
}

// TestDecodeNeverPanics feeds Decode random bytes, truncated and mutated
// items: each gives an item or an error, never a panic, and a decoded item
// encodes back to the bytes it came from (so Decode accepted nothing it
// cannot account for). Verify, too, must answer without panicking.
func TestDecodeNeverPanics(t *testing.T) {
	golden := readFile(t, "testdata/golden-go.item")
	rapid.Check(t, func(t *rapid.T) {
		var b []byte
		switch rapid.IntRange(0, 3).Draw(t, "kind") {
		case 0: // random bytes, often shaped like an item
			b = rapid.SliceOf(rapid.Byte()).Draw(t, "bytes")
			if rapid.Bool().Draw(t, "item-like") {
				head := append([]byte{1, 0}, make([]byte, SignatureSize+OwnerSize)...)
				b = append(head, b...)
			}
		case 1: // a truncated item
			b = golden[:rapid.IntRange(0, len(golden)).Draw(t, "length")]
		case 2: // a valid encoding with a few bytes overwritten
			d := genItem().Draw(t, "item")
			enc, err := d.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			b = enc
			for range rapid.IntRange(1, 4).Draw(t, "edits") {
				b[rapid.IntRange(0, len(b)-1).Draw(t, "at")] = rapid.Byte().Draw(t, "to")
			}
		case 3: // a random tag section behind valid headers
			section := rapid.SliceOf(rapid.Byte()).Draw(t, "section")
			b = item(rapid.Uint64Range(0, 200).Draw(t, "count"), section, "data")
		}
		d, err := Decode(b)
		if err != nil {
			return
		}
		_ = d.Verify()
		again, err := d.Bytes()
		if err != nil {
			t.Fatalf("decoded but does not encode: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("decoded item encodes to other bytes")
		}
	})
}

// FuzzDecode is the same check for go test -fuzz; its seeds run with every
// go test.
func FuzzDecode(f *testing.F) {
	f.Add(readFile(f, "testdata/golden-go.item"))
	f.Add(readFile(f, "testdata/golden-arbundles.item"))
	f.Add(item(1, []byte{1, 2, 'A', 2, '1', 0}, ""))
	f.Add([]byte{1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Decode(b)
		if err != nil {
			return
		}
		_ = d.Verify()
		again, err := d.Bytes()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("decoded item does not encode back (%v)", err)
		}
	})
}

// TestDecodeEveryTruncationAndByte is the deterministic part of the same
// check: both golden items cut at every length, and every byte of them set
// to each of a few telling values. (Verify on changed items is
// TestTamperingFailsVerify's.)
func TestDecodeEveryTruncationAndByte(t *testing.T) {
	for _, path := range []string{"testdata/golden-go.item", "testdata/golden-arbundles.item"} {
		golden := readFile(t, path)
		check := func(b []byte) {
			d, err := Decode(b)
			if err != nil {
				return
			}
			again, err := d.Bytes()
			if err != nil || !bytes.Equal(again, b) {
				t.Fatalf("%s: a decoded variant does not encode back (%v)", path, err)
			}
		}
		for n := range len(golden) {
			if _, err := Decode(golden[:n]); err == nil && n < len(golden)-len(fixedData)-8 {
				t.Fatalf("%s: cut to %d bytes, inside the header, and decoded", path, n)
			}
			check(golden[:n])
		}
		for i := range golden {
			for _, v := range []byte{0, 1, 2, 0x7f, 0x80, 0xff} {
				b := clone(golden)
				b[i] = v
				check(b)
			}
		}
	}
}

// genSection draws one of the many valid Avro encodings of tags: split into
// blocks, some with a negative count and their size, numbers sometimes in a
// longer varint form than needed.
func genSection(t *rapid.T, tags []Tag) []byte {
	long := func(b []byte, v int64) []byte {
		b = appendLong(b, v)
		if rapid.IntRange(0, 5).Draw(t, "padded") == 0 {
			// The same number with a redundant zero group: 0x80|x, 0x00.
			b[len(b)-1] |= 0x80
			b = append(b, 0)
		}
		return b
	}
	var b []byte
	for rest := tags; len(rest) > 0; {
		n := rapid.IntRange(1, len(rest)).Draw(t, "block")
		var blk []byte
		for _, tg := range rest[:n] {
			blk = append(long(blk, int64(len(tg.Name))), tg.Name...)
			blk = append(long(blk, int64(len(tg.Value))), tg.Value...)
		}
		if rapid.Bool().Draw(t, "negative") {
			b = long(long(b, -int64(n)), int64(len(blk)))
		} else {
			b = long(b, int64(n))
		}
		b = append(b, blk...)
		rest = rest[n:]
	}
	return long(b, 0)
}

// TestAnyAvroEncodingOfTags: whichever valid encoding an item's tags use,
// Decode reads the same tags and Bytes gives back the very same bytes, which
// is what its signature covers.
func TestAnyAvroEncodingOfTags(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tags := rapid.SliceOfN(genTag(), 0, 12).Draw(t, "tags")
		section := genSection(t, tags)
		b := item(uint64(len(tags)), section, "data")
		d, err := Decode(b)
		if err != nil {
			t.Fatalf("decode %x: %v", section, err)
		}
		if !sameItem(d, &DataItem{SignatureType: 1, Signature: b[2 : 2+SignatureSize], Owner: b[2+SignatureSize : 2+SignatureSize+OwnerSize], Tags: tags, Data: []byte("data")}) {
			t.Fatalf("decoded tags %v, want %v", d.Tags, tags)
		}
		again, err := d.Bytes()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("re-encoding differs (%v)", err)
		}
	})
}
