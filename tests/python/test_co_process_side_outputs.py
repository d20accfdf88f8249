"""Side outputs from ``CoProcessFunction`` and ``KeyedCoProcessFunction`` (PyFlink's
test_co_process_side_output and test_keyed_co_process_side_output), through the real engine and workers
in both execution modes. Expected values are computed here from the inputs."""
from pyflow.common import Types
from pyflow.datastream import CoProcessFunction, KeyedCoProcessFunction, OutputTag
from pyflow.datastream.state import ReducingStateDescriptor

TAG = OutputTag("side", Types.INT())
FIRST = [("a", 0), ("b", 1), ("c", 2)]
SECOND = [(3, "c"), (1, "a"), (0, "d")]


class Both(CoProcessFunction):
    """Yields the side record PyFlink's way for input 1, with ctx.output for input 2."""

    def process_element1(self, value, ctx):
        yield value[0]
        yield TAG, value[1]

    def process_element2(self, value, ctx):
        ctx.output(TAG, value[0])
        yield value[1]


def test_co_process_function_side_output(env):
    ds1 = env.from_collection(FIRST, type_info=Types.ROW([Types.STRING(), Types.INT()]))
    ds2 = env.from_collection(SECOND, type_info=Types.ROW([Types.INT(), Types.STRING()]))
    main = ds1.connect(ds2).process(Both(), output_type=Types.STRING())
    got = sorted(main.map(lambda v: ("main", v)).union(main.get_side_output(TAG).map(lambda v: ("side", str(v))))
                 .execute_and_collect())
    expected = ([("main", s) for s, _ in FIRST] + [("main", s) for _, s in SECOND]
                + [("side", str(i)) for _, i in FIRST] + [("side", str(i)) for i, _ in SECOND])
    assert got == sorted(expected)


class Counting(KeyedCoProcessFunction):
    def open(self, context):
        self.count = context.get_reducing_state(ReducingStateDescriptor("count", lambda i, j: i + j, Types.INT()))

    def process_element1(self, value, ctx):
        yield ctx.get_current_key(), value[1]
        self.count.add(1)
        yield TAG, self.count.get()

    def process_element2(self, value, ctx):
        yield ctx.get_current_key(), value[0]
        self.count.add(1)
        ctx.output(TAG, self.count.get())


def test_keyed_co_process_function_side_output(env):
    left = [("a", 1), ("b", 2), ("a", 3), ("b", 4)]
    right = [(8, "a"), (7, "b"), (6, "a"), (5, "b")]
    ds1 = env.from_collection(left, type_info=Types.ROW([Types.STRING(), Types.INT()]))
    ds2 = env.from_collection(right, type_info=Types.ROW([Types.INT(), Types.STRING()]))
    main = (ds1.key_by(lambda e: e[0]).connect(ds2.key_by(lambda e: e[1]))
            .process(Counting(), output_type=Types.TUPLE([Types.STRING(), Types.INT()])))
    got = sorted(main.map(lambda v: ("main",) + tuple(v))
                 .union(main.get_side_output(TAG).map(lambda v: ("side", "", v))).execute_and_collect())
    # Each key sees four records whatever the interleaving of the inputs: its counts 1..4 go to the side output.
    expected = ([("main", k, v) for k, v in left] + [("main", k, v) for v, k in right]
                + [("side", "", n) for _ in ("a", "b") for n in range(1, 5)])
    assert got == sorted(expected)
