"""Port of PyFlink's test_data_stream.py, part 3: CommonDataStreamTests (a STREAMING environment of
parallelism 2; process mode in PyFlink, both modes here). The plan tests read ``env.get_execution_plan()``,
Flink's JSON plan, as the originals do.

Not ported: test_slot_sharing_group and test_chaining_strategy (they read the Java StreamGraph).
"""
import datetime
import decimal

import pytest

from pyflow.common import Row
from pyflow.common.typeinfo import Types
from pyflow.errors import PythonFunctionError
from pyflink_suite.conftest import missing
from pyflink_suite.data_stream_functions import MyKeySelector
from pyflink_suite.harness import assert_equals_sorted


def raises(call) -> bool:
    """PyFlink's ``with self.assertRaises(Exception): call()``."""
    try:
        call()
    except Exception:  # noqa: BLE001
        return True
    return False


def test_data_stream_name(env):
    ds = env.from_collection([(1, 'Hi', 'Hello'), (2, 'Hello', 'Hi')])
    test_name = 'test_name'
    ds.name(test_name)
    assert test_name == ds.get_name()


def test_set_parallelism(env, test_sink):
    parallelism = 3
    ds = env.from_collection([(1, 'Hi', 'Hello'), (2, 'Hello', 'Hi')]).map(lambda x: x)
    ds.set_parallelism(parallelism).add_sink(test_sink)
    plan = eval(str(env.get_execution_plan()))
    assert parallelism == plan['nodes'][1]['parallelism']


def test_set_max_parallelism(env, test_sink):
    max_parallelism = 4
    env.set_parallelism(8)
    ds = env.from_collection([(1, 'Hi', 'Hello'), (2, 'Hello', 'Hi')]).map(lambda x: x)
    ds.set_parallelism(max_parallelism).add_sink(test_sink)
    plan = eval(str(env.get_execution_plan()))
    assert max_parallelism == plan['nodes'][1]['parallelism']


def test_force_non_parallel(env, test_sink):
    env.set_parallelism(8)
    ds = env.from_collection([(1, 'Hi', 'Hello'), (2, 'Hello', 'Hi')])
    ds.force_non_parallel().add_sink(test_sink)
    plan = eval(str(env.get_execution_plan()))
    assert 1 == plan['nodes'][0]['parallelism']


def test_union(env, test_sink):
    ds_1 = env.from_collection([1, 2, 3])
    ds_2 = env.from_collection([4, 5, 6])
    ds_3 = env.from_collection([7, 8, 9])
    unioned_stream = ds_3.union(ds_1, ds_2)
    unioned_stream.map(lambda x: x + 1).add_sink(test_sink)
    exec_plan = eval(env.get_execution_plan())
    source_ids = []
    union_node_pre_ids = []
    for node in exec_plan['nodes']:
        if node['pact'] == 'Data Source':
            source_ids.append(node['id'])
        if node['pact'] == 'Operator':
            for pre in node['predecessors']:
                union_node_pre_ids.append(pre['id'])
    source_ids.sort()
    union_node_pre_ids.sort()
    assert source_ids == union_node_pre_ids


@missing("KeyedStream as a DataStream: PyFlink's _keyed_stream_values_operator node in the execution plan")
def test_keyed_stream_union(env, test_sink):
    ds_1 = env.from_collection([1, 2, 3])
    ds_2 = env.from_collection([4, 5, 6])
    unioned_stream = ds_1.key_by(lambda x: x).union(ds_2.key_by(lambda x: x))
    unioned_stream.add_sink(test_sink)
    exec_plan = eval(env.get_execution_plan())
    expected_union_node_pre_ids = []
    union_node_pre_ids = []
    for node in exec_plan['nodes']:
        if node['type'] == '_keyed_stream_values_operator':
            expected_union_node_pre_ids.append(node['id'])
        if node['pact'] == 'Data Sink':
            for pre in node['predecessors']:
                union_node_pre_ids.append(pre['id'])
    expected_union_node_pre_ids.sort()
    union_node_pre_ids.sort()
    assert expected_union_node_pre_ids == union_node_pre_ids


def test_project(env, test_sink):
    ds = env.from_collection([[1, 2, 3, 4], [5, 6, 7, 8]],
                             type_info=Types.TUPLE([Types.INT(), Types.INT(), Types.INT(), Types.INT()]))
    ds.project(1, 3).map(lambda x: (x[0], x[1] + 1)).add_sink(test_sink)
    exec_plan = eval(env.get_execution_plan())
    assert exec_plan['nodes'][1]['type'] == 'Projection'


@pytest.mark.parametrize("partitioning, strategy", [("broadcast", "BROADCAST"), ("rebalance", "REBALANCE"),
                                                    ("rescale", "RESCALE"), ("shuffle", "SHUFFLE")])
def test_partitioning(env, test_sink, partitioning, strategy):
    """PyFlink's test_broadcast, test_rebalance, test_rescale and test_shuffle, one pipeline each."""
    ds_1 = env.from_collection([1, 2, 3])
    getattr(ds_1, partitioning)().map(lambda x: x + 1).set_parallelism(3).add_sink(test_sink)
    exec_plan = eval(env.get_execution_plan())
    node = exec_plan['nodes'][1]
    assert node['predecessors'][0]['ship_strategy'] == strategy


def test_keyed_stream_partitioning(env):
    ds = env.from_collection([('ab', 1), ('bdc', 2), ('cfgs', 3), ('deeefg', 4)])
    keyed_stream = ds.key_by(lambda x: x[1])
    assert raises(keyed_stream.shuffle)
    assert raises(keyed_stream.rebalance)
    assert raises(keyed_stream.rescale)
    assert raises(keyed_stream.broadcast)
    assert raises(keyed_stream.forward)


def test_execute_and_collect(env):
    test_data = ['pyflink', 'datastream', 'execute', 'collect']
    ds = env.from_collection(test_data)
    # collect with limit
    actual = []
    for result in ds.execute_and_collect(limit=3):
        actual.append(result)
    assert test_data[:3] == actual


def test_execute_and_collect_keyed_stream(env):
    test_data = [('pyflink', 1), ('datastream', 2), ('pyflink', 1), ('collect', 2)]
    expected = [Row(f0='pyflink', f1=('pyflink', 1)), Row(f0='datastream', f1=('datastream', 2)),
                Row(f0='pyflink', f1=('pyflink', 1)), Row(f0='collect', f1=('collect', 2))]
    ds = env.from_collection(collection=test_data, type_info=Types.TUPLE([Types.STRING(), Types.INT()]))
    with ds.key_by(lambda i: i[0], Types.STRING()).execute_and_collect() as results:
        actual = [result for result in results]
        # PyFlink asserts this order; at parallelism 2 the keys' subtasks deliver in either order, so the
        # comparison ignores it (the harness's change, the values are PyFlink's).
        assert sorted(expected, key=repr) == sorted(actual, key=repr)


def test_execute_and_collect_pickled_types(env):
    test_data = [(1, None, 1, True, 32767, -2147483648, 1.23, 1.98932, bytearray(b'flink'), 'pyflink',
                  datetime.date(2014, 9, 13), datetime.time(hour=12, minute=0, second=0, microsecond=123000),
                  datetime.datetime(2018, 3, 11, 3, 0, 0, 123000), [1, 2, 3],
                  [['pyflink', 'datastream'], ['execute', 'collect']], decimal.Decimal('1000000000000000000.05'),
                  decimal.Decimal('1000000000000000000.05999999999999999899999999999')),
                 (2, None, 2, True, 23878, 652516352, 9.87, 2.98936, bytearray(b'flink'), 'pyflink',
                  datetime.date(2015, 10, 14), datetime.time(hour=11, minute=2, second=2, microsecond=234500),
                  datetime.datetime(2020, 4, 15, 8, 2, 6, 235000), [2, 4, 6],
                  [['pyflink', 'datastream'], ['execute', 'collect']], decimal.Decimal('2000000000000000000.74'),
                  decimal.Decimal('2000000000000000000.06111111111111111111111111111'))]
    expected = list(test_data)
    ds = env.from_collection(test_data)
    with ds.execute_and_collect() as results:
        actual = [result for result in results]
        assert_equals_sorted(expected, actual)


def test_execute_and_collect_primitive_array(env):
    test_data = [[1, 2, 3], [4, 5]]
    ds = env.from_collection(test_data, type_info=Types.PRIMITIVE_ARRAY(Types.INT()))
    with ds.execute_and_collect() as results:
        actual = [r for r in results]
        assert_equals_sorted(list(test_data), actual)


@missing("Types.OBJECT_ARRAY")
def test_execute_and_collect_object_array(env):
    test_data = [(["test", "test"], [0.0, 0.0]), ([None, ], [0.0, 0.0])]
    ds = env.from_collection(
        test_data, type_info=Types.TUPLE([Types.OBJECT_ARRAY(Types.STRING()), Types.OBJECT_ARRAY(Types.DOUBLE())]))
    with ds.execute_and_collect() as results:
        actual = [result for result in results]
        assert_equals_sorted(list(test_data), actual)


def test_function_with_error(env):
    ds = env.from_collection([('a', 0), ('b', 0), ('c', 1), ('d', 1), ('e', 1)],
                             type_info=Types.ROW([Types.STRING(), Types.INT()]))
    keyed_stream = ds.key_by(MyKeySelector(), key_type=Types.INT())

    def flat_map_func(x):
        raise ValueError('flat_map_func error')
        yield x

    # PyFlink raises Py4JJavaError; PyFlow's error for an exception in user code is PythonFunctionError
    with pytest.raises(PythonFunctionError, match="flat_map_func error"):
        keyed_stream.flat_map(flat_map_func).print()
        env.execute("test_process_function_with_error")


def test_data_with_custom_class(env, test_sink):
    class Data(object):
        def __init__(self, name, num):
            self.name = name
            self.num = num

    ds = env.from_collection([('a', 0), ('b', 1), ('c', 2)], type_info=Types.ROW([Types.STRING(), Types.INT()]))
    ds.map(lambda a: Data(a[0], a[1])) \
        .flat_map(lambda data: [data.name for _ in range(data.num)]) \
        .add_sink(test_sink)
    env.execute("test_data_with_custom_class")
    assert_equals_sorted(['c', 'c', 'b'], test_sink.get_results(True))
