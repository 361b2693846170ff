"""Prints the size and the time of the cross-organisation matrix at the end of a run."""


def pytest_terminal_summary(terminalreporter):
    from tests.security.test_cross_organisation import STATS

    if STATS["requests"]:
        terminalreporter.write_line(
            "cross-organisation matrix: {patterns} patterns x {roles} roles = {cells} cells, "
            "{requests} requests in {seconds:.1f} s (data built in {build:.1f} s)".format(**STATS)
        )
