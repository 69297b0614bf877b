@platform
Feature: The review chain — a letter goes up its tiers before it is signed (issue 25)
  A drafter prepares the letter and sends it up; each tier initials it (paraf) or returns it
  to the drafter with a note; the last tier approves it for an electronic signature. What is
  issued is exactly the version the signer approved — the same content hash — with its
  number, the initials of that version and the signer's PAdES signature. The test diagram is
  a DPMPTSP complaint answer: the analyst drafts, the head of division and the secretary
  initial, the head of office signs.

  Background:
    Given the review-chain test process is deployed

  Scenario: Every tier approves and the signed letter is issued
    When a complaint answer is drafted
    And the analyst sends the draft up
    And the head of division initials it
    And the secretary initials it
    And the head of office approves it for signature
    Then the letter is issued from version 1 with that version's content hash
    And it carries the initials of the head of division and the secretary
    And its electronic signature is valid and names the head of office
    And issuing it again changes nothing
    And the timeline shows the draft, both initials and the signature

  Scenario Outline: The <tier> returns the draft; the analyst revises it and it goes up again
    When a complaint answer is drafted
    And the analyst sends the draft up
    And the draft is approved below the <tier>
    And the <tier> returns it with the note "Lengkapi dasar hukum dalam jawaban."
    Then the analyst's task shows the note
    When the analyst revises the answer and sends it up
    Then the head of division sees what changed since version 1
    When every tier approves it
    Then the letter is issued from version 2 with that version's content hash
    And it carries the initials of the head of division and the secretary
    And the timeline shows the return with its note

    Examples:
      | tier               |
      | head of division   |
      | secretary          |
      | head of office     |
