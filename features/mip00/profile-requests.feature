@MIP-00 @profile
Feature: MIP-00 Requests to a profile
  A profile takes requests like every MostAO process: a message that names none of its operations,
  exactly, gets no reply and changes nothing; malformed, open or oversized Data gets InvalidInput or
  LimitExceeded, never a handler error; every error code is one of MIP-00's.

  Background:
    Given wallet "alice" has a profile "PA"

  @MIP00-ACT-1 @MUST
  Scenario Outline: a message to a profile that names none of its operations gets no reply and changes nothing: <action>
    Given the reads of "PA" are remembered
    When wallet "alice" sends "<action>" to "PA" with data "{\"nickname\":\"Eve\"}"
    Then there is no reply
    And no evaluation failed
    And the reads of "PA" are as remembered

    Examples:
      | action                 |
      | SetNickname            |
      |                        |
      | UpdateProfile-Response |
      | SendMessage-Response   |

  @MIP00-ACT-1 @MUST
  Scenario: an unknown Action by dryrun gets no reply from a profile either
    When "alice" dryruns "Info" on "PA"
    Then there is no reply

  @MIP00-ACT-2 @MUST
  Scenario Outline: an Action in another case is unknown to a profile: <action>
    Given the reads of "PA" are remembered
    When wallet "alice" sends "<action>" to "PA" with data "{\"nickname\":\"Eve\"}"
    Then there is no reply
    And the reads of "PA" are as remembered

    Examples:
      | action        |
      | updateprofile |
      | UPDATEPROFILE |
      | updateProfile |
      | getprofile    |

  @MIP00-INP-1 @MIP00-INP-2 @MUST
  Scenario Outline: malformed Data to a profile gets InvalidInput and no handler error: <action> with <case>
    When wallet "alice" sends "<action>" to "PA" with data "<data>"
    # checks MIP00-INP-1
    Then the reply is an error "InvalidInput"
    And no evaluation failed

    Examples:
      | action           | case               | data                                                 |
      | UpdateProfile    | no JSON            | hello                                                |
      | UpdateProfile    | an open brace      | {                                                    |
      | UpdateProfile    | an array           | ["Alice"]                                            |
      | UpdateProfile    | an empty array     | []                                                   |
      | UpdateProfile    | a string           | "Alice"                                              |
      | UpdateProfile    | a number           | 42                                                   |
      | UpdateProfile    | null               | null                                                 |
      | UpdateProfile    | a mistyped field   | {"nickname": 42}                                     |
      | UpdateProfile    | a trailing comma   | {"nickname": "Alice",}                               |
      | AddContact       | a missing field    | {"alias": "bob"}                                     |
      | AddContact       | a mistyped field   | {"pid": 42}                                          |
      | RemoveContact    | no JSON            | <P1>                                                 |
      | MarkRead         | a mistyped field   | {"session": "<S1>", "upTo": "3"}                     |
      | CreateSession    | a missing field    | {"type": "dm"}                                       |
      | CreateSession    | a mistyped field   | {"type": "dm", "participants": "<P1>"}               |
      | SendChatMessage  | a mistyped field   | {"session": "<S1>", "content": 7}                    |
      | SessionCommand   | a mistyped field   | {"session": "<S1>", "command": "Leave", "args": "x"} |
      | AddSessionModule | a missing field    | {}                                                   |

  @MIP00-INP-3 @MUST
  Scenario: a contact in Data of exactly 4096 bytes is added
    When wallet "alice" sends "AddContact" to "PA" with data "{\"pid\":\"<P1>\"}" padded with spaces to 4096 bytes
    Then the reply is a success
    And the contacts of "PA" are P1

  @MIP00-INP-3 @MUST
  Scenario: Data that arrives decoded is measured by its JSON encoding
    Given the reads of "PA" are remembered
    When wallet "alice" sends "AddContact" to "PA" with the JSON object "{\"pid\":\"<P1>\"}" grown by a field "pad" to 4200 bytes, tagged Content-Type application/json
    Then the reply is an error "LimitExceeded"
    And the reads of "PA" are as remembered

  @MIP00-INP-3 @MIP00-ERR-2 @MIP00-ATOM-1 @MUST
  Scenario Outline: Data of 4097 bytes to a profile is LimitExceeded before any other check: <action> from <who>
    Given the reads of "PA" are remembered
    When wallet "<who>" sends "<action>" to "PA" with data "<data>" padded with spaces to 4097 bytes
    # checks MIP00-INP-3
    Then the reply is an error "LimitExceeded"
    # checks MIP00-ATOM-1
    And the reads of "PA" are as remembered

    Examples:
      | who     | action        | data                  |
      | alice   | AddContact    | {\"pid\":\"<P1>\"}    |
      | mallory | AddContact    | {\"pid\":\"<P1>\"}    |
      | alice   | RemoveContact | {\"pid\":\"<P1>\"}    |
      | bob     | GetContacts   |                       |

  @MIP00-INP-4 @MIP00-ATOM-1 @MUST
  Scenario Outline: an unknown field is InvalidInput even next to valid fields: <action> with <field>
    Given the reads of "PA" are remembered
    When wallet "alice" sends "<action>" to "PA" with data "<data>"
    # checks MIP00-INP-4
    Then the reply is an error "InvalidInput"
    # checks MIP00-ATOM-1
    And the reads of "PA" are as remembered

    Examples:
      | action           | field    | data                                                       |
      | UpdateProfile    | color    | {"nickname": "Eve", "color": "red"}                        |
      | UpdateProfile    | Nickname | {"nickname": "Eve", "Nickname": "Eve"}                     |
      | AddContact       | note     | {"pid": "<P1>", "note": "hi"}                              |
      | AddContact       | a null   | {"pid": "<P1>", "note": null}                              |
      | MarkRead         | force    | {"session": "<S1>", "force": true}                         |
      | CreateSession    | color    | {"type": "dm", "participants": ["<P1>"], "color": "red"}   |
      | SendChatMessage  | from     | {"session": "<S1>", "content": "hi", "from": "<P1>"}       |
      | SessionCommand   | why      | {"session": "<S1>", "command": "Leave", "why": "x"}        |
      | AddSessionModule | first    | {"module": "<M1>", "first": true}                          |

  @MIP00-INP-4 @MIP02-UPD-2 @MUST
  Scenario: a request's fields are its JSON object's keys, not look-alikes inside strings, and escaped keys count
    Given wallet "alice" sends "UpdateProfile" to "PA" with data "{"nickname": "Al", "bio": "hi"}"
    When wallet "alice" sends "UpdateProfile" to "PA" with data:
      """
      {"nickname": "say \"zz\": null, {\"a\": null} [\\] \\\"b\\\": null", "bio": null}
      """
    # checks MIP02-UPD-2
    Then the reply is a success
    And the profile of "PA" has no field "bio"
    When wallet "alice" sends "UpdateProfile" to "PA" with data:
      """
      {"\u006eickname" : null }
      """
    Then the reply is a success
    And the profile of "PA" has no field "nickname"
    When wallet "alice" sends "UpdateProfile" to "PA" with data:
      """
      {"avatar":"\"","zz":null}
      """
    # checks MIP00-INP-4
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "UpdateProfile" to "PA" with data:
      """
      {"avatar": "\\", "z\u007a": null}
      """
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "UpdateProfile" to "PA" with data:
      """
      {"avatar":"x","zz":null}
      """
    Then the reply is an error "InvalidInput"
    And the profile of "PA" has no field "avatar"

  @MIP00-INP-4 @MUST
  Scenario: an unknown field given as null after a number, a list or an object is still unknown
    When wallet "alice" sends "MarkRead" to "PA" with data "{"session": "<P2>", "upTo": 1, "zz": null}"
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "CreateSession" to "PA" with data "{"type": "group", "participants": ["<P1>"], "zz": null}"
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "SessionCommand" to "PA" with data "{"session": "<P2>", "command": "Leave", "args": {}, "zz": null}"
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "SessionCommand" to "PA" with data "{"session": "<P2>", "args": {"title": {"a": []}}, "command": "SetTitle", "zz": null}"
    Then the reply is an error "InvalidInput"
    And the chat list of "PA" shows 0 sessions

  @MIP00-ERR-3 @SHOULD
  Scenario: an error about a long unknown field name does not echo it back
    When wallet "alice" sends "AddContact" to "PA" with data "{\"pid\":\"<P1>\",\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\":1}"
    Then the reply is an error "InvalidInput"
    And the error message is at most 256 bytes

  @MIP00-ERR-2 @MUST
  Scenario Outline: each refusal of a profile has a MIP-00 code: <code> for <action>
    When wallet "<who>" sends "<action>" to "PA" with data "<data>"
    # checks <rule>
    Then the reply is an error "<code>"

    Examples:
      | who     | action          | data                                           | code         | rule         |
      | mallory | AddContact      | {"pid": "<P1>"}                                | Unauthorized | MIP02-OWN-1  |
      | alice   | AddContact      | {"pid": "short"}                               | InvalidInput | MIP02-CON-1  |
      | alice   | RemoveContact   | {"pid": "<P1>"}                                | NotFound     | MIP02-CON-3  |
      | alice   | MarkRead        | {"session": "<S1>"}                            | NotFound     | MIP02-READ-1 |
      | alice   | SendChatMessage | {"session": "<S1>", "content": "hi"}           | NotFound     | MIP02-MSG-1  |
      | alice   | CreateSession   | {"type": "group", "participants": []}          | InvalidInput | MIP02-SES-1  |
