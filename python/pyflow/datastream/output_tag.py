"""``OutputTag``: names a side output, as PyFlink's ``pyflink.datastream.OutputTag``.

A process function (``ProcessFunction``, ``KeyedProcessFunction``, ``ProcessWindowFunction``) sends a
record to a side output either PyFlink's way, by yielding ``(tag, value)``, or Flink's Java way, with
``ctx.output(tag, value)``. ``stream.get_side_output(tag)`` is the stream of those records, of the
tag's ``type_info`` (pickled Python objects when it has none). As in Flink, records sent to a tag
that nothing reads with ``get_side_output`` are dropped.

>>> from pyflow.common import Types
>>> late = OutputTag("late", Types.STRING())
>>> late.tag_id, late.type_info
('late', Types.STRING())
"""
from pyflow.common.typeinfo import TypeInformation

__all__ = ["OutputTag"]


class OutputTag:
    """The name (``tag_id``) and record type (``type_info``) of one side output."""

    def __init__(self, tag_id: str, type_info: "TypeInformation | None" = None):
        if not isinstance(tag_id, str) or not tag_id:
            raise ValueError(f"OutputTag needs a non-empty str tag_id, got {tag_id!r}")
        if type_info is not None and not isinstance(type_info, TypeInformation):
            raise TypeError(f"OutputTag({tag_id!r}): type_info must be a TypeInformation such as Types.STRING(), "
                            f"got {type_info!r}")
        self.tag_id = tag_id
        self.type_info = type_info

    def _type_spec(self) -> dict:
        """The TYPE map its records travel as: the declared type, or pickled Python objects."""
        return self.type_info._to_spec() if self.type_info is not None else {"name": "PICKLED_BYTE_ARRAY"}

    def __eq__(self, other):
        return isinstance(other, OutputTag) and (self.tag_id, self.type_info) == (other.tag_id, other.type_info)

    def __hash__(self):
        return hash(self.tag_id)

    def __repr__(self):
        return f"OutputTag({self.tag_id!r}, {self.type_info!r})"
