package devnet

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mostao/conformance/arweave/ans104"
	"github.com/mostao/conformance/arweave/wallet/wallettest"
	hb "github.com/mostao/conformance/hyperbeam"
)

// push posts raw to url with the headers given as name, value pairs.
func push(t *testing.T, url string, raw []byte, headers ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestHyperBEAMRoutesSpawnPushAndCompute: a signed ANS-104 spawn pushed
// to /push names its process in the process header; a message pushed to
// the process gets slot 1; slot/current, compute/results=<slot> and a
// read-only compute answer from the same world the legacy units show; a
// damaged signature, a push without the ANS-104 headers, and a spawn
// without its devices are refused.
func TestHyperBEAMRoutesSpawnPushAndCompute(t *testing.T) {
	n, srv, _ := serve(t)
	ans := []string{"Content-Type", hb.ContentType, "codec-device", hb.Codec}
	spawnHeaders := append([]string{"device", hb.ProcessDevice, "execution-device", hb.ExecutionDevice}, ans...)
	tags := []ans104.Tag{{Name: "Data-Protocol", Value: "ao"}, {Name: "Variant", Value: "ao.TN.1"}, {Name: "Type", Value: "Process"},
		{Name: "Module", Value: n.BaseModule()}, {Name: "Scheduler", Value: n.Scheduler()}}
	raw, pid := signed(t, nil, tags, "NODATA")
	if status, _, body := push(t, srv.URL+"/push", raw, ans...); status != http.StatusBadRequest || !strings.Contains(body, "device") {
		t.Errorf("a spawn naming no devices: %d %s", status, body)
	}
	status, h, body := push(t, srv.URL+"/push", raw, spawnHeaders...)
	if status != http.StatusOK || h.Get("process") != pid || !strings.Contains(body, `"slot":0`) {
		t.Fatalf("spawn: %d process=%q %s", status, h.Get("process"), body)
	}
	target, _ := base64.RawURLEncoding.DecodeString(pid)
	msgTags := []ans104.Tag{{Name: "Data-Protocol", Value: "ao"}, {Name: "Variant", Value: "ao.TN.1"}, {Name: "Type", Value: "Message"}, {Name: "Action", Value: "Eval"}}
	raw, id := signed(t, target, msgTags, "Greeting = 'hi'")
	if status, _, body := push(t, srv.URL+"/"+pid+"~process@1.0/push", raw, "Content-Type", "application/octet-stream", "codec-device", hb.Codec); status != http.StatusUnsupportedMediaType {
		t.Errorf("a push that is not application/ans104: %d %s", status, body)
	}
	damaged := append([]byte{}, raw...)
	damaged[200] ^= 1
	if status, _, body := push(t, srv.URL+"/"+pid+"~process@1.0/push", damaged, ans...); status != http.StatusBadRequest || !strings.Contains(body, "signature") {
		t.Errorf("a damaged signature: %d %s", status, body)
	}
	if status, h, body := push(t, srv.URL+"/"+pid+"~process@1.0/push", raw, ans...); status != http.StatusOK || h.Get("slot") != "1" || !strings.Contains(body, `"id":"`+id+`"`) {
		t.Fatalf("push: %d slot=%q %s", status, h.Get("slot"), body)
	}
	var cur int
	if get(t, srv.URL+"/"+pid+"/slot/current", &cur) != http.StatusOK || cur != 1 {
		t.Errorf("current slot %d, want 1", cur)
	}
	var slot struct {
		Slot    int
		Message struct {
			ID    string
			Owner struct{ Address string }
		}
		Results ResultJSON
	}
	if get(t, srv.URL+"/"+pid+"~process@1.0/compute/results=1", &slot) != http.StatusOK || slot.Slot != 1 || slot.Message.ID != id ||
		slot.Message.Owner.Address != wallettest.Address || slot.Results.Error != "" {
		t.Errorf("slot 1: %+v", slot)
	}
	if code := get(t, srv.URL+"/"+pid+"~process@1.0/compute/results=2", nil); code != http.StatusNotFound {
		t.Errorf("a slot not assigned: %d", code)
	}
	var legacy ResultJSON
	if get(t, srv.URL+"/result/"+id+"?process-id="+pid, &legacy) != http.StatusOK {
		t.Error("the legacy compute unit does not see the pushed message")
	}
	raw, _ = signed(t, target, msgTags, "Greeting = 'hello ' .. Greeting")
	push(t, srv.URL+"/"+pid+"~process@1.0/push", raw, ans...)
	var res ResultJSON
	u := srv.URL + "/" + pid + "~process@1.0/as=execution/compute&from=" + wallettest.Address + "&Action=Eval&data=return%20Greeting%20..%20%22%26%3D%22"
	if get(t, u, &res) != http.StatusOK || !strings.Contains(res.Output, "hello hi&=") {
		t.Errorf("read-only compute: %+v", res)
	}
	if get(t, srv.URL+"/"+pid+"/slot/current", &cur) != http.StatusOK || cur != 2 {
		t.Errorf("a read-only compute took a slot: current %d", cur)
	}
	if code := get(t, srv.URL+"/"+strings.Repeat("y", 43)+"/slot/current", nil); code != http.StatusNotFound {
		t.Errorf("an unknown process has a slot: %d", code)
	}
}
