@MIP-02
Feature: MIP-02 Chat list and unread box
  A profile lists the sessions it takes part in, newest activity first, with
  an unread count per session that its owner moves with MarkRead.

  Background:
    Given wallet "alice" has a profile "PA"
    And wallet "bob" has a profile "PB"

  @MIP02-CHAT-1 @MUST
  Scenario: both profiles of a new DM list it
    When "PA" creates a DM "S" with "PB"
    Then the chat list of "PA" shows 1 session with 0 unread
    And the chat list of "PB" shows 1 session with 0 unread
    And the chat list of "PB" shows "S" with:
      """
      {"session": "<S>", "type": "dm", "creator": "<PA>", "lastMessageId": 0, "readUpTo": 0, "unread": 0}
      """

  @MIP02-CHAT-3 @MUST
  Scenario: messages from others are unread, one per message
    Given "PA" creates a DM "S" with "PB"
    When "PA" says 3 messages in "S"
    Then the chat list of "PB" shows "S" with 3 unread
    And the chat list of "PB" shows 1 session with 3 unread
    And the chat list of "PB" shows "S" with:
      """
      {"lastMessageId": 3}
      """

  @MIP02-CHAT-3 @MUST
  Scenario: a repeated notice for the same message counts once, also after it was read
    Given the session module accepts Eval from its owner
    And a session process "SX" owned by wallet "mallory"
    And wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PB>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = ao.id, participants = {{pid = "<PB>", role = "member"}, {pid = "<PA>", role = "member"}}, createdAt = 1})})
      """
    And the chat list of "PB" shows "SX" with 0 unread
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      local n = require("json").encode({session = ao.id, id = 1, from = "<PA>", timestamp = 5})
      ao.send({Target = "<PB>", Action = "Session-Message", Data = n})
      ao.send({Target = "<PB>", Action = "Session-Message", Data = n})
      """
    Then the chat list of "PB" shows "SX" with 1 unread
    When "PB" marks "SX" read
    And wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PB>", Action = "Session-Message", Data = require("json").encode({session = ao.id, id = 1, from = "<PA>", timestamp = 5})})
      """
    Then the chat list of "PB" shows "SX" with 0 unread

  @MIP02-CHAT-4 @SHOULD
  Scenario: the profile's own messages are never unread
    Given "PA" creates a DM "S" with "PB"
    When "PA" says 2 messages in "S"
    Then the chat list of "PA" shows "S" with 0 unread
    And the chat list of "PA" shows "S" with:
      """
      {"lastMessageId": 2}
      """

  @MIP02-CHAT-2 @MUST
  Scenario: sessions are listed newest activity first
    Given wallet "carol" has a profile "PC"
    And "PA" creates a DM "S1" with "PB"
    And "PA" creates a DM "S2" with "PC"
    When "PB" says "hi" in "S1"
    Then the chat list of "PA" lists S1, S2 in that order
    When "PC" says "hi" in "S2"
    Then the chat list of "PA" lists S2, S1 in that order
    And the chat list of "PA" shows 2 sessions with 2 unread

  @MIP02-CHAT-2 @MUST
  Scenario: sessions with the same last activity are listed by session id
    Given the session module accepts Eval from its owner
    And a session process "SX" owned by wallet "mallory"
    And a session process "SY" owned by wallet "mallory"
    And a session process "SZ" owned by wallet "mallory"
    When wallet "mallory" sends "Eval" to "SZ" with data:
      """
      ao.send({Target = "<PB>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = ao.id, participants = {{pid = "<PB>", role = "member"}, {pid = "<PA>", role = "member"}}, createdAt = 7})})
      """
    And wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PB>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = ao.id, participants = {{pid = "<PB>", role = "member"}, {pid = "<PA>", role = "member"}}, createdAt = 7})})
      """
    And wallet "mallory" sends "Eval" to "SY" with data:
      """
      ao.send({Target = "<PB>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = ao.id, participants = {{pid = "<PB>", role = "member"}, {pid = "<PA>", role = "member"}}, createdAt = 7})})
      """
    Then the chat list of "PB" lists SX, SY, SZ in session id order

  @MIP02-READ-1 @MUST
  Scenario: marking read up to a message
    Given "PA" creates a DM "S" with "PB"
    And "PA" says 3 messages in "S"
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<S>", "upTo": 2}"
    Then the reply is a success
    And the reply data is:
      """
      {"session": "<S>", "readUpTo": 2, "unread": 1}
      """
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<S>"}"
    Then the reply data is:
      """
      {"session": "<S>", "readUpTo": 3, "unread": 0}
      """

  @MIP02-READ-1 @MIP02-OWN-1 @MUST
  Scenario: only the owner marks read, only listed sessions, only whole non-negative marks
    Given "PA" creates a DM "S" with "PB"
    And "PA" says 2 messages in "S"
    When wallet "mallory" sends "MarkRead" to "PB" with data "{"session": "<S>"}"
    # checks MIP02-OWN-1
    Then the reply is an error "Unauthorized"
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<nowhere>"}"
    # checks MIP02-READ-1
    Then the reply is an error "NotFound"
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<S>", "upTo": -1}"
    Then the reply is an error "InvalidInput"
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<S>", "upTo": 1.5}"
    Then the reply is an error "InvalidInput"
    # 2^53 is past the integers of MIP-00
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<S>", "upTo": 9007199254740992}"
    Then the reply is an error "InvalidInput"
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<S>", "upTo": "2"}"
    Then the reply is an error "InvalidInput"
    And the chat list of "PB" shows "S" with 2 unread

  @MIP02-READ-2 @MUST
  Scenario: the read mark never moves back and never passes the last message
    Given "PA" creates a DM "S" with "PB"
    And "PA" says 3 messages in "S"
    And "PB" marks "S" read up to 2
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<S>", "upTo": 1}"
    Then the reply data is:
      """
      {"session": "<S>", "readUpTo": 2, "unread": 1}
      """
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<S>", "upTo": 0}"
    Then the reply data is:
      """
      {"session": "<S>", "readUpTo": 2, "unread": 1}
      """
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<S>", "upTo": 99}"
    Then the reply data is:
      """
      {"session": "<S>", "readUpTo": 3, "unread": 0}
      """
    When "PA" says "one more" in "S"
    Then the chat list of "PB" shows "S" with 1 unread

  @MIP02-CHAT-5 @MUST
  Scenario: a removed participant's profile drops the session; a title change reaches the list
    Given wallet "carol" has a profile "PC"
    And "PA" creates a group "G" with "PB, PC"
    When wallet "alice" sends "SessionCommand" to "PA" with data:
      """
      {"session": "<G>", "command": "SetTitle", "args": {"title": "book club"}}
      """
    Then the reply is a success
    And the chat list of "PB" shows "G" with:
      """
      {"title": "book club"}
      """
    When "PA" removes "PC" from "G"
    Then the chat list of "PC" does not show "G"
    And the chat list of "PB" shows "G" with 0 unread

  @MIP02-CHAT-5 @MUST
  Scenario: a profile that leaves a group drops it
    Given wallet "carol" has a profile "PC"
    And "PA" creates a group "G" with "PB, PC"
    When "PB" leaves "G"
    Then the chat list of "PB" does not show "G"
    And the participants of "G" are PA as admin, PC as member

  @MIP02-CHAT-6 @MUST
  Scenario: a new chat's lastActivity is the createdAt its notice carries, then its last message's timestamp
    Given the session module accepts Eval from its owner
    And a session process "SX" owned by wallet "mallory"
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PB>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = ao.id, participants = {{pid = "<PB>", role = "member"}, {pid = "<PA>", role = "member"}}, createdAt = 7})})
      """
    Then the chat list of "PB" shows "SX" with:
      """
      {"lastMessageId": 0, "lastActivity": 7}
      """
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PB>", Action = "Session-Message", Data = require("json").encode({session = ao.id, id = 1, from = "<PA>", timestamp = 9})})
      """
    Then the chat list of "PB" shows "SX" with:
      """
      {"lastMessageId": 1, "lastActivity": 9}
      """

  @MIP02-CHAT-6 @MUST
  Scenario: a profile added to a group later dates the chat from the group's creation, not from its addition
    Given wallet "carol" has a profile "PC"
    And "PA" creates a group "G" with "PB"
    And "PA" says "before carol" in "G"
    When "PA" adds "PC" to "G"
    Then the chat list of "PC" shows "G" with lastActivity = its createdAt, earlier than the last request
    And the chat list of "PC" shows "G" with:
      """
      {"lastMessageId": 0, "unread": 0}
      """

  @MIP02-CHK-1 @MUST
  Scenario: MarkRead judges its whole Data before it looks the session up
    Given "PA" creates a DM "S" with "PB"
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<nowhere>", "upTo": -1}"
    Then the reply is an error "InvalidInput"
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<nowhere>", "upTo": "2"}"
    Then the reply is an error "InvalidInput"
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "short"}"
    Then the reply is an error "InvalidInput"
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<nowhere>", "upTo": 1}"
    Then the reply is an error "NotFound"
    When wallet "mallory" sends "MarkRead" to "PB" with data "{"session": "short", "upTo": -1}"
    Then the reply is an error "Unauthorized"

  @MIP02-CHAT-7 @MAY
  Scenario: a trusted Session-Changed that does not add the profile may or may not list the session
    Given the session module accepts Eval from its owner
    And wallet "carol" has a profile "PC"
    And a session process "SX" owned by wallet "mallory"
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PC>", Action = "Session-Changed", Data = require("json").encode({session = ao.id, type = "group", creator = "<PA>", participants = {{pid = "<PA>", role = "admin"}, {pid = "<PC>", role = "member"}}, createdAt = 3, title = "club", change = {kind = "title"}})})
      """
    Then the chat list of "PC" shows 0 or 1 sessions
    And "PC" sent nothing in the last request
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PC>", Action = "Session-Changed", Data = require("json").encode({session = ao.id, type = "group", creator = "<PA>", participants = {{pid = "<PA>", role = "admin"}, {pid = "<PC>", role = "member"}}, createdAt = 3, title = "club", change = {kind = "added", pid = "<PC>"}})})
      """
    Then the chat list of "PC" shows "SX" with:
      """
      {"type": "group", "title": "club", "lastActivity": 3}
      """

  @MIP02-CHAT-6 @MIP02-CHAT-2 @MUST
  Scenario: the profile's own message moves its chat's lastActivity, and an answer about a message it already knows moves nothing
    Given wallet "carol" has a profile "PC"
    And "PA" creates a DM "S1" with "PB"
    And "PA" creates a DM "S2" with "PC"
    # checks MIP02-CHAT-2
    When "PA" says "hi" in "S1"
    Then the chat list of "PA" lists S1, S2 in that order
    # checks MIP02-CHAT-6
    Given the session module accepts Eval from its owner
    And a session process "SX" owned by wallet "mallory"
    And wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PA>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = ao.id, participants = {{pid = "<PA>", role = "member"}, {pid = "<PB>", role = "member"}}, createdAt = 1})})
      ao.send({Target = "<PA>", Action = "Session-Message", Data = require("json").encode({session = ao.id, id = 5, from = "<PB>", timestamp = 50})})
      Handlers.add("SendMessage", function(msg) return msg.Action == "SendMessage" end, function(msg) Answers = (Answers or 0) + 1; msg.reply({Action = "SendMessage-Response", Data = require("json").encode({id = 4 + Answers, timestamp = 60 + 10 * Answers})}) end)
      """
    When wallet "alice" sends "SendChatMessage" to "PA" with data "{"session": "<SX>", "content": "late"}"
    Then the reply is a success
    And the chat list of "PA" shows "SX" with:
      """
      {"lastMessageId": 5, "lastActivity": 50}
      """
    When wallet "alice" sends "SendChatMessage" to "PA" with data "{"session": "<SX>", "content": "later"}"
    Then the reply is a success
    And the chat list of "PA" shows "SX" with:
      """
      {"lastMessageId": 6, "lastActivity": 80}
      """
