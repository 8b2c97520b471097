@MIP-00 @domain
Feature: MIP-00 Replies
  Every request gets exactly one reply, sent like aos msg.reply: to Reply-To or the sender, with
  X-Reference. A success is <Op>-Response with a JSON object; an error is <Op>-Error with the tag
  Error and {code, message}.

  Background:
    Given a domain process "D"

  @MIP00-REP-1 @MIP00-REP-3 @MUST
  Scenario: a successful write gets one Response with a JSON object
    When wallet "alice" registers "shop" to process "P1"
    # checks MIP01-REG-1
    Then the reply is a success
    # checks MIP00-REP-3
    And the reply action is "Register-Response"
    And no evaluation failed

  @MIP00-REP-1 @MIP00-REP-3 @MUST
  Scenario: a successful read by message gets one Response with a JSON object
    When wallet "bob" sends "QueryDomain" to "D" with data "shop"
    # checks MIP01-QRY-2
    Then the reply is a success
    # checks MIP00-REP-3
    And the reply action is "QueryDomain-Response"

  @MIP00-REP-1 @MIP00-ERR-1 @MUST
  Scenario: a failed write gets one Error reply of the MIP-00 shape
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "bob" registers "shop" to process "P2"
    # checks MIP01-REG-3
    Then the reply is an error "NameTaken"
    # checks MIP00-ERR-1
    And the reply action is "Register-Error"
    And the reply has no field "name"

  @MIP00-REP-2 @MUST
  Scenario Outline: the reply carries X-Reference = the request's Reference: <action>
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "alice" sends "<action>" to "D" with data:
      """
      <data>
      """
    Then the reply references the request

    Examples:
      | action      | data                              |
      | QueryDomain | shop                              |
      | GetDomains  | <alice>                           |
      | Register    | {"name": "cafe", "pid": "<P2>"}   |
      | Register    | {"name": "shop", "pid": "bad"}    |
      | Renounce    | {"name": "shop"}                  |
      | Renounce    | {"name": "none"}                  |

  @MIP00-REP-2 @MUST
  Scenario: a read with Reply-To is answered there, not to the sender
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "bob" sends "QueryDomain" to "D" with data "shop" and tags:
      | Reply-To | <P9> |
    Then the reply goes to "P9" and not to the sender

  @MIP00-REP-2 @MUST
  Scenario: a write with Reply-To is answered there, and the sender still owns the name
    When wallet "bob" sends "Register" to "D" with data "{\"name\":\"cafe\",\"pid\":\"<P2>\"}" and tags:
      | Reply-To | <P9> |
    Then the reply goes to "P9" and not to the sender
    And querying "cafe" shows owner "bob" and process "P2"

  @MIP00-REP-2 @MUST
  Scenario: an error with Reply-To is answered there too
    When wallet "bob" sends "Renounce" to "D" with data "{\"name\":\"cafe\"}" and tags:
      | Reply-To | <P9> |
    Then the reply goes to "P9" and not to the sender

  @MIP00-ERR-2 @MIP00-ERR-1 @MUST
  Scenario Outline: each failure gets its code: <code>
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "bob" sends "<action>" to "D" with data:
      """
      <data>
      """
    # checks <rule>
    Then the reply is an error "<code>"

    Examples:
      | action   | data                              | code         | rule         |
      | Register | {"name": "shop", "pid": "<P2>"}   | NameTaken    | MIP01-REG-3  |
      | Register | {"name": "Shop", "pid": "<P2>"}   | InvalidInput | MIP01-NAME-1 |
      | Renounce | {"name": "shop"}                  | Unauthorized | MIP01-REN-3  |
      | Renounce | {"name": "cafe"}                  | NotFound     | MIP01-REN-2  |

  @MIP00-ERR-2 @MIP00-ERR-1 @MUST
  Scenario: oversized Data gets LimitExceeded
    When wallet "bob" sends "QueryDomain" to "D" with data "a" repeated 4097 times
    # checks MIP00-INP-3
    Then the reply is an error "LimitExceeded"

  @MIP00-ERR-3 @SHOULD
  Scenario: an error about a large input does not echo it back
    When wallet "mallory" sends "QueryDomain" to "D" with data "A" repeated 4096 times
    Then the reply is an error "InvalidInput"
    And the error message is at most 256 bytes

  @MIP00-ERR-3 @SHOULD
  Scenario: an error about a long unknown field name does not echo it back
    When wallet "mallory" sends "Register" to "D" with data "{\"name\":\"shop\",\"pid\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\":1}"
    Then the reply is an error "InvalidInput"
    And the error message is at most 256 bytes

  @MIP00-ORD-1 @MIP00-RD-1 @MUST
  Scenario: a list comes in the same order whatever order the names were registered in
    Given wallet "alice" has registered "c" to process "P1"
    And wallet "alice" has registered "a" to process "P1"
    And wallet "alice" has registered "b" to process "P1"
    And wallet "alice" has renounced "a"
    And wallet "alice" has registered "a" to process "P2"
    # checks MIP00-ORD-1
    Then the domains of "alice" are "a", "b", "c"
    # checks MIP00-RD-1
    And a dryrun and a sent "GetDomains" from wallet "alice" to "D" with data "<alice>" give the same reply
