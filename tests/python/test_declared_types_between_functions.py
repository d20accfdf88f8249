"""The next function gets what the declared output type says, whether it is fused with the function
before it or reached through a shuffle: a tuple returned for Types.ROW_NAMED arrives as a Row with
those names, Types.ROW as Row(f0=.., f1=..), Types.TUPLE as a tuple. And a ROW prints with f0..fn names,
as PyFlink's (its test_process_function expects "Row(f0=1, f1='...')"). Real engine and workers."""
import pytest

from pyflow.common import Row, Types

PEOPLE = [("ann", 31), ("bob", 42)]
NAMED = Types.ROW_NAMED(["name", "age"], [Types.STRING(), Types.INT()])


def describe(value):
    return f"{type(value).__name__}:{value!r}"


@pytest.mark.parametrize("shuffled", [False, True], ids=["fused", "shuffled"])
def test_row_named_output_reaches_the_next_function_as_a_row(env, shuffled):
    mapped = env.from_collection(PEOPLE).map(lambda p: (p[0], p[1]), output_type=NAMED)
    if shuffled:
        mapped = mapped.rebalance()
    got = sorted(mapped.map(lambda r: (describe(r), r.name, r["age"]), output_type=Types.TUPLE(
        [Types.STRING(), Types.STRING(), Types.INT()])).execute_and_collect())
    assert got == sorted((f"Row:Row(name={n!r}, age={a})", n, a) for n, a in PEOPLE)


@pytest.mark.parametrize("shuffled", [False, True], ids=["fused", "shuffled"])
def test_row_and_tuple_outputs_as_declared(env, shuffled):
    rows = env.from_collection(PEOPLE).map(lambda p: [p[0], p[1]], output_type=Types.ROW([Types.STRING(), Types.INT()]))
    tuples = env.from_collection(PEOPLE).map(lambda p: Row(p[0], p[1]),
                                             output_type=Types.TUPLE([Types.STRING(), Types.INT()]))
    if shuffled:
        rows, tuples = rows.rebalance(), tuples.rebalance()
    got = sorted(rows.map(describe, output_type=Types.STRING())
                 .union(tuples.map(describe, output_type=Types.STRING())).execute_and_collect())
    expected = [f"Row:Row(f0={n!r}, f1={a})" for n, a in PEOPLE] + [f"tuple:{(n, a)!r}" for n, a in PEOPLE]
    assert got == sorted(expected)


def test_a_fused_result_that_does_not_fit_its_type_fails_naming_the_operator(env):
    from pyflow.errors import PythonFunctionError
    ds = env.from_collection(PEOPLE).map(lambda p: p[0], output_type=NAMED).name("to row").map(str)
    with pytest.raises(PythonFunctionError, match="to row"):
        list(ds.execute_and_collect())
