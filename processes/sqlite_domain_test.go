package processes_test

import (
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/processes/sqlite"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// sqliteTarget runs a Domain source under the aos-sqlite profile.
func sqliteTarget(name, src string) steps.Target {
	return targets.LuaWith(name, targets.Sources{steps.RoleDomain: src}, targets.Options{Profile: lua.ProfileAOSSQLite})
}

// TestSQLiteDomainPasses: the Domain written in the aos-sqlite style (a
// table, prepared statements with bind_names, nrows) passes every MIP-00
// and MIP-01 scenario under the aos-sqlite profile, unchanged.
func TestSQLiteDomainPasses(t *testing.T) {
	caught, ran := runDomain(t, sqliteTarget("lua:processes/sqlite/domain.lua", sqlite.Domain))
	for _, id := range sortedKeys(caught) {
		t.Errorf("the aos-sqlite domain fails %s: %s", id, caught[id])
	}
	t.Logf("%d scenarios ran", ran)
}

// TestSQLiteDomainNeedsItsProfile: under the default profile the same
// source fails (require("lsqlite3") does not exist there), so the pass
// above is the profile's doing.
func TestSQLiteDomainNeedsItsProfile(t *testing.T) {
	caught, _ := runDomain(t, targets.Lua("lua:processes/sqlite/domain.lua", targets.Sources{steps.RoleDomain: sqlite.Domain}))
	if _, ok := caught["MIP01-REG-1"]; !ok {
		t.Errorf("the aos-sqlite domain passes MIP01-REG-1 without lsqlite3")
	}
}

// brokenSQLiteDomains lists the broken variants of the aos-sqlite Domain
// and the requirements whose scenarios must catch each.
var brokenSQLiteDomains = map[string][]string{
	"domain-hijack":            {"MIP01-REG-3"},
	"domain-renounce-unbound":  {"MIP01-REN-1"},
	"domain-domains-by-length": {"MIP01-GET-1"},
}

// TestBrokenSQLiteDomains: each broken variant is caught by its intended
// requirement, and every variant file is listed here.
func TestBrokenSQLiteDomains(t *testing.T) {
	variants, err := sqlite.Variants()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range sortedKeys(variants) {
		if _, ok := brokenSQLiteDomains[name]; !ok {
			t.Errorf("processes/sqlite/%s.mutation is not listed in brokenSQLiteDomains", name)
		}
	}
	for name, catches := range brokenSQLiteDomains {
		t.Run(name, func(t *testing.T) {
			src, ok := variants[name]
			if !ok {
				t.Fatalf("no variant file processes/sqlite/%s.mutation", name)
			}
			if src == sqlite.Domain {
				t.Fatal("the edits changed nothing")
			}
			caught, ran := runDomain(t, sqliteTarget("broken:sqlite/"+name, src))
			for _, id := range catches {
				if _, ok := caught[id]; !ok {
					t.Errorf("%s passes every scenario tagged %s (%d scenarios ran): the suite misses its defect", name, id, ran)
				}
			}
			var lines []string
			for _, id := range sortedKeys(caught) {
				lines = append(lines, id+" by "+caught[id])
			}
			t.Logf("%s is caught by %d requirements:\n  %s", name, len(caught), strings.Join(lines, "\n  "))
		})
	}
}
