@MIP-02 @MIP-03
Feature: Flow: two profiles chat in a DM
  Alice's profile opens a DM with Bob's; both lists show it; Bob's profile
  counts what Alice says until Bob reads it.

  @MIP02-CHAT-3 @MIP02-READ-1 @MIP03-SEND-4 @MUST
  Scenario: a DM from creation to read marks
    Given wallet "alice" has a profile "PA"
    And wallet "bob" has a profile "PB"
    # checks MIP02-SES-2
    When "PA" creates a DM "S" with "PB"
    # checks MIP02-CHAT-1
    Then the chat list of "PA" shows 1 session with 0 unread
    And the chat list of "PB" shows 1 session with 0 unread
    # checks MIP03-INIT-2
    And "PB" has received 1 "Session-Created" notice from "S"
    # checks MIP02-MSG-1
    When "PA" says 3 messages in "S"
    # checks MIP02-CHAT-3
    Then the chat list of "PB" shows "S" with 3 unread
    # checks MIP03-SEND-4
    And "PB" has received 3 "Session-Message" notices from "S"
    And "PA" has received 0 "Session-Message" notices from "S"
    # checks MIP02-CHAT-4
    And the chat list of "PA" shows "S" with 0 unread
    # checks MIP02-READ-1
    When "PB" marks "S" read up to 2
    Then the chat list of "PB" shows "S" with 1 unread
    # checks MIP02-MSG-1
    When "PB" says "got them" in "S"
    # checks MIP02-CHAT-3
    Then the chat list of "PA" shows "S" with 1 unread
    # checks MIP02-MSG-1
    And the session "S" holds 4 messages
    When "anyone" dryruns "GetMessages" on "S" with data "{"order": "desc", "limit": 1}"
    # checks MIP03-GET-1
    Then the reply message 4 includes:
      """
      {"from": "<PB>", "content": "got them"}
      """

  @MIP02-CHAT-2 @MIP02-CHAT-3 @MUST
  Scenario: two DMs of one profile, each counted on its own
    Given wallet "alice" has a profile "PA"
    And wallet "bob" has a profile "PB"
    And wallet "carol" has a profile "PC"
    # checks MIP02-SES-2
    When "PA" creates a DM with "PB"
    And "PC" creates a DM with "PB"
    # checks MIP02-MSG-1
    And "PA" says 3 messages in "PA-PB"
    And "PC" says "hi bob" in "PC-PB"
    # checks MIP02-CHAT-3
    Then the chat list of "PB" shows 2 sessions with 4 unread
    # checks MIP02-CHAT-2
    And the chat list of "PB" lists PC-PB, PA-PB in that order
    # checks MIP02-CHAT-3
    And the chat list of "PB" shows "PA-PB" with 3 unread
    And the chat list of "PB" shows "PC-PB" with 1 unread
