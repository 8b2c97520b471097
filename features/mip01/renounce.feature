@MIP-01
Feature: MIP-01 Renounce
  The owner of a name gives it up; the name is free at once. Nobody else can make it go away.

  Background:
    Given a domain process "D"

  @MIP01-REN-1 @MUST
  Scenario: the owner renounces a name and it is free at once
    Given wallet "alice" has registered "shop" to process "P1"
    And wallet "alice" has registered "cafe" to process "P1"
    When wallet "alice" renounces "shop"
    Then the reply is a success
    And the reply data is:
      """
      {"name": "shop", "renounced": true}
      """
    And querying "shop" shows it is free
    And querying "cafe" shows owner "alice" and process "P1"
    And the domains of "alice" are "cafe"

  @MIP01-REN-1 @MIP00-ID-1 @MUST
  Scenario: a process renounces a name it owns, as its sender, not as the unit that signed
    Given a puppet process "X" owned by wallet "mallory"
    And wallet "mallory" has "X" send "Register" to "D" with data:
      """
      {"name": "shop", "pid": "<P1>"}
      """
    When wallet "mallory" has "X" send "Renounce" to "D" with data:
      """
      {"name": "shop"}
      """
    # checks MIP00-ID-1
    Then "D" answered "X" with a success including:
      """
      {"name": "shop", "renounced": true}
      """
    # checks MIP01-REN-1
    And querying "shop" shows it is free

  @MIP01-REN-1 @MIP01-REG-1 @MUST
  Scenario: anyone may register a renounced name
    Given wallet "alice" has registered "shop" to process "P1"
    And wallet "alice" has renounced "shop"
    When wallet "bob" registers "shop" to process "P2"
    # checks MIP01-REN-1
    Then the reply is a success
    # checks MIP01-REG-1
    And querying "shop" shows owner "bob" and process "P2"
    And the domains of "bob" are "shop"
    # checks MIP01-REN-1
    And the domains of "alice" are none

  @MIP01-REN-1 @MUST
  Scenario: the former owner can register the name again
    Given wallet "alice" has registered "shop" to process "P1"
    And wallet "alice" has renounced "shop"
    When wallet "alice" registers "shop" to process "P3"
    Then the reply is a success
    And querying "shop" shows owner "alice" and process "P3"

  @MIP01-REN-2 @MUST
  Scenario: renouncing a name never registered is NotFound
    When wallet "alice" renounces "shop"
    Then the reply is an error "NotFound"
    And querying "shop" shows it is free

  @MIP01-REN-2 @MUST
  Scenario: renouncing twice: the second is NotFound
    Given wallet "alice" has registered "shop" to process "P1"
    And wallet "alice" has renounced "shop"
    # checks MIP01-REN-1
    And querying "shop" shows it is free
    When wallet "alice" renounces "shop"
    Then the reply is an error "NotFound"
    And querying "shop" shows it is free

  @MIP01-REN-3 @MIP00-ATOM-1 @MUST
  Scenario: a wallet that is not the owner cannot renounce a name
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "mallory" renounces "shop"
    # checks MIP01-REN-3
    Then the reply is an error "Unauthorized"
    # checks MIP00-ATOM-1
    And querying "shop" shows owner "alice" and process "P1"
    And the domains of "alice" are "shop"

  @MIP00-ID-1 @MIP00-ATOM-1 @MUST
  Scenario: naming the owner in Data does not make the sender the owner
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "mallory" sends "Renounce" to "D" with data:
      """
      {"name": "shop", "owner": "<alice>"}
      """
    # checks MIP00-ID-1
    Then the reply is an error "InvalidInput"
    # checks MIP00-ATOM-1
    And querying "shop" shows owner "alice" and process "P1"

  @MIP01-REN-3 @MUST
  Scenario: a process cannot renounce the name of the wallet that owns the process
    Given wallet "alice" has registered "shop" to process "P1"
    And a puppet process "X" owned by wallet "alice"
    When wallet "alice" sends "Relay" to "X" with data:
      """
      {"Target": "<D>", "Data": "{\"name\":\"shop\"}", "Tags": {"Action": "Renounce"}}
      """
    # checks MIP01-REN-3
    Then querying "shop" shows owner "alice" and process "P1"

  @MIP01-REN-4 @MIP00-INP-2 @MIP00-ATOM-1 @MUST
  Scenario Outline: a Renounce whose Data is not {name} with a valid name is InvalidInput: <case>
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "alice" sends "Renounce" to "D" with data:
      """
      <data>
      """
    # checks MIP01-REN-4
    Then the reply is an error "InvalidInput"
    And no evaluation failed
    # checks MIP00-ATOM-1
    And querying "shop" shows owner "alice" and process "P1"

    Examples:
      | case                  | data                               |
      | the raw name          | shop                               |
      | truncated JSON        | {"name": "shop"                    |
      | a JSON string         | "shop"                             |
      | a JSON array          | ["shop"]                           |
      | an empty object       | {}                                 |
      | name a number         | {"name": 7}                        |
      | name null             | {"name": null}                     |
      | an unknown field      | {"name": "shop", "pid": "<P1>"}    |
      | an upper-case name    | {"name": "SHOP"}                   |
      | a name with a space   | {"name": "shop "}                  |

  @MIP01-REN-4 @MIP00-INP-2 @MUST
  Scenario: a Renounce with empty Data is InvalidInput
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "alice" sends "Renounce" to "D"
    # checks MIP01-REN-4
    Then the reply is an error "InvalidInput"
    And no evaluation failed
    And querying "shop" shows owner "alice" and process "P1"
