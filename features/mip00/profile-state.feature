@MIP-00 @profile
Feature: MIP-00 State and reads of a profile
  A refused request changes nothing a profile shows. The sender is msg.From, compared byte for byte:
  never a tag or a field it chose, and a process acts as itself, not as its owner. A profile's reads
  answer the same by dryrun and by message, to anyone; a dryrun changes nothing; lists come in the
  order MIP-02 defines.

  Background:
    Given wallet "alice" has a profile "PA"
    And wallet "alice" sends "UpdateProfile" to "PA" with data "{\"nickname\":\"Alice\"}"
    And the reply is a success
    And wallet "alice" sends "AddContact" to "PA" with data "{\"pid\":\"<P1>\",\"alias\":\"bob\"}"
    And the reply is a success

  @MIP00-ATOM-1 @MUST
  Scenario Outline: a refused request leaves a profile as it was: <action> <case>
    Given the reads of "PA" are remembered
    When wallet "<who>" sends "<action>" to "PA" with data "<data>"
    # checks <rule>
    Then the reply is an error "<code>"
    # checks MIP00-ATOM-1
    And the reads of "PA" are as remembered

    Examples:
      | who     | action          | case                     | data                                                  | code         | rule         |
      | alice   | UpdateProfile   | with one bad field       | {"nickname": "Eve", "bio": ""}                        | InvalidInput | MIP02-FLD-2  |
      | alice   | AddContact      | with an empty alias      | {"pid": "<P1>", "alias": ""}                          | InvalidInput | MIP02-CON-1  |
      | alice   | RemoveContact   | of no contact            | {"pid": "<P2>"}                                       | NotFound     | MIP02-CON-3  |
      | alice   | CreateSession   | of a DM with two peers   | {"type": "dm", "participants": ["<P1>", "<P2>"]}      | InvalidInput | MIP02-SES-1  |
      | alice   | SendChatMessage | to an unlisted session   | {"session": "<S1>", "content": "hi"}                  | NotFound     | MIP02-MSG-1  |
      | mallory | UpdateProfile   | by another wallet        | {"nickname": "Eve"}                                   | Unauthorized | MIP02-OWN-1  |

  @MIP00-ID-1 @MUST
  Scenario Outline: a wallet that names the owner in a <tag> tag is not the owner
    Given the reads of "PA" are remembered
    And wallet "mallory" sends "UpdateProfile" to "PA" with data "{\"nickname\":\"Eve\"}"
    # checks MIP02-OWN-1
    And the reply is an error "Unauthorized"
    # checks MIP00-ID-1
    When wallet "mallory" sends "UpdateProfile" to "PA" with data "{\"nickname\":\"Eve\"}" and tags:
      | <tag> | <alice> |
    Then the reads of "PA" are as remembered

    Examples:
      | tag          |
      | From-Process |
      | From         |
      | Owner        |

  @MIP00-ID-1 @MUST
  Scenario: a process the owner owns acts as itself, not as its owner
    Given the puppet process "X" owned by wallet "alice"
    And the reads of "PA" are remembered
    And wallet "mallory" sends "UpdateProfile" to "PA" with data "{\"nickname\":\"Eve\"}"
    # checks MIP02-OWN-1
    And the reply is an error "Unauthorized"
    # checks MIP00-ID-1
    When wallet "alice" has "X" send "UpdateProfile" to "PA" with data:
      """
      {"nickname": "Eve"}
      """
    Then "PA" answered "X" with an error "Unauthorized"
    And the reads of "PA" are as remembered

  @MIP00-ID-1 @MUST
  Scenario: an owner field in Data is refused, not believed
    When wallet "alice" sends "UpdateProfile" to "PA" with data "{\"nickname\":\"Eve\",\"owner\":\"<mallory>\"}"
    Then the reply is an error "InvalidInput"
    And the profile of "PA" includes:
      """
      {"owner": "<alice>", "nickname": "Alice"}
      """

  @MIP00-ID-2 @MUST
  Scenario Outline: the owner's address in <casing> case is not the owner
    Given the address of "alice" in <casing> case is known as "ALICE"
    And "mallory" dryruns "UpdateProfile" on "PA" with data "{\"nickname\":\"Eve\"}"
    # checks MIP02-OWN-1
    And the reply is an error "Unauthorized"
    # checks MIP00-ID-2
    When "ALICE" dryruns "UpdateProfile" on "PA" with data "{\"nickname\":\"Eve\"}"
    Then the reply is an error "Unauthorized"

    Examples:
      | casing |
      | upper  |
      | lower  |

  @MIP00-ID-2 @MUST
  Scenario: a contact id in another case is another contact
    Given the id of "P1" in upper case is known as "P1UP"
    When wallet "alice" sends "AddContact" to "PA" with data "{\"pid\":\"<P1UP>\"}"
    Then the reply field "pid" is "<P1UP>"
    And the contacts of "PA" are P1, P1UP
    When wallet "alice" sends "RemoveContact" to "PA" with data "{\"pid\":\"<P1UP>\"}"
    Then the reply is a success
    And the contacts of "PA" are P1

  @MIP00-RD-1 @MUST
  Scenario Outline: a profile's read gives the same reply by dryrun and by message: <action>
    Then a dryrun and a sent "<action>" from wallet "bob" to "PA" give the same reply

    Examples:
      | action      |
      | GetProfile  |
      | GetContacts |
      | GetChatList |

  @MIP00-RD-2 @MUST
  Scenario Outline: a write by dryrun claiming the owner changes nothing: <action>
    Given the reads of "PA" are remembered
    When "alice" dryruns "<action>" on "PA" with data "<data>"
    # checks <rule>
    Then the reply is a success
    # checks MIP00-RD-2
    And the reads of "PA" are as remembered

    Examples:
      | action        | data                             | rule        |
      | UpdateProfile | {"nickname": "Eve", "bio": "hi"} | MIP02-UPD-1 |
      | AddContact    | {"pid": "<P2>"}                  | MIP02-CON-1 |
      | RemoveContact | {"pid": "<P1>"}                  | MIP02-CON-3 |

  @MIP00-RD-3 @MUST
  Scenario Outline: every reader gets the same profile read: <action>
    Then "alice", "mallory", "PA" and "<P9>" read the same "<action>" on "PA"

    Examples:
      | action      |
      | GetProfile  |
      | GetContacts |
      | GetChatList |

  @MIP00-ORD-1 @MUST
  Scenario: a profile lists its contacts in the order they were added, not sorted
    Given wallet "alice" sends "AddContact" to "PA" with data "{\"pid\":\"<P3>\"}"
    And the reply is a success
    And wallet "alice" sends "AddContact" to "PA" with data "{\"pid\":\"<P2>\"}"
    And the reply is a success
    Then the contacts of "PA" are P1, P3, P2

  @MIP00-ORD-1 @MUST
  Scenario: a new group lists the creator first, then the others in the order asked
    When "PA" asks for a group with "<P1>, <P3>, <P2>"
    Then the reply is a success
    And the reply data includes:
      """
      {"participants": ["<PA>", "<P1>", "<P3>", "<P2>"]}
      """
