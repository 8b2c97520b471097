@MIP-02 @MIP-03
Feature: Flow: a group of four, one removed
  A group created by a profile; the admin removes a member, who then can no
  longer send. The removed member is a puppet process here, so that the
  suite can make it try to send anyway.

  Background:
    Given wallet "alice" has a profile "PA"
    And wallet "bob" has a profile "PB"
    And wallet "carol" has a profile "PC"
    And a puppet process "X" owned by wallet "mallory"

  @MIP03-GRP-5 @MUST
  Scenario: a removed participant can no longer send
    When "PA" creates a group "G" with "PB, PC, X"
    Then the participants of "G" are PA as admin, PB as member, PC as member, X as member
    # checks MIP03-INIT-2
    And the chat list of "PB" shows 1 session
    And the chat list of "PC" shows 1 session
    # checks MIP03-GRP-5
    When wallet "mallory" has "X" send "SendMessage" to "G" with data:
      """
      {"content": "hello from X"}
      """
    Then the session "G" holds 1 message
    And the chat list of "PB" shows "G" with 1 unread
    When "PA" removes "X" from "G"
    Then the participants of "G" are PA as admin, PB as member, PC as member
    When wallet "mallory" has "X" send "SendMessage" to "G" with data:
      """
      {"content": "still here"}
      """
    Then "G" answered "X" with an error "Unauthorized"
    And the session "G" holds 1 message
    And the chat list of "PB" shows "G" with 1 unread
    And the chat list of "PC" shows "G" with 1 unread

  @MIP02-CHAT-3 @MIP03-SEND-4 @MUST
  Scenario: everyone but the sender counts a group message
    Given "PA" creates a group "G" with "PB, PC"
    # checks MIP02-MSG-1
    When "PB" says "hi" in "G"
    # checks MIP02-CHAT-3
    Then the chat list of "PA" shows "G" with 1 unread
    # checks MIP03-SEND-4
    And the chat list of "PC" shows "G" with 1 unread
    # checks MIP02-CHAT-4
    And the chat list of "PB" shows "G" with 0 unread

  @MIP02-SES-1 @MUST
  Scenario: a group past 256 is refused
    When "PA" asks for a group with 256 new participants
    Then the reply is an error "LimitExceeded"
    And the chat list of "PA" shows 0 sessions
