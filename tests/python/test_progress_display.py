"""Progress displays and plan rendering at unit level: exact text and HTML, the option, the doctests."""
import doctest
import io

import pytest

import pyflow._progress.html
import pyflow._progress.model
import pyflow._progress.terminal
import pyflow.datastream._render
from pyflow._progress import choose
from pyflow._progress.html import render_table
from pyflow._progress.model import JobProgress, OperatorProgress
from pyflow._progress.terminal import TerminalProgress
from pyflow.common import Configuration, Types
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.errors import PlanError


class FakeTty(io.StringIO):
    """A stream that says it is a terminal, and keeps what was written."""

    def isatty(self):
        return True


def snapshot(elapsed_ms, source_out, map_in, map_out):
    return JobProgress(elapsed_ms, (OperatorProgress("Source", 1, 0, source_out),
                                    OperatorProgress("Map", 2, map_in, map_out)))


def test_terminal_line_is_rewritten_in_place_then_ended_with_the_status():
    tty = FakeTty()
    line = TerminalProgress("wc", tty, width=200)
    line.update(snapshot(500, 1000, 900, 900))
    line.update(snapshot(1000, 3000, 3000, 2990))
    line.finish("FINISHED")
    first = "job 'wc' 0.5 s | 0 rec/s | Source 0→1,000 | Map 900→900"
    second = "job 'wc' 1.0 s | 4,000 rec/s | Source 0→3,000 | Map 3,000→2,990"
    last = "FINISHED | job 'wc' 1.0 s | 3,000 rec/s | Source 0→3,000 | Map 3,000→2,990"
    assert tty.getvalue() == "\r" + first + "\r" + second + "\r" + last + "\n"


def test_terminal_line_is_cut_to_the_width_and_clears_a_longer_previous_line():
    tty = FakeTty()
    line = TerminalProgress("a-long-job-name", tty, width=30)
    line.update(snapshot(1000, 10, 10, 10))
    line.update(JobProgress(2000, ()))
    written = tty.getvalue().split("\r")[1:]
    assert written[0] == "job 'a-long-job-name' 1.0 s |"  # 29 characters: the cursor stays on the line
    assert written[1] == "job 'a-long-job-name' 2.0 s |"


def test_terminal_finish_without_progress_writes_nothing():
    tty = FakeTty()
    TerminalProgress("j", tty).finish("FAILED")
    assert tty.getvalue() == ""


def test_html_table_escapes_names_and_shows_every_operator():
    html = render_table("a<b", snapshot(2000, 10, 10, 5), 5.0, "RUNNING")
    assert html == (
        '<table class="pyflow-progress"><caption>job &#x27;a&lt;b&#x27; · RUNNING · 2.0 s · 5 rec/s</caption>\n'
        "<thead><tr><th>operator</th><th>parallelism</th><th>records in</th><th>records out</th></tr></thead>\n"
        "<tbody><tr><td>Source</td><td>1</td><td>0</td><td>10</td></tr>"
        "<tr><td>Map</td><td>2</td><td>10</td><td>5</td></tr></tbody></table>")


@pytest.mark.parametrize("value, expected", [("auto", "auto"), (" OFF ", "off"), ("terminal", "terminal"),
                                             ("html", "html")])
def test_the_progress_option_accepts_its_four_values(value, expected):
    assert choose.progress_mode({choose.OPTION: value}) == expected
    assert choose.progress_mode({}) == "auto"


def test_a_bad_progress_option_fails_before_the_job_starts_naming_the_values():
    env = StreamExecutionEnvironment.get_execution_environment(Configuration().set_string("pyflow.progress", "loud"))
    env.from_collection([1]).print()
    with pytest.raises(PlanError, match=r"'pyflow.progress' must be one of auto, off, terminal, html, got 'loud'"):
        env.execute()


def test_auto_picks_the_terminal_line_only_for_a_tty_and_never_while_collecting(monkeypatch):
    monkeypatch.setattr("sys.stderr", FakeTty())
    assert isinstance(choose.make_display("auto", "j"), TerminalProgress)
    assert choose.make_display("auto", "j", collecting=True) is None
    assert isinstance(choose.make_display("terminal", "j", collecting=True), TerminalProgress)
    assert choose.make_display("off", "j") is None
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert choose.make_display("auto", "j") is None  # not a terminal, not a Jupyter kernel


def test_terminal_progress_of_a_real_job_ends_with_exact_final_counts(monkeypatch):
    tty = FakeTty()
    monkeypatch.setattr("sys.stderr", tty)
    monkeypatch.setenv("COLUMNS", "300")  # the line is cut to the terminal's width
    env = StreamExecutionEnvironment.get_execution_environment(Configuration().set_string("pyflow.progress", "terminal"))
    env.set_parallelism(1)
    env.from_collection(list(range(100)), Types.LONG()).filter(lambda x: x % 4 == 0).print()
    env.execute("filter job")
    last = tty.getvalue().split("\r")[-1]
    assert last.startswith("FINISHED | job 'filter job' ")
    assert last.endswith(" | Collection Source 0→100 | Filter 100→25 | Print to Std. Out 25→0\n")


def test_repr_renders_the_plan_up_to_the_stream():
    env = StreamExecutionEnvironment.get_execution_environment()
    words = env.from_collection(["a b", "b"], Types.STRING()).flat_map(str.split, Types.STRING())
    counts = words.map(lambda w: (w, 1)).key_by(lambda p: p[0]).reduce(lambda a, b: (a[0], a[1] + b[1]))
    counts.set_parallelism(2)
    assert repr(counts) == "\n".join([
        "DataStream 'Reduce', the plan up to it:",
        "  id  kind               name               parallelism  type                        inputs",
        "  1   source.collection  Collection Source  1            Types.STRING()              -",
        "  2   python.flat_map    Flat Map           default      Types.STRING()              1",
        "  3   python.map         Map                default      Types.PICKLED_BYTE_ARRAY()  2",
        "  4   key_by             Key By             default      Types.PICKLED_BYTE_ARRAY()  3",
        "  5   python.reduce      Reduce             2            Types.PICKLED_BYTE_ARRAY()  4"])
    assert repr(words).splitlines()[-1] == "  2   python.flat_map    Flat Map           default      Types.STRING()  1"


def test_repr_html_is_a_table_with_one_row_per_node():
    env = StreamExecutionEnvironment.get_execution_environment()
    stream = env.from_collection([1, 2], Types.INT()).name("a & b").map(str, Types.STRING())
    assert stream._repr_html_() == (
        '<table class="pyflow-plan"><caption>DataStream &#x27;Map&#x27;, the plan up to it</caption>\n'
        "<thead><tr><th>id</th><th>kind</th><th>name</th><th>parallelism</th><th>type</th><th>inputs</th></tr>"
        "</thead>\n<tbody>"
        "<tr><td>1</td><td>source.collection</td><td>a &amp; b</td><td>1</td><td>Types.INT()</td><td>-</td></tr>"
        "<tr><td>2</td><td>python.map</td><td>Map</td><td>default</td><td>Types.STRING()</td><td>1</td></tr>"
        "</tbody></table>")


@pytest.mark.parametrize("module", [pyflow._progress.model, pyflow._progress.terminal, pyflow._progress.html,
                                    pyflow.datastream._render], ids=lambda m: m.__name__)
def test_the_docstring_examples_hold(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_terminal_line_is_cleared_before_the_jobs_own_output_and_drawn_again_after():
    tty = FakeTty()
    line = TerminalProgress("j", tty, width=200)
    line.update(snapshot(1000, 5, 5, 5))
    line.clear()
    line.clear()  # nothing shown: nothing to clear
    line.update(snapshot(2000, 9, 9, 9))
    shown = "job 'j' 1.0 s | 0 rec/s | Source 0→5 | Map 5→5"
    assert tty.getvalue() == ("\r" + shown + "\r" + " " * len(shown) + "\r"
                              + "\rjob 'j' 2.0 s | 4 rec/s | Source 0→9 | Map 9→9")


class Exploding:
    def update(self, progress):
        raise OSError("terminal gone")

    def finish(self, status):
        raise AssertionError("a switched-off display is not called again")


def test_a_failing_display_is_switched_off_with_a_message_and_the_job_goes_on(capsys):
    from pyflow._progress.guard import GuardedDisplay
    guarded = GuardedDisplay(Exploding())
    guarded.update(snapshot(1, 1, 1, 1))
    guarded.update(snapshot(2, 2, 2, 2))
    guarded.finish("FINISHED")
    assert capsys.readouterr().err == (
        "pyflow: the progress display failed (OSError: terminal gone) and is switched off for this job; the job "
        "goes on. Set the option pyflow.progress to 'off' to hide it.\n")


def test_a_collect_iteration_with_an_explicit_terminal_display_ends_its_line(monkeypatch):
    tty = FakeTty()
    monkeypatch.setattr("sys.stderr", tty)
    monkeypatch.setenv("COLUMNS", "300")
    env = StreamExecutionEnvironment.get_execution_environment(Configuration().set_string("pyflow.progress", "terminal"))
    env.set_parallelism(1)
    assert list(env.from_collection([1, 2, 3], Types.LONG()).map(lambda x: x + 1, Types.LONG())
                .execute_and_collect()) == [2, 3, 4]
    last = tty.getvalue().split("\r")[-1]
    assert last.startswith("FINISHED | job 'DataStream Collect' ")
    assert last.endswith(" | Collection Source 0→3 | Map 3→3 | Data stream collect sink 3→0\n")
