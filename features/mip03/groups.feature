@MIP-03
Feature: MIP-03 DMs are fixed, groups are administered
  A DM's two participants never change; a group's admin adds, removes and
  titles, and members may leave.

  @MIP03-DM-1 @MUST
  Scenario Outline: a DM's participants and title are fixed
    Given wallet "alice" spawns a dm session "S" with "bob"
    When wallet "alice" sends "<action>" to "S" with data "<data>"
    Then the reply is an error "InvalidInput"
    And the participants of "S" are alice as member, bob as member

    Examples:
      | action            | data                 |
      | AddParticipant    | {"pid": "<P3>"}      |
      | RemoveParticipant | {"pid": "<bob>"}     |
      | Leave             |                      |
      | SetTitle          | {"title": "us"}      |

  @MIP03-GRP-1 @MIP03-GRP-6 @MUST
  Scenario: the admin adds a participant, who is told, as is everyone
    Given a wallet "bob"
    And a wallet "dave"
    And wallet "alice" spawns a group session "G" with "bob"
    When wallet "alice" sends "AddParticipant" to "G" with data "{"pid": "<dave>"}"
    # checks MIP03-GRP-1
    Then the answer is a success
    And the answer data is:
      """
      {"session": "<G>", "participants": [{"pid": "<alice>", "role": "admin"}, {"pid": "<bob>", "role": "member"}, {"pid": "<dave>", "role": "member"}]}
      """
    # checks MIP03-GRP-6
    And "dave" has received 1 "Session-Changed" notice from "G"
    And "bob" has received 1 "Session-Changed" notice from "G"
    And "alice" has received 1 "Session-Changed" notice from "G"
    And the last "Session-Changed" notice from "G" to "dave" includes:
      """
      {"session": "<G>", "type": "group", "change": {"kind": "added", "pid": "<dave>"}}
      """
    When wallet "dave" sends "SendMessage" to "G" with data "{"content": "hi all"}"
    # checks MIP03-GRP-1
    Then the reply is a success

  @MIP03-GRP-1 @MUST
  Scenario: only the admin adds, and not someone already in
    Given wallet "alice" spawns a group session "G" with "bob"
    When wallet "bob" sends "AddParticipant" to "G" with data "{"pid": "<P3>"}"
    Then the reply is an error "Unauthorized"
    When wallet "mallory" sends "AddParticipant" to "G" with data "{"pid": "<mallory>"}"
    Then the reply is an error "Unauthorized"
    When wallet "alice" sends "AddParticipant" to "G" with data "{"pid": "<bob>"}"
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "AddParticipant" to "G" with data "{"pid": "short"}"
    Then the reply is an error "InvalidInput"
    And the participants of "G" are alice as admin, bob as member

  @MIP03-GRP-1 @MUST
  Scenario: a group of 256 takes no one more
    Given wallet "alice" spawns a group session "G" with 255 others
    When wallet "alice" sends "AddParticipant" to "G" with data "{"pid": "<one-too-many>"}"
    Then the reply is an error "LimitExceeded"
    And "anyone" dryruns "GetSessionInfo" on "G"
    And the reply has 256 participants

  @MIP03-GRP-2 @MIP03-GRP-5 @MIP03-GRP-6 @MUST
  Scenario: a removed participant is told, can no longer send and gets no more notices
    Given a wallet "bob"
    And wallet "alice" spawns a group session "G" with "bob, carol"
    When wallet "alice" sends "RemoveParticipant" to "G" with data "{"pid": "<bob>"}"
    # checks MIP03-GRP-2
    Then the answer is a success
    # checks MIP03-GRP-6
    And "bob" has received 1 "Session-Removed" notice from "G"
    And the last "Session-Removed" notice from "G" to "bob" includes:
      """
      {"session": "<G>", "reason": "removed"}
      """
    And "carol" has received 1 "Session-Changed" notice from "G"
    And "bob" has received 0 "Session-Changed" notices from "G"
    When wallet "bob" sends "SendMessage" to "G" with data "{"content": "still here?"}"
    # checks MIP03-GRP-5
    Then the reply is an error "Unauthorized"
    When wallet "carol" sends "SendMessage" to "G" with data "{"content": "bye bob"}"
    Then "bob" has received 0 "Session-Message" notices from "G"
    And the session "G" holds 1 message

  @MIP03-GRP-2 @MUST
  Scenario: only the admin removes, never itself, and only participants
    Given wallet "alice" spawns a group session "G" with "bob, carol"
    When wallet "bob" sends "RemoveParticipant" to "G" with data "{"pid": "<carol>"}"
    Then the reply is an error "Unauthorized"
    When wallet "alice" sends "RemoveParticipant" to "G" with data "{"pid": "<alice>"}"
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "RemoveParticipant" to "G" with data "{"pid": "<P9>"}"
    Then the reply is an error "NotFound"
    And the participants of "G" are alice as admin, bob as member, carol as member

  @MIP03-GRP-3 @MIP03-GRP-5 @MUST
  Scenario: a member leaves and can no longer send; the admin cannot leave
    Given wallet "alice" spawns a group session "G" with "bob, carol"
    When wallet "bob" sends "Leave" to "G"
    # checks MIP03-GRP-3
    Then the answer is a success
    And the answer data is:
      """
      {"session": "<G>", "left": true}
      """
    And "bob" has received 1 "Session-Removed" notice from "G"
    And the participants of "G" are alice as admin, carol as member
    When wallet "bob" sends "SendMessage" to "G" with data "{"content": "back?"}"
    # checks MIP03-GRP-5
    Then the reply is an error "Unauthorized"
    When wallet "bob" sends "Leave" to "G"
    # checks MIP03-GRP-3
    Then the reply is an error "Unauthorized"
    When wallet "alice" sends "Leave" to "G"
    Then the reply is an error "InvalidInput"

  @MIP03-GRP-3 @MIP03-GRP-6 @MUST
  Scenario: participants that are processes leave as their sender: the admin's profile cannot, a member's can and is told
    Given wallet "alice" has a profile "PA"
    And wallet "bob" has a profile "PB"
    And wallet "carol" has a profile "PC"
    And "PA" creates a group "G" with "PB, PC"
    # checks MIP03-INIT-2
    And the chat lists of "PA, PB, PC" show "G"
    When wallet "alice" sends "SessionCommand" to "PA" with data "{"session": "<G>", "command": "Leave"}"
    # checks MIP03-GRP-3
    Then the reply is an error "InvalidInput"
    And the participants of "G" are PA as admin, PB as member, PC as member
    When "PB" leaves "G"
    Then the participants of "G" are PA as admin, PC as member
    # checks MIP03-GRP-6
    And "PB" has received 1 "Session-Removed" notice from "G"
    And the last "Session-Changed" notice from "G" to "PC" includes:
      """
      {"change": {"kind": "left", "pid": "<PB>"}}
      """

  @MIP03-GRP-4 @MUST
  Scenario: the admin sets a title of 1 to 128 characters; members cannot
    Given wallet "alice" spawns a group session "G" with "bob"
    When wallet "alice" sends "SetTitle" to "G" with data "{"title": "book club"}"
    Then the answer is a success
    And the answer data is:
      """
      {"session": "<G>", "title": "book club"}
      """
    And the last "Session-Changed" notice from "G" to "bob" includes:
      """
      {"title": "book club", "change": {"kind": "title"}}
      """
    When wallet "bob" sends "SetTitle" to "G" with data "{"title": "mine"}"
    Then the reply is an error "Unauthorized"
    When wallet "alice" sends "SetTitle" to "G" with data "{"title": ""}"
    Then the reply is an error "InvalidInput"
    When wallet "alice" sets the title of "G" to 129 times "t"
    Then the reply is an error "InvalidInput"
    When wallet "alice" sets the title of "G" to 128 times "é"
    Then the answer is a success
    When wallet "alice" sets the title of "G" to 1 times "t"
    Then the answer is a success

  @MIP03-GRP-1 @MIP03-CHK-1 @MUST
  Scenario: in a full group a pid already in is InvalidInput, a new one LimitExceeded
    Given wallet "alice" spawns a group session "G" with 255 others
    When wallet "alice" sends "AddParticipant" to "G" with data "{"pid": "<member-7>"}"
    # checks MIP03-CHK-1
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "AddParticipant" to "G" with data "{"pid": "<alice>"}"
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "AddParticipant" to "G" with data "{"pid": "<one-too-many>"}"
    # checks MIP03-GRP-1
    Then the reply is an error "LimitExceeded"

  @MIP03-CHK-1 @MUST
  Scenario: a request is judged sender first, then the kind of session, the admin, the Data, the state
    Given wallet "alice" spawns a dm session "S" with "bob"
    And wallet "alice" spawns a group session "G" with "bob"
    And wallet "bob" sends "SetTitle" to "S" with data "{"title": "ours"}"
    # checks MIP03-DM-1
    And the reply is an error "InvalidInput"
    # checks MIP03-CHK-1
    When wallet "mallory" sends "SetTitle" to "S" with data "not json"
    Then the reply is an error "Unauthorized"
    When wallet "bob" sends "SetTitle" to "S" with data "not json"
    Then the reply is an error "InvalidInput"
    When wallet "bob" sends "SetTitle" to "G" with data "not json"
    Then the reply is an error "Unauthorized"
    When wallet "mallory" sends "SendMessage" to "G" with data "not json"
    Then the reply is an error "Unauthorized"
    When wallet "alice" sends "RemoveParticipant" to "G" with data "{"pid": "short"}"
    Then the reply is an error "InvalidInput"
    When wallet "alice" sends "RemoveParticipant" to "G" with data "{"pid": "<P9>"}"
    Then the reply is an error "NotFound"
    And the participants of "G" are alice as admin, bob as member

  @MIP03-ORD-1 @MAY
  Scenario: the admin's answer is told from its own notice by the reference, whatever their order
    Given a wallet "carol"
    And wallet "alice" spawns a group session "G" with "bob"
    When wallet "alice" sends "AddParticipant" to "G" with data "{"pid": "<carol>"}"
    Then the answer is a success
    And "alice" has received 1 "Session-Changed" notice from "G"
    And "carol" has received 1 "Session-Changed" notice from "G"
