"""Vectorized (func_type="pandas") maps: whole columns in, whole columns out."""
import pytest

from pyflow.common import Types
from pyflow.errors import PythonFunctionError


def test_a_vectorized_map_gets_a_series_and_gives_exact_results(env):
    data = list(range(-1000, 24_000))
    stream = env.from_collection(data, type_info=Types.LONG()).map(lambda s: s * 2 + 1, output_type=Types.LONG(),
                                                                    func_type="pandas")
    with stream.execute_and_collect() as results:
        got = sorted(results)
    assert got == sorted(x * 2 + 1 for x in data)


def test_vectorized_and_per_record_maps_chain_both_ways(env):
    data = [float(i) / 4 for i in range(5000)]
    stream = (env.from_collection(data, type_info=Types.DOUBLE())
              .map(lambda x: x + 1, output_type=Types.DOUBLE())
              .map(lambda s: s.round(1) * 10, output_type=Types.DOUBLE(), func_type="pandas")
              .filter(lambda x: x > 100)
              .map(lambda s: s.astype("int64"), output_type=Types.LONG(), func_type="pandas"))
    with stream.execute_and_collect() as results:
        got = sorted(results)
    expected = sorted(int(round(x + 1, 1) * 10) for x in data if round(x + 1, 1) * 10 > 100)
    assert got == expected


def test_a_vectorized_map_of_strings_and_a_wrong_length_is_a_clear_error(env):
    words = ["ab", "c", "def"]
    stream = env.from_collection(words, type_info=Types.STRING()).map(lambda s: s.str.len(), output_type=Types.LONG(),
                                                                       func_type="pandas")
    with stream.execute_and_collect() as results:
        assert sorted(results) == [1, 2, 3]
    bad = env.from_collection(words, type_info=Types.STRING()).map(lambda s: s.head(1), func_type="pandas")
    with pytest.raises(PythonFunctionError) as info:
        with bad.execute_and_collect() as results:
            list(results)
    assert "same length" in str(info.value)
