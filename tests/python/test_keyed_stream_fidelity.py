"""KeyedStream as PyFlink's: execute_and_collect yields Row(f0=key, f1=value) (PyFlink's
test_execute_and_collect), and re-partitioning a keyed stream is refused (test_keyed_stream_partitioning).
Real engine and workers."""
import pytest

from pyflow.common import Row, Types

DATA = [("pyflink", 1), ("datastream", 2), ("pyflink", 1), ("collect", 2)]


def test_execute_and_collect_of_a_keyed_stream_gives_key_and_value(env):
    ds = env.from_collection(DATA, type_info=Types.TUPLE([Types.STRING(), Types.INT()]))
    with ds.key_by(lambda i: i[0], Types.STRING()).execute_and_collect() as results:
        got = list(results)
    expected = [Row(f0=k, f1=(k, v)) for k, v in DATA]
    assert sorted(got) == sorted(expected)
    assert all(r.f0 == r.f1[0] and isinstance(r.f1, tuple) for r in got)
    assert repr(sorted(got)[0]) == "Row(f0='collect', f1=('collect', 2))"


def test_without_a_key_type_the_key_travels_pickled(env):
    ds = env.from_collection([(1, "a"), (2, "b")])
    got = ds.key_by(lambda r: (r[0], r[1])).execute_and_collect(limit=5)
    assert sorted(got) == [Row(f0=(1, "a"), f1=(1, "a")), Row(f0=(2, "b"), f1=(2, "b"))]


@pytest.mark.parametrize("method", ["shuffle", "rebalance", "rescale", "broadcast", "forward"])
def test_a_keyed_stream_cannot_be_partitioned_again(env, method):
    keyed = env.from_collection([("ab", 1), ("bdc", 2)]).key_by(lambda x: x[1])
    with pytest.raises(Exception, match="Cannot override partitioning for KeyedStream") as caught:
        getattr(keyed, method)()
    assert type(caught.value) is Exception  # PyFlink's exact type
    with pytest.raises(Exception, match="Cannot override partitioning for KeyedStream"):
        keyed.partition_custom(lambda k, n: 0, lambda x: x)


def test_to_pandas_of_a_keyed_stream_has_the_keys_and_the_records(env):
    ds = env.from_collection(DATA, type_info=Types.TUPLE([Types.STRING(), Types.INT()]))
    frame = ds.key_by(lambda i: i[0], Types.STRING()).to_pandas()
    assert list(frame.columns) == ["f0", "f1"]
    assert sorted(zip(frame["f0"], frame["f1"])) == sorted((k, (k, v)) for k, v in DATA)
