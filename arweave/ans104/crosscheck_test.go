package ans104

import (
	"bytes"
	"context"
	"crypto"
	crand "crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mostao/conformance/arweave/wallet/wallettest"
	"github.com/mostao/conformance/internal/nodecheck"
)

// The cross-check runs testdata/crosscheck/crosscheck.js, on arbundles as
// pinned in its package.json, when `npm ci` has installed it there.
const (
	crosscheckDir     = "testdata/crosscheck"
	arbundlesVersion  = "0.11.2"
	requireCrosscheck = "MOSTAO_REQUIRE_NODE_CROSSCHECK"
	crosscheckTimeout = 2 * time.Minute
)

// jsResult is one answer of crosscheck.js; each command fills some fields.
type jsResult struct {
	Error         string
	Valid         bool
	ID            string
	SignatureType int
	Owner         []byte
	Target        []byte
	Anchor        []byte
	Data          []byte
	Tags          []struct{ Name, Value []byte }
	Hash          string
}

// jsBatch collects crosscheck.js commands to run in one Node process, as
// each start loads arbundles anew.
type jsBatch struct {
	dir  string
	cmds [][]string
}

func (b *jsBatch) add(args ...string) int {
	b.cmds = append(b.cmds, args)
	return len(b.cmds) - 1
}

// file writes a file for a command and returns its absolute path.
func (b *jsBatch) file(t *testing.T, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(b.dir, name)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func (b *jsBatch) jsonFile(t *testing.T, name string, v any) string {
	t.Helper()
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b.file(t, name, j)
}

// run runs the batch with Node, bounded in time, and returns one result per
// command.
func (b *jsBatch) run(t *testing.T, node string) []jsResult {
	t.Helper()
	list := b.jsonFile(t, "batch.json", b.cmds)
	ctx, cancel := context.WithTimeout(context.Background(), crosscheckTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "crosscheck.js", "batch", list)
	cmd.Dir = crosscheckDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node crosscheck.js: %v\n%s", err, stderr.String())
	}
	var res []jsResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("node crosscheck.js printed %q: %v", out, err)
	}
	if len(res) != len(b.cmds) {
		t.Fatalf("%d results for %d commands", len(res), len(b.cmds))
	}
	return res
}

// crosscheckNode finds Node and the installed arbundles. Without them the
// test is skipped, saying why, unless MOSTAO_REQUIRE_NODE_CROSSCHECK=1 (as
// in CI), which makes their absence a failure.
func crosscheckNode(t *testing.T) string {
	t.Helper()
	return nodecheck.Node(t, nodecheck.Check{
		What: "the cross-check with arbundles", Dir: crosscheckDir, Install: "npm ci --prefix arweave/ans104/" + crosscheckDir,
		Package: "arbundles", Version: arbundlesVersion, Require: requireCrosscheck,
	})
}

// goSigned are items signed here for arbundles to verify: each shape the
// format allows, at the limits, and a tag section in a non-canonical Avro
// form.
func goSigned(t *testing.T) []namedItem {
	t.Helper()
	w := wallettest.Wallet(t)
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	items := []namedItem{
		{"golden fields", fixedItem(t)},
		{"bare", New(nil, nil, nil, nil, nil)},
		{"target only", New(nil, clone(fixedTarget), nil, []Tag{{"Action", "Eval"}}, []byte("return 1"))},
		{"anchor only", New(nil, nil, clone(fixedAnchor), nil, []byte("x"))},
		{"binary data", New(nil, nil, nil, []Tag{{"Content-Type", "application/octet-stream"}}, all)},
		{"unicode tags", New(nil, nil, nil, []Tag{{"Näme", "välue ✓ 🙂"}, {"Empty", ""}}, []byte(" "))},
		{"128 tags", New(nil, nil, nil, manyTags(MaxTags), nil)},
		{"long name", New(nil, nil, nil, []Tag{{strings.Repeat("n", MaxTagNameSize), strings.Repeat("v", 3000)}}, nil)},
		{"longest value", New(nil, nil, nil, []Tag{{"V", strings.Repeat("v", MaxTagValueSize)}}, nil)},
		{"ao client tags", New(nil, nil, nil, aoTags(), []byte(" "))},
	}
	for _, it := range items {
		if err := it.item.Sign(w); err != nil {
			t.Fatalf("%s: %v", it.name, err)
		}
	}
	d, _ := signedNonCanonical(t, "non-canonical")
	items = append(items, namedItem{"negative block count", d})
	rng := rand.New(rand.NewPCG(15, 104))
	for i := range 12 {
		var target, anchor []byte
		if rng.IntN(2) == 0 {
			target = randBytes(rng, TargetSize)
		}
		if rng.IntN(2) == 0 {
			anchor = randBytes(rng, TargetSize)
		}
		d := New(nil, target, anchor, randTags(rng), randBytes(rng, rng.IntN(300)))
		if err := d.Sign(w); err != nil {
			t.Fatal(err)
		}
		items = append(items, namedItem{fmt.Sprintf("random %d", i), d})
	}
	return items
}

// randTags draws tags of valid UTF-8 text (arbundles reads tags as text),
// some of it outside ASCII.
func randTags(rng *rand.Rand) []Tag {
	alphabet := []rune("abcXYZ019-_ ./äöü✓🙂")
	text := func(minLen, maxLen int) string {
		r := make([]rune, minLen+rng.IntN(maxLen-minLen+1))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(r)
	}
	tags := make([]Tag, rng.IntN(20))
	for i := range tags {
		tags[i] = Tag{text(1, 20), text(0, 40)}
	}
	return tags
}

func randBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

type namedItem struct {
	name string
	item *DataItem
}

func aoTags() []Tag {
	return []Tag{
		{"Data-Protocol", "ao"}, {"Variant", "ao.TN.1"}, {"Type", "Process"},
		{"Module", strings.Repeat("M", 43)}, {"Scheduler", strings.Repeat("S", 43)},
		{"SDK", "aoconnect"}, {"Content-Type", "text/plain"},
	}
}

// jsSpec is an item for arbundles to make and sign (crosscheck.js sign).
type jsSpec struct {
	Target []byte `json:"target,omitempty"`
	Anchor string `json:"anchor,omitempty"`
	Tags   []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"tags,omitempty"`
	Data []byte `json:"data"`
}

func spec(target []byte, anchor string, tags []Tag, data []byte) jsSpec {
	s := jsSpec{Target: target, Anchor: anchor, Data: data}
	for _, t := range tags {
		s.Tags = append(s.Tags, struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		}{t.Name, t.Value})
	}
	return s
}

func jsTags(r jsResult) []Tag {
	var tags []Tag
	for _, t := range r.Tags {
		tags = append(tags, Tag{string(t.Name), string(t.Value)})
	}
	return tags
}

func sameTags(a, b []Tag) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCrosscheckArbundles checks this package against arbundles in both
// directions: items signed here verify there with the same id, tags and
// data; items arbundles signs with the same wallet decode and verify here
// with the id it gave; a tampered item and one past arbundles' tag-bytes
// limit fail there as they fail here; the deep hash and the wallet's owner
// agree.
func TestCrosscheckArbundles(t *testing.T) {
	node := crosscheckNode(t)
	b := &jsBatch{dir: t.TempDir()}
	jwk := b.file(t, "wallet.json", wallettest.JWK)
	w := wallettest.Wallet(t)

	goCases := goSigned(t)
	goAt := make([]int, len(goCases))
	for i, c := range goCases {
		enc, err := c.item.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		goAt[i] = b.add("verify", b.file(t, fmt.Sprintf("go-%d.item", i), enc))
	}

	golden := readFile(t, "testdata/golden-go.item")
	tampered := clone(golden)
	tampered[len(tampered)-1] ^= 1
	tamperedAt := b.add("verify", b.file(t, "tampered.item", tampered))
	big := New(nil, nil, nil, []Tag{{"A", strings.Repeat("v", 3000)}, {"B", strings.Repeat("v", 1100)}}, nil)
	if err := big.Sign(w); err != nil {
		t.Fatal(err)
	}
	bigBytes, _ := big.Bytes()
	bigAt := b.add("verify", b.file(t, "big-tags.item", bigBytes))

	type jsCase struct {
		name     string
		spec     jsSpec
		out      string
		resultAt int
	}
	jsCases := []*jsCase{
		{name: "full", spec: spec(fixedTarget, string(fixedAnchor), append(slices.Clone(fixedTags), Tag{"Näme", "välue ✓"}), []byte("from arbundles"))},
		{name: "bare", spec: spec(nil, "", nil, nil)},
		{name: "ao client tags", spec: spec(nil, "", aoTags(), []byte(" "))},
		{name: "128 tags", spec: spec(nil, "", manyTags(MaxTags), []byte{0, 1, 2, 255})},
		{name: "longest value", spec: spec(fixedTarget, "", []Tag{{"V", strings.Repeat("v", MaxTagValueSize)}}, nil)},
	}
	rng := rand.New(rand.NewPCG(104, 15))
	for i := range 8 {
		var target []byte
		anchor := ""
		if rng.IntN(2) == 0 {
			target = randBytes(rng, TargetSize)
		}
		if rng.IntN(2) == 0 {
			anchor = fmt.Sprintf("anchor-%025d", rng.Uint64()%1e18) // 32 characters
		}
		jsCases = append(jsCases, &jsCase{name: fmt.Sprintf("random %d", i), spec: spec(target, anchor, randTags(rng), randBytes(rng, rng.IntN(300)))})
	}
	for i, c := range jsCases {
		c.out = filepath.Join(b.dir, fmt.Sprintf("js-%d.item", i))
		c.resultAt = b.add("sign", jwk, b.jsonFile(t, fmt.Sprintf("spec-%d.json", i), c.spec), c.out)
	}

	hashCases := []Chunk{
		Blob(""),
		List{},
		List{Blob("dataitem"), Blob("1"), Blob("1"), Blob(w.Owner()), Blob(nil), Blob(fixedAnchor), Blob(encodeTags(fixedTags)), Blob(bytes.Repeat([]byte{0xab}, 100000))},
		List{List{List{}}, Blob("x"), List{Blob("y"), List{Blob("z")}}},
	}
	var hashAt []int
	for i, c := range hashCases {
		hashAt = append(hashAt, b.add("deephash", b.jsonFile(t, fmt.Sprintf("hash-%d.json", i), chunkJSON(c))))
	}
	ownerAt := b.add("owner", jwk)

	res := b.run(t, node)

	for i, c := range goCases {
		r, name := res[goAt[i]], c.name
		if r.Error != "" || !r.Valid {
			t.Errorf("Go-signed %q: arbundles says valid=%v %s", name, r.Valid, r.Error)
			continue
		}
		if r.ID != c.item.ID() || r.SignatureType != SignatureArweave || !bytes.Equal(r.Owner, c.item.Owner) ||
			!bytes.Equal(r.Target, c.item.Target) || !bytes.Equal(r.Anchor, c.item.Anchor) ||
			!bytes.Equal(r.Data, c.item.Data) || !sameTags(jsTags(r), c.item.Tags) {
			t.Errorf("Go-signed %q: arbundles reads id %s tags %v, Go has id %s tags %v", name, r.ID, jsTags(r), c.item.ID(), c.item.Tags)
		}
	}
	if r := res[tamperedAt]; r.Valid || r.Error != "" {
		t.Errorf("a tampered item: arbundles says valid=%v %s, want invalid", r.Valid, r.Error)
	}
	if r := res[bigAt]; r.Valid || big.Verify() == nil {
		t.Errorf("a tag section over %d bytes: arbundles valid=%v, Go Verify=%v: both should refuse it", MaxTagBytes, r.Valid, big.Verify())
	}

	for _, c := range jsCases {
		r, name, s := res[c.resultAt], c.name, c.spec
		if r.Error != "" {
			t.Errorf("arbundles could not sign %q: %s", name, r.Error)
			continue
		}
		d, err := Decode(readFile(t, c.out))
		if err != nil {
			t.Errorf("arbundles-signed %q does not decode: %v", name, err)
			continue
		}
		if err := d.Verify(); err != nil {
			t.Errorf("arbundles-signed %q does not verify: %v", name, err)
		}
		var want []Tag
		for _, tg := range s.Tags {
			want = append(want, Tag{tg.Name, tg.Value})
		}
		if d.ID() != r.ID || !bytes.Equal(d.Owner, w.Owner()) || !bytes.Equal(d.Target, s.Target) ||
			string(d.Anchor) != s.Anchor || !bytes.Equal(d.Data, s.Data) || !sameTags(d.Tags, want) {
			t.Errorf("arbundles-signed %q: Go reads id %s tags %v, arbundles said id %s, spec tags %v", name, d.ID(), d.Tags, r.ID, want)
		}
	}

	for i, c := range hashCases {
		if got, want := hex.EncodeToString(c.DeepHash()), res[hashAt[i]].Hash; got != want {
			t.Errorf("deep hash %d: Go %s, arbundles %s", i, got, want)
		}
	}
	if r := res[ownerAt]; !bytes.Equal(r.Owner, w.Owner()) {
		t.Errorf("arbundles reads another owner from the test JWK")
	}
}

// chunkJSON writes a chunk the way crosscheck.js deephash reads it.
func chunkJSON(c Chunk) any {
	switch c := c.(type) {
	case Blob:
		return map[string][]byte{"blob": append([]byte{}, c...)}
	default:
		list := []any{}
		for _, x := range c.(List) {
			list = append(list, chunkJSON(x))
		}
		return map[string]any{"list": list}
	}
}

// signRaw signs item bytes assembled by hand (signature zeroed, the test
// wallet's owner) as a lenient signer would, whatever their tags hold: the
// deep hash of the fields as arbundles reads them.
func signRaw(t *testing.T, b []byte, target, anchor, section, data []byte) []byte {
	t.Helper()
	w := wallettest.Wallet(t)
	copy(b[2+SignatureSize:], w.Owner())
	digest := sha256.Sum256(DeepHash(Blob("dataitem"), Blob("1"), Blob("1"), Blob(w.Owner()), Blob(target), Blob(anchor), Blob(section), Blob(data)))
	sig, err := rsa.SignPSS(crand.Reader, w.Key, crypto.SHA256, digest[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	copy(b[2:], sig)
	return b
}

// TestCrosscheckStricterThanArbundles pins where Decode is stricter than
// arbundles: items breaking ANS-104's rules that arbundles' verifier still
// accepts (it checks neither tag names nor sizes, reads any presence byte
// other than 1 as absent, and ignores bytes after the tag array). Decode
// refuses each of them.
func TestCrosscheckStricterThanArbundles(t *testing.T) {
	node := crosscheckNode(t)
	b := &jsBatch{dir: t.TempDir()}
	withSection := func(count uint64, section []byte) []byte {
		return signRaw(t, item(count, section, "data"), nil, nil, section, []byte("data"))
	}
	presence2 := item(0, nil, "data")
	presence2[2+SignatureSize+OwnerSize] = 2
	presence2 = signRaw(t, presence2, nil, nil, nil, []byte("data"))
	cases := []struct {
		name string
		b    []byte
	}{
		{"empty tag name", withSection(1, tagSection([]Tag{{"", "v"}}))},
		{"tag name of 1025 bytes", withSection(1, tagSection([]Tag{{strings.Repeat("n", 1025), "v"}}))},
		{"bytes after the tag array", withSection(1, append(tagSection([]Tag{{"A", "1"}}), 7, 7))},
		{"target presence byte 2", presence2},
	}
	at := make([]int, len(cases))
	for i, c := range cases {
		if _, err := Decode(c.b); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Decode = %v, want ErrMalformed", c.name, err)
		}
		at[i] = b.add("verify", b.file(t, fmt.Sprintf("lenient-%d.item", i), c.b))
	}
	res := b.run(t, node)
	for i, c := range cases {
		if r := res[at[i]]; !r.Valid {
			t.Errorf("%s: arbundles now refuses it too (valid=%v %s): docs/ans104.md should say so", c.name, r.Valid, r.Error)
		}
	}
}
