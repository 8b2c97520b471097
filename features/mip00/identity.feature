@MIP-00 @domain
Feature: MIP-00 Identity
  The sender is msg.From and nothing else, compared byte for byte.

  Background:
    Given a domain process "D"

  @MIP00-ID-1 @MIP01-REG-1 @MUST
  Scenario: the owner recorded is the signer of the request
    When wallet "alice" registers "shop" to process "P1"
    # checks MIP00-ID-1
    Then the reply field "owner" is "<alice>"
    # checks MIP01-REG-1
    And querying "shop" shows owner "alice" and process "P1"

  @MIP00-ID-1 @MUST
  Scenario: an owner field in Data is refused, not believed
    Given a wallet "alice"
    When wallet "mallory" sends "Register" to "D" with data:
      """
      {"name": "shop", "pid": "<P1>", "owner": "<alice>"}
      """
    # checks MIP00-ID-1
    Then the reply is an error "InvalidInput"
    And querying "shop" shows it is free
    And the domains of "alice" are none

  @MIP00-ID-1 @MUST
  Scenario: a wallet claiming to be another through a From-Process tag cannot renounce its name
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "mallory" sends "Renounce" to "D" with data "{\"name\":\"shop\"}" and tags:
      | From-Process | <alice> |
    # checks MIP00-ID-1
    Then querying "shop" shows owner "alice" and process "P1"

  @MIP00-ID-1 @MUST
  Scenario: a wallet claiming to be the owner through a From-Process tag cannot reassign its name
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "mallory" sends "Register" to "D" with data "{\"name\":\"shop\",\"pid\":\"<P666>\"}" and tags:
      | From-Process | <alice> |
    # checks MIP00-ID-1
    Then querying "shop" shows owner "alice" and process "P1"

  @MIP00-ID-1 @MUST
  Scenario: a wallet claiming to be the owner through an Owner or From tag cannot renounce its name
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "mallory" sends "Renounce" to "D" with data "{\"name\":\"shop\"}" and tags:
      | From  | <alice> |
      | Owner | <alice> |
    # checks MIP00-ID-1
    Then querying "shop" shows owner "alice" and process "P1"

  @MIP00-ID-2 @MUST
  Scenario Outline: an address in another case is another owner: <casing> case
    Given wallet "alice" has registered "shop" to process "P1"
    Then the domains of "alice" with its address in <casing> case are none
    And the domains of "alice" are "shop"

    Examples:
      | casing |
      | upper  |
      | lower  |

  @MIP00-ID-2 @MIP01-REG-1 @MUST
  Scenario: the owner is recorded byte for byte, never case-folded
    When wallet "alice" registers "shop" to process "P1"
    # checks MIP00-ID-2
    Then the reply field "owner" is "<alice>"
    And the reply field "pid" is "<P1>"
    # checks MIP01-REG-1
    And querying "shop" shows owner "alice" and process "P1"

  @MIP00-ID-2 @MUST
  Scenario: a mixed-case pid is kept as it is
    When wallet "alice" registers "shop" to id "aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgHiJkLmNoPq"
    # checks MIP00-ID-2
    Then the reply field "pid" is "aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgHiJkLmNoPq"
