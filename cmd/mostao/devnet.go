package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/adapters/wasm"
	"github.com/mostao/conformance/devnet"
)

// shutdownGrace bounds how long a stopping devnet waits for the requests
// under way.
const shutdownGrace = 10 * time.Second

// devnetCmd serves a local AO network on loopback until SIGINT or SIGTERM.
func devnetCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mostao devnet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8734", "the `address` to listen on (port 0: any free port; the URL is printed)")
	seed := fs.String("seed", "", "derives the units' addresses and the ids of pushed messages (default: the devnet's fixed seed)")
	quiet := fs.Bool("quiet", false, "do not log each request")
	maxWork := fs.Int64("max-work", 0, fmt.Sprintf("work budget of one message evaluation, in the Lua engine's units on either engine (default %d; the wasm engine scales it to its own)", lua.DefaultMaxWork))
	engine := fs.String("engine", "lua", "what computes: lua (the Lua engine) or wasm (a compiled AO module, --module, on the wasm engine)")
	module := fs.String("module", "", "the compiled AO module `file` (.wasm) the processes run; implies --engine wasm; default with --engine wasm: the bundled mostao-lua53.wasm")
	moduleFormat := fs.String("module-format", "", "the module's Module-Format ("+strings.Join(wasm.Formats, ", ")+"); default: read from the binary")
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: mostao devnet [flags]

A local AO network on one HTTP server: the legacy messenger (POST /), scheduler
(GET /timestamp, /<message>?process-id=, /<process>, /processes/<process>) and
compute units (GET /result/<message>?process-id=, /results/<process>,
POST /dry-run?process-id=), and a HyperBEAM node's process routes (POST /push,
POST /<process>~process@1.0/push, GET /<process>/slot/current,
/<process>~process@1.0/compute/results=<slot>, /<process>~process@1.0/as=execution/compute&<Tag>=<value>),
running Lua processes on the Lua engine, or on a compiled AO module with
--engine wasm [--module file.wasm]. Certify through it with --target live:<url> (legacy
units) or live:hb+<url> (HyperBEAM routes); point aoconnect at it with
connect({MU_URL: url, CU_URL: url, GATEWAY_URL: url}) (docs/live.md).
Stops cleanly on SIGINT or SIGTERM.

`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitCannotRun
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "mostao devnet: unexpected argument %q\n", fs.Arg(0))
		return exitCannotRun
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var logTo io.Writer = stderr
	if *quiet {
		logTo = nil
	}
	opts := devnet.Options{Seed: *seed, Log: logTo, Limits: lua.Limits{MaxWork: *maxWork}}
	if err := devnetEngine(&opts, *engine, *module, *moduleFormat); err != nil {
		printError(stderr, "mostao devnet", err)
		return exitCannotRun
	}
	n, err := devnet.New(opts)
	if err != nil {
		printError(stderr, "mostao devnet", err)
		return exitCannotRun
	}
	defer n.Close()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		printError(stderr, "mostao devnet", err)
		return exitCannotRun
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "devnet listening on %s\n  engine %s\n  module %s (aos: Eval source into it)\n  scheduler %s\n  messenger %s (the Authority of pushed messages)\n", url, n.Engine(), n.BaseModule(), n.Scheduler(), n.Messenger())
	srv := &http.Server{Handler: n, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		printError(stderr, "mostao devnet", err)
		return exitCannotRun
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "mostao devnet: stopping")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		printError(stderr, "mostao devnet", err)
		return exitCannotRun
	}
	fmt.Fprintln(stderr, "mostao devnet: stopped")
	return exitOK
}

// devnetEngine sets what computes on the devnet: the Lua engine, or the
// wasm engine on the module file (the bundled one when none is given).
// A module the engine cannot run is refused here, before anything serves.
func devnetEngine(opts *devnet.Options, engine, module, format string) error {
	if module != "" && engine == "lua" {
		engine = "wasm"
	}
	switch engine {
	case "lua":
		if format != "" {
			return fmt.Errorf("--module-format: the Lua engine runs no compiled module (give --engine wasm)")
		}
		return nil
	case "wasm":
	default:
		return fmt.Errorf("--engine %q: want lua or wasm", engine)
	}
	bin := wasm.DefaultModule
	if module != "" {
		b, err := readInput(module, maxModuleBytes)
		if err != nil {
			return fmt.Errorf("--module: %w", err)
		}
		bin = b
	}
	if _, err := wasm.ResolveFormat(bin, format); err != nil {
		return fmt.Errorf("--module %s: %w", module, err)
	}
	opts.Wasm, opts.WasmFormat = bin, format
	return nil
}
