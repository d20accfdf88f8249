"""The state descriptors a keyed process function declares, checked against those of the checkpoint its job was
restored from. The engine records every declared descriptor (name, kind, declared type) in the checkpoint and
hands them back in the stage spec of OPEN (``restored_states``), so a job that declares a restored name with
another kind or type is refused where it declares it, naming both, instead of failing later on old values."""
import json


def describe(descriptor) -> list:
    """``[name, kind, type]`` of a ``StateDescriptor``, as the engine records it."""
    return [descriptor.name, getattr(descriptor, "kind", None), _type_text(getattr(descriptor, "type_info", None))]


def _type_text(type_info) -> str:
    if type_info is None:
        return "unspecified"
    if isinstance(type_info, tuple):  # a MapStateDescriptor's (key type, value type)
        return ", ".join(_type_text(t) for t in type_info)
    to_spec = getattr(type_info, "_to_spec", None)
    if to_spec is None:
        return repr(type_info)
    spec = to_spec()
    return spec["name"] if len(spec) == 1 else json.dumps(spec, sort_keys=True)


class DeclaredStates:
    """The descriptors of one keyed process subtask: those restored, those declared, those not yet reported."""

    def __init__(self, restored):
        self._restored = {entry[0]: list(entry) for entry in (restored or [])}
        self._declared = {}
        self._unreported = []

    def declare(self, descriptor) -> None:
        """Records ``descriptor``; refuses it when the checkpoint holds its name with another kind or type."""
        info = describe(descriptor)
        name = info[0]
        if name in self._declared:
            return
        old = self._restored.get(name)
        if old is not None and old != info:
            raise ValueError(f"state '{name}' is declared as {info[1]}<{info[2]}> by this job, but the checkpoint it "
                             f"was restored from holds '{name}' as {old[1]}<{old[2]}>: a restored state keeps its kind "
                             "and type. Give the new state another name, or start the job without the checkpoint")
        self._declared[name] = info
        self._unreported.append(info)

    def take_unreported(self) -> list:
        """The descriptors declared since the last call (for the engine, in the next KEYED_RESULT trailer)."""
        out, self._unreported = self._unreported, []
        return out
