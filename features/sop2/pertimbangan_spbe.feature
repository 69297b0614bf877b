Feature: SOP 2 — review of special e-government (SPBE) application proposals (seed 003)
  The seed, "Pelayanan Pertimbangan Pembangunan dan Pengembangan Aplikasi Khusus SPBE": a
  Minister, head of institution or regional government sends a proposal letter and a proposal
  with its supporting data (background and urgency, business functions and services,
  development methodology, data and information needs, technology, schedule, funding source)
  to the Minister of PANRB (1), who dispositions it to the Deputy for Institutions and
  Governance (2); the Deputy studies it and dispositions it to the Assistant Deputy for review
  (3); the Assistant Deputy and staff test its completeness (4); an incomplete file is returned
  to the proposing agency to complete (5); a complete file is reviewed and the result goes to
  the Deputy (6); the proposal is discussed in a meeting with the related agencies and the
  national SPBE coordination team (Kominfo, Bappenas, Ministry of Finance, Ministry of Home
  Affairs, BSSN, BPPT) (7), followed by a technical discussion with the proposer (8); the
  Deputy reviews the results, reports to the Minister by nota dinas and prepares the Minister's
  consideration/recommendation letter (9); if the proposer does not follow up the meeting's
  results within 2 months the proposal is cancelled and a new proposal starts from the
  beginning (10); the letter is delivered to the proposer (11). 60 working days from receipt of
  a complete and correct proposal, not counting the time the coordination team validates.

  (interpretation) The 60 working days start when the proposal is received; a file returned to
  the proposer pauses them and they start again, whole, when the complete file arrives. The
  clock is also paused while the proposer follows up the meeting (waiting on the proposer is
  not the ministry's time). Each member agency of the coordination team invited by the Deputy
  validates in its own inbox, all at once, while the clock is paused. The 2 months run from the
  meeting's date; the follow-up must be found sufficient in the technical discussion within
  them, and when they end every open task of the stage leaves every inbox and the proposer
  receives a numbered cancellation letter. The nota dinas goes out in the name of the Deputy who
  reviewed the results; the Minister signs the recommendation letter electronically or returns
  the draft to the Deputy. A late step escalates to the Deputy (the Assistant Deputy's steps) or
  to the Minister (the Deputy's steps, and the Minister's own as a reminder).

  Background:
    Given the SPBE consideration service of KemenPAN-RB is deployed

  Scenario: A complete proposal receives the Minister's recommendation, the clock paused while the team validates
    When a ministry submits a proposal online with its proposal letter and the proposal
    Then the proposal is due 60 working days later on KemenPAN-RB's calendar
    When the Minister dispositions it to the Deputy
    And the Deputy studies it and dispositions it to the Assistant Deputy
    And the Assistant Deputy finds the proposal complete and correct
    And the Assistant Deputy reviews it and reports the result to the Deputy
    And the Deputy invites the related agencies and all six members of the coordination team to a meeting
    Then each member agency finds one validation task in its own inbox
    And the proposer reads on the tracking page that the service's clock is paused
    When 3 working days pass and every member agency validates the proposal
    Then the service's clock runs again, due 3 working days later than before
    When the Deputy records the meeting's attendance, minutes, results and what the proposer must follow up
    Then the proposer is told by e-mail and on the tracking page what to follow up
    When the proposer uploads its follow-up on the tracking page
    And the Assistant Deputy holds the technical discussion and finds the follow-up sufficient
    And the Deputy reviews the results and recommends the application with notes
    Then a nota dinas to the Minister is numbered in the nota dinas register and not shown to the proposer
    When the Deputy prepares the recommendation letter and the Minister signs it
    Then the recommendation letter is numbered in the outgoing-letter register, signed electronically by the Minister and lists the notes
    And the proposer receives it by e-mail and on the tracking page
    And the case is closed as "selesai"
    And no time limit was breached

  Scenario: An incomplete proposal goes back to the proposer twice and the 60 working days start again when it is complete
    When a ministry submits a proposal online with its proposal letter and the proposal
    And the Minister dispositions it to the Deputy
    And the Deputy studies it and dispositions it to the Assistant Deputy
    And the Assistant Deputy finds the data and information needs missing
    Then the proposer is told by e-mail and on the tracking page what is missing
    And the service's clock is paused
    When the proposer adds a document on the tracking page
    And the Assistant Deputy finds the funding source still missing
    Then the proposer is told by e-mail and on the tracking page what is missing
    When the proposer adds a document on the tracking page
    And the Assistant Deputy finds the proposal complete and correct
    Then the proposal is due 60 working days after the complete file arrived
    And the case has every document the proposer added

  Scenario: The follow-up falls short once and the Minister returns the draft once
    Given a proposal has been discussed in the meeting with two member agencies
    When the proposer uploads its follow-up on the tracking page
    And the Assistant Deputy holds the technical discussion and finds the follow-up short of "Rencana migrasi data ke Pusat Data Nasional"
    Then the proposer is told by e-mail and on the tracking page what to follow up
    When the proposer uploads its follow-up on the tracking page
    And the Assistant Deputy holds the technical discussion and finds the follow-up sufficient
    And the Deputy reviews the results and does not recommend the application
    And the Deputy prepares the recommendation letter and the Minister returns it with the note "Pertegas alasan penolakan."
    Then the draft waits for the Deputy with the Minister's note
    When the Deputy revises the letter and the Minister signs it
    Then the letter issued is the second version of its draft and says the application is not recommended
    And the case is closed as "selesai"

  Scenario: The 60 working days run out before the Deputy records the meeting's results
    Given a proposal has been validated by two member agencies
    When the service's 60 working days pass before the meeting's results are recorded
    Then the case is marked overdue at "Catat hasil rapat" and the Minister is e-mailed
    And the meeting's results still wait for the Deputy

  Scenario: No follow-up within two months: the proposal is cancelled by letter
    Given a proposal has been discussed in the meeting with two member agencies
    When two months pass after the meeting without a follow-up
    Then the proposer receives a numbered cancellation letter that names the meeting's date
    And the tracking page says the proposal was cancelled and why, and takes no more documents
    And the case is closed as "dibatalkan"

  Scenario: The two months end while the technical discussion waits: every open task leaves the inboxes
    Given a proposal has been discussed in the meeting with two member agencies
    When the proposer uploads its follow-up on the tracking page
    Then the technical discussion waits in the Assistant Deputy's inbox
    When two months pass after the meeting without a follow-up
    Then the technical discussion leaves the Assistant Deputy's inbox
    And the case is closed as "dibatalkan"
