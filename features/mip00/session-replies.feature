@MIP-00 @session
Feature: MIP-00 Replies of a chat session
  A chat session answers its own operations like every MostAO process: exactly one reply, sent like
  aos msg.reply, with X-Reference; a success is <Op>-Response with a JSON object, an error <Op>-Error
  with the tag Error and {code, message}.

  Background:
    Given wallet "alice" spawns a dm session "S" with "bob"

  @MIP00-REP-1 @MIP00-REP-3 @MUST
  Scenario: a session's successful write gets one Response with a JSON object
    When wallet "alice" sends "SendMessage" to "S" with data "{\"content\":\"hi\"}"
    # checks MIP03-SEND-1
    Then the answer is a success
    And no evaluation failed

  @MIP00-REP-1 @MIP00-REP-3 @MUST
  Scenario: a session's read by message gets one Response with a JSON object
    When wallet "carol" sends "GetSessionInfo" to "S"
    # checks MIP03-INFO-1
    Then the reply is a success
    # checks MIP00-REP-3
    And the reply action is "GetSessionInfo-Response"

  @MIP00-REP-1 @MIP00-ERR-1 @MUST
  Scenario: a session's refusal gets one Error reply of the MIP-00 shape
    When wallet "mallory" sends "SendMessage" to "S" with data "{\"content\":\"hi\"}"
    # checks MIP03-SEND-1
    Then the reply is an error "Unauthorized"
    # checks MIP00-ERR-1
    And the reply action is "SendMessage-Error"

  @MIP00-REP-2 @MUST
  Scenario Outline: a session's reply carries X-Reference = the request's Reference: <action> from <wallet>
    When wallet "<wallet>" sends "<action>" to "S" with data "<data>"
    Then the answer is a success

    Examples:
      | wallet | action         | data                  |
      | alice  | SendMessage    | {\"content\":\"hi\"}  |
      | carol  | GetSessionInfo |                       |

  @MIP00-REP-2 @MUST
  Scenario: a session's refusal carries X-Reference too
    When wallet "mallory" sends "SendMessage" to "S" with data "{\"content\":\"hi\"}"
    Then the reply references the request

  @MIP00-REP-2 @MUST
  Scenario: a session answers at Reply-To, not to the sender
    When wallet "carol" sends "GetSessionInfo" to "S" with data "" and tags:
      | Reply-To | <P9> |
    Then the reply goes to "P9" and not to the sender
