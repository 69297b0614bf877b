"""The local launcher: fetches and starts Zeebe, SeaweedFS and PostgreSQL on loopback.

Used by ``make run`` (``python -m stack run``) and by the test suite's fixtures.
"""
