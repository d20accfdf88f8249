"""``DataStream.get_side_output``: a ``side_output`` plan node reading one tag of the operator before it."""
from pyflow.common.typeinfo import Types
from pyflow.datastream.output_tag import OutputTag
from pyflow.errors import PlanError

#: The plan nodes whose operators emit side outputs.
EMITTERS = ("python.process", "python.keyed_process", "python.window", "python.co_process")


def side_output_of(stream, output_tag):
    """The stream of ``output_tag``'s records from the operator of ``stream``."""
    from pyflow.datastream.data_stream import DataStream
    if not isinstance(output_tag, OutputTag):
        raise TypeError(f"get_side_output() expects an OutputTag, got {output_tag!r}")
    node = stream._node
    if node.kind not in EMITTERS:
        raise PlanError(f"get_side_output(): '{node.name}' has no side outputs; they come from process(...) with a "
                        "ProcessFunction, KeyedProcessFunction, ProcessWindowFunction, CoProcessFunction or "
                        "KeyedCoProcessFunction, or from a window with "
                        "side_output_late_data(tag). Call get_side_output on the stream that operator returns.")
    type_info = output_tag.type_info
    if node.fields.get("late_tag") == output_tag.tag_id and type_info is None:
        type_info = node.inputs[0].type_info  # late records keep the window's input type
    side = stream._env._add_node("side_output", f"Side Output '{output_tag.tag_id}'", [node],
                                 type_info or Types.PICKLED_BYTE_ARRAY(), {"tag_id": output_tag.tag_id})
    return DataStream(stream._env, side)
