package ans104

import (
	"crypto/sha512"
	"strconv"
)

// Chunk is a value the Arweave deep hash takes: a Blob of bytes or a List
// of chunks.
type Chunk interface {
	// DeepHash is the chunk's 48-byte SHA-384 deep hash.
	DeepHash() []byte
}

// Blob is a byte string in a deep hash.
type Blob []byte

// List is a list of chunks in a deep hash.
type List []Chunk

// DeepHash of a blob: SHA-384(SHA-384("blob" + decimal length) ||
// SHA-384(bytes)).
func (b Blob) DeepHash() []byte {
	tag := sha512.Sum384(append([]byte("blob"), strconv.Itoa(len(b))...))
	body := sha512.Sum384(b)
	sum := sha512.Sum384(append(tag[:], body[:]...))
	return sum[:]
}

// DeepHash of a list: the accumulator starts as SHA-384("list" + decimal
// count) and takes SHA-384(acc || deep hash of the item) for each item in
// order.
func (l List) DeepHash() []byte {
	acc := sha512.Sum384(append([]byte("list"), strconv.Itoa(len(l))...))
	for _, c := range l {
		acc = sha512.Sum384(append(acc[:], c.DeepHash()...))
	}
	return acc[:]
}

// DeepHash is the deep hash of the list of the given chunks: what a data
// item's signature covers is DeepHash of its eight fields.
func DeepHash(chunks ...Chunk) []byte { return List(chunks).DeepHash() }
