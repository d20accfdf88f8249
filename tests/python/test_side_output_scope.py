"""A side output belongs to the operator that emitted it: ``get_side_output(tag)`` on a process never
returns what another process (fused into the same worker chain or not) sent under an equal tag. Real
engine and workers, both execution modes; expected values computed here."""
from pyflow.common import Types
from pyflow.datastream import OutputTag, ProcessFunction

TAG = OutputTag("side", Types.INT())


class Doubling(ProcessFunction):
    """PyFlink's test_side_output_tag_reusing function: the value to the main output, twice it to TAG."""

    def process_element(self, value, ctx):
        yield value
        yield TAG, value * 2


class Tripling(ProcessFunction):
    """The same tag, from another operator, with ctx.output (Java's way)."""

    def process_element(self, value, ctx):
        ctx.output(TAG, value * 3)
        yield value


def test_a_fused_upstream_process_does_not_leak_into_the_downstream_side_output(env):
    # Neither the upstream process's main output nor its side output has a second reader, so the host
    # fuses process -> map -> process into one worker chain.
    upstream = env.from_collection([1, 2, 3], Types.INT()).process(Doubling(), output_type=Types.INT())
    downstream = upstream.map(lambda x: x + 10, output_type=Types.INT()).process(Tripling(), output_type=Types.INT())
    assert sorted(downstream.get_side_output(TAG).execute_and_collect()) == [33, 36, 39]


def test_tag_reusing_as_pyflink(env):
    # PyFlink's test_side_output_tag_reusing: both operators' side outputs read, each gets its own.
    first = env.from_collection([1, 2, 3], Types.INT()).process(Doubling(), output_type=Types.INT())
    second = first.map(lambda i: i * 2, output_type=Types.INT()).process(Doubling(), output_type=Types.INT())
    got = sorted(first.get_side_output(TAG).map(lambda v: ("first", v))
                 .union(second.get_side_output(TAG).map(lambda v: ("second", v))).execute_and_collect())
    assert got == [("first", 2), ("first", 4), ("first", 6), ("second", 4), ("second", 8), ("second", 12)]


def test_the_upstream_side_output_read_alone(env):
    upstream = env.from_collection([1, 2, 3], Types.INT()).process(Doubling(), output_type=Types.INT())
    upstream.map(lambda x: x + 10, output_type=Types.INT()).process(Tripling(), output_type=Types.INT()).print()
    assert sorted(upstream.get_side_output(TAG).execute_and_collect()) == [2, 4, 6]
