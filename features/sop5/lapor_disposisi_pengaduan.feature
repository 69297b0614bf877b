@platform
Feature: SOP 5 — complaint management through SP4N-LAPOR! (seed 004)
  A member of the public sends a report — an information request, an aspiration or a
  complaint (1). Admin Nasional verifies, identifies and disposes it to the agency (2, 3 days).
  Admin Instansi receives the disposition, or a report sent straight to the agency (3, 60
  minutes), verifies and identifies it and returns it to Admin Nasional when it is not the
  agency's authority (4, 3 days), else disposes it to Admin Eselon 1 (5, 3 working days).
  Admin Eselon 1 receives it and gives a first response (6, 60 minutes; first response within
  3 working days), verifies it: follows it up at echelon-1 level, disposes it to the UPT, or
  returns it to Admin Instansi when not its authority (7, 60 minutes), and follows it up with a
  substantive answer (8, 3 days). Admin UPT receives it (9, 60 minutes) and follows it up with
  a substantive answer (10, 60 minutes as printed). The report is finished and closed by the
  system 10 days after the answer (11).

  (interpretation) The online form is SP4N-LAPOR!'s: the reporter gets the tracking code, PIN
  and receipt at once, so step 1's 60 minutes are always met; the reporter may address an
  agency connected to SP4N-LAPOR! or the national manager, and Admin Nasional verifies every
  online report. A report that reaches an agency by letter, SMS, e-mail, telephone, in person
  or its social media is registered by its Admin Instansi on the reporter's behalf and starts
  at step 3. Admin Nasional's published actions apply: dispose, postpone (*tunda*: the
  reporter is asked on the tracking page to complete the report, which then comes back to
  Admin Nasional) or archive (the report cannot be followed up; the reporter is told why).
  Receiving is a task of its own at each level (its 60 minutes run from the disposition); the
  first response is e-mailed to the reporter. The substantive answer is issued as a numbered
  Surat Tindak Lanjut Laporan SP4N-LAPOR! in SP4N-LAPOR!'s answer register, signed by the
  admin who answered (by name, as the record of a meeting is: not a letter of the review
  chain), e-mailed and on the tracking page. "3 hari" and "10 hari" are calendar
  days, "3 hari kerja" working days, "60 menit" minutes of office hours, on SP4N-LAPOR!'s
  calendar; each limit has a code an installation sets in its calendar file. The public list
  of reports shows what was reported, to whom, its status and the follow-ups, never who
  reported it, once staff verified the report (an archived one never); *Rahasia* keeps a report off it, *Anonim* keeps the reporter's name, e-mail
  and telephone from every handling unit. SP4N-LAPOR! is the complaint channel of every other
  service: a case's tracking page offers to report about that case, and the report carries it
  (not an anonymous one: the case names its applicant, and *Anonim* wins). Within the 10 days
  the reporter may reply on the tracking page that the answer did not settle the matter: the
  report reopens at the unit that answered, and the 10 days start again from its next answer.
  Each admin follows the reports routed to a unit below theirs; one returned above them, or
  disposed to another agency, no longer opens for them.

  Background:
    Given the SP4N-LAPOR! complaint service is deployed

  Scenario: A complaint goes down to a UPT, is answered there, and is closed by the system 10 days later
    When a citizen sends a complaint through SP4N-LAPOR! addressed to the national manager
    Then the citizen receives a tracking code, a PIN and a receipt
    When Admin Nasional verifies it and disposes it to "Kementerian Kesehatan"
    Then Admin Nasional could choose only agencies connected to SP4N-LAPOR!
    And Admin Nasional can no longer open the report
    When Admin Instansi of Kementerian Kesehatan receives the disposition
    And Admin Instansi verifies that it is the agency's authority
    And Admin Instansi disposes it to "Direktorat Jenderal Pelayanan Kesehatan"
    Then Admin Instansi could choose only the echelon-1 units of its agency
    And Admin Instansi of Kementerian Kesehatan still follows the report at the unit below it
    When Admin Eselon 1 receives the report
    And Admin Eselon 1 gives the reporter a first response
    Then the reporter receives the first response by e-mail
    When Admin Eselon 1 disposes it to the UPT "RSUP Dr. Sardjito Yogyakarta"
    And Admin UPT receives the report
    And Admin UPT follows it up with a substantive answer
    Then a Surat Tindak Lanjut Laporan SP4N-LAPOR! in the name of Admin UPT is numbered in the SP4N-LAPOR! answer register and e-mailed to the reporter
    And the reporter reads the answer on the tracking page and may reply within 10 days
    And the timeline shows each disposition from Admin Nasional down to the UPT
    When 10 days pass without a reply from the reporter
    Then the report is closed as "selesai" by the system
    And no time limit was breached

  Scenario: A report sent straight to the agency is answered at echelon 1, reopened by the reporter and answered again
    When Admin Instansi of Kementerian Kesehatan registers a report that arrived by "sms"
    Then the report starts at Admin Instansi without the national step
    When Admin Instansi of Kementerian Kesehatan receives the disposition
    And Admin Instansi verifies that it is the agency's authority
    And Admin Instansi disposes it to "Direktorat Jenderal Pelayanan Kesehatan"
    And Admin Eselon 1 receives the report
    And Admin Eselon 1 gives the reporter a first response
    And Admin Eselon 1 follows it up at echelon-1 level with a substantive answer
    Then a Surat Tindak Lanjut Laporan SP4N-LAPOR! in the name of Admin Eselon 1 is numbered and e-mailed to the reporter
    When the reporter replies on the tracking page that "Antrean masih panjang; belum ada perubahan." within the 10 days
    Then the report reopens at Admin Eselon 1 with the reporter's reply
    When Admin Eselon 1 follows it up at echelon-1 level with a second substantive answer
    Then a second Surat Tindak Lanjut Laporan SP4N-LAPOR! is numbered and e-mailed to the reporter
    And the 10 days start again from the second answer
    When 10 days pass without a reply from the reporter
    Then the report is closed as "selesai" by the system

  Scenario: Not the agency's authority: Admin Instansi returns it to Admin Nasional, who disposes it again
    When a citizen sends a complaint through SP4N-LAPOR! addressed to "Kementerian Kesehatan"
    And Admin Nasional verifies it and disposes it to "Kementerian Kesehatan"
    And Admin Instansi of Kementerian Kesehatan receives the disposition
    And Admin Instansi returns it to Admin Nasional because "Pengangkatan JPT adalah kewenangan KASN."
    Then the report is back with Admin Nasional with the reason
    And Admin Instansi of Kementerian Kesehatan can no longer open the report
    When Admin Nasional verifies it and disposes it to "Komisi Aparatur Sipil Negara (KASN)"
    Then the report waits for Admin Instansi of KASN

  Scenario: Not the echelon-1 unit's authority: Admin Eselon 1 returns it to Admin Instansi, who disposes it again
    When Admin Instansi of Kementerian Kesehatan registers a report that arrived by "email"
    And Admin Instansi of Kementerian Kesehatan receives the disposition
    And Admin Instansi verifies that it is the agency's authority
    And Admin Instansi disposes it to "Direktorat Jenderal Pelayanan Kesehatan"
    And Admin Eselon 1 receives the report
    And Admin Eselon 1 gives the reporter a first response
    And Admin Eselon 1 returns it to Admin Instansi because "Ketersediaan obat adalah kewenangan Ditjen Farmalkes."
    Then the report is back with Admin Instansi with the reason
    And Admin Eselon 1 of Ditjen Pelayanan Kesehatan can no longer open the report
    When Admin Instansi of Kementerian Kesehatan receives the disposition
    And Admin Instansi verifies that it is the agency's authority
    And Admin Instansi disposes it to "Direktorat Jenderal Farmasi dan Alat Kesehatan"
    Then the report waits for Admin Eselon 1 of Ditjen Farmasi dan Alat Kesehatan

  Scenario: Postponed until the reporter completes it, then archived with the reason
    When a citizen sends a complaint through SP4N-LAPOR! addressed to the national manager
    And Admin Nasional postpones it asking for "Nama fasilitas kesehatan dan tanggal kejadian"
    Then the reporter reads on the tracking page what to add
    When the reporter adds a document on the tracking page
    Then the report is back with Admin Nasional
    When Admin Nasional archives it because "Laporan berisi promosi, bukan pengaduan pelayanan publik."
    Then the report is closed as "diarsipkan" and the reporter is told the reason by e-mail and on the tracking page

  Scenario: The public reads reports and their follow-ups, never who reported them nor a confidential report
    When a citizen sends a complaint titled "Ruang tunggu IGD tanpa pendingin" through SP4N-LAPOR!
    And Admin Nasional verifies it and disposes it to "Kementerian Kesehatan"
    And Admin Instansi of Kementerian Kesehatan receives the disposition
    And Admin Instansi verifies that it is the agency's authority
    And Admin Instansi disposes it to "Direktorat Jenderal Pelayanan Kesehatan"
    And Admin Eselon 1 receives the report
    And Admin Eselon 1 gives the reporter a first response
    And Admin Eselon 1 follows it up at echelon-1 level with a substantive answer
    Then the public list of reports shows it with its status and the follow-up, without the reporter's name, e-mail or telephone
    When a citizen sends a confidential complaint titled "Pungutan di loket pendaftaran" through SP4N-LAPOR!
    Then the confidential report is not on the public list, and its reporter follows it with the tracking code and PIN

  Scenario: A complaint about another service starts a report linked to the case it concerns
    Given an applicant of KASN's consultation service follows their case on the tracking page
    When they complain about it through SP4N-LAPOR! from that page
    Then Admin Nasional sees on the report which case it is about, its service and status
    And the case's timeline shows the complaint to its applicant
    And an anonymous report cannot be tied to it, since the case names its applicant
    And a browser that never opened the case cannot tie a report to it

  Scenario Outline: A time limit of the seed is breached: the step's supervisor is told, and the work goes on
    When a report reaches "<step>"
    Then "<step>" is due <limit> after the report reached it
    When the time limit of "<step>" passes
    Then the report is marked overdue at "<step>" and <supervisor> is e-mailed
    And "<step>" still waits for its admin

    Examples:
      | step                                           | limit        | supervisor                |
      | Verifikasi, identifikasi dan disposisi ke instansi | 3 hari       | Admin Nasional            |
      | Terima disposisi laporan                       | 60 menit     | Admin Instansi            |
      | Verifikasi dan identifikasi laporan            | 3 hari       | Admin Instansi            |
      | Disposisi laporan ke Admin Eselon 1            | 3 hari kerja | Admin Instansi            |
      | Terima laporan dari Admin Instansi             | 60 menit     | Admin Instansi            |
      | Beri respon awal kepada pelapor                | 3 hari kerja | Admin Instansi            |
      | Verifikasi laporan terdisposisi                | 60 menit     | Admin Instansi            |
      | Tindak lanjut substantif di tingkat Eselon 1   | 3 hari       | Admin Instansi            |
      | Terima laporan dari Admin Eselon 1             | 60 menit     | Admin Eselon 1            |
      | Tindak lanjut substantif oleh UPT              | 60 menit     | Admin Eselon 1            |
