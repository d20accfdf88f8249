"""examples/realtime_monitoring.py on its fixed generator input, against alerts computed here."""
import math
import os
import struct
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "realtime_monitoring.py")
sys.path.insert(0, os.path.join(ROOT, "examples"))

import realtime_monitoring as app  # noqa: E402

READINGS, RATE = 6000, 4000


def is_late(i: int) -> bool:
    """The readings the generator sends far behind the watermark (see app.reading)."""
    return i >= 4000 and i % 1000 == 500


def reference(readings: int):
    """Each on-time reading is judged by the 10 s window whose last 2 s slide holds it."""
    on_time = [app.reading(i) for i in range(readings) if not is_late(i)]
    found = []
    for sensor, ts, value in on_time:
        end = (ts // 2000 + 1) * 2000
        window = [v for s, t, v in on_time if s == sensor and end - 10_000 <= t < end]
        mean = sum(window) / len(window)
        std = math.sqrt(sum((v - mean) ** 2 for v in window) / len(window))
        if value > mean + 3 * std:
            found.append((sensor, ts, value, round(mean, 3), round(std, 3)))
    return sorted(found, key=lambda a: (a[1], a[0]))


@pytest.fixture(scope="module")
def expected():
    return reference(READINGS)


def test_the_planted_spikes_alert_and_the_reference_is_not_trivial(expected):
    spikes = {app.reading(i)[:2] for i in range(997, READINGS, 997)}
    assert spikes <= {(s, t) for s, t, *_ in expected}
    assert len(expected) > len(spikes)  # plain noise alerts too, at 3σ


def late_readings(readings: int):
    return sorted((app.reading(i) for i in range(readings) if is_late(i)), key=lambda r: (r[1], r[0]))


def test_alerts_and_late_readings_equal_the_reference_in_both_modes(env, expected):
    with app.monitor(env, READINGS, RATE).execute_and_collect() as results:
        records = list(results)
    got = sorted((a for kind, a in records if kind == "ALERT"), key=lambda a: (a[1], a[0]))
    late = sorted((r for kind, r in records if kind == "LATE"), key=lambda r: (r[1], r[0]))
    assert late == late_readings(READINGS) and len(late) == 2
    assert [a[:3] for a in got] == [a[:3] for a in expected]
    for g, e in zip(got, expected):
        assert g[3:] == pytest.approx(e[3:], abs=1.01e-3)


def test_the_script_prints_the_alerts_and_writes_a_png(tmp_path, expected):
    png = tmp_path / "chart.png"
    run = subprocess.run([sys.executable, EXAMPLE, "--readings", str(READINGS), "--rate", str(RATE), "--chart", str(png)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert [line.split(" value=")[0] for line in lines if line.startswith("ALERT")] == \
        [f"ALERT {s} t={t / 1000:.1f}s" for s, t, *_ in expected]
    assert [line for line in lines if line.startswith("LATE")] == \
        [f"LATE  {s} t={t / 1000:.1f}s value={v}" for s, t, v in late_readings(READINGS)]
    assert lines[-1] == f"{len(expected)} alerts, 2 late readings; chart written to {png}"
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1000, 400)  # 10 x 4 inches at 100 dpi
