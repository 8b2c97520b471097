@MIP-00 @domain
Feature: MIP-00 Malformed input and limits
  Malformed Data gets InvalidInput: never a crash, never silence. Data over 4096 bytes gets
  LimitExceeded before anything else. Request objects are closed. A failed request changes nothing.

  Background:
    Given a domain process "D"

  @MIP00-INP-1 @MIP00-INP-2 @MIP00-ATOM-1 @MUST
  Scenario Outline: malformed JSON gets InvalidInput and no handler error: <case>
    When wallet "alice" sends "Register" to "D" with data:
      """
      <data>
      """
    # checks MIP00-INP-1
    Then the reply is an error "InvalidInput"
    And no evaluation failed
    # checks MIP00-ATOM-1
    And the domains of "alice" are none

    Examples:
      | case                  | data                                   |
      | a bare word           | hello                                  |
      | an open brace         | {                                      |
      | a close brace         | }                                      |
      | single quotes         | {'name': 'shop', 'pid': '<P1>'}        |
      | a trailing comma      | {"name": "shop", "pid": "<P1>",}       |
      | an unterminated string | {"name": "shop, "pid": "<P1>"}        |
      | a bad escape          | {"name": "sh\qop", "pid": "<P1>"}      |
      | deep nesting          | [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] |
      | a Lua table           | {name = "shop", pid = "<P1>"}          |
      | two objects           | {"name": "shop"}{"pid": "<P1>"}        |

  @MIP00-INP-1 @MIP00-INP-2 @MUST @deployed
  Scenario: Data that is only whitespace gets InvalidInput
    When wallet "alice" sends "Register" to "D" with data "   \n\t  "
    # checks MIP00-INP-1
    Then the reply is an error "InvalidInput"
    And no evaluation failed

  @MIP00-INP-1 @MIP00-INP-2 @MUST @deployed
  Scenario: invalid UTF-8 in Data gets InvalidInput
    When wallet "alice" sends "Register" to "D" with data "{\"name\":\"sh\xffop\",\"pid\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}"
    # checks MIP00-INP-1
    Then the reply is an error "InvalidInput"
    And no evaluation failed

  @MIP00-INP-3 @MUST
  Scenario: Data of exactly 4096 bytes is accepted
    When wallet "alice" sends "Register" to "D" with data "{\"name\":\"shop\",\"pid\":\"<P1>\"}" padded with spaces to 4096 bytes
    Then the reply is a success
    And querying "shop" shows owner "alice" and process "P1"

  @MIP00-INP-3 @MIP00-ATOM-1 @MUST
  Scenario: Data of 4097 bytes is LimitExceeded and nothing changes
    When wallet "alice" sends "Register" to "D" with data "{\"name\":\"shop\",\"pid\":\"<P1>\"}" padded with spaces to 4097 bytes
    # checks MIP00-INP-3
    Then the reply is an error "LimitExceeded"
    # checks MIP00-ATOM-1
    And querying "shop" shows it is free

  @MIP00-INP-3 @MUST
  Scenario: Data that arrives decoded is measured by its JSON encoding
    When wallet "alice" sends "Register" to "D" with the JSON object "{\"name\":\"shop\",\"pid\":\"<P1>\"}" grown by a field "pad" to 4200 bytes, tagged Content-Type application/json
    Then the reply is an error "LimitExceeded"
    And querying "shop" shows it is free

  @MIP00-INP-3 @MUST
  Scenario: a raw read argument of 4097 bytes is LimitExceeded
    When wallet "alice" sends "QueryDomain" to "D" with data "a" repeated 4097 times
    Then the reply is an error "LimitExceeded"

  @MIP00-INP-3 @MIP00-INP-2 @MUST
  Scenario: a huge Data of 1 MiB gets LimitExceeded, not a crash
    When wallet "alice" sends "Register" to "D" with data "[" repeated 1048576 times
    # checks MIP00-INP-3
    Then the reply is an error "LimitExceeded"
    And no evaluation failed

  @MIP00-INP-3 @MUST
  Scenario: a huge GetDomains gets LimitExceeded too
    When wallet "alice" sends "GetDomains" to "D" with data "A" repeated 10000 times
    Then the reply is an error "LimitExceeded"

  @MIP00-INP-4 @MIP00-ATOM-1 @MUST
  Scenario Outline: an unknown field is InvalidInput even next to valid fields: <action>
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "alice" sends "<action>" to "D" with data:
      """
      <data>
      """
    # checks MIP00-INP-4
    Then the reply is an error "InvalidInput"
    # checks MIP00-ATOM-1
    And querying "shop" shows owner "alice" and process "P1"

    Examples:
      | action   | data                                            |
      | Register | {"name": "shop", "pid": "<P2>", "note": "hi"}   |
      | Register | {"name": "shop", "pid": "<P2>", "Name": "shop"} |
      | Renounce | {"name": "shop", "force": true}                 |
      | Renounce | {"name": "shop", "": ""}                        |

  @MIP00-ATOM-1 @MIP01-REG-3 @MUST
  Scenario: a run of refused requests leaves the registry exactly as it was
    Given wallet "alice" has registered "shop" to process "P1"
    And wallet "alice" has registered "cafe" to process "P2"
    When wallet "mallory" registers "shop" to process "P3"
    And wallet "mallory" renounces "cafe"
    And wallet "mallory" renounces "SHOP"
    And wallet "mallory" registers "cafe" to id "x"
    And wallet "mallory" sends "Register" to "D" with data "{"
    # checks MIP01-REG-3
    Then querying "shop" shows owner "alice" and process "P1"
    # checks MIP00-ATOM-1
    And querying "cafe" shows owner "alice" and process "P2"
    And the domains of "alice" are "cafe", "shop"
    And the domains of "mallory" are none
