package wasm

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/processes"
)

// TestWorldsRunInParallel runs worlds on several goroutines at once: they
// share one engine (runtime, compiled module, host functions, boot image),
// and each must see only its own processes.
func TestWorldsRunInParallel(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			w, err := New(Options{Seed: fmt.Sprint("seed-", g), Modules: map[string]Module{domainModule: {Name: "domain.lua", Source: processes.Domain}}})
			if err != nil {
				errs <- err
				return
			}
			defer w.Close()
			alice, _ := w.Wallet("alice")
			pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: domainModule, From: alice})
			if err != nil {
				errs <- err
				return
			}
			name := fmt.Sprint("name-", g)
			for i := 0; i < 5; i++ {
				tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid,
					Data: `{"name":"` + name + `","pid":"` + pid + `"}`, Tags: adapters.Tags{{Name: "Action", Value: "Register"}}})
				if err != nil || len(tr.ToWallets) != 1 || tr.ToWallets[0].Tags.Value("Action") != "Register-Response" {
					errs <- fmt.Errorf("world %d: register %d: %v %+v", g, i, err, tr.ToWallets)
					return
				}
			}
			res, err := w.DryRun(context.Background(), adapters.Message{Target: pid, Data: alice, Tags: adapters.Tags{{Name: "Action", Value: "GetDomains"}}})
			if err != nil || len(res.Messages) != 1 || res.Messages[0].Data != `{"domains":["`+name+`"],"owner":"`+alice+`"}` {
				errs <- fmt.Errorf("world %d: GetDomains: %v %+v", g, err, res.Messages)
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
