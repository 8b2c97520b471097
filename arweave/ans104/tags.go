package ans104

import (
	"fmt"
	"math"
)

// Limits on tags, from ANS-104: an item outside them is malformed.
const (
	MaxTags         = 128
	MaxTagNameSize  = 1024
	MaxTagValueSize = 3072
)

// MaxTagBytes is the largest encoded tag section arbundles (the ecosystem's
// JavaScript implementation, which bundlers and AO units run) accepts when it
// verifies an item. ANS-104 itself sets no such bound, so Decode accepts a
// larger section and Verify refuses it: an item this package calls valid is
// valid there too.
const MaxTagBytes = 4096

// Tag is one name/value pair of a data item. Both are byte strings on the
// wire; Go strings hold them unchanged.
type Tag struct{ Name, Value string }

// checkTags enforces the ANS-104 limits on a tag list.
func checkTags(tags []Tag) error {
	if len(tags) > MaxTags {
		return fmt.Errorf("%w: %d tags, at most %d", ErrMalformed, len(tags), MaxTags)
	}
	for i, t := range tags {
		if err := checkTag(i, t); err != nil {
			return err
		}
	}
	return nil
}

func checkTag(i int, t Tag) error {
	switch {
	case t.Name == "":
		return fmt.Errorf("%w: tag %d has an empty name", ErrMalformed, i)
	case len(t.Name) > MaxTagNameSize:
		return fmt.Errorf("%w: tag %d name is %d bytes, at most %d", ErrMalformed, i, len(t.Name), MaxTagNameSize)
	case len(t.Value) > MaxTagValueSize:
		return fmt.Errorf("%w: tag %d value is %d bytes, at most %d", ErrMalformed, i, len(t.Value), MaxTagValueSize)
	}
	return nil
}

// encodeTags writes tags as arbundles does: the Avro encoding of an array
// of {name: bytes, value: bytes} records, all in one block, or no bytes at
// all for no tags.
func encodeTags(tags []Tag) []byte {
	if len(tags) == 0 {
		return nil
	}
	b := appendLong(nil, int64(len(tags)))
	for _, t := range tags {
		b = appendLong(b, int64(len(t.Name)))
		b = append(b, t.Name...)
		b = appendLong(b, int64(len(t.Value)))
		b = append(b, t.Value...)
	}
	return appendLong(b, 0)
}

// appendLong appends an Avro long: zigzag, then a little-endian base-128
// varint.
func appendLong(b []byte, v int64) []byte {
	u := uint64(v<<1) ^ uint64(v>>63)
	for u >= 0x80 {
		b = append(b, byte(u)|0x80)
		u >>= 7
	}
	return append(b, byte(u))
}

// tagReader decodes an Avro tag array, refusing anything that does not end
// exactly where the section ends.
type tagReader struct {
	b   []byte
	pos int
}

func (r *tagReader) long() (int64, error) {
	var u uint64
	for shift := uint(0); ; shift += 7 {
		if r.pos >= len(r.b) {
			return 0, fmt.Errorf("%w: tag section ends inside a number", ErrMalformed)
		}
		c := r.b[r.pos]
		r.pos++
		// Ten bytes carry 64 bits; the tenth may only hold the top bit.
		if shift == 63 && c > 1 {
			return 0, fmt.Errorf("%w: a number in the tag section overflows 64 bits", ErrMalformed)
		}
		u |= uint64(c&0x7f) << shift
		if c < 0x80 {
			break
		}
	}
	return int64(u>>1) ^ -int64(u&1), nil
}

func (r *tagReader) bytes(what string) (string, error) {
	n, err := r.long()
	if err != nil {
		return "", err
	}
	if n < 0 || n > int64(len(r.b)-r.pos) {
		return "", fmt.Errorf("%w: tag %s length %d, %d bytes left", ErrMalformed, what, n, len(r.b)-r.pos)
	}
	s := string(r.b[r.pos : r.pos+int(n)])
	r.pos += int(n)
	return s, nil
}

// decodeTags reads an Avro tag array, or an empty section as no tags. A block may have a negative count,
// followed by the block's size in bytes (Avro lets writers do that so
// readers can skip); the size must then be the block's true size.
func decodeTags(b []byte) ([]Tag, error) {
	if len(b) == 0 {
		// No section at all: how arbundles writes an item without tags.
		return nil, nil
	}
	r := &tagReader{b: b}
	var tags []Tag
	for {
		count, err := r.long()
		if err != nil {
			return nil, err
		}
		if count == 0 {
			break
		}
		size := int64(-1)
		if count < 0 {
			if count == math.MinInt64 {
				return nil, fmt.Errorf("%w: tag block count overflows", ErrMalformed)
			}
			count = -count
			if size, err = r.long(); err != nil {
				return nil, err
			}
			if size < 0 {
				return nil, fmt.Errorf("%w: tag block size %d is negative", ErrMalformed, size)
			}
		}
		if count > int64(MaxTags-len(tags)) {
			return nil, fmt.Errorf("%w: more than %d tags", ErrMalformed, MaxTags)
		}
		start := r.pos
		for range count {
			var t Tag
			if t.Name, err = r.bytes("name"); err != nil {
				return nil, err
			}
			if t.Value, err = r.bytes("value"); err != nil {
				return nil, err
			}
			if err := checkTag(len(tags), t); err != nil {
				return nil, err
			}
			tags = append(tags, t)
		}
		if size >= 0 && int64(r.pos-start) != size {
			return nil, fmt.Errorf("%w: tag block says %d bytes, holds %d", ErrMalformed, size, r.pos-start)
		}
	}
	if r.pos != len(b) {
		return nil, fmt.Errorf("%w: %d bytes after the end of the tag array", ErrMalformed, len(b)-r.pos)
	}
	return tags, nil
}
