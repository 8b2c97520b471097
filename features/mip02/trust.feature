@MIP-02
Feature: MIP-02 Trusting session notices
  A profile learns of sessions only from the sessions themselves, and trusts
  a notice only when it can tell where it came from.

  Background:
    Given wallet "alice" has a profile "PA"
    And wallet "bob" has a profile "PB"
    And a puppet process "X" owned by wallet "mallory"

  @MIP02-TRUST-1 @MIP02-TRUST-3 @MUST
  Scenario: a forged creation notice from a process that is not a session is ignored, without a reply
    When wallet "mallory" has "X" send "Session-Created" to "PB" with data:
      """
      {"session": "<X>", "type": "dm", "creator": "<X>", "participants": [{"pid": "<X>", "role": "member"}, {"pid": "<PB>", "role": "member"}], "createdAt": 1}
      """
    # checks MIP02-TRUST-1
    Then the chat list of "PB" shows 0 sessions
    # checks MIP02-TRUST-3
    And "PB" sent nothing in the last request

  @MIP02-TRUST-1 @MUST
  Scenario: a creation notice sent by a wallet is ignored, whatever tags it carries
    Given the module of role "session" is known as "module-of-sessions"
    When wallet "mallory" sends "Session-Created" to "PB" with data "{"session": "<mallory>", "type": "dm", "creator": "<mallory>", "participants": [{"pid": "<mallory>", "role": "member"}, {"pid": "<PB>", "role": "member"}], "createdAt": 1}" and tags:
      | From-Module | <module-of-sessions> |
    Then the chat list of "PB" shows 0 sessions
    And "PB" sent nothing in the last request

  @MIP02-TRUST-1 @MUST
  Scenario: a creation notice from a session process that does not list the profile is ignored
    Given the session module accepts Eval from its owner
    And wallet "carol" has a profile "PC"
    And a session process "SX" owned by wallet "mallory"
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PC>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = "<PA>", participants = {{pid = "<PA>", role = "member"}, {pid = "<PB>", role = "member"}}, createdAt = 1})})
      """
    Then the chat list of "PC" shows 0 sessions
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PC>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = "<PA>", participants = {{pid = "<PA>", role = "member"}, {pid = "<PC>", role = "member"}}, createdAt = 1})})
      """
    Then the chat list of "PC" shows 1 session

  @MIP02-TRUST-1 @MUST
  Scenario: a creation notice about another session than its sender is ignored
    Given the session module accepts Eval from its owner
    And "PA" creates a DM "S" with "PB"
    And wallet "carol" has a profile "PC"
    And a session process "SX" owned by wallet "mallory"
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PC>", Action = "Session-Created", Data = require("json").encode({session = "<S>", type = "dm", creator = "<PA>", participants = {{pid = "<PA>", role = "member"}, {pid = "<PC>", role = "member"}}, createdAt = 1})})
      """
    Then the chat list of "PC" shows 0 sessions

  @MIP02-TRUST-2 @MUST
  Scenario: a forged message notice about a listed session, sent by another process, is ignored
    Given "PA" creates a DM "S" with "PB"
    When wallet "mallory" has "X" send "Session-Message" to "PB" with data:
      """
      {"session": "<S>", "id": 7, "from": "<PA>", "timestamp": 1}
      """
    Then the chat list of "PB" shows "S" with 0 unread
    And "PB" sent nothing in the last request
    When wallet "mallory" has "X" send "Session-Removed" to "PB" with data:
      """
      {"session": "<S>", "reason": "removed"}
      """
    Then the chat list of "PB" shows "S" with 0 unread

  @MIP02-TRUST-2 @MUST
  Scenario: a message notice from a session the profile is not in is ignored
    Given the session module accepts Eval from its owner
    And wallet "carol" has a profile "PC"
    And "PA" creates a DM "S" with "PB"
    And a session process "SX" owned by wallet "mallory"
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PC>", Action = "Session-Message", Data = require("json").encode({session = ao.id, id = 1, from = "<PA>", timestamp = 5})})
      """
    Then the chat list of "PC" shows 0 sessions with 0 unread

  @MIP02-TRUST-2 @MUST
  Scenario: a listed session's notice about another session is ignored
    Given the session module accepts Eval from its owner
    And wallet "carol" has a profile "PC"
    And "PA" creates a DM "S1" with "PB"
    And "PA" creates a DM "S2" with "PC"
    And a session process "SX" owned by wallet "mallory"
    And wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PB>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = ao.id, participants = {{pid = "<PB>", role = "member"}, {pid = "<X>", role = "member"}}, createdAt = 1})})
      """
    And the chat list of "PB" shows 2 sessions
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PB>", Action = "Session-Message", Data = require("json").encode({session = "<S1>", id = 1, from = "<PA>", timestamp = 5})})
      """
    Then the chat list of "PB" shows "S1" with 0 unread
    And the chat list of "PB" shows 2 sessions with 0 unread
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PB>", Action = "Session-Removed", Data = require("json").encode({session = "<S1>", reason = "removed"})})
      """
    Then the chat list of "PB" shows 2 sessions

  @MIP02-TRUST-4 @SHOULD
  Scenario: the owner trusts another session module
    Given "PB" trusts the puppet module
    When wallet "mallory" has "X" send "Session-Created" to "PB" with data:
      """
      {"session": "<X>", "type": "dm", "creator": "<X>", "participants": [{"pid": "<X>", "role": "member"}, {"pid": "<PB>", "role": "member"}], "createdAt": 1}
      """
    Then the chat list of "PB" shows 1 session

  @MIP02-TRUST-4 @SHOULD
  Scenario: only the owner adds trusted modules, and the list has no duplicates
    Given the module of role "puppet" is known as "puppet-module"
    And the module of role "session" is known as "session-module"
    When wallet "mallory" sends "AddSessionModule" to "PB" with data "{"module": "<puppet-module>"}"
    Then the reply is an error "Unauthorized"
    When wallet "bob" sends "AddSessionModule" to "PB" with data "{"module": "<puppet-module>"}"
    Then the reply is a success
    And the reply data is:
      """
      {"sessionModules": ["<session-module>", "<puppet-module>"]}
      """
    When wallet "bob" sends "AddSessionModule" to "PB" with data "{"module": "<session-module>"}"
    Then the reply data is:
      """
      {"sessionModules": ["<session-module>", "<puppet-module>"]}
      """
    When wallet "bob" sends "AddSessionModule" to "PB" with data "{"module": "nope"}"
    Then the reply is an error "InvalidInput"

  @MIP02-TRUST-3 @MUST
  Scenario: accepted notices get no reply either
    When "PA" creates a DM "S" with "PB"
    Then "PB" sent nothing in the last request
    When "PA" says "hello" in "S"
    Then "PB" sent nothing in the last request
    And the chat list of "PB" shows "S" with 1 unread

  @MIP02-TRUST-5 @MUST
  Scenario: a notice that lists the profile only as a bare id is ignored; the MIP-03 shape is accepted
    Given the session module accepts Eval from its owner
    And wallet "carol" has a profile "PC"
    And a session process "SX" owned by wallet "mallory"
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PC>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = "<PA>", participants = {"<PA>", "<PC>"}, createdAt = 1})})
      """
    Then the chat list of "PC" shows 0 sessions
    And "PC" sent nothing in the last request
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PC>", Action = "Session-Changed", Data = require("json").encode({session = ao.id, type = "group", creator = "<PA>", participants = {"<PA>", "<PC>"}, createdAt = 1, change = {kind = "added", pid = "<PC>"}})})
      """
    Then the chat list of "PC" shows 0 sessions
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PC>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = "<PA>", participants = {{pid = "<PA>", role = "member"}, {pid = "<PC>", role = "member"}}, createdAt = 1})})
      """
    Then the chat list of "PC" shows 1 session

  @MIP00-INP-2 @MIP00-ACT-3 @MIP02-CHAT-3 @MUST
  Scenario: a trusted session's notices are read alike as text or decoded; malformed or repeated ones change nothing and break nothing
    Given the session module accepts Eval from its owner
    And wallet "carol" has a profile "PC"
    And a session process "SX" owned by wallet "mallory"
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PC>", Action = "Session-Created", Data = "5"})
      ao.send({Target = "<PC>", Action = "Session-Changed", Data = "[1]"})
      ao.send({Target = "<PC>", Action = "Session-Message", Data = require("json").encode({session = ao.id, id = 1, from = "<PA>", timestamp = 5})})
      ao.send({Target = "<PC>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = ao.id, participants = {7, {pid = "<PA>", role = "member"}}, createdAt = 1})})
      ao.send({Target = "<PC>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = ao.id, participants = "<PC>", createdAt = 1})})
      ao.send({Target = "<PC>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = ao.id, participants = 5, createdAt = 1})})
      ao.send({Target = "<PC>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "chat", creator = ao.id, participants = {{pid = "<PC>", role = "member"}}, createdAt = 1})})
      """
    # checks MIP00-INP-2
    Then no evaluation failed
    # checks MIP02-TRUST-1
    And the chat list of "PC" shows 0 sessions
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PC>", Action = "Session-Created", Data = {session = ao.id, type = "dm", creator = ao.id, participants = {{pid = "<PC>", role = "member"}, {pid = "<PA>", role = "member"}}, createdAt = 1}})
      """
    # checks MIP00-ACT-3
    Then the chat list of "PC" shows 1 session
    When wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PC>", Action = "Session-Changed", Data = "oops"})
      ao.send({Target = "<PC>", Action = "Session-Message", Data = require("json").encode({session = ao.id, id = 1.5, from = "<PA>", timestamp = 3})})
      ao.send({Target = "<PC>", Action = "Session-Message", Data = require("json").encode({session = ao.id, id = 1, from = "<PA>", timestamp = 5})})
      ao.send({Target = "<PC>", Action = "Session-Message", Data = require("json").encode({session = ao.id, id = 1, from = "<PA>", timestamp = 9})})
      ao.send({Target = "<PC>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = ao.id, participants = {{pid = "<PC>", role = "member"}, {pid = "<PA>", role = "member"}}, createdAt = 1})})
      """
    # checks MIP00-INP-2
    Then no evaluation failed
    # checks MIP02-CHAT-3
    And the chat list of "PC" shows "SX" with:
      """
      {"lastMessageId": 1, "lastActivity": 5, "unread": 1}
      """
