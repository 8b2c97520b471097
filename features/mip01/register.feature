@MIP-01
Feature: MIP-01 Register
  A wallet or a process claims a free name, or points a name it owns at another process.
  Nobody takes a name that belongs to someone else.

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
    And querying "shop" shows owner "alice" and process "P1"
    And the domains of "alice" are "shop"

  @MIP01-REG-1 @MIP00-ID-1 @MUST
  Scenario: a process that registers a name owns it itself, not the wallet behind it
    Given a puppet process "X" owned by wallet "mallory"
    When wallet "mallory" sends "Relay" to "X" with data:
      """
      {"Target": "<D>", "Data": "{\"name\":\"shop\",\"pid\":\"<P1>\"}", "Tags": {"Action": "Register"}}
      """
    # checks MIP00-ID-1
    Then querying "shop" shows owner "X" and process "P1"
    # checks MIP01-REG-1
    And the domains of "X" are "shop"
    And the domains of "mallory" are none

  @MIP01-REG-2 @MIP00-ID-1 @MUST
  Scenario: a process that owns a name reassigns it itself, as its sender, not as the unit that signed
    Given a puppet process "X" owned by wallet "mallory"
    And wallet "mallory" has "X" send "Register" to "D" with data:
      """
      {"name": "shop", "pid": "<P1>"}
      """
    When wallet "mallory" has "X" send "Register" to "D" with data:
      """
      {"name": "shop", "pid": "<P2>"}
      """
    # checks MIP00-ID-1
    Then "D" answered "X" with a success including:
      """
      {"name": "shop", "owner": "<X>", "pid": "<P2>"}
      """
    # checks MIP01-REG-2
    And querying "shop" shows owner "X" and process "P2"

  @MIP01-REG-2 @MUST
  Scenario: the owner reassigns a name to another process
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "alice" registers "shop" to process "P2"
    Then the reply is a success
    And the reply data is:
      """
      {"name": "shop", "owner": "<alice>", "pid": "<P2>"}
      """
    And querying "shop" shows owner "alice" and process "P2"
    And the domains of "alice" are "shop"

  @MIP01-REG-2 @MUST
  Scenario: registering the same pid again is an idempotent success
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "alice" registers "shop" to process "P1"
    Then the reply is a success
    And the reply data is:
      """
      {"name": "shop", "owner": "<alice>", "pid": "<P1>"}
      """
    And querying "shop" shows owner "alice" and process "P1"
    And the domains of "alice" are "shop"

  @MIP01-REG-3 @MIP00-ATOM-1 @MUST
  Scenario: another wallet cannot take a registered name
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "mallory" registers "shop" to process "P666"
    # checks MIP01-REG-3
    Then the reply is an error "NameTaken"
    # checks MIP00-ATOM-1
    And querying "shop" shows owner "alice" and process "P1"
    And the domains of "mallory" are none
    And the domains of "alice" are "shop"

  @MIP01-REG-3 @MIP00-ATOM-1 @MUST
  Scenario: a hijack attempt pointing the name at the same process still fails
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "mallory" registers "shop" to process "P1"
    # checks MIP01-REG-3
    Then the reply is an error "NameTaken"
    # checks MIP00-ATOM-1
    And querying "shop" shows owner "alice" and process "P1"
    And the domains of "mallory" are none

  @MIP01-REG-3 @MIP00-ATOM-1 @MUST
  Scenario: a process cannot take a name a wallet owns
    Given wallet "alice" has registered "shop" to process "P1"
    And a puppet process "X" owned by wallet "mallory"
    When wallet "mallory" has "X" send "Register" to "D" with data:
      """
      {"name": "shop", "pid": "<X>"}
      """
    # checks MIP01-REG-3
    Then "D" answered "X" with an error "NameTaken"
    # checks MIP00-ATOM-1
    And querying "shop" shows owner "alice" and process "P1"
    And the domains of "X" are none

  @MIP01-REG-4 @MIP00-INP-2 @MIP00-ATOM-1 @MUST
  Scenario Outline: a Register whose Data is not {name, pid} as strings is InvalidInput: <case>
    When wallet "alice" sends "Register" to "D" with data:
      """
      <data>
      """
    # checks MIP01-REG-4
    Then the reply is an error "InvalidInput"
    And no evaluation failed
    # checks MIP00-ATOM-1
    And querying "shop" shows it is free
    And the domains of "alice" are none

    Examples:
      | case                 | data                                   |
      | not JSON             | shop                                   |
      | truncated JSON       | {"name": "shop", "pid": "<P1>"         |
      | trailing garbage     | {"name": "shop", "pid": "<P1>"} x      |
      | a JSON array         | ["shop", "<P1>"]                       |
      | an empty array       | []                                     |
      | a JSON string        | "shop"                                 |
      | a JSON number        | 42                                     |
      | JSON null            | null                                   |
      | an empty object      | {}                                     |
      | pid missing          | {"name": "shop"}                       |
      | name missing         | {"pid": "<P1>"}                        |
      | name a number        | {"name": 123, "pid": "<P1>"}           |
      | name an array        | {"name": ["shop"], "pid": "<P1>"}      |
      | name an object       | {"name": {"name": "shop"}, "pid": "<P1>"} |
      | pid null             | {"name": "shop", "pid": null}          |
      | pid true             | {"name": "shop", "pid": true}          |
      | unknown field        | {"name": "shop", "pid": "<P1>", "ttl": 60} |
      | an owner of its own  | {"name": "shop", "pid": "<P1>", "owner": "<P1>"} |

  @MIP01-REG-4 @MIP00-INP-2 @MUST
  Scenario: a Register with empty Data is InvalidInput
    When wallet "alice" sends "Register" to "D"
    # checks MIP01-REG-4
    Then the reply is an error "InvalidInput"
    And no evaluation failed
    And querying "shop" shows it is free

  @MIP01-ORD-1 @MIP01-REG-3 @MUST
  Scenario: of two Registers of one free name sent one right after the other, the first wins
    When wallets "alice" and "bob" register "shop" to processes "P1" and "P2" one right after the other
    # checks MIP01-ORD-1
    Then the last request of wallet "alice" got a success
    # checks MIP01-REG-3
    And the last request of wallet "bob" got the error "NameTaken"
    # checks MIP01-ORD-1
    And querying "shop" shows owner "alice" and process "P1"
    And the domains of "bob" are none

  @MIP01-ORD-1 @MUST
  Scenario: the same burst the other way round lets the other wallet win
    When wallets "bob" and "alice" register "shop" to processes "P2" and "P1" one right after the other
    Then the last request of wallet "bob" got a success
    # checks MIP01-REG-3
    And the last request of wallet "alice" got the error "NameTaken"
    # checks MIP01-ORD-1
    And querying "shop" shows owner "bob" and process "P2"

  @MIP01-ORD-1 @MIP01-REN-1 @MUST
  Scenario: a name renounced is taken by the very next Register from someone else
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "alice" renounces "shop"
    And wallet "bob" registers "shop" to process "P2"
    # checks MIP01-REN-1
    Then the reply is a success
    # checks MIP01-ORD-1
    And querying "shop" shows owner "bob" and process "P2"
    And the domains of "alice" are none

  @MIP01-REG-1 @MIP01-REG-3 @MUST
  Scenario: two Domain processes keep separate registries
    Given a domain process "D2"
    And wallet "alice" has registered "shop" to process "P1" on "D"
    When wallet "bob" registers "shop" to process "P2" on "D2"
    # checks MIP01-REG-3
    Then the reply is a success
    And querying "shop" on "D" shows owner "alice" and process "P1"
    # checks MIP01-REG-1
    And querying "shop" on "D2" shows owner "bob" and process "P2"
    And the domains of "bob" on "D" are none
    And the domains of "bob" on "D2" are "shop"
