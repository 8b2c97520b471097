@MIP-03
Feature: MIP-03 Creating a session
  A session learns who takes part from its spawn message and tells every
  participant that it exists. Here wallets spawn sessions directly, so the
  session is tested on its own; the flows test sessions spawned by profiles.

  @MIP03-INIT-1 @MIP03-INFO-1 @MUST
  Scenario: a DM session knows its two participants, both members
    Given wallet "alice" spawns a dm session "S" with "bob"
    When "anyone" dryruns "GetSessionInfo" on "S"
    # checks MIP03-INFO-1
    Then the reply is a success
    # checks MIP03-INIT-1
    And the reply data includes:
      """
      {"session": "<S>", "type": "dm", "creator": "<alice>", "messageCount": 0,
       "participants": [{"pid": "<alice>", "role": "member"}, {"pid": "<bob>", "role": "member"}]}
      """
    # checks MIP03-INFO-1
    And the reply field "createdAt" is a positive integer
    And the reply has no field "title"

  @MIP03-INIT-1 @MIP03-INIT-3 @MUST
  Scenario: a group keeps the spawn order and its creator is the admin
    Given wallet "alice" spawns a session "G" with data:
      """
      {"type": "group", "participants": ["<P3>", "<alice>", "<P2>"], "title": "club"}
      """
    # checks MIP03-INIT-3
    Then the participants of "G" are P3 as member, alice as admin, P2 as member
    When "anyone" dryruns "GetSessionInfo" on "G"
    # checks MIP03-INIT-1
    Then the reply field "title" is "club"

  @MIP03-INIT-2 @MUST
  Scenario: every participant, the creator included, gets one creation notice
    Given a wallet "bob"
    And a wallet "carol"
    When wallet "alice" spawns a group session "G" with "bob, carol"
    Then "alice" has received 1 "Session-Created" notice from "G"
    And "bob" has received 1 "Session-Created" notice from "G"
    And "carol" has received 1 "Session-Created" notice from "G"
    And the last "Session-Created" notice from "G" to "carol" includes:
      """
      {"session": "<G>", "type": "group", "creator": "<alice>",
       "participants": [{"pid": "<alice>", "role": "admin"}, {"pid": "<bob>", "role": "member"}, {"pid": "<carol>", "role": "member"}]}
      """

  @MIP03-INIT-1 @MUST
  Scenario Outline: a session whose spawn is not valid sends nothing and answers NotFound
    Given a wallet "bob"
    And wallet "alice" spawns a session "S" with data:
      """
      <spawn>
      """
    Then "bob" has received 0 "Session-Created" notices from "S"
    When "anyone" dryruns "GetSessionInfo" on "S"
    Then the reply is an error "NotFound"
    When wallet "bob" sends "SendMessage" to "S" with data "{"content": "hi"}"
    Then the reply is an error "NotFound"
    When "anyone" dryruns "GetMessages" on "S"
    Then the reply is an error "NotFound"

    Examples:
      | spawn                                                                   |
      | {"type": "dm", "participants": ["<alice>"]}                              |
      | {"type": "dm", "participants": ["<alice>", "<bob>", "<P3>"]}             |
      | {"type": "dm", "participants": ["<P3>", "<bob>"]}                        |
      | {"type": "dm", "participants": ["<alice>", "<bob>"], "title": "x"}       |
      | {"type": "group", "participants": ["<alice>"]}                           |
      | {"type": "group", "participants": ["<alice>", "<bob>", "<bob>"]}         |
      | {"type": "group", "participants": ["<alice>", "<bob>"], "title": ""}     |
      | {"type": "chat", "participants": ["<alice>", "<bob>"]}                   |
      | NODATA                                                                  |

  @MIP03-INIT-1 @MIP03-CHK-1 @MUST
  Scenario: a session whose spawn is not valid still checks the size of Data first
    Given a wallet "bob"
    And wallet "alice" spawns a session "S" with data:
      """
      {"type": "dm", "participants": ["<alice>"]}
      """
    When wallet "bob" sends "SendMessage" to "S" with data "{}" padded with spaces to 65537 bytes
    # checks MIP03-CHK-1
    Then the reply is an error "LimitExceeded"
    When wallet "bob" sends "GetSessionInfo" to "S" with data "{}" padded with spaces to 4097 bytes
    Then the reply is an error "LimitExceeded"
    When wallet "bob" sends "SendMessage" to "S" with data "{}" padded with spaces to 65536 bytes
    # checks MIP03-INIT-1
    Then the reply is an error "NotFound"
    When wallet "bob" sends "GetSessionInfo" to "S" with data "{}" padded with spaces to 4096 bytes
    Then the reply is an error "NotFound"

  @MIP03-INIT-4 @MAY
  Scenario: a spawn with a field MIP-03 does not name makes a whole session or none, never half of one
    Given a wallet "bob"
    And wallet "alice" spawns a session "S" with data:
      """
      {"type": "dm", "participants": ["<alice>", "<bob>"], "colour": "blue"}
      """
    Then "S" is a whole dm session or no session at all

  @MIP03-OPT-1 @MUST
  Scenario: a spawn title given as null is no title
    Given a wallet "bob"
    And wallet "alice" spawns a session "S" with data:
      """
      {"type": "dm", "participants": ["<alice>", "<bob>"], "title": null}
      """
    When "anyone" dryruns "GetSessionInfo" on "S"
    Then the reply is a success
    And the reply has no field "title"
    And "bob" has received 1 "Session-Created" notice from "S"
