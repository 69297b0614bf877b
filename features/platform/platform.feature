@platform
Feature: The platform Alur stands on
  Every SOP runs on a real Zeebe broker, with job workers built the way the worker process
  builds them, and time limits of days and months that tests can reach by moving the
  broker's clock instead of waiting.

  Background:
    Given a worker handles the test job types

  Scenario: The broker is the Zeebe version Alur is set to run (8.5.8 by default; 8.6.0 in its lane)
    Then the broker reports the Zeebe version of ALUR_ZEEBE_VERSION

  Scenario: A job worker completes its job and the instance ends
    Given the diagram "platform/diagrams/uji_gema.bpmn" is deployed
    When an instance of "Uji_Gema" runs to its end with {"pesan": "halo"}
    Then the instance ends with "balasan" = "halo"

  Scenario: A two-month timer fires once the broker clock moves forward (two months are at most 62 days)
    Given the diagram "platform/diagrams/uji_timer_dua_bulan.bpmn" is deployed
    When an instance of "Uji_TimerDuaBulan" starts
    Then the instance is still waiting for its timer
    When the broker clock moves forward 62 days
    Then the instance reports that it finished
