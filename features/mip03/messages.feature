@MIP-03
Feature: MIP-03 Sending messages
  Participants send; the session numbers and stamps each message and tells
  every other participant.

  Background:
    Given a wallet "bob"
    And a wallet "carol"
    And wallet "alice" spawns a group session "G" with "bob, carol"

  @MIP03-SEND-3 @MUST
  Scenario: messages are numbered 1, 2, 3 and stamped with the time of their message
    When wallet "alice" sends "SendMessage" to "G" with data "{"content": "one"}"
    Then the reply is a success
    And the reply references the request
    And the reply field "id" is 1
    And the reply field "timestamp" is the time of the request
    When wallet "bob" sends "SendMessage" to "G" with data "{"content": "two"}"
    Then the reply field "id" is 2
    And the reply field "timestamp" is the time of the request
    When wallet "carol" sends "SendMessage" to "G" with data "{"content": "three"}"
    Then the reply field "id" is 3
    When "anyone" dryruns "GetMessages" on "G"
    Then the reply lists messages 1, 2, 3

  @MIP03-SEND-3 @MUST
  Scenario: a stored message keeps its sender, time, content and reply link
    Given wallet "alice" sends "SendMessage" to "G" with data "{"content": "question?"}"
    When wallet "bob" sends "SendMessage" to "G" with data "{"content": "answer", "replyTo": 1}"
    Then the reply is a success
    And the reply field "timestamp" is the time of the request
    And the reply field "timestamp" is remembered as "sent at"
    When "anyone" dryruns "GetMessages" on "G" with data "{"after": 1}"
    Then the reply data includes:
      """
      {"hasMore": false, "nextCursor": null}
      """
    And the reply lists messages 2
    And the reply message 2 includes:
      """
      {"id": 2, "from": "<bob>", "content": "answer", "replyTo": 1}
      """
    And the reply message 2 field "timestamp" is the remembered "sent at"

  @MIP03-SEND-4 @MUST
  Scenario: every other participant gets one notice, the sender none
    When wallet "bob" sends "SendMessage" to "G" with data "{"content": "hello"}"
    Then the reply is a success
    # checks MIP03-SEND-3
    And the reply field "id" is 1
    # checks MIP03-SEND-4
    And "alice" has received 1 "Session-Message" notice from "G"
    And "carol" has received 1 "Session-Message" notice from "G"
    And "bob" has received 0 "Session-Message" notices from "G"
    And the last "Session-Message" notice from "G" to "carol" includes:
      """
      {"session": "<G>", "id": 1, "from": "<bob>"}
      """

  @MIP03-SEND-1 @MUST
  Scenario: a wallet that is not a participant cannot send
    When wallet "mallory" sends "SendMessage" to "G" with data "{"content": "spam"}"
    Then the reply is an error "Unauthorized"
    And the session "G" holds 0 messages
    And "alice" has received 0 "Session-Message" notices from "G"

  @MIP03-SEND-1 @MUST
  Scenario: a process that is not a participant cannot send
    Given a puppet process "X" owned by wallet "mallory"
    When wallet "mallory" has "X" send "SendMessage" to "G" with data:
      """
      {"content": "spam"}
      """
    Then "G" answered "X" with an error "Unauthorized"
    And the session "G" holds 0 messages

  @MIP03-SEND-2 @MUST
  Scenario Outline: content is 1 to 10000 bytes
    When wallet "alice" sends a message of <n> bytes to "G"
    Then the reply <outcome>

    Examples:
      | n     | outcome                    |
      | 1     | is a success               |
      | 10000 | is a success               |
      | 10001 | is an error "InvalidInput" |
      | 0     | is an error "InvalidInput" |

  @MIP03-SEND-2 @MUST
  Scenario: the content limit counts bytes, not characters
    When wallet "alice" sends a message of 5000 times "é" to "G"
    Then the reply is a success
    When wallet "alice" sends a message of 5001 times "é" to "G"
    Then the reply is an error "InvalidInput"

  @MIP03-SEND-2 @MUST
  Scenario Outline: malformed messages are refused and nothing is stored
    Given wallet "alice" sends "SendMessage" to "G" with data "{"content": "first"}"
    When wallet "alice" sends "SendMessage" to "G" with data "<data>"
    Then the reply is an error "InvalidInput"
    And the session "G" holds 1 message

    Examples:
      | data                                   |
      | {"content": "x", "replyTo": 2}         |
      | {"content": "x", "replyTo": 0}         |
      | {"content": "x", "replyTo": "1"}       |
      | {"content": "x", "edited": true}       |
      | {"content": "x", "edited": null}       |
      | {"content": 5}                         |
      | {}                                     |
      | not json                               |
      | ["x"]                                  |

  @MIP00-ACT-3 @MIP03-SEND-2 @MUST
  Scenario: a message sent with a JSON Content-Type is judged like one without
    When wallet "alice" sends "SendMessage" to "G" with data "{"content": "typed"}" and tags:
      | Content-Type | application/json |
    # checks MIP00-ACT-3
    Then the reply is a success
    When wallet "alice" sends "SendMessage" to "G" with data "{"content": "typed", "edited": true}" and tags:
      | Content-Type | application/json |
    # checks MIP03-SEND-2
    Then the reply is an error "InvalidInput"
    And the session "G" holds 1 message
