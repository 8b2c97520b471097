@MIP-00 @profile
Feature: MIP-00 Replies of a profile
  A profile answers its own operations like every MostAO process: exactly one reply, sent like aos
  msg.reply, with X-Reference; a success is <Op>-Response with a JSON object, an error <Op>-Error
  with the tag Error and {code, message}.

  Background:
    Given wallet "alice" has a profile "PA"

  @MIP00-REP-1 @MIP00-REP-3 @MUST
  Scenario: a profile's successful update gets one Response with a JSON object
    When wallet "alice" sends "UpdateProfile" to "PA" with data "{\"nickname\":\"Alice\"}"
    # checks MIP02-UPD-3
    Then the reply is a success
    # checks MIP00-REP-3
    And the reply action is "UpdateProfile-Response"
    And no evaluation failed

  @MIP00-REP-1 @MIP00-REP-3 @MUST
  Scenario: a profile's read by message gets one Response with a JSON object
    When wallet "bob" sends "GetProfile" to "PA"
    # checks MIP02-GET-1
    Then the reply is a success
    # checks MIP00-REP-3
    And the reply action is "GetProfile-Response"

  @MIP00-REP-1 @MIP00-ERR-1 @MUST
  Scenario: a profile's refusal gets one Error reply of the MIP-00 shape
    When wallet "mallory" sends "UpdateProfile" to "PA" with data "{\"nickname\":\"M\"}"
    # checks MIP02-OWN-1
    Then the reply is an error "Unauthorized"
    # checks MIP00-ERR-1
    And the reply action is "UpdateProfile-Error"

  @MIP00-REP-2 @MUST
  Scenario Outline: a profile's reply carries X-Reference = the request's Reference: <action> from <wallet>
    When wallet "<wallet>" sends "<action>" to "PA" with data "<data>"
    Then the reply references the request

    Examples:
      | wallet  | action        | data                     |
      | alice   | UpdateProfile | {\"nickname\":\"Alice\"} |
      | bob     | GetProfile    |                          |
      | mallory | UpdateProfile | {\"nickname\":\"M\"}     |

  @MIP00-REP-2 @MUST
  Scenario: a profile answers at Reply-To, not to the sender
    When wallet "alice" sends "UpdateProfile" to "PA" with data "{\"nickname\":\"Alice\"}" and tags:
      | Reply-To | <P9> |
    Then the reply goes to "P9" and not to the sender
