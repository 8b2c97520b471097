package devnet

import (
	"encoding/base64"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/arweave/ans104"
)

// DecodeANS104 decodes a signed ANS-104 data item and verifies its
// signature: the devnet's default Decoder.
func DecodeANS104(raw []byte) (Item, error) {
	d, err := ans104.Decode(raw)
	if err != nil {
		return Item{}, err
	}
	if err := d.Verify(); err != nil {
		return Item{}, err
	}
	tags := make(adapters.Tags, len(d.Tags))
	for i, t := range d.Tags {
		tags[i] = adapters.Tag{Name: t.Name, Value: t.Value}
	}
	it := Item{
		ID: d.ID(), Owner: d.OwnerAddress(), OwnerKey: base64.RawURLEncoding.EncodeToString(d.Owner),
		Anchor: string(d.Anchor), Signature: base64.RawURLEncoding.EncodeToString(d.Signature), Tags: tags, Data: d.Data,
	}
	if len(d.Target) > 0 {
		it.Target = base64.RawURLEncoding.EncodeToString(d.Target)
	}
	return it, nil
}
