package devnet

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mostao/conformance/arweave/ans104"
	"github.com/mostao/conformance/arweave/wallet/wallettest"
	"github.com/mostao/conformance/internal/syncbuf"
)

func serve(t *testing.T) (*Network, *httptest.Server, *syncbuf.Buffer) {
	t.Helper()
	var log syncbuf.Buffer
	n, err := New(Options{Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(n)
	t.Cleanup(func() { srv.Close(); n.Close() })
	return n, srv, &log
}

// signed makes a signed item of the fixed test wallet.
func signed(t *testing.T, target []byte, tags []ans104.Tag, data string) ([]byte, string) {
	t.Helper()
	it := ans104.New(nil, target, nil, tags, []byte(data))
	if err := it.Sign(wallettest.Wallet(t)); err != nil {
		t.Fatal(err)
	}
	raw, err := it.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return raw, it.ID()
}

func post(t *testing.T, url string, raw []byte) (int, string) {
	t.Helper()
	resp, err := http.Post(url+"/", "application/octet-stream", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func get(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil && resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

// TestMessengerSpawnsAndTheUnitsAnswer: a signed Type=Process item of the
// aos module spawns a process whose id is the item's; the scheduler shows
// its spawn message with the signer as owner, the compute unit its result;
// an item posted twice, an unknown module and a damaged signature are
// refused; each request is logged in one line.
func TestMessengerSpawnsAndTheUnitsAnswer(t *testing.T) {
	n, srv, log := serve(t)
	tags := []ans104.Tag{{Name: "Data-Protocol", Value: "ao"}, {Name: "Variant", Value: "ao.TN.1"}, {Name: "Type", Value: "Process"},
		{Name: "Module", Value: n.BaseModule()}, {Name: "Scheduler", Value: n.Scheduler()}}
	raw, id := signed(t, nil, tags, "NODATA")
	status, body := post(t, srv.URL, raw)
	if status != http.StatusAccepted || !strings.Contains(body, `"id":"`+id+`"`) || !strings.Contains(body, "Processing DataItem") {
		t.Fatalf("spawn: %d %s", status, body)
	}
	if status, _ := post(t, srv.URL, raw); status != http.StatusConflict {
		t.Errorf("an item posted twice: %d", status)
	}
	var proc struct {
		ProcessID string                   `json:"process_id"`
		Owner     struct{ Address string } `json:"owner"`
	}
	if get(t, srv.URL+"/processes/"+id, &proc) != http.StatusOK || proc.ProcessID != id || proc.Owner.Address != wallettest.Address {
		t.Errorf("process: %+v", proc)
	}
	var res ResultJSON
	if get(t, srv.URL+"/result/"+id+"?process-id="+id, &res) != http.StatusOK || res.Error != "" {
		t.Errorf("spawn result: %+v", res)
	}
	var sched struct {
		Edges []struct {
			Node struct {
				Message struct {
					ID    string
					Owner struct{ Address string }
				}
			}
		}
	}
	if get(t, srv.URL+"/"+id, &sched) != http.StatusOK || len(sched.Edges) != 1 || sched.Edges[0].Node.Message.ID != id || sched.Edges[0].Node.Message.Owner.Address != wallettest.Address {
		t.Errorf("schedule: %+v", sched)
	}
	var results struct{ Edges []struct{ Cursor string } }
	if get(t, srv.URL+"/results/"+id, &results) != http.StatusOK || len(results.Edges) != 1 || results.Edges[0].Cursor != id {
		t.Errorf("results: %+v", results)
	}
	var ts struct{ Timestamp int64 }
	if get(t, srv.URL+"/timestamp", &ts) != http.StatusOK || ts.Timestamp == 0 {
		t.Errorf("timestamp: %+v", ts)
	}

	bad := append([]ans104.Tag{}, tags...)
	bad[3].Value = strings.Repeat("x", 43)
	if raw, _ := signed(t, nil, bad, "NODATA"); true {
		if status, body := post(t, srv.URL, raw); status != http.StatusBadRequest || !strings.Contains(body, "unknown module") {
			t.Errorf("an unknown module: %d %s", status, body)
		}
	}
	raw, _ = signed(t, nil, tags, "other")
	raw[200] ^= 1
	if status, body := post(t, srv.URL, raw); status != http.StatusBadRequest || !strings.Contains(body, "signature") {
		t.Errorf("a damaged signature: %d %s", status, body)
	}
	if get(t, srv.URL+"/processes/"+strings.Repeat("y", 43), nil) != http.StatusNotFound {
		t.Error("an unknown process was found")
	}
	if lines := strings.Count(log.String(), "\n"); lines != 10 {
		t.Errorf("%d log lines for 10 requests:\n%s", lines, log.String())
	}
}
