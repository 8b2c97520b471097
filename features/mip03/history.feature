@MIP-03
Feature: MIP-03 Reading the history
  GetMessages pages through the messages by id with cursors.

  Background:
    Given wallet "alice" spawns a dm session "S" with "bob"
    And wallet "alice" sends 5 messages to "S"

  @MIP03-GET-1 @MUST
  Scenario: by default all messages, oldest first, with their fields
    When "anyone" dryruns "GetMessages" on "S"
    Then the reply is a success
    And the reply lists messages 1, 2, 3, 4, 5
    And the reply data includes:
      """
      {"hasMore": false, "nextCursor": null}
      """

  @MIP03-GET-1 @MUST
  Scenario: a message carries its id, sender, time and content
    When "anyone" dryruns "GetMessages" on "S" with data "{"after": 2, "limit": 1}"
    Then the reply lists messages 3
    And the reply message 3 includes:
      """
      {"id": 3, "from": "<alice>", "content": "message 3"}
      """
    And the reply message 3 has a positive "timestamp"

  @MIP03-GET-1 @MIP03-GET-2 @MUST
  Scenario: ascending pages follow nextCursor as after
    When "anyone" dryruns "GetMessages" on "S" with data "{"limit": 2}"
    # checks MIP03-GET-1
    Then the reply lists messages 1, 2
    # checks MIP03-GET-2
    And the reply data includes:
      """
      {"hasMore": true, "nextCursor": 2}
      """
    When "anyone" dryruns "GetMessages" on "S" with data "{"limit": 2, "after": 2}"
    # checks MIP03-GET-1
    Then the reply lists messages 3, 4
    # checks MIP03-GET-2
    And the reply field "nextCursor" is 4
    When "anyone" dryruns "GetMessages" on "S" with data "{"limit": 2, "after": 4}"
    # checks MIP03-GET-1
    Then the reply lists messages 5
    # checks MIP03-GET-2
    And the reply data includes:
      """
      {"hasMore": false, "nextCursor": null}
      """

  @MIP03-GET-1 @MIP03-GET-2 @MUST
  Scenario: descending pages follow nextCursor as before
    When "anyone" dryruns "GetMessages" on "S" with data "{"limit": 2, "order": "desc"}"
    # checks MIP03-GET-1
    Then the reply lists messages 5, 4
    # checks MIP03-GET-2
    And the reply field "nextCursor" is 4
    When "anyone" dryruns "GetMessages" on "S" with data "{"limit": 2, "order": "desc", "before": 4}"
    # checks MIP03-GET-1
    Then the reply lists messages 3, 2
    # checks MIP03-GET-2
    And the reply field "hasMore" is true
    When "anyone" dryruns "GetMessages" on "S" with data "{"limit": 2, "order": "desc", "before": 2}"
    # checks MIP03-GET-1
    Then the reply lists messages 1
    # checks MIP03-GET-2
    And the reply field "hasMore" is false
    And the reply field "nextCursor" is null

  @MIP03-GET-1 @MUST
  Scenario: both bounds select a window
    When "anyone" dryruns "GetMessages" on "S" with data "{"after": 1, "before": 5}"
    Then the reply lists messages 2, 3, 4
    When "anyone" dryruns "GetMessages" on "S" with data "{"after": 3, "before": 4}"
    Then the reply lists messages none

  @MIP03-GET-2 @MUST
  Scenario Outline: cursors at and past the end give an empty last page
    When "anyone" dryruns "GetMessages" on "S" with data "<query>"
    Then the reply lists messages <ids>
    And the reply field "hasMore" is false
    And the reply field "nextCursor" is null

    Examples:
      | query                              | ids  |
      | {"after": 5}                       | none |
      | {"after": 1000}                    | none |
      | {"before": 1}                      | none |
      | {"before": 0, "order": "desc"}     | none |
      | {"after": 4}                       | 5    |
      | {"before": 1000, "order": "desc"}  | 5, 4, 3, 2, 1 |
      | {"limit": 5}                       | 1, 2, 3, 4, 5 |

  @MIP03-GET-3 @MUST
  Scenario Outline: limits are 1 to 100
    When "anyone" dryruns "GetMessages" on "S" with data "{"limit": <limit>}"
    Then the reply <outcome>

    Examples:
      | limit | outcome                    |
      | 1     | is a success               |
      | 100   | is a success               |
      | 0     | is an error "InvalidInput" |
      | 101   | is an error "InvalidInput" |
      | -1    | is an error "InvalidInput" |
      | 1.5   | is an error "InvalidInput" |
      | "10"  | is an error "InvalidInput" |

  @MIP03-GET-3 @MUST
  Scenario Outline: bad queries are InvalidInput
    When "anyone" dryruns "GetMessages" on "S" with data "<query>"
    Then the reply is an error "InvalidInput"

    Examples:
      | query                    |
      | {"after": -1}            |
      | {"after": 9007199254740992} |
      | {"before": "3"}          |
      | {"order": "newest"}      |
      | {"order": "ASC"}         |
      | {"page": 2}              |
      | {"page": null}           |
      | not json                 |
      | [1, 2]                   |

  @MIP03-GET-1 @MUST
  Scenario: the default page is 50 messages
    Given wallet "alice" sends 50 messages to "S"
    When "anyone" dryruns "GetMessages" on "S"
    Then the reply field "hasMore" is true
    And the reply field "nextCursor" is 50

  @MIP03-OPT-1 @MIP03-GET-1 @MUST
  Scenario: query fields given as null are left out, and white space alone is an empty query
    When "anyone" dryruns "GetMessages" on "S" with data "{"after": null, "before": null, "limit": null, "order": null}"
    # checks MIP03-OPT-1
    Then the reply lists messages 1, 2, 3, 4, 5
    When "anyone" dryruns "GetMessages" on "S" with data "  "
    # checks MIP03-GET-1
    Then the reply lists messages 1, 2, 3, 4, 5
    When wallet "bob" sends "SendMessage" to "S" with data "{"content": "no link", "replyTo": null}"
    # checks MIP03-OPT-1
    Then the reply is a success
    And the reply field "id" is 6
    When "anyone" dryruns "GetMessages" on "S" with data "{"after": 5}"
    Then the reply lists messages 6
    When "anyone" dryruns "GetMessages" on "S" with data "{"cursor": null}"
    Then the reply is an error "InvalidInput"
