@MIP-00 @session
Feature: MIP-00 Requests to a chat session
  A chat session takes requests like every MostAO process: a message that names none of its
  operations, exactly, gets no reply and changes nothing; malformed, open or oversized Data gets
  InvalidInput or LimitExceeded, never a handler error; every error code is one of MIP-00's.

  Background:
    Given wallet "alice" spawns a group session "G" with "bob"

  @MIP00-ACT-1 @MUST
  Scenario Outline: a message to a session that names none of its operations gets no reply and changes nothing: <action>
    Given the reads of "G" are remembered
    When wallet "alice" sends "<action>" to "G" with data "{\"content\":\"hi\"}"
    Then there is no reply
    And no evaluation failed
    And the reads of "G" are as remembered

    Examples:
      | action               |
      | DeleteMessage        |
      |                      |
      | SendMessage-Response |
      | Session-Message      |

  @MIP00-ACT-1 @MUST
  Scenario: an unknown Action by dryrun gets no reply from a session either
    When "alice" dryruns "Info" on "G"
    Then there is no reply

  @MIP00-ACT-2 @MUST
  Scenario Outline: an Action in another case is unknown to a session: <action>
    Given the reads of "G" are remembered
    When wallet "alice" sends "<action>" to "G" with data "{\"content\":\"hi\"}"
    Then there is no reply
    And the reads of "G" are as remembered

    Examples:
      | action         |
      | sendmessage    |
      | SENDMESSAGE    |
      | sendMessage    |
      | getsessioninfo |

  @MIP00-INP-1 @MIP00-INP-2 @MUST
  Scenario Outline: malformed Data to a session gets InvalidInput and no handler error: <action> with <case>
    When wallet "alice" sends "<action>" to "G" with data "<data>"
    # checks MIP00-INP-1
    Then the reply is an error "InvalidInput"
    And no evaluation failed

    Examples:
      | action            | case             | data                            |
      | SendMessage       | no JSON          | hello                           |
      | SendMessage       | an open brace    | {                               |
      | SendMessage       | an array         | ["hi"]                          |
      | SendMessage       | a string         | "hi"                            |
      | SendMessage       | a number         | 42                              |
      | SendMessage       | null             | null                            |
      | SendMessage       | a missing field  | {}                              |
      | SendMessage       | a mistyped field | {"content": 5}                  |
      | SendMessage       | a mistyped field | {"content": "hi", "replyTo": "1"} |
      | SendMessage       | a trailing comma | {"content": "hi",}              |
      | GetMessages       | a mistyped field | {"limit": "5"}                  |
      | GetMessages       | an array         | [1]                             |
      | GetMessages       | an empty array   | []                              |
      | AddParticipant    | a missing field  | {}                              |
      | RemoveParticipant | a string         | "<bob>"                         |
      | SetTitle          | a mistyped field | {"title": 5}                    |

  @MIP00-INP-3 @MUST
  Scenario: a title in Data of exactly 4096 bytes is set
    When wallet "alice" sends "SetTitle" to "G" with data "{\"title\":\"Team\"}" padded with spaces to 4096 bytes
    Then the reply is a success
    When "anyone" dryruns "GetSessionInfo" on "G"
    Then the reply field "title" is "Team"

  @MIP00-INP-3 @MUST
  Scenario: Data that arrives decoded is measured by its JSON encoding
    Given the reads of "G" are remembered
    When wallet "alice" sends "SetTitle" to "G" with the JSON object "{\"title\":\"Team\"}" grown by a field "pad" to 4200 bytes, tagged Content-Type application/json
    Then the reply is an error "LimitExceeded"
    And the reads of "G" are as remembered

  @MIP00-INP-3 @MIP00-ERR-2 @MIP00-ATOM-1 @MUST
  Scenario Outline: Data of 4097 bytes to a session is LimitExceeded before any other check: <action> from <who>
    Given the reads of "G" are remembered
    When wallet "<who>" sends "<action>" to "G" with data "<data>" padded with spaces to 4097 bytes
    # checks MIP00-INP-3
    Then the reply is an error "LimitExceeded"
    # checks MIP00-ATOM-1
    And the reads of "G" are as remembered

    Examples:
      | who     | action         | data                    |
      | alice   | SetTitle       | {\"title\":\"Team\"}    |
      | mallory | AddParticipant | {\"pid\":\"<P1>\"}      |
      | bob     | Leave          |                         |
      | carol   | GetMessages    |                         |

  @MIP00-INP-4 @MIP00-ATOM-1 @MUST
  Scenario Outline: an unknown field is InvalidInput even next to valid fields: <action> with <field>
    Given the reads of "G" are remembered
    When wallet "alice" sends "<action>" to "G" with data "<data>"
    # checks MIP00-INP-4
    Then the reply is an error "InvalidInput"
    # checks MIP00-ATOM-1
    And the reads of "G" are as remembered

    Examples:
      | action            | field  | data                                  |
      | SendMessage       | from   | {"content": "hi", "from": "<bob>"}    |
      | SendMessage       | a null | {"content": "hi", "id": null}         |
      | GetMessages       | page   | {"limit": 5, "page": 2}               |
      | SetTitle          | color  | {"title": "Team", "color": "red"}     |
      | AddParticipant    | role   | {"pid": "<P1>", "role": "admin"}      |
      | RemoveParticipant | force  | {"pid": "<bob>", "force": true}       |

  @MIP00-INP-4 @MIP03-OPT-1 @MUST
  Scenario: a request's fields are its JSON object's keys, not look-alikes inside strings, and escaped keys count
    When wallet "alice" sends "SendMessage" to "G" with data:
      """
      {"content": "say \"zz\": null, {\"a\": null} [\\] \\\"b\\\": null", "replyTo": null}
      """
    # checks MIP03-OPT-1
    Then the reply is a success
    When wallet "alice" sends "SendMessage" to "G" with data:
      """
      {"content" : "x" , "\u0072eplyTo" : null }
      """
    Then the reply is a success
    When wallet "alice" sends "SendMessage" to "G" with data:
      """
      {"content":"\"","zz":null}
      """
    # checks MIP00-INP-4
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "SendMessage" to "G" with data:
      """
      {"content": "\\", "z\u007a": null}
      """
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "SendMessage" to "G" with data:
      """
      {"content":"x","zz":null}
      """
    Then the reply is an error "InvalidInput"
    And the session "G" holds 2 messages

  @MIP00-INP-4 @MUST
  Scenario: an unknown field given as null after a number is still unknown
    When "anyone" dryruns "GetMessages" on "G" with data "{"limit": 5, "zz": null}"
    Then the reply is an error "InvalidInput"
    When "anyone" dryruns "GetMessages" on "G" with data "{"after": 0, "before": 9, "zz":null}"
    Then the reply is an error "InvalidInput"

  @MIP00-ERR-3 @SHOULD
  Scenario: an error about a long unknown field name does not echo it back
    When wallet "alice" sends "SetTitle" to "G" with data "{\"title\":\"Team\",\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\":1}"
    Then the reply is an error "InvalidInput"
    And the error message is at most 256 bytes

  @MIP00-ERR-2 @MUST
  Scenario Outline: each refusal of a session has a MIP-00 code: <code> for <action> from <who>
    When wallet "<who>" sends "<action>" to "G" with data "<data>"
    # checks <rule>
    Then the reply is an error "<code>"

    Examples:
      | who     | action            | data               | code         | rule         |
      | mallory | SendMessage       | {"content": "hi"}  | Unauthorized | MIP03-SEND-1 |
      | alice   | SendMessage       | {"content": ""}    | InvalidInput | MIP03-SEND-2 |
      | bob     | SetTitle          | {"title": "Team"}  | Unauthorized | MIP03-GRP-4  |
      | alice   | AddParticipant    | {"pid": "<bob>"}   | InvalidInput | MIP03-GRP-1  |
      | alice   | RemoveParticipant | {"pid": "<P1>"}    | NotFound     | MIP03-GRP-2  |
      | alice   | Leave             | {}                 | InvalidInput | MIP03-GRP-3  |
