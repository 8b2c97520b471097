@MIP-02
Feature: MIP-02 Creating sessions and chatting through a profile
  The owner asks its profile to create sessions and to send messages; the
  profile spawns the session from its session module and answers once.

  Background:
    Given wallet "alice" has a profile "PA"
    And wallet "bob" has a profile "PB"

  @MIP02-SES-2 @MUST
  Scenario: a DM is spawned from the profile's session module and the owner gets one reply with its id
    When wallet "alice" sends "CreateSession" to "PA" with data:
      """
      {"type": "dm", "participants": ["<PB>"]}
      """
    # checks MIP02-SES-2
    Then the reply is a success
    And the reply references the request
    And the reply data includes:
      """
      {"type": "dm", "participants": ["<PA>", "<PB>"], "existing": false}
      """
    And the reply field "session" is remembered as "S"
    And no evaluation failed

  @MIP02-OWN-2 @MIP02-SES-2 @MUST
  Scenario: the new session runs the session module and knows its participants
    # checks MIP02-SES-2
    When "PA" creates a DM "S" with "PB"
    # checks MIP02-OWN-2
    Then "S" runs the session module
    # checks MIP02-SES-2
    And the participants of "S" are PA as member, PB as member
    And the chat list of "PA" shows "S" with 0 unread

  @MIP02-SES-2 @MUST
  Scenario: a group is spawned with the creator first and the others in the order given
    Given wallet "carol" has a profile "PC"
    When "PA" creates a group "G" titled "friends" with "PC, PB"
    Then the participants of "G" are PA as admin, PC as member, PB as member
    # checks MIP02-CHAT-1
    And the chat list of "PB" shows "G" with:
      """
      {"type": "group", "title": "friends", "creator": "<PA>"}
      """

  @MIP02-SES-3 @MUST
  Scenario: a second DM with the same peer returns the existing session and spawns nothing
    Given "PA" creates a DM "S" with "PB"
    When "PA" asks for a dm with "PB"
    Then the reply is a success
    And the reply data includes:
      """
      {"session": "<S>", "existing": true}
      """
    And the chat list of "PA" shows 1 session

  @MIP02-SES-3 @MUST
  Scenario: the peer asking for a DM back gets the DM it was told of
    Given "PA" creates a DM "S" with "PB"
    When "PB" asks for a dm with "PA"
    Then the reply is a success
    And the reply data includes:
      """
      {"session": "<S>", "existing": true}
      """
    And the chat list of "PB" shows 1 session

  @MIP02-SES-1 @MUST
  Scenario: a DM with oneself is refused
    When "PA" asks for a dm with "PA"
    Then the reply is an error "InvalidInput"
    And the chat list of "PA" shows 0 sessions

  @MIP02-SES-1 @MUST
  Scenario Outline: CreateSession input is validated
    When wallet "alice" sends "CreateSession" to "PA" with data "<data>"
    Then the reply is an error "InvalidInput"
    And the chat list of "PA" shows 0 sessions

    Examples:
      | data                                                             |
      | {"type": "dm", "participants": []}                               |
      | {"type": "dm", "participants": ["<PB>", "<P3>"]}                 |
      | {"type": "dm", "participants": ["<PB>"], "title": "us"}          |
      | {"type": "group", "participants": []}                            |
      | {"type": "group", "participants": ["<PB>", "<PB>"]}              |
      | {"type": "group", "participants": ["<PB>"], "title": ""}         |
      | {"type": "group", "participants": ["short"]}                     |
      | {"type": "chat", "participants": ["<PB>"]}                       |
      | {"type": "dm", "participants": "<PB>"}                           |
      | {"type": "dm", "participants": ["<PB>"], "extra": 1}             |
      | not json                                                         |

  @MIP02-SES-1 @MUST
  Scenario: a group title is 1 to 128 characters, counted in characters, not bytes
    When wallet "alice" asks "PA" for a group with 1 new participants titled 129 times "t"
    Then the reply is an error "InvalidInput"
    And the chat list of "PA" shows 0 sessions
    When wallet "alice" asks "PA" for a group with 1 new participants titled 128 times "é"
    Then the reply is a success
    And the chat list of "PA" shows 1 session
    When wallet "alice" asks "PA" for a group with 1 new participants titled "x"
    Then the reply is a success
    And the chat list of "PA" shows 2 sessions

  @MIP02-SES-1 @MUST
  Scenario: a group of 256 is allowed, one more is LimitExceeded
    When "PA" asks for a group with 256 new participants
    Then the reply is an error "LimitExceeded"
    And the chat list of "PA" shows 0 sessions
    When "PA" asks for a group with 255 new participants
    Then the reply is a success
    And the chat list of "PA" shows 1 session

  @MIP02-OWN-1 @MUST
  Scenario: only the owner may create sessions
    When wallet "mallory" sends "CreateSession" to "PA" with data:
      """
      {"type": "dm", "participants": ["<PB>"]}
      """
    # checks MIP02-OWN-1
    Then the reply is an error "Unauthorized"
    And the chat list of "PA" shows 0 sessions
    And the chat list of "PB" shows 0 sessions

  @MIP02-MSG-1 @MUST
  Scenario: the owner sends a message through its profile
    Given "PA" creates a DM "S" with "PB"
    When wallet "alice" sends "SendChatMessage" to "PA" with data:
      """
      {"session": "<S>", "content": "hello bob"}
      """
    Then the reply is a success
    And the reply references the request
    And the reply data includes:
      """
      {"session": "<S>", "id": 1}
      """
    And the reply field "timestamp" is a positive integer
    And the session "S" holds 1 message

  @MIP02-MSG-1 @MUST
  Scenario: the session's refusal comes back to the owner with the session's code
    Given "PA" creates a DM "S" with "PB"
    When "PA" tries to say a message of 10001 bytes in "S"
    Then the reply is an error "InvalidInput"
    When "PA" tries to say "" in "S"
    Then the reply is an error "InvalidInput"
    And the session "S" holds 0 messages

  @MIP02-MSG-1 @MIP02-MSG-2 @MUST
  Scenario: the session's code is its Error tag, whatever its Data says
    Given the session module accepts Eval from its owner
    And a session process "SX" owned by wallet "mallory"
    And wallet "mallory" sends "Eval" to "SX" with data:
      """
      Handlers.prepend("contradicts", { Action = "SendMessage" }, function(msg) msg.reply({ Action = "SendMessage-Error", Error = "NameTaken", Data = require("json").encode({ code = "Unauthorized", message = "the tag and the code differ" }) }) end)
      Handlers.prepend("contradicts-command", { Action = "SetTitle" }, function(msg) msg.reply({ Action = "SetTitle-Error", Error = "NameTaken", Data = require("json").encode({ code = "Unauthorized", message = "the tag and the code differ" }) }) end)
      ao.send({Target = "<PA>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "group", creator = "<PA>", participants = {{pid = "<PA>", role = "admin"}, {pid = "<PB>", role = "member"}}, createdAt = 1})})
      """
    And the chat list of "PA" shows 1 session
    When wallet "alice" sends "SendChatMessage" to "PA" with data:
      """
      {"session": "<SX>", "content": "hello"}
      """
    # checks MIP02-MSG-1
    Then the reply is an error "NameTaken"
    When wallet "alice" sends "SessionCommand" to "PA" with data "{"session": "<SX>", "command": "SetTitle", "args": {"title": "x"}}"
    # checks MIP02-MSG-2
    Then the reply is an error "NameTaken"

  @MIP02-MSG-1 @MIP02-OWN-1 @MUST
  Scenario: only the owner may send through the profile, and only to a listed session
    Given "PA" creates a DM "S" with "PB"
    When wallet "mallory" sends "SendChatMessage" to "PA" with data:
      """
      {"session": "<S>", "content": "spam"}
      """
    # checks MIP02-OWN-1
    Then the reply is an error "Unauthorized"
    When wallet "mallory" sends "SessionCommand" to "PA" with data "{"session": "<S>", "command": "SetTitle", "args": {"title": "spam"}}"
    Then the reply is an error "Unauthorized"
    When wallet "alice" sends "SendChatMessage" to "PA" with data:
      """
      {"session": "<elsewhere>", "content": "hello"}
      """
    # checks MIP02-MSG-1
    Then the reply is an error "NotFound"
    And the session "S" holds 0 messages

  @MIP02-MSG-2 @MUST
  Scenario: the owner administers a group through its profile
    Given wallet "carol" has a profile "PC"
    And "PA" creates a group "G" with "PB"
    When wallet "alice" sends "SessionCommand" to "PA" with data:
      """
      {"session": "<G>", "command": "AddParticipant", "args": {"pid": "<PC>"}}
      """
    Then the reply is a success
    And the reply data includes:
      """
      {"session": "<G>", "command": "AddParticipant"}
      """
    And the participants of "G" are PA as admin, PB as member, PC as member
    And the chat list of "PC" shows "G" with 0 unread

  @MIP02-MSG-2 @MUST
  Scenario: a refused command comes back with the session's code, and unknown commands are refused
    Given "PA" creates a group "G" with "PB"
    When "PB" tries to add "<P9>" to "G"
    Then the reply is an error "Unauthorized"
    When wallet "alice" sends "SessionCommand" to "PA" with data:
      """
      {"session": "<G>", "command": "SendMessage", "args": {"content": "x"}}
      """
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "SessionCommand" to "PA" with data:
      """
      {"session": "<elsewhere>", "command": "SetTitle", "args": {"title": "x"}}
      """
    Then the reply is an error "NotFound"
    And the participants of "G" are PA as admin, PB as member

  @MIP00-ERR-2 @MUST
  Scenario: a session's refusal that carries no error code comes back with a MIP-00 code
    Given the session module accepts Eval from its owner
    And a session process "SX" owned by wallet "mallory"
    And wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PA>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "group", creator = ao.id, participants = {{pid = "<PA>", role = "member"}, {pid = "<PB>", role = "member"}}, createdAt = 1})})
      Handlers.add("SetTitle", function(msg) return msg.Action == "SetTitle" end, function(msg) msg.reply({Action = "SetTitle-Refused"}) end)
      """
    And the chat list of "PA" shows 1 session
    When wallet "alice" sends "SessionCommand" to "PA" with data "{"session": "<SX>", "command": "SetTitle", "args": {"title": "x"}}"
    Then the reply is an error with a MIP-00 code

  @MIP00-REP-1 @MUST
  Scenario: a session that answers a relayed command twice still makes one reply to the owner
    Given the session module accepts Eval from its owner
    And a session process "SX" owned by wallet "mallory"
    And wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PA>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "group", creator = ao.id, participants = {{pid = "<PA>", role = "member"}, {pid = "<PB>", role = "member"}}, createdAt = 1})})
      Handlers.add("SetTitle", function(msg) return msg.Action == "SetTitle" end, function(msg) msg.reply({Action = "SetTitle-Response", Data = "{}"}) msg.reply({Action = "SetTitle-Response", Data = "{}"}) end)
      """
    And the chat list of "PA" shows 1 session
    When wallet "alice" sends "SessionCommand" to "PA" with data "{"session": "<SX>", "command": "SetTitle", "args": {"title": "x"}}"
    Then the reply is a success

  @MIP02-OWN-2 @MUST
  Scenario: a profile spawned without a Session-Module tag cannot create sessions but otherwise works
    Given wallet "carol" has a profile "PC" spawned without a session module
    When "PC" asks for a dm with "PB"
    Then the reply is an error "InvalidInput"
    And the chat list of "PC" shows 0 sessions
    When wallet "carol" sends "UpdateProfile" to "PC" with data "{"nickname": "Carol"}"
    Then the reply is a success

  @MIP02-OWN-2 @MUST
  Scenario: a profile spawned with an empty Session-Module tag names no module: it answers CreateSession with an error
    Given wallet "carol" has a profile "PC" spawned with an empty Session-Module tag
    When "PC" asks for a dm with "PB"
    Then the reply is an error "InvalidInput"
    And the chat list of "PC" shows 0 sessions

  @MIP02-SES-3 @MUST
  Scenario: a DM the profile spawned is remembered from its Spawned notice, even when the session never announces itself
    # The puppet sends no Session-Created: only the Spawned notice tells the profile of its DM.
    Given wallet "carol" has a profile "PC" spawned with the puppet module as its session module
    When "PC" asks for a dm with "PB"
    Then the reply is a success
    And the reply data includes:
      """
      {"type": "dm", "existing": false}
      """
    And the reply field "session" is remembered as "S"
    And the chat list of "PC" shows 0 sessions
    When "PC" asks for a dm with "PB"
    Then the reply is a success
    And the reply data includes:
      """
      {"type": "dm", "participants": ["<PC>", "<PB>"], "existing": true}
      """
    And the reply field "session" is the remembered "S"

  @MIP00-INP-2 @MUST
  Scenario: a Spawned notice for a spawn the profile did not make for CreateSession breaks nothing
    # The owner's aos Eval is the one way to make a profile spawn outside CreateSession.
    Given the profile "PA" accepts Eval from its owner
    And the module of role "puppet" is known as "PM"
    When wallet "alice" sends "Eval" to "PA" with data:
      """
      ao.spawn("<PM>", {Data = "{}"})
      """
    Then no evaluation failed
    When "PA" asks for a dm with "PB"
    Then the reply is a success
    And the reply data includes:
      """
      {"type": "dm", "existing": false}
      """

  @MIP02-SES-3 @MUST
  Scenario: a group with a peer is no DM with it: asking for the DM spawns one
    Given "PA" creates a group "G" with "PB"
    When "PA" asks for a dm with "PB"
    Then the reply is a success
    And the reply data includes:
      """
      {"type": "dm", "existing": false}
      """
    And the chat list of "PA" shows 2 sessions

  @MIP02-SES-3 @MUST
  Scenario: of two DMs another profile created with the same peer, the profile keeps the first it learned of
    Given the session module accepts Eval from its owner
    And wallet "carol" has a profile "PC"
    And a session process "SX" owned by wallet "mallory"
    And a session process "SY" owned by wallet "mallory"
    And wallet "mallory" sends "Eval" to "SX" with data:
      """
      ao.send({Target = "<PC>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = "<PA>", participants = {{pid = "<PA>", role = "member"}, {pid = "<PC>", role = "member"}}, createdAt = 1})})
      """
    And wallet "mallory" sends "Eval" to "SY" with data:
      """
      ao.send({Target = "<PC>", Action = "Session-Created", Data = require("json").encode({session = ao.id, type = "dm", creator = "<PA>", participants = {{pid = "<PA>", role = "member"}, {pid = "<PC>", role = "member"}}, createdAt = 2})})
      """
    When "PC" asks for a dm with "PA"
    Then the reply is a success
    And the reply data includes:
      """
      {"session": "<SX>", "existing": true}
      """

  @MIP02-SES-3 @MUST
  Scenario: the existing DM is reported from the asking profile's side, the asker first
    Given "PA" creates a DM "S" with "PB"
    When "PB" asks for a dm with "PA"
    Then the reply is a success
    And the reply data is:
      """
      {"session": "<S>", "type": "dm", "participants": ["<PB>", "<PA>"], "existing": true}
      """
    And the participants of "S" are PA as member, PB as member

  @MIP02-CHK-1 @MUST
  Scenario: SendChatMessage and SessionCommand judge their whole Data before they look the session up
    When wallet "alice" sends "SendChatMessage" to "PA" with data "{"session": "short", "content": "hi"}"
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "SendChatMessage" to "PA" with data "{"session": "<elsewhere>", "content": 5}"
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "SendChatMessage" to "PA" with data "{"session": "<elsewhere>", "content": "hi", "replyTo": "1"}"
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "SendChatMessage" to "PA" with data "{"session": "<elsewhere>", "content": "hi"}"
    Then the reply is an error "NotFound"
    When wallet "alice" sends "SessionCommand" to "PA" with data "{"session": "short", "command": "Leave"}"
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "SessionCommand" to "PA" with data "{"session": "<elsewhere>", "command": "Shout"}"
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "SessionCommand" to "PA" with data "{"session": "<elsewhere>", "command": "Leave"}"
    Then the reply is an error "NotFound"
    When wallet "mallory" sends "SendChatMessage" to "PA" with data "{"session": "short"}"
    Then the reply is an error "Unauthorized"

  @MIP02-OPT-1 @MUST
  Scenario: an optional field given as null is the same as the field left out
    Given wallet "carol" has a profile "PC"
    When wallet "alice" sends "CreateSession" to "PA" with data "{"type": "dm", "participants": ["<PB>"], "title": null}"
    Then the reply is a success
    And the chat list of "PA" shows 1 session
    Given "PA" creates a group "G" with "PB, PC"
    And "PA" says 2 messages in "G"
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<G>", "upTo": null}"
    Then the reply data is:
      """
      {"session": "<G>", "readUpTo": 2, "unread": 0}
      """
    When wallet "bob" sends "SendChatMessage" to "PB" with data "{"session": "<G>", "content": "hi", "replyTo": null}"
    Then the reply is a success
    And the reply data includes:
      """
      {"session": "<G>", "id": 3}
      """
    When wallet "carol" sends "SessionCommand" to "PC" with data "{"session": "<G>", "command": "Leave", "args": null}"
    Then the reply is a success
    And the participants of "G" are PA as admin, PB as member
    When wallet "bob" sends "MarkRead" to "PB" with data "{"session": "<G>", "note": null}"
    Then the reply is an error "InvalidInput"

  @MIP02-CHK-2 @MAY
  Scenario: a group past 256 with another fault may get LimitExceeded or InvalidInput
    When wallet "alice" asks "PA" for a group with 256 new participants titled ""
    Then the reply is an error "LimitExceeded" or "InvalidInput"
    And the chat list of "PA" shows 0 sessions
    Given wallet "carol" has a profile "PC" spawned without a session module
    When "PC" asks for a group with 256 new participants
    Then the reply is an error "LimitExceeded" or "InvalidInput"
    And the chat list of "PC" shows 0 sessions

  @MIP02-MSG-3 @MAY
  Scenario: a content of the wrong length is refused once, by the profile or by the session, and stored nowhere
    Given "PA" creates a DM "S" with "PB"
    When "PA" tries to say a message of 10001 bytes in "S"
    Then the reply is an error "InvalidInput"
    When "PA" tries to say "" in "S"
    Then the reply is an error "InvalidInput"
    And the session "S" holds 0 messages
    And the chat list of "PB" shows "S" with 0 unread
    When wallet "alice" sends "SendChatMessage" to "PA" with data "{"session": "<elsewhere>", "content": ""}"
    Then the reply is an error "InvalidInput" or "NotFound"
