// Package live is adapters.World over HTTP: processes on an AO network
// reached through its legacy units (a messenger unit to send signed data
// items, a scheduler unit to read what was scheduled, a compute unit to
// read results and to dry-run), such as the local devnet (package devnet)
// or a node of the AO network.
//
// A send is followed until the network is quiet: the message's result is
// polled on the compute unit, and every message its outbox pushed to a
// process is found in that process's schedule (by its Pushed-For tag) and
// followed in turn. A trace that cannot be completed in the configured
// time is a suite error (adapters.ErrTransport), never a verdict.
package live

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"
)

// Config says where the units are and how long to wait for them. Nothing
// is hard-coded: FromEnv reads it from the environment, and the command
// line fills it from its flags.
type Config struct {
	// MU, SU and CU are the base URLs of the messenger, scheduler and
	// compute units (the devnet serves all three on one URL).
	MU, SU, CU string
	// Module is the id of the aos module spawned processes run; Scheduler
	// the scheduler unit's address named in spawns; Authority the address
	// processes trust to push messages (the messenger unit's). Empty
	// values are read from the devnet's GET / when it answers.
	Module, Scheduler, Authority string
	// Spawn says how a process gets its Lua source. SpawnEval spawns
	// Module and loads the source by an Eval from the owner, as on AO.
	// SpawnPublish uploads each source once as a module of its own (the
	// devnet's Module-Format for Lua source) and spawns that module, so
	// that processes can spawn each other's modules as on the Lua engine
	// (a profile spawning its sessions). "" chooses SpawnPublish on a
	// devnet, SpawnEval elsewhere.
	Spawn string
	// WalletDir holds the named wallets (<name>.json, Arweave JWK); one
	// missing is generated once and kept there.
	WalletDir string
	// RequestTimeout bounds one HTTP request (default 30s).
	RequestTimeout time.Duration
	// ResultTimeout bounds the wait for one result or one pushed message,
	// retries included (default 60s).
	ResultTimeout time.Duration
	// PollInterval is the first wait between polls, doubled up to
	// MaxPollInterval (defaults 20ms and 1s). A 429's Retry-After is
	// honoured up to MaxPollInterval.
	PollInterval, MaxPollInterval time.Duration
	// MaxAttempts bounds the attempts of one request that fails with a
	// network error or a 5xx (default 8).
	MaxAttempts int
	// Backend is how the network is spoken to: BackendLegacy ("", the
	// MU, SU and CU) or BackendHyperBEAM (one HyperBEAM node at MU, which
	// takes pushes, computes slots and evaluates read-only).
	Backend string
}

// The back ends of a live World (Config.Backend).
const (
	BackendLegacy    = "legacy"
	BackendHyperBEAM = "hyperbeam"
)

// HyperBEAMPrefix before a URL (live:hb+http://host:port) selects the
// HyperBEAM back end.
const HyperBEAMPrefix = "hb+"

// hyperbeam says whether the HyperBEAM back end is selected.
func (c Config) hyperbeam() bool { return c.Backend == BackendHyperBEAM }

// Where says what the World talks to, for reports.
func (c Config) Where() string {
	if c.hyperbeam() {
		return "HyperBEAM node at " + c.MU
	}
	return "legacy AO units at " + c.SU
}

// The ways of giving a process its source (Config.Spawn).
const (
	SpawnEval    = "eval"
	SpawnPublish = "publish"
)

// The environment variables FromEnv reads.
const (
	EnvURL       = "MOSTAO_LIVE_URL" // all three units at one URL
	EnvMU        = "MOSTAO_MU_URL"
	EnvSU        = "MOSTAO_SU_URL"
	EnvCU        = "MOSTAO_CU_URL"
	EnvModule    = "MOSTAO_MODULE"
	EnvScheduler = "MOSTAO_SCHEDULER"
	EnvAuthority = "MOSTAO_AUTHORITY"
	EnvWallets   = "MOSTAO_WALLETS"
	EnvSpawn     = "MOSTAO_SPAWN"
	EnvTimeout   = "MOSTAO_RESULT_TIMEOUT"
)

// FromEnv is the configuration for the units at url (all three; "" reads
// MOSTAO_LIVE_URL), with every value the environment overrides.
func FromEnv(base string) (Config, error) {
	if base == "" {
		base = os.Getenv(EnvURL)
	}
	backend := BackendLegacy
	if rest, ok := strings.CutPrefix(base, HyperBEAMPrefix); ok {
		base, backend = rest, BackendHyperBEAM
	}
	c := Config{MU: base, SU: base, CU: base, Backend: backend}
	for _, v := range []struct {
		env string
		to  *string
	}{{EnvMU, &c.MU}, {EnvSU, &c.SU}, {EnvCU, &c.CU}, {EnvModule, &c.Module}, {EnvScheduler, &c.Scheduler}, {EnvAuthority, &c.Authority}, {EnvWallets, &c.WalletDir}} {
		if s := os.Getenv(v.env); s != "" {
			*v.to = s
		}
	}
	if s := os.Getenv(EnvSpawn); s != "" {
		if s != SpawnEval && s != SpawnPublish {
			return c, fmt.Errorf("%s=%q: want %s or %s", EnvSpawn, s, SpawnEval, SpawnPublish)
		}
		c.Spawn = s
	}
	if s := os.Getenv(EnvTimeout); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("%s=%q: want a duration such as 60s", EnvTimeout, s)
		}
		c.ResultTimeout = d
	}
	return c, c.check()
}

// check says what is wrong with the units' URLs.
func (c Config) check() error {
	if c.Backend != "" && c.Backend != BackendLegacy && c.Backend != BackendHyperBEAM {
		return fmt.Errorf("back end %q: want %s or %s", c.Backend, BackendLegacy, BackendHyperBEAM)
	}
	for _, u := range []struct{ name, v string }{{"messenger unit", c.MU}, {"scheduler unit", c.SU}, {"compute unit", c.CU}} {
		if u.v == "" {
			return fmt.Errorf("no URL for the %s: give live:<url>, or set %s (or %s, %s, %s)", u.name, EnvURL, EnvMU, EnvSU, EnvCU)
		}
		p, err := url.Parse(u.v)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("the %s URL %q is not an http(s) URL", u.name, u.v)
		}
	}
	return nil
}

// withDefaults fills the waits left zero.
func (c Config) withDefaults() Config {
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 30 * time.Second
	}
	if c.ResultTimeout <= 0 {
		c.ResultTimeout = 60 * time.Second
	}
	if c.PollInterval <= 0 {
		c.PollInterval = 20 * time.Millisecond
	}
	if c.MaxPollInterval <= 0 {
		c.MaxPollInterval = time.Second
	}
	if c.MaxPollInterval < c.PollInterval {
		c.MaxPollInterval = c.PollInterval
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	c.MU = strings.TrimRight(c.MU, "/")
	c.SU = strings.TrimRight(c.SU, "/")
	c.CU = strings.TrimRight(c.CU, "/")
	return c
}
