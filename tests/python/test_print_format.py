"""``print()`` in Flink's text (option ``pyflow.print.format=flink``), as PyFlink prints typed records on the
Java side: Tuple2.toString, Row.toString, Double.toString, java.sql.Timestamp. The expected lines are written
out by hand from Java's rules. Real engine and workers; the driver prints to its stdout (captured)."""
import datetime

import pytest

from pyflow.common import Row, Types
from pyflow.errors import PlanError

NESTED = Types.TUPLE([Types.STRING(), Types.ROW([Types.INT(), Types.LIST(Types.STRING())])])
CASES = [
    (Types.TUPLE([Types.STRING(), Types.INT()]), [("a", 1), ("b", None)], ["(a,1)", "(b,null)"]),
    (Types.ROW([Types.STRING(), Types.INT()]), [Row("a", 1)], ["+I[a, 1]"]),
    (Types.ROW_NAMED(["word", "n"], [Types.STRING(), Types.LONG()]), [Row(word="hi", n=2)], ["+I[hi, 2]"]),
    (NESTED, [("x", Row(1, ["p", None]))], ["(x,+I[1, [p, null]])"]),
    (Types.DOUBLE(), [0.5, 1e20, 12345678.9, -0.001, 3.0], ["0.5", "1.0E20", "1.23456789E7", "-0.001", "3.0"]),
    (Types.BOOLEAN(), [True, False], ["true", "false"]),
    (Types.MAP(Types.STRING(), Types.INT()), [{"k": 1}], ["{k=1}"]),
    (Types.SQL_TIMESTAMP(), [datetime.datetime(2021, 1, 9, 12, 0, 0, 11000), datetime.datetime(2021, 1, 9)],
     ["2021-01-09 12:00:00.011", "2021-01-09 00:00:00.0"]),
    (Types.PRIMITIVE_ARRAY(Types.BYTE()), [b"\x01\xff"], ["[1, -1]"]),
    (None, [(1, "a")], ["(1, 'a')"]),  # pickled: Python's str, as PyFlink maps it to a string first
]


def printed(env, capsys, type_info, data, fmt):
    if fmt is not None:
        env._config.set_string("pyflow.print.format", fmt)
    ds = env.from_collection(data, type_info=type_info) if type_info else env.from_collection(data)
    ds.map(lambda v: v, output_type=type_info).print().set_parallelism(1)
    env.execute("print")
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("type_info,data,lines", CASES, ids=lambda c: repr(c)[:30])
def test_flink_format(env, capsys, type_info, data, lines):
    assert sorted(printed(env, capsys, type_info, data, "flink")) == sorted(lines)


def test_python_format_is_the_default(env, capsys):
    data = [("a", 1)]
    assert printed(env, capsys, Types.TUPLE([Types.STRING(), Types.INT()]), data, None) == ["('a', 1)"]
    assert printed(env, capsys, Types.ROW([Types.STRING(), Types.INT()]), data, "python") == ["Row(f0='a', f1=1)"]


def test_a_bad_value_is_refused_at_plan_time(env):
    env._config.set_string("pyflow.print.format", "java")
    env.from_collection([1]).print()
    with pytest.raises(PlanError, match="pyflow.print.format.*python, flink"):
        env.execute("bad option")
