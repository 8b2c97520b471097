@MIP-03
Feature: MIP-03 Request size limits
  MIP-00 bounds a request's Data at 4096 bytes; SendMessage carries up to
  10,000 bytes of content and has a larger bound.

  Background:
    Given wallet "alice" spawns a dm session "S" with "bob"

  @MIP03-SIZE-1 @MUST
  Scenario Outline: Data past the limit of its operation is LimitExceeded, before any other check
    When wallet "<who>" sends "<action>" to "S" with data "{}" padded with spaces to <size> bytes
    Then the reply <outcome>

    Examples:
      | who     | action         | size  | outcome                     |
      | alice   | SendMessage    | 65536 | is an error "InvalidInput"  |
      | alice   | SendMessage    | 65537 | is an error "LimitExceeded" |
      | mallory | SendMessage    | 65537 | is an error "LimitExceeded" |
      | alice   | GetMessages    | 4096  | is a success                |
      | alice   | GetMessages    | 4097  | is an error "LimitExceeded" |
      | alice   | GetSessionInfo | 4097  | is an error "LimitExceeded" |
      | alice   | SetTitle       | 4097  | is an error "LimitExceeded" |
      | alice   | RemoveParticipant | 4097 | is an error "LimitExceeded" |

  @MIP03-SIZE-1 @MUST
  Scenario: a content of 10000 bytes fits even when JSON escapes every byte
    When wallet "alice" sends a message of 10000 times "\u0001" to "S"
    # checks MIP03-SIZE-1
    Then the reply is a success
