@MIP-02 @MIP-03
Feature: Flow: reaching a profile by its domain name
  Bob registers a name for his profile with the MIP-01 registry; Alice's
  profile resolves the name and opens a DM with the profile it points to.

  @MIP02-SES-2 @MUST
  Scenario: a DM with the profile a name resolves to
    Given a domain process "D"
    And wallet "alice" has a profile "PA"
    And wallet "bob" has a profile "PB"
    And wallet "bob" has registered "bob" to process "PB" on "D"
    And querying "bob" on "D" shows owner "bob" and process "PB"
    When "PA" creates a DM "S" with the profile registered as "bob" on "D"
    Then the participants of "S" are PA as member, PB as member
    And the chat list of "PB" shows "S" with 0 unread
    When "PA" says "found you" in "S"
    Then the chat list of "PB" shows "S" with 1 unread
