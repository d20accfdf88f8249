"""Port of PyFlink's examples/datastream/process_json_data.py: parses JSON strings, increments the ``tel``
field, and keeps the records from China."""
import json

from pyflow.datastream import StreamExecutionEnvironment

PEOPLE = [
    (1, '{"name": "Flink", "tel": 123, "addr": {"country": "Germany", "city": "Berlin"}}'),
    (2, '{"name": "hello", "tel": 135, "addr": {"country": "China", "city": "Shanghai"}}'),
    (3, '{"name": "world", "tel": 124, "addr": {"country": "USA", "city": "NewYork"}}'),
    (4, '{"name": "PyFlink", "tel": 32, "addr": {"country": "China", "city": "Hangzhou"}}'),
]


def with_next_tel(record):
    """(id, parsed JSON with tel + 1): the parsed dict travels on as a Python object."""
    person = json.loads(record[1])
    person["tel"] += 1
    return record[0], person


def process_json_data():
    env = StreamExecutionEnvironment.get_execution_environment()
    env.from_collection(PEOPLE).map(with_next_tel).filter(lambda r: "China" in r[1]["addr"]["country"]).print()
    env.execute()


if __name__ == "__main__":
    process_json_data()
