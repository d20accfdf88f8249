"""Port of PyFlink's ``pyflink/datastream/tests/test_stream_execution_environment.py``
(StreamExecutionEnvironmentTests): the same calls and expected values on an environment of parallelism 2;
only the harness differs (pyflink_suite.harness, ``tmp_path`` for ``self.tempdir``), in both execution modes.

Not ported (they need Java, the Table API or a broker):
  test_add_default_kryo_serializer, test_register_type_with_kryo_serializer, test_register_type (Kryo / POJO
  registration of Java classes); test_set_runtime_mode (reads the JVM's configuration object);
  test_set_state_backend (compares Java ``MemoryStateBackend`` objects); test_get_execution_plan (skipped in
  PyFlink itself; Table API CSV source); test_execute, test_add_python_file, test_add_python_file_2 (Table API);
  test_add_custom_source (a Java SourceFunction); test_add_jars, test_add_classpaths (Kafka connector jars);
  test_register_slot_sharing_group, test_register_cached_file (read the Java StreamGraph / cached files).
"""
import datetime
import decimal

from pyflow.common import Configuration, ExecutionConfig, RestartStrategies
from pyflow.common.typeinfo import Types
from pyflow.datastream import CheckpointConfig, CheckpointingMode
from pyflink_suite.conftest import missing
from pyflink_suite.harness import assert_equals_sorted

PYTHON_DEPENDENCIES = "python dependencies: add_python_file / add_python_archive / set_python_requirements / " \
                      "set_python_executable"


def test_get_config(env):
    execution_config = env.get_config()
    assert isinstance(execution_config, ExecutionConfig)


def test_get_set_parallelism(env):
    env.set_parallelism(10)
    assert env.get_parallelism() == 10


def test_get_set_buffer_timeout(env):
    env.set_buffer_timeout(12000)
    assert env.get_buffer_timeout() == 12000


@missing("set_default_local_parallelism / get_default_local_parallelism")
def test_get_set_default_local_parallelism(env):
    env.set_default_local_parallelism(8)
    assert env.get_default_local_parallelism() == 8


def test_set_get_restart_strategy(env):
    env.set_restart_strategy(RestartStrategies.no_restart())
    assert env.get_restart_strategy() == RestartStrategies.no_restart()


def test_get_set_max_parallelism(env):
    env.set_max_parallelism(12)
    assert env.get_max_parallelism() == 12


def test_operation_chaining(env):
    assert env.is_chaining_enabled()
    env.disable_operator_chaining()
    assert not env.is_chaining_enabled()


def test_get_checkpoint_config(env):
    assert isinstance(env.get_checkpoint_config(), CheckpointConfig)


def test_get_set_checkpoint_interval(env):
    env.enable_checkpointing(30000)
    assert env.get_checkpoint_interval() == 30000


def test_get_set_checkpointing_mode(env):
    assert env.get_checkpointing_mode() == CheckpointingMode.EXACTLY_ONCE
    env.enable_checkpointing(30000, CheckpointingMode.AT_LEAST_ONCE)
    assert env.get_checkpointing_mode() == CheckpointingMode.AT_LEAST_ONCE


def test_get_state_backend(env):
    assert env.get_state_backend() is None


@missing("changelog state backend (enable_changelog_state_backend)")
def test_is_changelog_state_backend_enabled(env):
    assert env.is_changelog_state_backend_enabled() is None


@missing("changelog state backend (enable_changelog_state_backend)")
def test_enable_changelog_state_backend(env):
    env.enable_changelog_state_backend(True)
    assert env.is_changelog_state_backend_enabled()
    env.enable_changelog_state_backend(False)
    assert not env.is_changelog_state_backend_enabled()


def test_get_set_stream_time_characteristic(env):
    from pyflow.datastream import TimeCharacteristic
    assert env.get_stream_time_characteristic() == TimeCharacteristic.EventTime
    env.set_stream_time_characteristic(TimeCharacteristic.ProcessingTime)
    assert env.get_stream_time_characteristic() == TimeCharacteristic.ProcessingTime


@missing("env.configure(Configuration) and MemoryStateBackend ('state.backend: jobmanager')")
def test_configure(env):
    from pyflow.datastream import MemoryStateBackend, TimeCharacteristic
    configuration = Configuration()
    configuration.set_string('pipeline.operator-chaining', 'false')
    configuration.set_string('pipeline.time-characteristic', 'IngestionTime')
    configuration.set_string('execution.buffer-timeout', '1 min')
    configuration.set_string('execution.checkpointing.timeout', '12000')
    configuration.set_string('state.backend', 'jobmanager')
    env.configure(configuration)
    assert env.is_chaining_enabled() is False
    assert env.get_stream_time_characteristic() == TimeCharacteristic.IngestionTime
    assert env.get_buffer_timeout() == 60000
    assert env.get_checkpoint_config().get_checkpoint_timeout() == 12000
    assert isinstance(env.get_state_backend(), MemoryStateBackend)


def test_from_collection_without_data_types(env, test_sink):
    ds = env.from_collection([(1, 'Hi', 'Hello'), (2, 'Hello', 'Hi')])
    ds.add_sink(test_sink)
    env.execute("test from collection")
    results = test_sink.get_results(True)
    # without data types the collected results are tuples, as the input
    assert_equals_sorted(["(1, 'Hi', 'Hello')", "(2, 'Hello', 'Hi')"], results)


def test_from_collection_with_data_types_single_object(env, test_sink):
    """The first half of PyFlink's test_from_collection_with_data_types."""
    ds = env.from_collection(['Hi', 'Hello'], type_info=Types.STRING())
    ds.add_sink(test_sink)
    env.execute("test from collection with single object")
    assert_equals_sorted(['Hello', 'Hi'], test_sink.get_results(False))


@missing("types of branch pyflink-types: SQL_DATE / SQL_TIME / SQL_TIMESTAMP / BIG_DEC")
def test_from_collection_with_data_types(env, test_sink):
    """The second half of PyFlink's test_from_collection_with_data_types: a row of every basic type."""
    ds = env.from_collection([(1, None, 1, True, 32767, -2147483648, 1.23, 1.98932,
                               bytearray(b'flink'), 'pyflink', datetime.date(2014, 9, 13),
                               datetime.time(hour=12, minute=0, second=0, microsecond=123000),
                               datetime.datetime(2018, 3, 11, 3, 0, 0, 123000), [1, 2, 3],
                               decimal.Decimal('1000000000000000000.05'),
                               decimal.Decimal('1000000000000000000.05999999999999999899999999999')),
                              (2, None, 2, True, 43878, 9147483648, 9.87, 2.98936,
                               bytearray(b'flink'), 'pyflink', datetime.date(2015, 10, 14),
                               datetime.time(hour=11, minute=2, second=2, microsecond=234500),
                               datetime.datetime(2020, 4, 15, 8, 2, 6, 235000), [2, 4, 6],
                               decimal.Decimal('2000000000000000000.74'),
                               decimal.Decimal('2000000000000000000.06111111111111111111111111111'))],
                             type_info=Types.ROW(
                                 [Types.LONG(), Types.LONG(), Types.SHORT(), Types.BOOLEAN(), Types.SHORT(),
                                  Types.INT(), Types.FLOAT(), Types.DOUBLE(), Types.PICKLED_BYTE_ARRAY(),
                                  Types.STRING(), Types.SQL_DATE(), Types.SQL_TIME(), Types.SQL_TIMESTAMP(),
                                  Types.BASIC_ARRAY(Types.LONG()), Types.BIG_DEC(), Types.BIG_DEC()]))
    ds.add_sink(test_sink)
    env.execute("test from collection with tuple object")
    # with data types, the results are rows
    expected = [
        '+I[1, null, 1, true, 32767, -2147483648, 1.23, 1.98932, [102, 108, 105, 110, 107], '
        'pyflink, 2014-09-13, 12:00:00, 2018-03-11 03:00:00.123, [1, 2, 3], '
        '1000000000000000000.05, 1000000000000000000.05999999999999999899999999999]',
        '+I[2, null, 2, true, -21658, 557549056, 9.87, 2.98936, [102, 108, 105, 110, 107], '
        'pyflink, 2015-10-14, 11:02:02, 2020-04-15 08:02:06.235, [2, 4, 6], '
        '2000000000000000000.74, 2000000000000000000.06111111111111111111111111111]']
    assert_equals_sorted(expected, test_sink.get_results(False))


def test_read_text_file(env, test_sink, tmp_path):
    texts = ["Mike", "Marry", "Ted", "Jack", "Bob", "Henry"]
    text_file_path = str(tmp_path) + '/text_file'
    with open(text_file_path, 'a') as f:
        for text in texts:
            f.write(text)
            f.write('\n')
    ds = env.read_text_file(text_file_path)
    ds.add_sink(test_sink)
    env.execute("test read text file")
    assert_equals_sorted(texts, test_sink.get_results())


def test_execute_async(env, test_sink):
    ds = env.from_collection([(1, 'Hi', 'Hello'), (2, 'Hello', 'Hi')],
                             type_info=Types.ROW([Types.INT(), Types.STRING(), Types.STRING()]))
    ds.add_sink(test_sink)
    job_client = env.execute_async("test execute async")
    job_id = job_client.get_job_id()
    assert job_id is not None
    execution_result = job_client.get_job_execution_result().result()
    assert str(job_id) == str(execution_result.get_job_id())


@missing(PYTHON_DEPENDENCIES)
def test_set_requirements_without_cached_directory(env, test_sink, tmp_path):
    requirements_txt_path = str(tmp_path / "requirements.txt")
    with open(requirements_txt_path, 'w') as f:
        f.write("cloudpickle==1.2.2")
    env.set_python_requirements(requirements_txt_path)

    def check_requirements(i):
        import cloudpickle  # noqa
        return i

    env.from_collection([1, 2, 3, 4, 5]).map(check_requirements).add_sink(test_sink)
    env.execute("test set requirements without cache dir")
    assert_equals_sorted(['1', '2', '3', '4', '5'], test_sink.get_results(True))


@missing(PYTHON_DEPENDENCIES)
def test_set_requirements_with_cached_directory(env, test_sink, tmp_path):
    """PyFlink's test ships a base64 sdist of "python-package1"; here the cached directory holds the same
    package (a ``plus(a, b)`` module) built as a source archive by the test."""
    import tarfile
    requirements_txt_path = str(tmp_path / "requirements.txt")
    with open(requirements_txt_path, 'w') as f:
        f.write("python-package1==0.0.0")
    requirements_dir_path = tmp_path / "requirements_dir"
    src = tmp_path / "python-package1-0.0.0"
    (src / "python_package1").mkdir(parents=True)
    (src / "python_package1" / "__init__.py").write_text("def plus(a, b):\n    return a + b\n")
    (src / "setup.py").write_text("from setuptools import setup\nsetup(name='python-package1', version='0.0.0', "
                                  "packages=['python_package1'])\n")
    requirements_dir_path.mkdir()
    with tarfile.open(requirements_dir_path / "python-package1-0.0.0.tar.gz", "w:gz") as tar:
        tar.add(src, arcname=src.name)
    env.set_python_requirements(requirements_txt_path, str(requirements_dir_path))

    def add_one(i):
        from python_package1 import plus
        return plus(i, 1)

    env.from_collection([1, 2, 3, 4, 5]).map(add_one).add_sink(test_sink)
    env.execute("test set requirements with cachd dir")
    assert_equals_sorted(['2', '3', '4', '5', '6'], test_sink.get_results(True))


@missing(PYTHON_DEPENDENCIES)
def test_add_python_archive(env, test_sink, tmp_path):
    import shutil
    archive_dir_path = tmp_path / "archive"
    archive_dir_path.mkdir()
    (archive_dir_path / "data.txt").write_text("2")
    archive_file_path = shutil.make_archive(str(tmp_path / "archive_zip"), 'zip', str(archive_dir_path))
    env.add_python_archive(archive_file_path, "data")

    def add_from_file(i):
        with open("data/data.txt", 'r') as f:
            return i + int(f.read())

    env.from_collection([1, 2, 3, 4, 5]).map(add_from_file).add_sink(test_sink)
    env.execute("test set python archive")
    assert_equals_sorted(['3', '4', '5', '6', '7'], test_sink.get_results(True))


@missing(PYTHON_DEPENDENCIES)
def test_set_stream_env(env, test_sink):
    import sys
    python_exec_link_path = sys.executable
    env.set_python_executable(python_exec_link_path)

    def check_python_exec(i):
        import os
        assert os.environ["python"] == python_exec_link_path
        return i

    env.from_collection([1, 2, 3, 4, 5]).map(check_python_exec).add_sink(test_sink)
    env.execute("test set python executable")
    assert_equals_sorted(['1', '2', '3', '4', '5'], test_sink.get_results(True))


@missing(PYTHON_DEPENDENCIES)
def test_generate_stream_graph_with_dependencies(env, test_sink, tmp_path):
    """PyFlink's test also reads the dependencies back from the JVM's PythonConfigUtil; that part is not ported."""
    import shutil
    python_file_path = tmp_path / "test_stream_dependency_manage_lib.py"
    python_file_path.write_text("def add_two(a):\n    return a + 2")
    env.add_python_file(str(python_file_path))

    def plus_two_map(value):
        from test_stream_dependency_manage_lib import add_two
        return value[0], add_two(value[1])

    def add_from_file(i):
        with open("data/data.txt", 'r') as f:
            return i[0], i[1] + int(f.read())

    from_collection_source = env.from_collection([('a', 0), ('b', 0), ('c', 1), ('d', 1), ('e', 2)],
                                                 type_info=Types.ROW([Types.STRING(), Types.INT()]))
    from_collection_source.name("From Collection")
    keyed_stream = from_collection_source.key_by(lambda x: x[1], key_type=Types.INT())
    plus_two_map_stream = keyed_stream.map(plus_two_map).name("Plus Two Map").set_parallelism(3)
    add_from_file_map = plus_two_map_stream.map(add_from_file).name("Add From File Map")
    test_stream_sink = add_from_file_map.add_sink(test_sink).name("Test Sink")
    test_stream_sink.set_parallelism(4)

    archive_dir_path = tmp_path / "archive"
    archive_dir_path.mkdir()
    (archive_dir_path / "data.txt").write_text("3")
    archive_file_path = shutil.make_archive(str(tmp_path / "archive_zip"), 'zip', str(archive_dir_path))
    env.add_python_archive(archive_file_path, "data")

    nodes = eval(env.get_execution_plan())['nodes']
    # Source: From Collection -> _stream_key_by_map_operator -> Plus Two Map -> Add From File Map -> Sink: Test Sink
    assert nodes[0]['parallelism'] == nodes[1]['parallelism']
    assert nodes[2]['parallelism'] == 3
    assert nodes[1]['predecessors'][0]['ship_strategy'] == "FORWARD"
    assert nodes[2]['predecessors'][0]['ship_strategy'] == "HASH"
    assert nodes[4]['parallelism'] == 4
