Feature: SOP 3 — information and complaint service of a DPMPTSP (seed 001)
  The seed, "Layanan Informasi dan Pengaduan": information is asked and complaints are made in
  person, by letter, complaint box, SMS, e-mail, telephone, LAPOR / SP4N-LAPOR! or other
  electronic media; a complaint needs the complaint form, a signed Surat Pernyataan Kebenaran
  Aduan and supporting evidence. The front office receives the file (1); an incomplete file is
  returned to the complainant to complete, a complete one goes to the policy analyst (2), who
  verifies the form and evidence (3) and studies the complaint, formulating a solution with the
  head of the complaints division (4). Settlement minutes (Berita Acara Penyelesaian
  Pengaduan): the analyst drafts them (5), the head of division (6) and the secretary (7)
  verify and initial them, they are signed (8), registered and numbered (9), go to the front
  office (10) and are handed to the complainant (11). Reply letter (Surat Jawaban Pengaduan):
  the front office records the complaint in the complaint register book (2), the analyst
  studies it and gathers material (3), the head of division analyses and coordinates with the
  units concerned (4), the analyst drafts the reply (5), the head of division initials it (6),
  the head of office signs it (7) and the front office hands it over (8). 2 to 10 working days
  after the file is declared complete.

  (interpretation) A complaint is recorded in the register book once its file is complete. The
  file is declared complete when the analyst finds the form and evidence valid: the time limit
  starts then, with the target the analyst sets inside 2 to 10 working days by the complaint's
  complexity, on the calendar of the case's agency. Which product a complaint gets is the head
  of division's decision: minutes when the settlement is agreed with the complainant, a reply
  letter otherwise. An information request needs no statement or evidence: the front office
  answers it within 2 working days (the seed's lower bound), on the tracking page and by
  e-mail. A late step escalates to the head of division (the analyst's and the front office's
  steps) or to the head of office (the head of division's, the secretary's and the head of
  office's own). Online complainants receive the product on the tracking page and by e-mail;
  the front office hands it to the others and records who received it and when. Every
  DPMPTSP of the installation runs this one diagram with its own registers and numbers.

  Background:
    Given the complaint service of the DPMPTSP of East Java is deployed

  Scenario: An online complaint is answered with a signed reply letter within its target
    When a citizen files a complaint online with the signed statement and the evidence
    And the front office finds the file complete
    Then the complaint is recorded in the complaint register book of the DPMPTSP of East Java
    When the analyst finds the form and the evidence valid and sets a target of 5 working days
    Then the complaint is due 5 working days later on the agency's calendar
    When the analyst studies the complaint and formulates a solution with the head of division
    And the head of division analyses it, coordinates with the licensing division and decides on a reply letter
    And the analyst sends the draft reply up, the head of division initials it and the head of office signs it
    Then the Surat Jawaban Pengaduan is issued, numbered in the outgoing-letter register and signed electronically by the head of office
    And the complainant receives it by e-mail and on the tracking page
    And the case is closed as "selesai"
    And no time limit was breached

  Scenario: A complaint by letter is settled by minutes the secretary returns once, handed over at the front office
    When the front office registers a complaint that arrived by letter
    And the front office finds the file complete
    And the analyst finds the form and the evidence valid and sets a target of 10 working days
    And the analyst studies the complaint and formulates a solution with the head of division
    And the head of division analyses it, coordinates with the licensing division and decides on settlement minutes
    And the analyst sends the draft minutes up and the head of division initials them
    And the secretary returns the draft minutes with the note "Lengkapi tanggal kesepakatan."
    Then the draft minutes wait for the analyst with the secretary's note
    When the analyst revises the minutes and sends them up again, the head of division and the secretary initial them and the head of office signs them
    Then the Berita Acara Penyelesaian Pengaduan is numbered in the minutes register, names the analyst as the officer and shows both initials
    When the front office hands the minutes to the complainant and records who received them and when
    Then the case is closed as "selesai"

  Scenario: The head of division and then the head of office return the draft reply before it is signed
    When a citizen files a complaint online with the signed statement and the evidence
    And the front office finds the file complete
    And the analyst finds the form and the evidence valid and sets a target of 5 working days
    And the analyst studies the complaint and formulates a solution with the head of division
    And the head of division analyses it, coordinates with the licensing division and decides on a reply letter
    And the analyst sends the draft reply up and the head of division returns it with the note "Sebutkan dasar hukumnya."
    And the analyst revises the reply and sends it up, the head of division initials it and the head of office returns it with the note "Perbaiki salam penutup."
    And the analyst revises the reply and sends it up, the head of division initials it and the head of office signs it
    Then the Surat Jawaban Pengaduan is issued from the third version of its draft

  Scenario: An incomplete file goes back to the complainant twice and the time limit waits for it
    When a citizen files a complaint online with the signed statement and the evidence
    And the front office finds the statement missing
    Then the complainant is told by e-mail and on the tracking page what is missing
    When the complainant adds a document on the tracking page
    And the front office finds the evidence still missing
    And the complainant adds a document on the tracking page
    And the front office finds the file complete
    Then the complaint is recorded in the complaint register book of the DPMPTSP of East Java
    And the case has every document the complainant added

  Scenario: A walk-in's missing document is added by the front office
    When the front office registers a complaint that arrived in person
    And the front office finds the statement missing
    And the front office adds the missing document brought to the counter
    And the front office finds the file complete
    Then the complaint is recorded in the complaint register book of the DPMPTSP of East Java

  Scenario: A statement that is not valid is returned for repair and verified again
    When a citizen files a complaint online with the signed statement and the evidence
    And the front office finds the file complete
    And the analyst finds the statement not valid
    Then the complainant is told by e-mail and on the tracking page what to repair
    When the complainant adds a document on the tracking page
    Then the verification waits for the analyst again
    When the analyst finds the form and the evidence valid and sets a target of 5 working days
    Then the complaint is due 5 working days later on the agency's calendar

  Scenario: The head of division's analysis is late: the head of office is told and the work goes on
    When a citizen files a complaint online with the signed statement and the evidence
    And the front office finds the file complete
    And the analyst finds the form and the evidence valid and sets a target of 2 working days
    And the analyst studies the complaint and formulates a solution with the head of division
    And the target passes before the head of division's analysis
    Then the case is marked overdue at "Analisis kajian dan koordinasi" and the head of office is e-mailed
    And the analysis still waits for the head of division

  Scenario: An information request is answered by the front office within 2 working days
    When a citizen asks for information online
    Then the answer is due 2 working days later on the agency's calendar
    When the front office gives the information
    Then the citizen reads it on the tracking page and receives it by e-mail
    And the case is closed as "selesai"

  Scenario: An information request not answered within 2 working days: the head of division is told
    When a citizen asks for information online
    And 2 working days pass without an answer
    Then the case is marked overdue at "Berikan informasi" and the head of division is e-mailed
