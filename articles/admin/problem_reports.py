"""Readers' problem reports in the admin (filled in by issue 18's report form)."""


def problem_reports(user):
    """The dashboard section of readers' reports waiting for triage."""
    return None
