@platform @sop1
Feature: SOP 1 — KemenPAN-RB consultation by letter (seed 000)
  An applicant asks for a consultation on institutions, governance procedures or SPBE. The
  officer gives a receipt, the leadership dispositions the case to an officer, an analysis
  decides whether the consultation can be held and how (face to face or online); the
  applicant receives the reply letter with the schedule and the contact person by e-mail, or
  a rejection letter. (interpretation, issue 25) The officer checks the draft of each letter
  and sends it up; the leadership signs it electronically or returns it for revision. The reply is due 1 day after the letter arrives; the consultation is
  held at most 3 days after the reply.
  (interpretation) "1 hari" and "3 hari" are calendar days: the seed does not say working
  days. The seed's sentence on the 3 days is cut off after "setelah surat"; we count them
  from the reply letter (SOPS.md). The online intake enforces the letter's requirements, so
  an incomplete request is refused at submission with what is missing.

  Background:
    Given the consultation service of KemenPAN-RB is deployed

  Scenario Outline: The consultation is approved and held <mode>
    When an applicant submits a consultation request with an identity card
    Then the request is entered in the incoming-letter register
    And the applicant receives the receipt by e-mail
    When the leadership dispositions it to an officer
    And the officer's analysis finds that the consultation can be held
    And the officer sets a <mode> consultation with a schedule and a contact person
    And the officer sends the draft reply up and the leadership signs it
    Then a reply letter with the schedule and the contact person is numbered and e-mailed to the applicant
    And the letter is signed electronically by the leadership
    And the consultation can only be recorded as held once its scheduled time has come
    When the scheduled time comes
    And the officer records the consultation as held
    Then the case is closed as "selesai"
    And no time limit was breached

    Examples:
      | mode       |
      | tatap_muka |
      | daring     |

  Scenario: The consultation cannot be held and the applicant receives a rejection letter
    When an applicant submits a consultation request with an identity card
    And the leadership dispositions it to an officer
    And the officer's analysis finds that the consultation cannot be held because "Materi di luar kewenangan Kementerian PANRB."
    And the officer sends the draft rejection up
    And the leadership returns it with the note "Sebutkan instansi yang berwenang."
    And the officer adds the advice "Silakan menghubungi Kementerian Dalam Negeri." and sends it up again
    And the leadership signs it
    Then a rejection letter with the reason and the advice is numbered and e-mailed to the applicant
    And the letter is signed electronically by the leadership
    And the case is closed as "ditolak"

  Scenario: A request without an identity card is not accepted
    When an applicant submits a consultation request without an identity card
    Then the applicant is told that the identity card is missing
    And no case is recorded and the engine starts no process

  Scenario: The reply is late: the leadership is told and the work continues
    When an applicant submits a consultation request with an identity card
    And the leadership dispositions it to an officer
    And more than 1 day passes before the analysis
    Then the case is marked overdue at "Analisis konsultasi" and the leadership is e-mailed
    When the officer's analysis finds that the consultation cannot be held because "Jadwal tidak tersedia."
    And the officer sends the draft rejection up and the leadership signs it
    Then the case is closed as "ditolak"

  Scenario: The consultation is not held within 3 days of the reply
    When an applicant submits a consultation request with an identity card
    And the leadership dispositions it to an officer
    And the officer's analysis finds that the consultation can be held
    And the officer sets a daring consultation with a schedule and a contact person
    And the officer sends the draft reply up and the leadership signs it
    And the scheduled time comes
    And more than 3 days pass without the consultation
    Then the case is marked overdue at "Laksanakan konsultasi" and the leadership is e-mailed
