@MIP-01
Feature: MIP-01 QueryDomain and GetDomains
  Anyone reads the registry: who owns a name and where it points, and which names an owner holds.

  Background:
    Given a domain process "D"

  @MIP01-QRY-1 @MUST
  Scenario: querying a registered name gives its owner and pid
    Given wallet "alice" has registered "shop" to process "P1"
    When "bob" dryruns "QueryDomain" on "D" with data "shop"
    Then the reply is a success
    And the reply data is:
      """
      {"name": "shop", "registered": true, "owner": "<alice>", "pid": "<P1>"}
      """

  @MIP01-QRY-2 @MUST
  Scenario: querying a free name is a success that says it is free
    When "bob" dryruns "QueryDomain" on "D" with data "shop"
    Then the reply is a success
    And the reply data is:
      """
      {"name": "shop", "registered": false}
      """

  @MIP01-REN-1 @MUST
  Scenario: querying a renounced name says it is free
    Given wallet "alice" has registered "shop" to process "P1"
    And wallet "alice" has renounced "shop"
    When "bob" dryruns "QueryDomain" on "D" with data "shop"
    # checks MIP01-REN-1
    Then the reply data is:
      """
      {"name": "shop", "registered": false}
      """

  @MIP01-QRY-3 @MIP00-INP-2 @MUST @deployed
  Scenario Outline: querying an invalid name is InvalidInput: <case>
    When "bob" dryruns "QueryDomain" on "D" with data "<name>"
    # checks MIP01-QRY-3
    Then the reply is an error "InvalidInput"
    And no evaluation failed

    Examples:
      | case             | name                              |
      | upper case       | Shop                              |
      | 33 characters    | abcdefghijklmnopqrstuvwxyz0123456 |
      | a leading dash   | -shop                             |
      | a quote          | sh\"op                            |
      | a percent sign   | 100%                              |
      | a dot            | shop.ao                           |
      | a space          | my shop                           |
      | a newline        | sh\\nop                           |

  @MIP01-QRY-3 @MUST @deployed
  Scenario: querying with empty Data is InvalidInput
    When "bob" dryruns "QueryDomain" on "D"
    # checks MIP01-QRY-3
    Then the reply is an error "InvalidInput"

  @MIP01-QRY-4 @MUST
  Scenario: the name may come as a JSON object
    Given wallet "alice" has registered "shop" to process "P1"
    When "bob" dryruns "QueryDomain" on "D" with data:
      """
      {"name": "shop"}
      """
    # checks MIP01-QRY-1
    Then the reply field "name" is "shop"
    # checks MIP01-QRY-4
    And the reply data is:
      """
      {"name": "shop", "registered": true, "owner": "<alice>", "pid": "<P1>"}
      """

  @MIP01-QRY-4 @MUST
  Scenario Outline: a JSON object that is not {name: string} is InvalidInput: <case>
    Given wallet "alice" has registered "shop" to process "P1"
    When "bob" dryruns "QueryDomain" on "D" with data:
      """
      <data>
      """
    # checks MIP01-QRY-4
    Then the reply is an error "InvalidInput"
    And no evaluation failed

    Examples:
      | case            | data                             |
      | an empty object | {}                               |
      | name a number   | {"name": 5}                      |
      | name null       | {"name": null}                   |
      | an extra field  | {"name": "shop", "owner": "x"}   |
      | a wrong field   | {"domain": "shop"}               |

  @MIP01-QRY-4 @MUST
  Scenario Outline: Data that is JSON but not an object is the name itself: <data>
    When "bob" dryruns "QueryDomain" on "D" with data "<data>"
    Then the reply is a success
    And the reply data is:
      """
      {"name": "<data>", "registered": false}
      """

    Examples:
      | data |
      | 123  |
      | null |
      | true |

  @MIP01-QRY-4 @MUST
  Scenario: a JSON string is not unquoted: the quotes are part of an invalid name
    Given wallet "alice" has registered "shop" to process "P1"
    When "bob" dryruns "QueryDomain" on "D" with data "\"shop\""
    # checks MIP01-QRY-4
    Then the reply is not about the name "shop"
    # checks MIP01-QRY-3
    And the reply is an error "InvalidInput"

  @MIP01-QRY-4 @MUST
  Scenario: a name that looks like JSON can be registered and queried
    Given wallet "alice" has registered "null" to process "P1"
    When "bob" dryruns "QueryDomain" on "D" with data "null"
    # checks MIP01-QRY-1
    Then the reply field "name" is "null"
    # checks MIP01-QRY-4
    And the reply data is:
      """
      {"name": "null", "registered": true, "owner": "<alice>", "pid": "<P1>"}
      """

  @MIP01-GET-1 @MUST
  Scenario: GetDomains lists an owner's names in ascending byte order
    Given wallet "alice" has registered "zeta" to process "P1"
    And wallet "alice" has registered "m_1" to process "P1"
    And wallet "alice" has registered "alpha" to process "P2"
    And wallet "alice" has registered "m-1" to process "P1"
    And wallet "alice" has registered "9lives" to process "P3"
    And wallet "bob" has registered "beta" to process "P4"
    When "bob" dryruns "GetDomains" on "D" with data "<alice>"
    # checks MIP01-GET-1
    Then the reply is a success
    And the reply data is:
      """
      {"owner": "<alice>", "domains": ["9lives", "alpha", "m-1", "m_1", "zeta"]}
      """

  @MIP01-GET-3 @MUST
  Scenario: an owner with no name gets an empty array
    Given a wallet "carol"
    And wallet "alice" has registered "shop" to process "P1"
    When "bob" dryruns "GetDomains" on "D" with data "<carol>"
    Then the reply is a success
    And the reply data is:
      """
      {"owner": "<carol>", "domains": []}
      """

  @MIP01-REN-1 @MUST
  Scenario: an owner who renounced every name gets an empty array
    Given wallet "alice" has registered "shop" to process "P1"
    And wallet "alice" has renounced "shop"
    When "bob" dryruns "GetDomains" on "D" with data "<alice>"
    # checks MIP01-REN-1
    Then the reply field "domains" is []

  @MIP01-GET-4 @MUST
  Scenario: the owner may come as a JSON object
    Given wallet "alice" has registered "shop" to process "P1"
    When "bob" dryruns "GetDomains" on "D" with data:
      """
      {"owner": "<alice>"}
      """
    Then the reply data is:
      """
      {"owner": "<alice>", "domains": ["shop"]}
      """

  @MIP01-GET-4 @MUST
  Scenario Outline: a JSON object that is not {owner: string} is InvalidInput: <case>
    Given wallet "alice" has registered "shop" to process "P1"
    When "bob" dryruns "GetDomains" on "D" with data:
      """
      <data>
      """
    # checks MIP01-GET-4
    Then the reply is an error "InvalidInput"
    And no evaluation failed

    Examples:
      | case            | data                                |
      | an empty object | {}                                  |
      | owner a number  | {"owner": 42}                       |
      | an extra field  | {"owner": "<alice>", "limit": 10}   |
      | a wrong field   | {"name": "shop"}                    |

  @MIP01-GET-2 @MIP00-INP-2 @MUST @deployed
  Scenario Outline: GetDomains of an owner that is not an id is InvalidInput: <case>
    When "bob" dryruns "GetDomains" on "D" with data "<owner>"
    # checks MIP01-GET-2
    Then the reply is an error "InvalidInput"
    And no evaluation failed

    Examples:
      | case            | owner                                        |
      | a short name    | alice                                        |
      | 42 characters   | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA   |
      | 44 characters   | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA |
      | base64 with +   | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+  |
      | base64 with /   | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/  |
      | padding =       | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=  |
      | a space         | AAAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAA  |

  @MIP01-GET-2 @MUST @deployed
  Scenario: GetDomains with empty Data is InvalidInput
    When "bob" dryruns "GetDomains" on "D"
    Then the reply is an error "InvalidInput"
