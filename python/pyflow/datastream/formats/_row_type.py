"""The check the row schemas share: their type must be a row of scalar fields, named as the engine reads them."""
from pyflow.common.typeinfo import TypeInformation

_SCALARS = ("BOOLEAN", "BYTE", "SHORT", "INT", "LONG", "BIG_INT", "FLOAT", "DOUBLE", "STRING")


def check_row_type(type_info, schema: str):
    """``type_info`` if it is a ROW / ROW_NAMED of the scalar types the engine's row formats support."""
    if not isinstance(type_info, TypeInformation):
        raise TypeError(f"{schema}: type_info must be a TypeInformation such as Types.ROW_NAMED([...], [...]), "
                        f"got {type_info!r}")
    spec = type_info._to_spec()
    if spec["name"] not in ("ROW", "ROW_NAMED"):
        raise TypeError(f"{schema} reads and writes rows: give Types.ROW_NAMED([...], [...]), not {type_info!r}")
    names = spec.get("names") or [f"f{i}" for i in range(len(spec["fields"]))]
    for name, field in zip(names, spec["fields"]):
        if field["name"] not in _SCALARS:
            raise TypeError(f"{schema}: field '{name}' is {field['name']}; the row formats support "
                            f"{', '.join(_SCALARS)}")
    return type_info
