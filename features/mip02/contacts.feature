@MIP-02
Feature: MIP-02 Contacts
  The owner keeps a list of contacts; anyone may read it.

  Background:
    Given wallet "alice" has a profile "PA"

  @MIP02-CON-1 @MIP02-CON-4 @MUST
  Scenario: the owner adds contacts and they are listed in the order added
    When wallet "alice" sends "AddContact" to "PA" with data:
      """
      {"pid": "<P1>", "alias": "bob"}
      """
    # checks MIP02-CON-1
    Then the reply is a success
    And the reply data includes:
      """
      {"pid": "<P1>", "alias": "bob"}
      """
    And the reply field "addedAt" is the time of the request
    When wallet "alice" sends "AddContact" to "PA" with data:
      """
      {"pid": "<P2>"}
      """
    Then the reply is a success
    And the reply has no field "alias"
    # checks MIP02-CON-4
    And the contacts of "PA" are P1, P2

  @MIP02-CON-4 @MUST
  Scenario: a profile with no contacts lists none
    When "anyone" dryruns "GetContacts" on "PA"
    Then the reply is a success
    And the reply field "contacts" is []

  @MIP02-CON-2 @MUST
  Scenario: adding a contact again replaces its alias and keeps its place and time
    Given wallet "alice" sends "AddContact" to "PA" with data "{"pid": "<P1>", "alias": "bob"}"
    And the reply field "addedAt" is remembered as "first"
    And wallet "alice" sends "AddContact" to "PA" with data "{"pid": "<P2>"}"
    When wallet "alice" sends "AddContact" to "PA" with data "{"pid": "<P1>", "alias": "bobby"}"
    Then the reply is a success
    And the reply field "alias" is "bobby"
    And the reply field "addedAt" is the remembered "first"
    And the contacts of "PA" are P1, P2
    When wallet "alice" sends "AddContact" to "PA" with data "{"pid": "<P1>"}"
    Then the reply is a success
    And the reply has no field "alias"
    And the reply field "addedAt" is the remembered "first"
    And the contacts of "PA" are P1, P2

  @MIP02-OWN-1 @MUST
  Scenario: a wallet that is not the owner cannot add or remove contacts
    Given wallet "alice" sends "AddContact" to "PA" with data "{"pid": "<P1>"}"
    When wallet "mallory" sends "AddContact" to "PA" with data "{"pid": "<P2>"}"
    # checks MIP02-OWN-1
    Then the reply is an error "Unauthorized"
    When wallet "mallory" sends "RemoveContact" to "PA" with data "{"pid": "<P1>"}"
    Then the reply is an error "Unauthorized"
    And the contacts of "PA" are P1

  @MIP02-CON-1 @MUST
  Scenario Outline: contact input is validated
    When wallet "alice" sends "AddContact" to "PA" with data "<data>"
    Then the reply is an error "InvalidInput"
    And the contacts of "PA" are none

    Examples:
      | data                                                                           |
      | {"pid": "short"}                                                               |
      | {"pid": "<P1>", "alias": ""}                                                   |
      | {"pid": "<P1>", "alias": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} |
      | {"pid": "<P1>", "note": "x"}                                                   |
      | {"alias": "bob"}                                                               |
      | not json                                                                       |

  @MIP02-CON-1 @MUST
  Scenario: an alias is 1 to 64 characters
    When wallet "alice" sends "AddContact" to "PA" with data "{"pid": "<P1>", "alias": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"
    Then the reply is a success
    When wallet "alice" sends "AddContact" to "PA" with data "{"pid": "<P2>", "alias": "b"}"
    Then the reply is a success
    And the reply field "alias" is "b"
    And the contacts of "PA" are P1, P2

  @MIP02-CON-3 @MUST
  Scenario: removing a contact, and removing one that is not there
    Given wallet "alice" sends "AddContact" to "PA" with data "{"pid": "<P1>"}"
    And wallet "alice" sends "AddContact" to "PA" with data "{"pid": "<P2>"}"
    When wallet "alice" sends "RemoveContact" to "PA" with data "{"pid": "<P1>"}"
    Then the reply is a success
    And the reply data is:
      """
      {"pid": "<P1>", "removed": true}
      """
    And the contacts of "PA" are P2
    When wallet "alice" sends "RemoveContact" to "PA" with data "{"pid": "<P1>"}"
    Then the reply is an error "NotFound"
    And the contacts of "PA" are P2
    When wallet "alice" sends "RemoveContact" to "PA" with data "{"pid": "short"}"
    Then the reply is an error "InvalidInput"

  @MIP02-CON-5 @SHOULD
  Scenario: a profile holds at most 1000 contacts
    Given wallet "alice" adds 1000 contacts to "PA"
    When wallet "alice" sends "AddContact" to "PA" with data "{"pid": "<P1>"}"
    Then the reply is an error "LimitExceeded"
    When wallet "alice" sends "AddContact" to "PA" with data "{"pid": "<contact-7>", "alias": "seven"}"
    Then the reply is a success

  @MIP02-CON-4 @MUST
  Scenario: a contact removed and added again is a new contact: listed last, with a new addedAt
    Given wallet "alice" sends "AddContact" to "PA" with data "{"pid": "<P1>"}"
    And wallet "alice" sends "AddContact" to "PA" with data "{"pid": "<P2>"}"
    And wallet "alice" sends "RemoveContact" to "PA" with data "{"pid": "<P1>"}"
    When wallet "alice" sends "AddContact" to "PA" with data "{"pid": "<P1>", "alias": "again"}"
    Then the reply is a success
    And the reply field "addedAt" is the time of the request
    And the contacts of "PA" are P2, P1
