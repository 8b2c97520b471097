@MIP-02
Feature: MIP-02 Profile fields
  A profile is its owner's persona: only the owner changes it, anyone reads it,
  and every update is validated in full before anything is applied.

  Background:
    Given wallet "alice" has a profile "PA"

  @MIP02-OWN-1 @MIP02-GET-1 @MUST
  Scenario: a new profile belongs to the wallet that spawned it and has no field set
    When "anyone" dryruns "GetProfile" on "PA"
    # checks MIP02-GET-1
    Then the reply is a success
    And the reply field "pid" is "<PA>"
    # checks MIP02-OWN-1
    And the reply field "owner" is "<alice>"
    # checks MIP02-GET-1
    And the reply field "updatedAt" is a positive integer
    And the reply has no field "nickname"
    And the reply has no field "avatar"
    And the reply has no field "bio"
    And the reply has no field "pubkey"

  @MIP02-GET-1 @MUST
  Scenario: a new profile is dated by its spawn, not by a later message
    # A read sent (not dryrun) is a later message the profile handles and
    # keeps: it must not move updatedAt, which only UpdateProfile does.
    Given wallet "bob" sends "GetProfile" to "PA"
    When "anyone" dryruns "GetProfile" on "PA"
    # checks MIP02-GET-1
    Then the reply is a success
    And the reply field "updatedAt" is the time of the spawn of "PA"

  @MIP02-GET-1 @MIP02-UPD-1 @MIP02-UPD-3 @MUST
  Scenario: the owner sets fields and the reply is the whole profile
    When wallet "alice" sends "UpdateProfile" to "PA" with data:
      """
      {"nickname": "Alice", "bio": "hello", "avatar": "https://example.com/a.png", "pubkey": "k1"}
      """
    # checks MIP02-UPD-1
    Then the reply is a success
    And the reply references the request
    # checks MIP02-UPD-3
    And the reply data includes:
      """
      {"pid": "<PA>", "owner": "<alice>", "nickname": "Alice", "bio": "hello", "avatar": "https://example.com/a.png", "pubkey": "k1"}
      """
    And the reply field "updatedAt" is the time of the request
    # checks MIP02-GET-1
    And the profile of "PA" includes:
      """
      {"nickname": "Alice", "bio": "hello", "avatar": "https://example.com/a.png", "pubkey": "k1"}
      """

  @MIP02-UPD-1 @MUST
  Scenario: an update is a partial merge: fields not given stay as they were
    Given wallet "alice" sends "UpdateProfile" to "PA" with data:
      """
      {"nickname": "Alice", "bio": "hello"}
      """
    When wallet "alice" sends "UpdateProfile" to "PA" with data:
      """
      {"bio": "goodbye"}
      """
    Then the reply is a success
    And the profile of "PA" includes:
      """
      {"nickname": "Alice", "bio": "goodbye"}
      """

  @MIP02-UPD-2 @MUST
  Scenario: a field set to null is cleared, and clearing an unset field is no error
    Given wallet "alice" sends "UpdateProfile" to "PA" with data:
      """
      {"nickname": "Alice", "bio": "hello"}
      """
    When wallet "alice" sends "UpdateProfile" to "PA" with data:
      """
      {"bio": null, "pubkey": null}
      """
    Then the reply is a success
    And the reply has no field "bio"
    And the profile of "PA" has no field "bio"
    And the profile of "PA" includes:
      """
      {"nickname": "Alice"}
      """

  @MIP02-OWN-1 @MUST
  Scenario: a wallet that is not the owner cannot update the profile
    Given wallet "alice" sends "UpdateProfile" to "PA" with data:
      """
      {"nickname": "Alice"}
      """
    When wallet "mallory" sends "UpdateProfile" to "PA" with data:
      """
      {"nickname": "Mallory"}
      """
    Then the reply is an error "Unauthorized"
    And the profile of "PA" includes:
      """
      {"nickname": "Alice"}
      """

  @MIP02-OWN-1 @MIP00-ID-1 @MUST
  Scenario: a process that the owner's wallet signs for is not the owner
    Given a puppet process "X" owned by wallet "alice"
    When wallet "alice" has "X" send "UpdateProfile" to "PA" with data:
      """
      {"nickname": "Puppet"}
      """
    # checks MIP02-OWN-1
    Then "PA" answered "X" with an error "Unauthorized"
    # checks MIP00-ID-1
    And the profile of "PA" has no field "nickname"

  @MIP02-OWN-1 @MUST
  Scenario: a non-owner is refused even when its Data is malformed
    When wallet "mallory" sends "UpdateProfile" to "PA" with data "not json"
    Then the reply is an error "Unauthorized"

  @MIP02-FLD-1 @MUST
  Scenario Outline: nickname length is counted in characters, from 1 to 64
    When wallet "alice" sets "nickname" of "PA" to <n> times "<unit>"
    Then the reply <outcome>

    Examples:
      | n  | unit | outcome                       |
      | 1  | a    | is a success                  |
      | 64 | a    | is a success                  |
      | 64 | é    | is a success                  |
      | 65 | a    | is an error "InvalidInput"    |
      | 65 | é    | is an error "InvalidInput"    |

  @MIP02-FLD-2 @MUST
  Scenario Outline: an empty field is invalid
    When wallet "alice" sends "UpdateProfile" to "PA" with data "{"<field>": ""}"
    # checks MIP02-FLD-2
    Then the reply is an error "InvalidInput"
    And the profile of "PA" has no field "<field>"

    Examples:
      | field    |
      | nickname |
      | avatar   |
      | bio      |
      | pubkey   |

  @MIP02-FLD-2 @MUST
  Scenario Outline: avatar, bio and pubkey at and past their limits
    When wallet "alice" sets "<field>" of "PA" to <n> times "x"
    Then the reply <outcome>

    Examples:
      | field  | n    | outcome                    |
      | avatar | 2048 | is a success               |
      | avatar | 2049 | is an error "InvalidInput" |
      | bio    | 1024 | is a success               |
      | bio    | 1025 | is an error "InvalidInput" |
      | pubkey | 4096 | is a success               |
      | pubkey | 4097 | is an error "InvalidInput" |

  @MIP02-FLD-3 @MUST
  Scenario Outline: unknown fields and wrong types are refused and nothing is applied
    Given wallet "alice" sends "UpdateProfile" to "PA" with data:
      """
      {"nickname": "Alice"}
      """
    When wallet "alice" sends "UpdateProfile" to "PA" with data "<data>"
    Then the reply is an error "InvalidInput"
    And the profile of "PA" includes:
      """
      {"nickname": "Alice"}
      """
    And the profile of "PA" has no field "bio"

    Examples:
      | data                                    |
      | {"nickname": "Bob", "email": "b@x.org"} |
      | {"bio": "x", "email": null}             |
      | {"nickname": 5}                         |
      | {"bio": "x", "nickname": true}          |
      | {"bio": "x", "nickname": ["Bob"]}       |
      | {"bio": "x", "Nickname": "Bob"}         |

  @MIP02-UPD-4 @MUST
  Scenario Outline: Data that is not a JSON object is InvalidInput
    When wallet "alice" sends "UpdateProfile" to "PA" with data "<data>"
    Then the reply is an error "InvalidInput"
    And no evaluation failed

    Examples:
      | data                  |
      | not json              |
      | ["nickname", "Alice"] |
      | "Alice"               |
      | {"nickname": "Alice"  |
      |                       |

  @MIP02-UPD-4 @MUST
  Scenario: one bad field and none is applied
    When wallet "alice" sends "UpdateProfile" to "PA" with data:
      """
      {"nickname": "Alice", "bio": ""}
      """
    Then the reply is an error "InvalidInput"
    And the profile of "PA" has no field "nickname"

  @MIP02-GET-2 @MUST
  Scenario: anyone reads a profile, by dryrun or by send, with the same answer
    Given wallet "alice" sends "UpdateProfile" to "PA" with data:
      """
      {"nickname": "Alice"}
      """
    Then a dryrun and a sent "GetProfile" from wallet "stranger" to "PA" give the same reply
    And the reply field "nickname" is "Alice"
    And a dryrun and a sent "GetContacts" from wallet "stranger" to "PA" give the same reply
    And a dryrun and a sent "GetChatList" from wallet "stranger" to "PA" give the same reply

  @MIP02-GET-2 @MUST
  Scenario: a read ignores its Data
    When "anyone" dryruns "GetProfile" on "PA" with data "1234"
    Then the reply is a success
    And the reply field "pid" is "<PA>"

  @MIP00-ACT-3 @MIP02-UPD-1 @MIP02-FLD-3 @MUST
  Scenario: the same update is accepted with or without a JSON Content-Type, and judged the same
    When wallet "alice" sends "UpdateProfile" to "PA" with data "{"nickname": "Alice"}" and tags:
      | Content-Type | application/json |
    # checks MIP00-ACT-3
    Then the reply is a success
    # checks MIP02-UPD-1
    And the profile of "PA" includes:
      """
      {"nickname": "Alice"}
      """
    When wallet "alice" sends "UpdateProfile" to "PA" with data "{"nickname": "Bob", "email": "b@x.org"}" and tags:
      | Content-Type | application/json |
    # checks MIP02-FLD-3
    Then the reply is an error "InvalidInput"
    And the profile of "PA" includes:
      """
      {"nickname": "Alice"}
      """
