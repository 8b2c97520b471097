@MIP-00 @domain
Feature: MIP-00 Reads and dryrun
  A read answers the same by dryrun and by message, to anyone. A dryrun changes nothing,
  whatever From it claims.

  Background:
    Given a domain process "D"
    And wallet "alice" has registered "shop" to process "P1"
    And wallet "alice" has registered "cafe" to process "P2"

  @MIP00-RD-1 @MUST
  Scenario Outline: a read gives the same reply by dryrun and by message: <action> <data>
    Then a dryrun and a sent "<action>" from wallet "bob" to "D" with data "<data>" give the same reply

    Examples:
      | action      | data                      |
      | QueryDomain | shop                      |
      | QueryDomain | free                      |
      | QueryDomain | Shop                      |
      | QueryDomain | {\"name\":\"cafe\"}       |
      | GetDomains  | <alice>                   |
      | GetDomains  | <bob>                     |
      | GetDomains  | {\"owner\":\"<alice>\"}   |
      | GetDomains  | nobody                    |

  @MIP00-RD-2 @MUST
  Scenario: a Register by dryrun claiming another wallet changes nothing
    When "mallory" dryruns "Register" on "D" with data:
      """
      {"name": "free", "pid": "<P3>"}
      """
    Then querying "free" shows it is free
    And the domains of "mallory" are none

  @MIP00-RD-2 @MUST
  Scenario: a Renounce by dryrun claiming to be the owner changes nothing
    When "alice" dryruns "Renounce" on "D" with data:
      """
      {"name": "shop"}
      """
    Then the reply is a success
    And querying "shop" shows owner "alice" and process "P1"
    And the domains of "alice" are "cafe", "shop"

  @MIP00-RD-2 @MUST
  Scenario: a reassignment by dryrun claiming to be the owner changes nothing
    When "alice" dryruns "Register" on "D" with data:
      """
      {"name": "shop", "pid": "<P666>"}
      """
    Then the reply is a success
    And querying "shop" shows owner "alice" and process "P1"

  @MIP00-RD-3 @MUST
  Scenario Outline: anyone reads the same answer: <reader>
    When "<reader>" dryruns "QueryDomain" on "D" with data "shop"
    Then the reply is a success
    # checks MIP01-QRY-1
    And the reply field "name" is "shop"
    # checks MIP00-RD-3
    And the reply data is:
      """
      {"name": "shop", "registered": true, "owner": "<alice>", "pid": "<P1>"}
      """

    Examples:
      | reader  |
      | alice   |
      | mallory |
      | D       |
      | P1      |

  @MIP00-RD-3 @MUST
  Scenario: a stranger's GetDomains by message is answered
    When wallet "mallory" sends "GetDomains" to "D" with data "<alice>"
    Then the reply is a success
    And the reply data is:
      """
      {"owner": "<alice>", "domains": ["cafe", "shop"]}
      """
