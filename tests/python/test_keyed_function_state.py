"""Keyed state from ``RuntimeContext`` in map, flat_map and filter functions on a KeyedStream (PyFlink's
test_keyed_map / test_keyed_flat_map / test_keyed_filter, and MapState's dict protocol from its
MyRichCoFlatMapFunction), through the real engine and workers in both execution modes. Expected values are
computed here from the inputs."""
import collections

from pyflow.common import Row, Types
from pyflow.datastream import FilterFunction, FlatMapFunction, MapFunction, ReduceFunction, RuntimeExecutionMode
from pyflow.datastream.state import MapStateDescriptor, ValueStateDescriptor

RECORDS = [("a", 0), ("b", 1), ("c", 0), ("d", 1), ("e", 2), ("f", 0), ("g", 1)]
ROW = Types.ROW([Types.STRING(), Types.INT()])


def running_counts():
    """(record, how many records of its key came before it and it), in input order."""
    seen = collections.Counter()
    out = []
    for name, key in RECORDS:
        seen[key] += 1
        out.append(((name, key), seen[key]))
    return out


class CountingMap(MapFunction):
    def open(self, runtime_context):
        self.state = runtime_context.get_state(ValueStateDescriptor("count", Types.INT()))

    def map(self, value):
        n = (self.state.value() or 0) + 1
        self.state.update(n)
        return value[0], value[1], n


def test_map_function_with_value_state_per_key(env):
    ds = env.from_collection(RECORDS, type_info=ROW).key_by(lambda r: r[1])
    got = sorted(ds.map(CountingMap(), output_type=Types.TUPLE([Types.STRING(), Types.INT(), Types.INT()]))
                 .execute_and_collect())
    assert got == sorted((name, key, n) for (name, key), n in running_counts())


class EveryOther(FlatMapFunction):
    """Yields a key's records twice on odd counts, none on even ones."""

    def open(self, runtime_context):
        self.state = runtime_context.get_state(ValueStateDescriptor("count", Types.INT()))

    def flat_map(self, value):
        n = (self.state.value() or 0) + 1
        self.state.update(n)
        if n % 2:
            yield value[0]
            yield value[0].upper()


def test_flat_map_function_with_state(env):
    ds = env.from_collection(RECORDS, type_info=ROW).key_by(lambda r: r[1])
    got = sorted(ds.flat_map(EveryOther(), output_type=Types.STRING()).execute_and_collect())
    assert got == sorted(x for (name, _), n in running_counts() if n % 2 for x in (name, name.upper()))


class FirstOfKey(FilterFunction):
    """Keeps the first record of each key; a MapState used through the dict protocol remembers the keys."""

    def open(self, runtime_context):
        self.seen = runtime_context.get_map_state(MapStateDescriptor("seen", Types.INT(), Types.BOOLEAN()))

    def filter(self, value):
        if value[1] in self.seen:
            assert self.seen[value[1]] is True and list(self.seen) == [value[1]]
            return False
        self.seen[value[1]] = True
        return True


def test_filter_function_with_map_state_as_a_dict(env):
    ds = env.from_collection(RECORDS, type_info=ROW).key_by(lambda r: r[1])
    got = sorted(tuple(r) for r in ds.filter(FirstOfKey()).execute_and_collect())
    assert got == sorted((name, key) for (name, key), n in running_counts() if n == 1)


class Tally(MapFunction):
    """MapState's full dict protocol: [], in, del, iteration; PyFlink's MapState has no len()."""

    def open(self, runtime_context):
        self.words = runtime_context.get_map_state(MapStateDescriptor("words", Types.STRING(), Types.INT()))

    def map(self, value):
        word = value[0]
        self.words[word] = (self.words[word] or 0) + 1
        if "gone" in self.words:
            del self.words["gone"]
        if word == "c":
            self.words["gone"] = 1
        return Row(value[1], sorted((k, self.words[k]) for k in self.words))


def test_map_state_dict_protocol(env):
    ds = env.from_collection(RECORDS, type_info=ROW).key_by(lambda r: r[1])
    got = sorted((r[0], tuple(r[1])) for r in ds.map(Tally()).execute_and_collect())
    per_key, expected = collections.defaultdict(dict), []
    for name, key in RECORDS:
        words = per_key[key]
        words[name] = words.get(name, 0) + 1
        words.pop("gone", None)
        if name == "c":
            words["gone"] = 1
        expected.append((key, tuple(sorted(words.items()))))
    assert got == sorted(expected)


def test_a_lambda_on_a_keyed_stream_stays_a_fused_map(env):
    ds = env.from_collection(RECORDS, type_info=ROW).key_by(lambda r: r[1])
    mapped = ds.map(lambda r: r[0], output_type=Types.STRING())
    assert mapped._node.kind == "python.map"
    assert sorted(mapped.execute_and_collect()) == sorted(name for name, _ in RECORDS)


class StatefulConcat(ReduceFunction):
    """PyFlink's MyReduceFunction (test_reduce_with_state): keyed state read and written in reduce()."""

    def open(self, runtime_context):
        self.state = runtime_context.get_state(ValueStateDescriptor("test_state", Types.INT()))

    def reduce(self, value1, value2):
        calls = (self.state.value() or 0) + 1
        self.state.update(calls)
        return Row(value1[0] + value2[0], value1[1], calls)


REDUCE_INPUT = [("a", 0), ("c", 1), ("d", 1), ("b", 0), ("e", 1)]


def expected_reductions():
    """Every rolling value per key: (concatenation, key, reduce calls so far for the key)."""
    out, acc = [], {}
    for name, key in REDUCE_INPUT:
        if key not in acc:
            acc[key] = (name, key, 0)
        else:
            prev = acc[key]
            acc[key] = (prev[0] + name, key, prev[2] + 1)
        out.append(acc[key])
    return out


def test_reduce_function_with_state_streaming(env):
    ds = env.from_collection(REDUCE_INPUT, type_info=ROW).map(lambda r: Row(r[0], r[1], 0),
                                                              output_type=Types.ROW([Types.STRING(), Types.INT(),
                                                                                     Types.INT()]))
    got = sorted(tuple(r) for r in ds.key_by(lambda r: r[1]).reduce(StatefulConcat()).execute_and_collect())
    assert got == sorted(expected_reductions())


def test_reduce_function_with_state_batch_emits_final_values(env):
    env.set_runtime_mode(RuntimeExecutionMode.BATCH)
    ds = env.from_collection(REDUCE_INPUT, type_info=ROW).map(lambda r: Row(r[0], r[1], 0),
                                                              output_type=Types.ROW([Types.STRING(), Types.INT(),
                                                                                     Types.INT()]))
    got = sorted(tuple(r) for r in ds.key_by(lambda r: r[1]).reduce(StatefulConcat()).execute_and_collect())
    final = {}
    for value in expected_reductions():
        final[value[1]] = value
    assert got == sorted(final.values()) == [("ab", 0, 1), ("cde", 1, 2)]
