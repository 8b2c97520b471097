package steps

import (
	"fmt"

	"github.com/mostao/conformance/adapters"
	"maps"
	"slices"
)

// DeployedTag marks the scenarios that can run on an implementation
// deployed on a live network (adapters.Target.Deployed): a process that
// has the state earlier runs and other users left, and an owner the suite
// does not hold. Such a scenario spawns the role's process with the plain
// step ("a domain process "D""), whatever owner it gives, and asserts
// nothing that an earlier registration, contact or message could change.
const DeployedTag = "deployed"

// DeployedSpawnTag marks the spawn exchange of a deployed process that a
// scenario uses: no spawn was sent, the process was there.
const DeployedSpawnTag = "Deployed"

// anyOwner is the wallet that spawns a process when the scenario does not
// say who owns it.
const anyOwner = "deployer"

// useDeployed names the deployed process pid, which implements role, as
// the scenario's process name, where the scenario can run on it; where it
// cannot, the scenario is untested with the reason (an *Unmet), never
// failed nor passed. shaped says the scenario spawns the process with tags
// or Data of its own.
func (s *Scenario) useDeployed(role, name, owner, pid string, shaped bool) (string, error) {
	var why string
	switch {
	case !slices.Contains(s.tags, DeployedTag):
		why = fmt.Sprintf("this scenario needs a %s process of its own, in a fresh state (scenarios that do not are tagged @%s)", role, DeployedTag)
	case shaped:
		why = fmt.Sprintf("this scenario spawns the %s with tags or Data of its own", role)
	case owner != anyOwner:
		why = fmt.Sprintf("this scenario needs the %s owned by wallet %q", role, owner)
	case slices.Contains(slices.Collect(maps.Values(s.processes)), pid):
		why = fmt.Sprintf("this scenario needs two %s processes", role)
	}
	if why != "" {
		return "", &Unmet{Reason: fmt.Sprintf("the %s under test is the deployed process %s, in the state it has and owned by whoever deployed it: %s", role, pid, why)}
	}
	// Recorded as the process's spawn, so that the steps find the role
	// of the process (and the last domain) as they do for one spawned;
	// the Deployed tag says no spawn was sent.
	s.exchanges = append(s.exchanges, adapters.Exchange{Kind: "spawn", Request: adapters.Message{Target: pid,
		Tags: adapters.Tags{{Name: "Module", Value: s.target.Modules[role]}, {Name: DeployedSpawnTag, Value: pid}}}})
	s.processes[name] = pid
	return pid, nil
}
