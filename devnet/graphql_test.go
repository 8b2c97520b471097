package devnet

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/wasm"
	"github.com/mostao/conformance/arweave/ans104"
	"github.com/mostao/conformance/arweave/wallet/wallettest"
)

// graphqlNode is one node of a transactions answer.
type graphqlNode struct {
	ID    string
	Owner struct{ Address string }
	Tags  adapters.Tags
	Block any
}

func queryGraphQL(t *testing.T, url string, body any) (int, []graphqlNode) {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(url+"/graphql", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ans struct {
		Data struct {
			Transactions struct {
				Edges []struct{ Node graphqlNode }
			}
		}
	}
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
			t.Fatal(err)
		}
	}
	var nodes []graphqlNode
	for _, e := range ans.Data.Transactions.Edges {
		nodes = append(nodes, e.Node)
	}
	return resp.StatusCode, nodes
}

// TestGatewayGraphQLFindsTransactionsByID: aoconnect's spawn looks its
// module up through the gateway's GraphQL before posting, so the devnet
// answers transactions(ids:) for what it holds: its aos module, with the
// tags aoconnect checks, and each item posted, with its signer and tags;
// an id it does not hold has no node; a query it does not serve is
// refused, not answered with nothing.
func TestGatewayGraphQLFindsTransactionsByID(t *testing.T) {
	n, srv, _ := serve(t)
	tags := []ans104.Tag{{Name: "Data-Protocol", Value: "ao"}, {Name: "Type", Value: "Module"}, {Name: "Module-Format", Value: LuaModuleFormat}}
	raw, published := signed(t, nil, tags, "return 1")
	if status, body := post(t, srv.URL, raw); status != http.StatusAccepted {
		t.Fatalf("publishing a module: %d %s", status, body)
	}
	unknown := strings.Repeat("U", 43)
	query := `query GetTransactions ($transactionIds: [ID!]!) { transactions(ids: $transactionIds) { edges { node { owner { address } tags { name value } block { id height timestamp } } } } }`
	status, nodes := queryGraphQL(t, srv.URL, map[string]any{
		"query": query, "variables": map[string]any{"transactionIds": []string{n.BaseModule(), unknown, published}},
	})
	if status != http.StatusOK || len(nodes) != 2 {
		t.Fatalf("transactions(ids:) of the aos module, an unknown id and a published module: %d, %d nodes, want 200 and 2", status, len(nodes))
	}
	base := nodes[0]
	for _, name := range []string{"Module-Format", "Input-Encoding", "Output-Encoding"} {
		if base.Tags.Value(name) == "" {
			t.Errorf("the aos module has no %s tag: %v", name, base.Tags)
		}
	}
	if base.ID != n.BaseModule() || base.Tags.Value("Data-Protocol") != "ao" || base.Tags.Value("Type") != "Module" ||
		base.Tags.Value("Module-Format") != LuaModuleFormat || base.Owner.Address != n.Scheduler() || base.Block != nil {
		t.Errorf("the aos module's node: %+v", base)
	}
	pub := nodes[1]
	if pub.ID != published || pub.Owner.Address != wallettest.Wallet(t).Address() || pub.Tags.Value("Module-Format") != LuaModuleFormat {
		t.Errorf("the published module's node: %+v", pub)
	}

	inline := `{ transactions(ids: ["` + published + `"]) { edges { node { tags { name value } } } } }`
	if status, nodes := queryGraphQL(t, srv.URL, map[string]any{"query": inline}); status != http.StatusOK || len(nodes) != 1 || nodes[0].ID != published {
		t.Errorf("ids written in the query: %d %+v", status, nodes)
	}
	for _, q := range []string{
		`{ transactions(owners: ["x"], tags: [{name: "Type", values: ["Scheduler-Location"]}]) { edges { node { id } } } }`,
		`{ block(id: "x") { height } }`,
	} {
		if status, _ := queryGraphQL(t, srv.URL, map[string]any{"query": q}); status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, status)
		}
	}
}

// TestGatewayGraphQLNamesTheCompiledModulesFormat: on a wasm devnet the
// aos module's Module-Format is the compiled module's, read from the binary
// when no format is given, as the one given otherwise.
func TestGatewayGraphQLNamesTheCompiledModulesFormat(t *testing.T) {
	for _, given := range []string{"", wasm.ModuleFormat} {
		n, err := New(Options{Wasm: wasm.DefaultModule, WasmFormat: given, Log: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(n)
		status, nodes := queryGraphQL(t, srv.URL, map[string]any{"query": `{ transactions(ids: ["` + n.BaseModule() + `"]) { edges { node { tags { name value } } } } }`})
		srv.Close()
		n.Close()
		if status != http.StatusOK || len(nodes) != 1 || nodes[0].Tags.Value("Module-Format") != wasm.ModuleFormat {
			t.Errorf("format given %q: %d %+v, want the aos module with Module-Format %s", given, status, nodes, wasm.ModuleFormat)
		}
	}
}
