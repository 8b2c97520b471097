// Package ans104 encodes, signs, verifies and decodes ANS-104 data items,
// the signed messages of Arweave bundles and of AO, for Arweave signatures
// (type 1: RSA-PSS with SHA-256, 4096-bit keys) only.
package ans104

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"

	"github.com/mostao/conformance/arweave/wallet"
)

// SignatureArweave is the signature type of an Arweave wallet, the only one
// this package handles.
const SignatureArweave = 1

// Sizes of the fixed fields of an Arweave-signed item.
const (
	SignatureSize = 512
	OwnerSize     = wallet.OwnerSize
	// TargetSize is the size of a target or anchor when present.
	TargetSize = 32
)

// minSize is the smallest item: type, signature, owner, two absent
// presence bytes and the two tag headers.
const minSize = 2 + SignatureSize + OwnerSize + 1 + 1 + 8 + 8

var (
	// ErrMalformed wraps every reason an item's bytes or fields are not a
	// well-formed ANS-104 item.
	ErrMalformed = errors.New("malformed data item")
	// ErrBadSignature: the item is well formed but its signature does not
	// verify against its owner.
	ErrBadSignature = errors.New("data item signature does not verify")
)

// DataItem is an ANS-104 data item. Target and Anchor are nil when absent,
// else 32 bytes.
type DataItem struct {
	SignatureType uint16
	Signature     []byte
	Owner         []byte
	Target        []byte
	Anchor        []byte
	Tags          []Tag
	Data          []byte

	// rawTags are the tag bytes exactly as Decode read them, with the tags
	// they decoded to: the signature covers these bytes, and an Avro array
	// has more than one encoding, so an item is re-encoded with them while
	// its Tags are unchanged.
	rawTags     []byte
	rawTagsFrom []Tag
}

// New makes an unsigned Arweave-type item. Owner may be nil: Sign fills it
// with the signer's.
func New(owner, target, anchor []byte, tags []Tag, data []byte) *DataItem {
	return &DataItem{
		SignatureType: SignatureArweave,
		Owner:         owner,
		Target:        target,
		Anchor:        anchor,
		Tags:          tags,
		Data:          data,
	}
}

// tagBytes is the encoded tag section: the bytes the item was decoded from
// while its tags are unchanged, else the canonical encoding.
func (d *DataItem) tagBytes() []byte {
	if d.rawTagsFrom != nil && slices.Equal(d.rawTagsFrom, d.Tags) {
		return d.rawTags
	}
	return encodeTags(d.Tags)
}

// checkFields enforces everything but the signature itself: the signature
// type, the field sizes and the tag limits.
func (d *DataItem) checkFields() error {
	if d.SignatureType != SignatureArweave {
		return fmt.Errorf("%w: unsupported signature type %d", ErrMalformed, d.SignatureType)
	}
	if len(d.Owner) != OwnerSize {
		return fmt.Errorf("%w: owner is %d bytes, want %d", ErrMalformed, len(d.Owner), OwnerSize)
	}
	for _, f := range []struct {
		name string
		v    []byte
	}{{"target", d.Target}, {"anchor", d.Anchor}} {
		if len(f.v) != 0 && len(f.v) != TargetSize {
			return fmt.Errorf("%w: %s is %d bytes, want none or %d", ErrMalformed, f.name, len(f.v), TargetSize)
		}
	}
	return checkTags(d.Tags)
}

// signatureData is the 48-byte deep hash the signature covers.
func (d *DataItem) signatureData() []byte {
	return DeepHash(
		Blob("dataitem"),
		Blob("1"),
		Blob(strconv.Itoa(int(d.SignatureType))),
		Blob(d.Owner),
		Blob(d.Target),
		Blob(d.Anchor),
		Blob(d.tagBytes()),
		Blob(d.Data),
	)
}

// Sign signs the item with w, as arbundles does: RSA-PSS with SHA-256 over
// the deep hash, with the largest salt the key allows (Node's default for
// PSS signing). It sets the owner when the item has none and refuses an
// item whose owner is another key.
func (d *DataItem) Sign(w *wallet.Wallet) error {
	owner := w.Owner()
	if len(d.Owner) == 0 {
		d.Owner = owner
	} else if !bytes.Equal(d.Owner, owner) {
		return errors.New("ans104: the item's owner is not the signing wallet")
	}
	if d.SignatureType == 0 {
		d.SignatureType = SignatureArweave
	}
	if err := d.checkFields(); err != nil {
		return err
	}
	digest := sha256.Sum256(d.signatureData())
	sig, err := rsa.SignPSS(rand.Reader, w.Key, crypto.SHA256, digest[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
	if err != nil {
		return fmt.Errorf("ans104: signing: %w", err)
	}
	d.Signature = sig
	return nil
}

// Verify checks the item's fields and limits and its signature against its
// owner (with e = 65537, as a data item carries the modulus only). Any salt
// length verifies: Node signs with the largest, browsers with 32 bytes.
func (d *DataItem) Verify() error {
	if err := d.checkFields(); err != nil {
		return err
	}
	if len(d.Signature) != SignatureSize {
		return fmt.Errorf("%w: signature is %d bytes, want %d", ErrMalformed, len(d.Signature), SignatureSize)
	}
	if n := len(d.tagBytes()); n > MaxTagBytes {
		return fmt.Errorf("%w: tag section is %d bytes, arbundles accepts at most %d", ErrMalformed, n, MaxTagBytes)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(d.Owner), E: wallet.PublicExponent}
	if pub.N.BitLen() != wallet.ModulusBits {
		return fmt.Errorf("%w: owner is a %d-bit modulus, want %d", ErrBadSignature, pub.N.BitLen(), wallet.ModulusBits)
	}
	digest := sha256.Sum256(d.signatureData())
	if err := rsa.VerifyPSS(pub, crypto.SHA256, digest[:], d.Signature, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}); err != nil {
		return ErrBadSignature
	}
	return nil
}

// ID is the item's id: base64url(sha256(signature)), 43 characters; empty
// while the item is unsigned.
func (d *DataItem) ID() string {
	if len(d.Signature) == 0 {
		return ""
	}
	sum := sha256.Sum256(d.Signature)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// OwnerAddress is the Arweave address of the item's owner.
func (d *DataItem) OwnerAddress() string { return wallet.OwnerAddress(d.Owner) }

// Bytes encodes a signed item: type (u16 LE) | signature | owner | target
// (presence byte, 32 bytes) | anchor (the same) | tag count (u64 LE) | tag
// section size (u64 LE) | tags (Avro) | data.
func (d *DataItem) Bytes() ([]byte, error) {
	if err := d.checkFields(); err != nil {
		return nil, err
	}
	if len(d.Signature) != SignatureSize {
		return nil, fmt.Errorf("%w: signature is %d bytes, want %d (is the item signed?)", ErrMalformed, len(d.Signature), SignatureSize)
	}
	tags := d.tagBytes()
	b := make([]byte, 0, minSize+2*TargetSize+len(tags)+len(d.Data))
	b = binary.LittleEndian.AppendUint16(b, d.SignatureType)
	b = append(b, d.Signature...)
	b = append(b, d.Owner...)
	b = appendOptional(b, d.Target)
	b = appendOptional(b, d.Anchor)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(d.Tags)))
	b = binary.LittleEndian.AppendUint64(b, uint64(len(tags)))
	b = append(b, tags...)
	return append(b, d.Data...), nil
}

func appendOptional(b, v []byte) []byte {
	if len(v) == 0 {
		return append(b, 0)
	}
	return append(append(b, 1), v...)
}

// Decode reads an item strictly: a signature type other than Arweave's,
// short fields, presence bytes other than 0 and 1, a tag section that is
// not exactly one Avro tag array, a tag count that disagrees with it, or
// tags outside the limits are all errors (wrapping ErrMalformed). Decode
// does not verify the signature: call Verify.
func Decode(b []byte) (*DataItem, error) {
	if len(b) < 2 {
		return nil, fmt.Errorf("%w: %d bytes, too short for a signature type", ErrMalformed, len(b))
	}
	d := &DataItem{SignatureType: binary.LittleEndian.Uint16(b)}
	if d.SignatureType != SignatureArweave {
		return nil, fmt.Errorf("%w: unsupported signature type %d", ErrMalformed, d.SignatureType)
	}
	if len(b) < minSize {
		return nil, fmt.Errorf("%w: %d bytes, an item has at least %d", ErrMalformed, len(b), minSize)
	}
	r := b[2:]
	d.Signature, r = clone(r[:SignatureSize]), r[SignatureSize:]
	d.Owner, r = clone(r[:OwnerSize]), r[OwnerSize:]
	var err error
	if d.Target, r, err = readOptional("target", r); err != nil {
		return nil, err
	}
	if d.Anchor, r, err = readOptional("anchor", r); err != nil {
		return nil, err
	}
	if len(r) < 16 {
		return nil, fmt.Errorf("%w: ends before the tag headers", ErrMalformed)
	}
	count := binary.LittleEndian.Uint64(r)
	size := binary.LittleEndian.Uint64(r[8:])
	r = r[16:]
	if count > MaxTags {
		return nil, fmt.Errorf("%w: %d tags, at most %d", ErrMalformed, count, MaxTags)
	}
	if size > uint64(len(r)) {
		return nil, fmt.Errorf("%w: tag section of %d bytes, only %d left", ErrMalformed, size, len(r))
	}
	raw := r[:size]
	if d.Tags, err = decodeTags(raw); err != nil {
		return nil, err
	}
	if uint64(len(d.Tags)) != count {
		return nil, fmt.Errorf("%w: header says %d tags, the tag section holds %d", ErrMalformed, count, len(d.Tags))
	}
	if size > 0 {
		d.rawTags = clone(raw)
		d.rawTagsFrom = slices.Clone(d.Tags)
		if d.rawTagsFrom == nil {
			d.rawTagsFrom = []Tag{}
		}
	}
	d.Data = clone(r[size:])
	return d, nil
}

// readOptional reads a presence byte and, when it is 1, 32 bytes.
func readOptional(name string, r []byte) (v, rest []byte, err error) {
	if len(r) < 1 {
		return nil, nil, fmt.Errorf("%w: ends before the %s", ErrMalformed, name)
	}
	switch r[0] {
	case 0:
		return nil, r[1:], nil
	case 1:
		if len(r) < 1+TargetSize {
			return nil, nil, fmt.Errorf("%w: ends inside the %s", ErrMalformed, name)
		}
		return clone(r[1 : 1+TargetSize]), r[1+TargetSize:], nil
	default:
		return nil, nil, fmt.Errorf("%w: %s presence byte is %d, want 0 or 1", ErrMalformed, name, r[0])
	}
}

func clone(b []byte) []byte { return append([]byte{}, b...) }
