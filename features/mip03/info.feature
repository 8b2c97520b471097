@MIP-03
Feature: MIP-03 Session info and public reads

  @MIP03-INFO-1 @MUST
  Scenario: the info counts messages
    Given wallet "alice" spawns a dm session "S" with "bob"
    And wallet "alice" sends 2 messages to "S"
    When "anyone" dryruns "GetSessionInfo" on "S" with data "ignored"
    Then the reply is a success
    And the reply field "messageCount" is 2
    And the reply field "type" is "dm"
    And the reply field "createdAt" is a positive integer

  @MIP03-READ-1 @MUST
  Scenario: reads are the same by dryrun and by send, for anyone
    Given wallet "alice" spawns a group session "G" with "bob"
    And wallet "alice" sends 3 messages to "G"
    Then a dryrun and a sent "GetMessages" from wallet "stranger" to "G" give the same reply
    And the reply lists messages 1, 2, 3
    And a dryrun and a sent "GetSessionInfo" from wallet "stranger" to "G" give the same reply
    And the reply field "messageCount" is 3
