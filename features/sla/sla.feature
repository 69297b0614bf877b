@platform
Feature: Working-day limits, escalation and a paused SLA clock
  The seeds count time in working days; Zeebe's timers count calendar time. A worker turns
  each limit into a due date on the agency's working-day calendar, a non-interrupting timer
  escalates when a step passes it while the work goes on, and the SLA clock stops while the
  coordination team validates (the SPBE 60 working days do not count that time).

  Background:
    Given the DPMPTSP calendar has a day off on a Monday
    And the broker clock stands at the Friday before it, 14:00 WIB

  Scenario: Two working days skip the weekend and the day off
    When a case starts with the limit "2 hari kerja"
    Then the check is due on the Wednesday after, at 14:00 WIB

  Scenario: Passing the limit escalates to the head of division and the work continues
    When a case starts with the limit "2 hari kerja"
    And the broker clock moves to one minute before the due date
    Then nothing has been escalated
    When the broker clock moves two minutes on
    Then the case is marked overdue with "Batas waktu terlampaui: Periksa permohonan" in its timeline
    And the head of division is told by e-mail
    And the check is still open

  Scenario: The SLA clock stops while the coordination team validates
    When a case starts with the limit "2 hari kerja"
    And the front office completes the check at once
    And the coordination team validates for 3 working days
    Then the approval is due 3 working days after the check was
    And nothing has been escalated
    When the broker clock moves past the approval's due date
    Then the case is marked overdue with "Batas waktu terlampaui: Setujui permohonan" in its timeline
