"""bench/load.py's checker finds what it must: the load test is only as good
as its ability to fail."""

from types import SimpleNamespace

from bench.load import check

T0 = 1000.0
ARGS = SimpleNamespace(max_seconds=2.0, recovery_grace=5.0, t0=T0)
PAGE = "/questions/watched-one/"
SLUGS = {1: "watched-one"}
# Revision 1 published (committed at +1), withdrawn (committed at +11), and
# revision 2 publishing from +20 (committed at +21).
EVENTS = [
    {"kind": "published", "watched": 1, "revision": 1, "started": T0, "committed": T0 + 1},
    {"kind": "withdrawn", "watched": 1, "revision": 1, "started": T0 + 10, "committed": T0 + 11},
    {"kind": "published", "watched": 1, "revision": 2, "started": T0 + 20, "committed": T0 + 21},
]  # fmt: skip


def response(start, status=200, markers=(), path=PAGE, took=0.1, note=""):
    return (T0 + start, T0 + start + took, path, status, note, markers)


def problems(*results, outage=None):
    return check(list(results), EVENTS, SLUGS, ARGS, outage)


def test_consistent_responses_pass():
    assert (
        problems(
            response(2, markers=(("1", "0001"),)),
            response(12, status=410, markers=(("1", "0001"),)),  # the 410 names it
            response(13, path="/", markers=()),
            response(10.5, path="/", markers=(("1", "0001"),)),  # withdrawal under way
            response(22, markers=(("1", "0002"),)),
        )
        == []
    )


def test_a_response_mixing_two_versions_is_caught():
    found = problems(response(2, markers=(("1", "0001"), ("1", "0002"))))
    assert f"{PAGE}: mixes versions [1, 2] of watched 1" in found


def test_a_withdrawn_article_shown_after_the_withdrawal_committed_is_caught():
    assert problems(response(12, path="/", markers=(("1", "0001"),))) == [
        "/: shows withdrawn watched 1 (revision [1])"
    ]
    assert problems(response(12, status=200, markers=(("1", "0001"),))) == [
        f"{PAGE}: withdrawn, but answered 200"
    ]


def test_an_old_version_after_a_publish_committed_is_caught():
    assert problems(response(22, markers=(("1", "0001"),))) == [
        f"{PAGE}: shows revision [1] of watched 1, live is 2"
    ]


def test_errors_and_slow_answers_are_caught():
    assert problems(response(5, status=500, note="raw")) == [
        f"{PAGE}: 500 (raw) at +5.0 s"
    ]
    assert problems(response(5, took=2.5, markers=(("1", "0001"),))) == [
        f"{PAGE}: took 2.50 s"
    ]
    assert problems(response(5, status=-1, note="ConnectionResetError")) == [
        f"{PAGE}: connection error ConnectionResetError"
    ]


def test_during_an_outage_only_a_friendly_503_is_clean():
    outage = (T0 + 30, T0 + 35)
    assert problems(response(31, status=503, note="friendly"), outage=outage) == []
    assert problems(response(31, status=500, note="raw"), outage=outage) == [
        f"{PAGE}: 500 (raw) at +31.0 s"
    ]
    # Long after the restart a 503 is a failure again.
    assert problems(response(50, status=503, note="friendly"), outage=outage) == [
        f"{PAGE}: 503 (friendly) at +50.0 s"
    ]
