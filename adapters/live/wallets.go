package live

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/arweave/ans104"
	"github.com/mostao/conformance/arweave/wallet"
)

// WalletSigner signs ANS-104 data items with an Arweave wallet.
type WalletSigner struct{ W *wallet.Wallet }

// Address is the wallet's Arweave address.
func (s WalletSigner) Address() string { return s.W.Address() }

// Sign makes and signs the data item.
func (s WalletSigner) Sign(u Unsigned) ([]byte, string, error) {
	var target, anchor []byte
	if u.Target != "" {
		t, err := base64.RawURLEncoding.DecodeString(u.Target)
		if err != nil || len(t) != 32 {
			return nil, "", fmt.Errorf("target %q is not a 43-character id", u.Target)
		}
		target = t
	}
	if u.Anchor != "" {
		if len(u.Anchor) != 32 {
			return nil, "", fmt.Errorf("anchor %q is not 32 bytes, as a data item's anchor must be", u.Anchor)
		}
		anchor = []byte(u.Anchor)
	}
	tags := make([]ans104.Tag, len(u.Tags))
	for i, t := range u.Tags {
		tags[i] = ans104.Tag{Name: t.Name, Value: t.Value}
	}
	it := ans104.New(nil, target, anchor, tags, u.Data)
	if err := it.Sign(s.W); err != nil {
		return nil, "", err
	}
	raw, err := it.Bytes()
	if err != nil {
		return nil, "", err
	}
	return raw, it.ID(), nil
}

// DirKeyring keeps the named wallets of the suite as Arweave JWK files in
// a directory: <name>.json is loaded when it exists, else made once
// (RSA-4096, which takes seconds) and written there for the next run.
type DirKeyring struct {
	Dir string

	mu      sync.Mutex
	wallets map[string]Signer
}

// Wallet returns the named wallet.
func (k *DirKeyring) Wallet(name string) (Signer, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if s, ok := k.wallets[name]; ok {
		return s, nil
	}
	if k.Dir == "" {
		return nil, fmt.Errorf("%w: no wallet directory (set %s)", adapters.ErrEngine, EnvWallets)
	}
	path := filepath.Join(k.Dir, fileName(name)+".json")
	w, err := wallet.Load(path)
	if errors.Is(err, os.ErrNotExist) {
		if w, err = wallet.Generate(rand.Reader); err == nil {
			err = save(path, w)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: wallet %q (%s): %v", adapters.ErrEngine, name, path, err)
	}
	if k.wallets == nil {
		k.wallets = map[string]Signer{}
	}
	s := WalletSigner{W: w}
	k.wallets[name] = s
	return s, nil
}

// save writes a new wallet readable by its owner only, through a temporary
// file so that a run stopped half-way leaves no broken wallet.
func save(path string, w *wallet.Wallet) error {
	b, err := w.JWK()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".wallet-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// fileName turns a wallet name into a file name: letters, digits, '-' and
// '_' stay, anything else is written as its hex code.
func fileName(name string) string {
	var b strings.Builder
	for _, c := range []byte(name) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return b.String()
}

// DefaultWalletDir is where the suite keeps its wallets when neither flag
// nor environment says: the user's cache directory.
func DefaultWalletDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "mostao", "wallets")
	}
	return filepath.Join(os.TempDir(), "mostao-wallets")
}
