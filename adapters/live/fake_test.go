package live

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/devnet"
)

// fakeItem is a stand-in data item for tests of the client's logic: JSON,
// "signed" by a name. The real items are tested with package ans104.
type fakeItem struct {
	ID, Owner, Target, Anchor string
	Tags                      adapters.Tags
	Data                      []byte
	Forged                    bool
}

type fakeSigner struct {
	addr string
	mu   *sync.Mutex
	n    *int
	// forge makes items whose signature does not verify.
	forge bool
}

func (s fakeSigner) Address() string { return s.addr }

func (s fakeSigner) Sign(u Unsigned) ([]byte, string, error) {
	s.mu.Lock()
	*s.n++
	id := adapters.DeterministicID(fmt.Sprintf("fake-item/%s/%d", s.addr, *s.n))
	s.mu.Unlock()
	b, err := json.Marshal(fakeItem{ID: id, Owner: s.addr, Target: u.Target, Anchor: u.Anchor, Tags: u.Tags, Data: u.Data, Forged: s.forge})
	return b, id, err
}

type fakeKeyring struct {
	mu sync.Mutex
	n  int
}

func (k *fakeKeyring) Wallet(name string) (Signer, error) {
	return fakeSigner{addr: adapters.DeterministicID("fake-wallet/" + name), mu: &k.mu, n: &k.n}, nil
}

func fakeDecode(raw []byte) (devnet.Item, error) {
	var it fakeItem
	if err := json.Unmarshal(raw, &it); err != nil {
		return devnet.Item{}, err
	}
	if it.Forged {
		return devnet.Item{}, errors.New("the signature does not verify")
	}
	return devnet.Item{ID: it.ID, Owner: it.Owner, Target: it.Target, Anchor: it.Anchor, Tags: it.Tags, Data: it.Data}, nil
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
