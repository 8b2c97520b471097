@MIP-01
Feature: MIP-01 Names and ids
  A name is 1 to 32 characters of a-z, 0-9, '-' and '_', first and last a letter or digit.
  A pid is 43 characters of base64url. Anything else is refused, never repaired.

  Background:
    Given a domain process "D"

  @MIP01-NAME-1 @MIP01-REG-1 @MUST
  Scenario Outline: a valid name is registered as it is: <case>
    When wallet "alice" registers "<name>" to process "P1"
    # checks MIP01-NAME-1
    Then the reply is a success
    And the reply field "name" is "<name>"
    # checks MIP01-REG-1
    And querying "<name>" shows owner "alice" and process "P1"

    Examples:
      | case                   | name                             |
      | one letter             | a                                |
      | one digit              | 7                                |
      | 32 characters          | abcdefghijklmnopqrstuvwxyz012345 |
      | inner dash             | my-shop                          |
      | inner underscore       | my_shop                          |
      | doubled separators     | a--__b                           |
      | digits only            | 2024                             |

  @MIP01-NAME-1 @MIP00-INP-2 @MIP00-ATOM-1 @MUST
  Scenario Outline: an invalid name is InvalidInput and nothing is registered: <case>
    When wallet "mallory" registers "<name>" to process "P1"
    # checks MIP01-NAME-1
    Then the reply is an error "InvalidInput"
    And no evaluation failed
    # checks MIP00-ATOM-1
    And the domains of "mallory" are none

    Examples:
      | case                   | name                              |
      | empty                  |                                   |
      | 33 characters          | abcdefghijklmnopqrstuvwxyz0123456 |
      | upper case             | Shop                              |
      | all upper case         | SHOP                              |
      | leading dash           | -shop                             |
      | trailing dash          | shop-                             |
      | leading underscore     | _shop                             |
      | trailing underscore    | shop_                             |
      | a lone dash            | -                                 |
      | a space                | my shop                           |
      | a trailing space       | shop\\u0020                       |
      | a double quote         | sh\"op                            |
      | a single quote         | sh'op                             |
      | a newline              | sh\\nop                           |
      | a tab                  | sh\\top                           |
      | a NUL byte             | sh\\u0000op                       |
      | a percent sign         | 100%                              |
      | a Lua pattern          | %a+                               |
      | a dot                  | shop.ao                           |
      | a slash                | shop/x                            |
      | Lua source             | x]]..os.exit()..[[x               |
      | a non-ASCII letter     | café                              |
      | a full-width letter    | ｓｈｏｐ                            |

  @MIP01-NAME-1 @MUST
  Scenario: upper case is refused, not folded onto the lower-case name
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "mallory" registers "SHOP" to process "P2"
    Then the reply is an error "InvalidInput"
    And querying "shop" shows owner "alice" and process "P1"
    And the domains of "mallory" are none

  @MIP01-NAME-1 @MIP01-REN-4 @MUST
  Scenario: renouncing the upper-case form of a name does not touch the name
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "alice" renounces "Shop"
    # checks MIP01-REN-4
    Then the reply is an error "InvalidInput"
    # checks MIP01-NAME-1
    And querying "shop" shows owner "alice" and process "P1"

  @MIP01-NAME-2 @MIP01-REG-1 @MUST
  Scenario Outline: a pid of 43 base64url characters is accepted: <case>
    When wallet "alice" registers "shop" to id "<pid>"
    # checks MIP01-NAME-2
    Then the reply is a success
    # checks MIP01-REG-1
    And the reply field "pid" is "<pid>"

    Examples:
      | case              | pid                                         |
      | letters           | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA |
      | mixed case        | aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgHiJkLmNoPq |
      | dash and digit    | -0123456789-0123456789-0123456789-012345678 |
      | underscores       | ___________________________________________ |

  @MIP01-NAME-2 @MIP00-INP-2 @MIP00-ATOM-1 @MUST
  Scenario Outline: a pid that is not an id is InvalidInput: <case>
    When wallet "alice" registers "shop" to id "<pid>"
    # checks MIP01-NAME-2
    Then the reply is an error "InvalidInput"
    And no evaluation failed
    # checks MIP00-ATOM-1
    And querying "shop" shows it is free

    Examples:
      | case              | pid                                          |
      | empty             |                                              |
      | a short word      | my-process                                   |
      | 42 characters     | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA   |
      | 44 characters     | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA |
      | base64 with +     | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+  |
      | base64 with /     | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/  |
      | padding =         | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=  |
      | an inner space    | AAAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAA  |
      | a newline         | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\\nA |

  @MIP01-NAME-2 @MIP00-ATOM-1 @MUST
  Scenario: a reassignment to an invalid pid keeps the old pid
    Given wallet "alice" has registered "shop" to process "P1"
    When wallet "alice" registers "shop" to id "nowhere"
    # checks MIP01-NAME-2
    Then the reply is an error "InvalidInput"
    # checks MIP00-ATOM-1
    And querying "shop" shows owner "alice" and process "P1"
