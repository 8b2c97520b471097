@MIP-00 @domain
Feature: MIP-00 Numbers
  A whole quantity in a reply is a JSON integer. The Domain has no numbers in its replies; a
  profile's timestamps do.

  @MIP00-NUM-1 @MUST
  Scenario: a millisecond timestamp is written as a JSON integer, by message and by dryrun
    Given a profile process "P" owned by wallet "alice"
    When wallet "alice" sends "UpdateProfile" to "P" with data "{\"nickname\":\"Alice\"}"
    Then the reply field "updatedAt" is a positive integer
    When "bob" dryruns "GetProfile" on "P"
    Then the reply field "updatedAt" is a positive integer
