"""examples/realtime_recommendation.py on a fixed click stream, against recommendations computed here."""
import collections
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "realtime_recommendation.py")
sys.path.insert(0, os.path.join(ROOT, "examples"))

import realtime_recommendation as app  # noqa: E402

GAP = 30_000


def sessions(click_events):
    """Flink's event-time sessions: a click opens [ts, ts + gap); overlapping ones merge."""
    per_user = collections.defaultdict(list)
    for user, item, ts in click_events:
        per_user[user].append((ts, item))
    out = []
    for user, seen in per_user.items():
        seen.sort()
        items, end = set(), None
        for ts, item in seen:
            if end is not None and ts >= end:
                out.append((user, end, tuple(sorted(items))))
                items = set()
            items.add(item)
            end = ts + GAP if end is None or ts + GAP > end else end
        out.append((user, end, tuple(sorted(items))))
    return out


def reference(click_events):
    """Sessions in close-time order; each scored on the counts of sessions that closed before it."""
    counts = collections.defaultdict(collections.Counter)
    by_end = collections.defaultdict(list)
    for s in sessions(click_events):
        by_end[s[1]].append(s)
    out = []
    for end in sorted(by_end):
        for user, _, items in by_end[end]:
            scores = collections.Counter()
            for item in items:
                scores.update(counts[item])
            ranked = sorted((i for i in scores if i not in items), key=lambda i: (-scores[i], i))
            out.append((user, end, ranked[:app.TOP]))
        for _, _, items in by_end[end]:
            for item in items:
                counts[item].update(o for o in items if o != item)
    return sorted(out, key=lambda r: (r[1], r[0]))


def test_recommendations_equal_the_reference_in_both_modes(env):
    click_events = app.clicks(users=12, count=1500, seed=3)
    with app.recommendations(env, click_events).execute_and_collect() as results:
        got = sorted(((u, e, list(t)) for u, e, t in results), key=lambda r: (r[1], r[0]))
    expected = reference(click_events)
    assert len(expected) > 100 and sum(1 for r in expected if len(r[2]) == app.TOP) > 50  # not trivial
    assert got == expected


def test_sessions_closing_together_do_not_see_each_other(process_env):
    # u1 and u2 close at the same instant (50 s): neither sees the other's pairs; u3 closes later and sees both.
    click_events = [("u1", "a", 0), ("u2", "a", 5_000), ("u1", "b", 20_000), ("u2", "c", 20_000),
                    ("u3", "a", 60_000), ("u3", "z", 60_500)]
    with app.recommendations(process_env, click_events).execute_and_collect() as results:
        got = sorted(((u, e, list(t)) for u, e, t in results), key=lambda r: (r[1], r[0]))
    assert got == [("u1", 50_000, []), ("u2", 50_000, []), ("u3", 90_500, ["b", "c"])]
    assert got == reference(click_events)


def test_the_script_runs_from_the_readme():
    run = subprocess.run([sys.executable, EXAMPLE, "--users", "8", "--clicks", "600", "--show", "0"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    expected = reference(app.clicks(8, 600))
    lines = run.stdout.splitlines()
    assert lines[:-1] == [f"{u} at {e / 1000:.0f}s: {', '.join(t) or '(nothing yet)'}" for u, e, t in expected]
    assert lines[-1] == f"{len(expected)} sessions scored for {len({r[0] for r in expected})} users"
