@MIP-00
Feature: MIP-00 Numbers
  A whole quantity in a reply is a JSON integer. The Domain has no numbers in its replies; a
  profile's timestamps and a session's message ids and times do, so each role is judged on its own.

  @profile @MIP00-NUM-1 @MUST
  Scenario: a profile writes a millisecond timestamp as a JSON integer, by message and by dryrun
    Given a profile process "P" owned by wallet "alice"
    When wallet "alice" sends "UpdateProfile" to "P" with data "{\"nickname\":\"Alice\"}"
    Then the reply field "updatedAt" is a positive integer
    When "bob" dryruns "GetProfile" on "P"
    Then the reply field "updatedAt" is a positive integer

  @session @MIP00-NUM-1 @MUST
  Scenario: a session writes a message id and times as JSON integers, by message and by dryrun
    Given wallet "alice" spawns a dm session "S" with "bob"
    When wallet "alice" sends "SendMessage" to "S" with data "{\"content\":\"hi\"}"
    Then the reply field "id" is a positive integer
    And the reply field "timestamp" is a positive integer
    When "anyone" dryruns "GetSessionInfo" on "S"
    Then the reply field "createdAt" is a positive integer
    And the reply field "messageCount" is a positive integer
