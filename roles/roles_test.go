package roles_test

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mostao/conformance/processes"
	"github.com/mostao/conformance/roles"
)

func TestRegistry(t *testing.T) {
	want := map[string]string{roles.Domain: "01", roles.Profile: "02", roles.Session: "03"}
	if got := roles.Names(); strings.Join(got, ",") != "domain,profile,session" {
		t.Errorf("Names() = %v, want the roles in MIP order", got)
	}
	for name, mip := range want {
		r, ok := roles.Get(name)
		if !ok || r.MIP != mip || roles.OfMIP(mip) != name || roles.MIPOf(name) != mip {
			t.Errorf("%s: %+v, OfMIP(%s) = %q", name, r, mip, roles.OfMIP(mip))
		}
		if r.Reference == "" || r.ReferenceFile != "processes/"+name+".lua" || r.Flag == "" || r.FlagHelp == "" || len(r.Properties) == 0 {
			t.Errorf("%s: incomplete entry %+v", name, r)
		}
	}
	if roles.OfMIP("00") != "" {
		t.Error("MIP-00 is every role's, no one role's")
	}
	if _, ok := roles.Get(roles.Puppet); ok {
		t.Error("the puppet is no implementation's role")
	}
	if !strings.Contains(roles.PuppetSource, "Relay") {
		t.Error("the puppet source is not the relay")
	}
	if roles.References()[roles.Profile] != processes.Profile {
		t.Error("the profile's reference is not processes/profile.lua")
	}
	// All returns a copy: a caller cannot change the registry.
	all := roles.All()
	all[0].Name = "changed"
	if roles.Names()[0] != roles.Domain {
		t.Error("All() shares the registry")
	}
}

// roleWord is a way code names a role: a string literal, a constant.
var roleWord = regexp.MustCompile(`"(domain|profile|session)"|\bRole(Domain|Profile|Session)\b|\broles\.(Domain|Profile|Session)\b|"0[123]":\s*"?(domain|profile|session)`)

// TestTheRegistryIsTheOnlyListOfRoles: outside this package, no line of the
// suite's code names two roles or more: a list of the roles (a slice, a
// map, a switch) would be a second registry, which adding a role would
// leave behind. Tests and the Lua engine (whose words are aos's) are not
// looked at.
func TestTheRegistryIsTheOnlyListOfRoles(t *testing.T) {
	root := filepath.Join("..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		slash := filepath.ToSlash(path)
		if d.IsDir() {
			switch strings.TrimPrefix(slash, "../") {
			case "roles", "adapters/lua", ".git", "features":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			seen := map[string]bool{}
			for _, m := range roleWord.FindAllStringSubmatch(line, -1) {
				for _, g := range m[1:] {
					if g != "" {
						seen[strings.ToLower(g)] = true
					}
				}
			}
			if len(seen) >= 2 {
				t.Errorf("%s:%d names %d roles on one line (read them from package roles): %s", slash, n, len(seen), strings.TrimSpace(line))
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
