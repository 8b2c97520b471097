@MIP-01
Feature: MIP-01 Order of checks
  A request that is wrong in several ways gets the code of the first failing check:
  size, then form, then syntax, then state.

  Background:
    Given a domain process "D"

  @MIP01-CHK-1 @MUST
  Scenario: a Register of a taken name with an invalid pid is InvalidInput, not NameTaken
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "bob" registers "shop" to id "not-an-id"
    Then the reply is an error "InvalidInput"
    And querying "shop" shows owner "alice" and process "P1"

  @MIP01-CHK-1 @MUST
  Scenario: a Renounce of a free name by anyone is NotFound, not Unauthorized
    When wallet "mallory" renounces "cafe"
    Then the reply is an error "NotFound"

  @MIP01-CHK-1 @MUST @deployed
  Scenario: a Renounce of an invalid name is InvalidInput, not NotFound
    When wallet "mallory" renounces "Cafe"
    Then the reply is an error "InvalidInput"

  @MIP01-CHK-1 @MUST
  Scenario: an unknown field is InvalidInput even when the name is taken
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "bob" sends "Register" to "D" with data:
      """
      {"name": "shop", "pid": "<P2>", "force": "yes"}
      """
    Then the reply is an error "InvalidInput"

  @MIP01-CHK-1 @MUST
  Scenario: an oversized Renounce by a non-owner is LimitExceeded, not Unauthorized
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "mallory" sends "Renounce" to "D" with data "{\"name\":\"shop\"}" padded with spaces to 4097 bytes
    # checks MIP01-CHK-1
    Then the reply is an error "LimitExceeded"
    And querying "shop" shows owner "alice" and process "P1"

  @MIP01-CHK-1 @MUST
  Scenario: oversized Data that is not JSON is LimitExceeded, not InvalidInput
    When wallet "mallory" sends "Register" to "D" with data "{" repeated 5000 times
    # checks MIP01-CHK-1
    Then the reply is an error "LimitExceeded"
