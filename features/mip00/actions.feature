@MIP-00 @domain
Feature: MIP-00 Actions and Content-Type
  A request names its operation in the Action tag, exactly. A message that names no operation of the
  process gets no reply and changes nothing. Content-Type is never required.

  Background:
    Given a domain process "D"
    And wallet "alice" has registered "shop" to process "P1"

  @MIP00-ACT-1 @MIP00-ATOM-1 @MUST
  Scenario: an unknown Action gets no reply and changes nothing
    Given a wallet "mallory"
    When wallet "mallory" sends "Transfer" to "D" with data "{\"name\":\"shop\",\"to\":\"<mallory>\"}"
    # checks MIP00-ACT-1
    Then there is no reply
    And no evaluation failed
    # checks MIP00-ATOM-1
    And querying "shop" shows owner "alice" and process "P1"

  @MIP00-ACT-1 @MUST
  Scenario: a message without an Action gets no reply
    When wallet "mallory" sends "" to "D" with data "{\"name\":\"shop\"}"
    Then there is no reply
    And no evaluation failed
    And querying "shop" shows owner "alice" and process "P1"

  @MIP00-ACT-1 @MUST
  Scenario Outline: a reply arriving at the Domain is not answered: <action>
    When wallet "mallory" sends "<action>" to "D" with data "{\"code\":\"NotFound\",\"message\":\"x\"}"
    Then there is no reply
    And no evaluation failed

    Examples:
      | action               |
      | Register-Response    |
      | Register-Error       |
      | QueryDomain-Response |

  @MIP00-ACT-1 @MUST
  Scenario: an unknown Action by dryrun gets no reply either
    When "mallory" dryruns "Info" on "D"
    Then there is no reply

  @MIP00-ACT-2 @MUST
  Scenario Outline: an Action in another case is an unknown action: <action>
    When wallet "mallory" sends "<action>" to "D" with data "{\"name\":\"cafe\",\"pid\":\"<P2>\"}"
    # checks MIP00-ACT-2
    Then there is no reply
    And querying "cafe" shows it is free

    Examples:
      | action    |
      | register  |
      | REGISTER  |
      | ReGister  |

  @MIP00-ACT-2 @MIP00-ATOM-1 @MUST
  Scenario: a lower-case renounce is ignored
    When wallet "alice" sends "renounce" to "D" with data "{\"name\":\"shop\"}"
    # checks MIP00-ACT-2
    Then there is no reply
    # checks MIP00-ATOM-1
    And querying "shop" shows owner "alice" and process "P1"

  @MIP00-ACT-3 @MUST
  Scenario: a Register tagged Content-Type application/json works like one without
    When wallet "bob" sends "Register" to "D" with data "{\"name\":\"cafe\",\"pid\":\"<P2>\"}" and tags:
      | Content-Type | application/json |
    Then the reply is a success
    And the reply data is:
      """
      {"name": "cafe", "owner": "<bob>", "pid": "<P2>"}
      """
    And querying "cafe" shows owner "bob" and process "P2"

  @MIP00-ACT-3 @MUST
  Scenario: a Register tagged Content-Type text/plain works too
    When wallet "bob" sends "Register" to "D" with data "{\"name\":\"cafe\",\"pid\":\"<P2>\"}" and tags:
      | Content-Type | text/plain |
    Then the reply is a success
    And querying "cafe" shows owner "bob" and process "P2"

  @MIP00-ACT-3 @MUST
  Scenario: a QueryDomain object tagged Content-Type application/json works like one without
    When wallet "bob" sends "QueryDomain" to "D" with data "{\"name\":\"shop\"}" and tags:
      | Content-Type | application/json |
    Then the reply is a success
    # checks MIP01-QRY-1
    And the reply field "name" is "shop"
    # checks MIP00-ACT-3
    And the reply data is:
      """
      {"name": "shop", "registered": true, "owner": "<alice>", "pid": "<P1>"}
      """

  @MIP00-ACT-3 @MUST
  Scenario: an unknown field is refused with Content-Type application/json too
    When wallet "bob" sends "Register" to "D" with data "{\"name\":\"cafe\",\"pid\":\"<P2>\",\"owner\":\"<P2>\"}" and tags:
      | Content-Type | application/json |
    # checks MIP00-ACT-3
    Then the reply is an error "InvalidInput"
    And querying "cafe" shows it is free
