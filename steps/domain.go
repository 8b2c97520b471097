package steps

import "github.com/cucumber/godog"

// The MIP-01 Domain steps.
func init() { register(registerDomain) }

func registerDomain(sc *godog.ScenarioContext, s *Scenario) {}
