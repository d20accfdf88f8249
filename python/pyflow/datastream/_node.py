"""``Node``: one transformation of the logical plan, as added by the API (before it becomes a PLAN map)."""
from pyflow.common.typeinfo import TypeInformation

DEFAULT_PARALLELISM = -1  # the job's parallelism (PLAN "parallelism")


class Node:
    """A plan node: ``kind`` and kind-specific ``fields`` as in docs/ARCHITECTURE.md, inputs as Node objects.

    ``id`` is unique within its environment and grows with creation, so every node's inputs have smaller ids.
    ``sink_identifier`` is driver-only (the print prefix) and never sent.
    """

    __slots__ = ("id", "kind", "name", "parallelism", "inputs", "type_info", "fields", "uid", "sink_identifier")

    def __init__(self, node_id: int, kind: str, name: str, inputs: list, type_info: TypeInformation,
                 fields: "dict | None" = None, parallelism: int = DEFAULT_PARALLELISM):
        self.id = node_id
        self.kind = kind
        self.name = name
        self.parallelism = parallelism
        self.inputs = inputs
        self.type_info = type_info
        self.fields = fields or {}
        self.uid = None
        self.sink_identifier = None

    @property
    def is_sink(self) -> bool:
        return self.kind.startswith("sink.")

    def to_plan(self) -> dict:
        """The NODE map (without ``sink_id``, which the plan assigns per execution)."""
        node = {"id": self.id, "kind": self.kind, "name": self.name, "parallelism": self.parallelism,
                "inputs": [i.id for i in self.inputs], "type": self.type_info._to_spec()}
        node.update(self.fields)
        return node

    def __repr__(self):
        return f"Node({self.id}, {self.kind!r}, {self.name!r})"
