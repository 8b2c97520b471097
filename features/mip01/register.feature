@MIP-01
Feature: MIP-01 Register

  Background:
    Given a domain process "D"

  @MIP01-REG-1 @MUST
  Scenario: a wallet registers a free name
    When wallet "alice" sends "Register" to "D" with data:
      """
      {"name": "shop", "pid": "<P1>"}
      """
    Then the reply is a success
    And the reply data is:
      """
      {"name": "shop", "owner": "<alice>", "pid": "<P1>"}
      """
