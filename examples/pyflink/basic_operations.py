"""Port of PyFlink's examples/datastream/basic_operations.py: map, filter, and key_by + reduce over records
with an ``id`` and a JSON ``info`` field, each shown by running a job that prints it.

Adapted: PyFlink declares the records ``Types.ROW_NAMED(["id", "info"], [Types.INT(), Types.STRING()])``;
PyFlow has no ROW types yet, so the source holds ``Row(id=..., info=...)`` values that travel pickled (no
``type_info``). Field access by name (``data.info``) works as in PyFlink.
"""
import json

from pyflow.common import Row
from pyflow.datastream import StreamExecutionEnvironment

PEOPLE = [
    Row(id=1, info='{"name": "Flink", "tel": 123, "addr": {"country": "Germany", "city": "Berlin"}}'),
    Row(id=2, info='{"name": "hello", "tel": 135, "addr": {"country": "China", "city": "Shanghai"}}'),
    Row(id=3, info='{"name": "world", "tel": 124, "addr": {"country": "USA", "city": "NewYork"}}'),
    Row(id=4, info='{"name": "PyFlink", "tel": 32, "addr": {"country": "China", "city": "Hangzhou"}}'),
]


def show(ds, env):
    ds.print()
    env.execute()


def update_tel(data):
    """(id, the JSON text with tel + 1)."""
    info = json.loads(data.info)
    info["tel"] += 1
    return data.id, json.dumps(info)


def basic_operations():
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    ds = env.from_collection(PEOPLE)

    show(ds.map(update_tel), env)                                        # map
    show(ds.filter(lambda data: data.id == 1).map(update_tel), env)      # filter
    country_tel = ds.map(lambda data: (json.loads(data.info)["addr"]["country"], json.loads(data.info)["tel"]))
    show(country_tel.key_by(lambda data: data[0]).reduce(lambda a, b: (a[0], a[1] + b[1])), env)  # key_by


if __name__ == "__main__":
    basic_operations()
