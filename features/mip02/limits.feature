@MIP-02
Feature: MIP-02 Request size limits
  MIP-00 bounds a request's Data at 4096 bytes; three profile operations
  carry more and have larger bounds.

  Background:
    Given wallet "alice" has a profile "PA"

  @MIP02-SIZE-1 @MUST
  Scenario Outline: Data past the limit of its operation is LimitExceeded, before any other check
    When wallet "<who>" sends "<action>" to "PA" with data "{}" padded with spaces to <size> bytes
    Then the reply <outcome>

    Examples:
      | who     | action          | size  | outcome                     |
      | alice   | AddContact      | 4096  | is an error "InvalidInput"  |
      | alice   | AddContact      | 4097  | is an error "LimitExceeded" |
      | mallory | AddContact      | 4097  | is an error "LimitExceeded" |
      | alice   | MarkRead        | 4097  | is an error "LimitExceeded" |
      | alice   | GetProfile      | 4097  | is an error "LimitExceeded" |
      | alice   | GetChatList     | 4097  | is an error "LimitExceeded" |
      | alice   | AddSessionModule | 4097 | is an error "LimitExceeded" |
      | alice   | SessionCommand  | 4097  | is an error "LimitExceeded" |
      | alice   | UpdateProfile   | 32768 | is a success                |
      | alice   | UpdateProfile   | 32769 | is an error "LimitExceeded" |
      | mallory | UpdateProfile   | 32769 | is an error "LimitExceeded" |
      | alice   | CreateSession   | 32768 | is an error "InvalidInput"  |
      | alice   | CreateSession   | 32769 | is an error "LimitExceeded" |
      | alice   | SendChatMessage | 65536 | is an error "InvalidInput"  |
      | alice   | SendChatMessage | 65537 | is an error "LimitExceeded" |

  @MIP02-FLD-2 @MUST
  Scenario: a pubkey of 4096 two-byte characters fits
    When wallet "alice" sets "pubkey" of "PA" to 4096 times "é"
    # checks MIP02-FLD-2
    Then the reply is a success
