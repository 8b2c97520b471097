package devnet

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/wasm"
)

// transaction is what the gateway's GraphQL tells of an item the devnet
// holds: its signer and its tags. Items on a devnet are in no Arweave
// block, so block is always null.
type transaction struct {
	owner string
	tags  adapters.Tags
}

// baseModuleTags are the tags of the devnet's aos module, as an AO module's
// transaction carries them: aoconnect's spawn looks the module up and
// refuses one without Data-Protocol ao, Type Module, Module-Format,
// Input-Encoding and Output-Encoding.
func baseModuleTags(opts Options) (adapters.Tags, error) {
	format := LuaModuleFormat
	if opts.Wasm != nil {
		format = opts.WasmFormat
		if format == "" {
			f, err := wasm.DetectFormat(opts.Wasm)
			if err != nil {
				return nil, err
			}
			format = f.Name
		}
	}
	return adapters.Tags{
		{Name: "Data-Protocol", Value: "ao"}, {Name: "Variant", Value: "ao.TN.1"}, {Name: "Type", Value: "Module"},
		{Name: "Module-Format", Value: format}, {Name: "Input-Encoding", Value: "JSON-1"},
		{Name: "Output-Encoding", Value: "JSON-1"}, {Name: "Name", Value: "aos"},
	}, nil
}

// transactionsByIDs matches the one GraphQL query the devnet answers:
// transactions looked up by id, the ids a variable ($name) or a list of
// strings written in the query.
var transactionsByIDs = regexp.MustCompile(`\btransactions\s*\(\s*ids\s*:\s*(\$\w+|\[[^\]]*\])\s*\)`)

// graphql is the gateway's POST /graphql in the subset clients need to
// spawn: `transactions(ids: ...)`, each id the devnet holds (its aos
// module, and every item posted to it) as a node {id, owner {address},
// tags, block: null}, whatever the selection set asks. Any other query is
// refused (400) rather than answered wrongly.
func (n *Network) graphql(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Query     string
		Variables map[string]json.RawMessage
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, MaxItemBytes)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid GraphQL request: "+err.Error())
		return
	}
	m := transactionsByIDs.FindStringSubmatch(req.Query)
	if m == nil || strings.Count(req.Query, "transactions") != 1 {
		writeError(w, http.StatusBadRequest, "this devnet's GraphQL answers one query only: transactions(ids: [...]) with the nodes' id, owner { address }, tags and block")
		return
	}
	arg := []byte(m[1])
	if strings.HasPrefix(m[1], "$") {
		arg = req.Variables[m[1][1:]]
	}
	var ids []string
	if err := json.Unmarshal(arg, &ids); err != nil {
		writeError(w, http.StatusBadRequest, "transactions(ids:) takes a list of ids: "+err.Error())
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	edges := []map[string]any{}
	seen := map[string]bool{}
	for _, id := range ids {
		tx, ok := n.txs[id]
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		tags := tx.tags
		if tags == nil {
			tags = adapters.Tags{}
		}
		edges = append(edges, map[string]any{"cursor": id, "node": map[string]any{
			"id": id, "owner": map[string]string{"address": tx.owner}, "tags": tags, "block": nil,
		}})
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"transactions": map[string]any{
		"pageInfo": map[string]bool{"hasNextPage": false}, "edges": edges,
	}}})
}
