@MIP-00 @session
Feature: MIP-00 State and reads of a chat session
  A refused request changes nothing a session shows. The sender is msg.From, compared byte for byte:
  never a tag or a field it chose, and a process acts as itself, not as its owner. A session's reads
  answer the same by dryrun and by message, to anyone; a dryrun changes nothing; lists come in the
  order MIP-03 defines.

  Background:
    Given wallet "alice" spawns a group session "G" with "bob"
    And wallet "alice" sends 1 message to "G"

  @MIP00-ATOM-1 @MUST
  Scenario Outline: a refused request leaves a session as it was: <action> <case>
    Given the reads of "G" are remembered
    When wallet "<who>" sends "<action>" to "G" with data "<data>"
    # checks <rule>
    Then the reply is an error "<code>"
    # checks MIP00-ATOM-1
    And the reads of "G" are as remembered

    Examples:
      | who     | action            | case                      | data                               | code         | rule         |
      | mallory | SendMessage       | by a stranger             | {"content": "hi"}                  | Unauthorized | MIP03-SEND-1 |
      | alice   | SendMessage       | replying to no message    | {"content": "hi", "replyTo": 99}   | InvalidInput | MIP03-SEND-2 |
      | alice   | AddParticipant    | of a participant          | {"pid": "<bob>"}                   | InvalidInput | MIP03-GRP-1  |
      | alice   | RemoveParticipant | of no participant         | {"pid": "<P1>"}                    | NotFound     | MIP03-GRP-2  |
      | bob     | RemoveParticipant | of the admin by a member  | {"pid": "<alice>"}                 | Unauthorized | MIP03-GRP-2  |
      | alice   | SetTitle          | with an empty title       | {"title": ""}                      | InvalidInput | MIP03-GRP-4  |
      | alice   | Leave             | by the admin              |                                    | InvalidInput | MIP03-GRP-3  |

  @MIP00-ID-1 @MUST
  Scenario Outline: a wallet that names a participant in a <tag> tag is not that participant
    Given the reads of "G" are remembered
    And wallet "mallory" sends "SendMessage" to "G" with data "{\"content\":\"hi\"}"
    # checks MIP03-SEND-1
    And the reply is an error "Unauthorized"
    # checks MIP00-ID-1
    When wallet "mallory" sends "SendMessage" to "G" with data "{\"content\":\"hi\"}" and tags:
      | <tag> | <alice> |
    Then the reads of "G" are as remembered

    Examples:
      | tag          |
      | From-Process |
      | From         |
      | Owner        |

  @MIP00-ID-1 @MUST
  Scenario Outline: a participant that names another in a <tag> tag still sends as itself
    When wallet "bob" sends "SendMessage" to "G" with data "{\"content\":\"hi\"}" and tags:
      | <tag> | <alice> |
    Then the reply is a success
    # checks MIP03-SEND-3
    And the reply field "id" is 2
    When "anyone" dryruns "GetMessages" on "G"
    # checks MIP00-ID-1
    Then the reply message 2 includes:
      """
      {"from": "<bob>"}
      """

    Examples:
      | tag   |
      | From  |
      | Owner |

  @MIP00-ID-1 @MUST
  Scenario: a process a participant owns acts as itself, not as its owner
    Given the puppet process "X" owned by wallet "alice"
    And the reads of "G" are remembered
    And wallet "mallory" sends "SendMessage" to "G" with data "{\"content\":\"hi\"}"
    # checks MIP03-SEND-1
    And the reply is an error "Unauthorized"
    # checks MIP00-ID-1
    When wallet "alice" has "X" send "SendMessage" to "G" with data:
      """
      {"content": "hi"}
      """
    Then "G" answered "X" with an error "Unauthorized"
    And the reads of "G" are as remembered

  @MIP00-ID-2 @MUST
  Scenario Outline: a participant's address in <casing> case is not a participant
    Given the address of "alice" in <casing> case is known as "ALICE"
    And "mallory" dryruns "SendMessage" on "G" with data "{\"content\":\"hi\"}"
    # checks MIP03-SEND-1
    And the reply is an error "Unauthorized"
    # checks MIP00-ID-2
    When "ALICE" dryruns "SendMessage" on "G" with data "{\"content\":\"hi\"}"
    Then the reply is an error "Unauthorized"

    Examples:
      | casing |
      | upper  |
      | lower  |

  @MIP00-ID-2 @MUST
  Scenario: a participant's id in another case is another id
    Given the address of "bob" in upper case is known as "BOB"
    When wallet "alice" sends "RemoveParticipant" to "G" with data "{\"pid\":\"<BOB>\"}"
    Then the reply is an error "NotFound"
    When wallet "alice" sends "AddParticipant" to "G" with data "{\"pid\":\"<BOB>\"}"
    Then the reply is a success
    And the participants of "G" are alice as admin, bob as member, BOB as member

  @MIP00-RD-1 @MUST
  Scenario Outline: a session's read gives the same reply by dryrun and by message: <action> <data>
    Then a dryrun and a sent "<action>" from wallet "carol" to "G" with data "<data>" give the same reply

    Examples:
      | action         | data                                |
      | GetSessionInfo |                                     |
      | GetMessages    |                                     |
      | GetMessages    | {\"order\":\"desc\",\"limit\":1}    |
      | GetMessages    | {\"after\":5}                       |

  @MIP00-RD-2 @MUST
  Scenario Outline: a write by dryrun claiming a participant changes nothing: <action> by <who>
    Given the reads of "G" are remembered
    When "<who>" dryruns "<action>" on "G" with data "<data>"
    # checks <rule>
    Then the reply is a success
    # checks MIP00-RD-2
    And the reads of "G" are as remembered

    Examples:
      | who   | action            | data               | rule         |
      | alice | SendMessage       | {"content": "hi"}  | MIP03-SEND-3 |
      | alice | SetTitle          | {"title": "Team"}  | MIP03-GRP-4  |
      | alice | AddParticipant    | {"pid": "<P1>"}    | MIP03-GRP-1  |
      | alice | RemoveParticipant | {"pid": "<bob>"}   | MIP03-GRP-2  |
      | bob   | Leave             |                    | MIP03-GRP-3  |

  @MIP00-RD-3 @MUST
  Scenario Outline: every reader gets the same session read: <action>
    Then "alice", "mallory", "G" and "<P9>" read the same "<action>" on "G"

    Examples:
      | action         |
      | GetSessionInfo |
      | GetMessages    |

  @MIP00-ORD-1 @MUST
  Scenario: a group lists its participants in the order they joined, not sorted
    Given wallet "alice" sends "AddParticipant" to "G" with data "{\"pid\":\"<P3>\"}"
    And the reply is a success
    And wallet "alice" sends "AddParticipant" to "G" with data "{\"pid\":\"<P2>\"}"
    And the reply is a success
    Then the participants of "G" are alice as admin, bob as member, P3 as member, P2 as member

  @MIP00-ORD-1 @MUST
  Scenario: messages come in id order, ascending or descending as asked
    Given wallet "alice" sends "SendMessage" to "G" with data "{\"content\":\"two\"}"
    # checks MIP03-SEND-3
    And the reply field "id" is 2
    And wallet "alice" sends "SendMessage" to "G" with data "{\"content\":\"three\"}"
    And the reply field "id" is 3
    When "anyone" dryruns "GetMessages" on "G" with data "{\"order\":\"desc\"}"
    # checks MIP00-ORD-1
    Then the reply lists messages 3, 2, 1
    When "anyone" dryruns "GetMessages" on "G"
    Then the reply lists messages 1, 2, 3
