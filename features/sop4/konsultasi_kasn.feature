@platform
Feature: SOP 4 — KASN consultation on merit-system violations (seed 002)
  A civil servant or an agency consults the Civil Service Commission's working group that
  supervises the filling of senior executive posts (Kelompok Kerja Pengawasan Bidang Pengisian
  Jabatan Pimpinan Tinggi) on a suspected violation of the merit system.

  In writing (seed, "Layanan Konsultasi melalui Permohonan Tertulis"): the applicant sends the
  request by letter or e-mail (1); the KASN Secretariat processes it with a tiered disposition
  (2); the KASN Assistant receives it and, if it cannot be processed, the applicant receives a
  confirmation (3); otherwise the issue is analysed and a draft Surat Tanggapan atas
  Konsultasi written (4), reviewed in tiers (5), approved by the KASN leadership (6), issued
  (7) and delivered to the applicant (8); within 1 week of the confirmation that the request
  is being processed.
  Face to face (seed, "Layanan Konsultasi secara Tatap Muka"): the applicant comes to the KASN
  office (1), registers as a guest at reception (2), the meeting time is agreed with the field
  concerned (3), and the consultation is held with an officer or a KASN Assistant (4); within
  the day of arrival.

  (interpretation) A letter or an e-mail is registered by the Secretariat, a visitor by the
  reception, on the applicant's behalf (the staff intake, recording the channel); the online
  form is a written request too. The tiered disposition is Secretariat, then head of the
  working group, then the Assistant. The confirmation that a request cannot be processed is a
  letter, signed by the head of the working group; the confirmation that it is being processed
  is the request's status on the tracking page and an e-mail, not a signed letter. The tiered
  review of the draft is the head of the working group's initials, then the leadership's
  signature, each of whom may return the draft to the Assistant. "1 minggu" is 7 calendar
  days; "the same day" ends with KASN's working hours on the day of arrival (16.00 WIB). The
  consultation face to face can be recorded as held only once the agreed time has come; its
  result is recorded in a numbered record (Catatan Hasil Konsultasi Tatap Muka) that the officer
  who held it signs by name, which the applicant downloads from the tracking page.

  Background:
    Given the merit-system consultation service of KASN is deployed

  Scenario: A written consultation is processed and answered with a signed response letter
    When an applicant sends a written consultation request through the online form
    Then the request is entered in the incoming-letter register of KASN
    When the KASN Secretariat dispositions it to the head of the working group
    And the head of the working group dispositions it to a KASN Assistant
    And the KASN Assistant finds that the consultation can be processed
    Then the applicant is told by e-mail and on the tracking page that it is being processed
    And the response is due 1 week after that confirmation
    When the KASN Assistant analyses the issue and drafts the response
    And the KASN Assistant sends the draft response up
    And the head of the working group initials it
    And the KASN leadership approves and signs it
    Then a Surat Tanggapan atas Konsultasi is numbered in the outgoing-letter register of KASN and e-mailed to the applicant
    And the letter is signed electronically by the KASN leadership
    And the case is closed as "selesai"
    And no time limit was breached

  Scenario: A letter that cannot be processed: the applicant receives a confirmation letter
    When the KASN Secretariat registers a consultation request that arrived by letter
    Then the request is entered in the incoming-letter register of KASN
    When the KASN Secretariat dispositions it to the head of the working group
    And the head of the working group dispositions it to a KASN Assistant
    And the KASN Assistant finds that it cannot be processed because "Permasalahan yang disampaikan bukan pengisian jabatan pimpinan tinggi." and advises "Silakan menyampaikannya kepada Pejabat Pembina Kepegawaian instansi Saudara."
    And the KASN Assistant sends the draft confirmation up and the head of the working group signs it
    Then a confirmation letter with the reason and the advice is numbered and e-mailed to the applicant
    And the letter is signed electronically by the head of the working group
    And the case is closed as "ditolak"

  Scenario: The leadership returns the draft response once, then approves it
    When an applicant sends a written consultation request through the online form
    And the KASN Secretariat dispositions it to the head of the working group
    And the head of the working group dispositions it to a KASN Assistant
    And the KASN Assistant finds that the consultation can be processed
    And the KASN Assistant analyses the issue and drafts the response
    And the KASN Assistant sends the draft response up
    And the head of the working group initials it
    And the KASN leadership returns it with the note "Sebutkan ketentuan yang dilanggar."
    Then the KASN Assistant sees the note "Sebutkan ketentuan yang dilanggar." on the draft
    When the KASN Assistant revises the response to "Tahapan seleksi wajib diumumkan secara terbuka sesuai ketentuan sistem merit." and sends it up again
    And the head of the working group initials it
    And the KASN leadership approves and signs it
    Then the response letter carries the revised response, initialled and signed on version 2
    And the case is closed as "selesai"

  Scenario: The response is not ready within 1 week: the leadership is told and the work goes on
    When an applicant sends a written consultation request through the online form
    And the KASN Secretariat dispositions it to the head of the working group
    And the head of the working group dispositions it to a KASN Assistant
    And the KASN Assistant finds that the consultation can be processed
    And more than 1 week passes before the analysis
    Then the case is marked overdue at "Analisis dan susun konsep tanggapan" and the KASN leadership is e-mailed
    When the KASN Assistant analyses the issue and drafts the response
    Then the draft response waits for the KASN Assistant

  Scenario: A visitor is served face to face on the day of arrival
    Given it is 09.00 on a working day at the KASN office
    When a visitor comes to the KASN office and registers as a guest at reception
    And the KASN Assistant agrees the meeting time with the field concerned for 10.00 that day
    Then the consultation can only be recorded as held once the meeting time has come
    When the meeting time comes
    And the KASN Assistant holds the consultation and records who attended and the result
    Then the case is closed as "selesai"
    And the applicant reads the result of the consultation on the tracking page
    And the applicant downloads there the record of the consultation, numbered in KASN's outgoing register, naming who attended and the officer who held it
    And no time limit was breached

  Scenario: A visitor is not served on the day of arrival: the leadership is told
    Given it is 09.00 on a working day at the KASN office
    When a visitor comes to the KASN office and registers as a guest at reception
    And the working day ends without a meeting time agreed
    Then the case is marked overdue at "Koordinasi waktu pertemuan" and the KASN leadership is e-mailed
