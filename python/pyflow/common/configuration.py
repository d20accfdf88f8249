"""``Configuration``: string options with PyFlink's names, as ``pyflink.common.Configuration``."""
from pyflow.errors import PlanError

__all__ = ["Configuration"]

_TRUE, _FALSE = "true", "false"


class Configuration:
    """A map of option name to string value, with typed getters and setters.

    Values are stored as strings (as Flink does), so the plan carries them as ``{str: str}``.

    >>> config = Configuration().set_integer("python.fn-execution.bundle.size", 1000)
    >>> config.get_integer("python.fn-execution.bundle.size", 0)
    1000
    >>> config.to_dict()
    {'python.fn-execution.bundle.size': '1000'}
    """

    def __init__(self, other_config: "Configuration | None" = None):
        if other_config is not None and not isinstance(other_config, Configuration):
            raise TypeError(f"Configuration(other_config) expects a Configuration, got {type(other_config).__name__}")
        self._data = dict(other_config._data) if other_config is not None else {}

    @staticmethod
    def _key(key):
        if not isinstance(key, str) or not key:
            raise TypeError(f"a configuration key must be a non-empty str, got {key!r}")
        return key

    def set_string(self, key: str, value: str) -> "Configuration":
        """Sets ``key`` to the string ``value``; returns self."""
        if not isinstance(value, str):
            raise TypeError(f"Configuration.set_string({key!r}, ...) expects a str value, got {type(value).__name__}; "
                            "use set_integer or set_boolean for other types")
        self._data[self._key(key)] = value
        return self

    def get_string(self, key: str, default_value: "str | None" = None) -> "str | None":
        """The value of ``key``, or ``default_value`` when unset."""
        return self._data.get(self._key(key), default_value)

    def set_integer(self, key: str, value: int) -> "Configuration":
        """Sets ``key`` to an int (stored as its decimal text); returns self."""
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"Configuration.set_integer({key!r}, ...) expects an int, got {type(value).__name__}")
        self._data[self._key(key)] = str(value)
        return self

    def get_integer(self, key: str, default_value: int = 0) -> int:
        """The value of ``key`` as an int, or ``default_value`` when unset. A non-integer value is an error."""
        text = self._data.get(self._key(key))
        if text is None:
            return default_value
        try:
            return int(text.strip())
        except ValueError:
            raise PlanError(f"configuration option {key!r} must be an integer, but is {text!r}") from None

    def set_boolean(self, key: str, value: bool) -> "Configuration":
        """Sets ``key`` to ``"true"`` or ``"false"``; returns self."""
        if not isinstance(value, bool):
            raise TypeError(f"Configuration.set_boolean({key!r}, ...) expects a bool, got {type(value).__name__}")
        self._data[self._key(key)] = _TRUE if value else _FALSE
        return self

    def get_boolean(self, key: str, default_value: bool = False) -> bool:
        """The value of ``key`` as a bool (``true``/``false``, any case), or ``default_value`` when unset."""
        text = self._data.get(self._key(key))
        if text is None:
            return default_value
        lowered = text.strip().lower()
        if lowered not in (_TRUE, _FALSE):
            raise PlanError(f"configuration option {key!r} must be 'true' or 'false', but is {text!r}")
        return lowered == _TRUE

    def contains_key(self, key: str) -> bool:
        """Whether ``key`` is set."""
        return self._key(key) in self._data

    def keys(self) -> set:
        """The set option names."""
        return set(self._data)

    def remove_config(self, key: str) -> bool:
        """Unsets ``key``; returns whether it was set."""
        return self._data.pop(self._key(key), None) is not None

    def to_dict(self) -> dict:
        """A copy of the options as ``{str: str}``."""
        return dict(self._data)

    def __eq__(self, other):
        return isinstance(other, Configuration) and self._data == other._data

    def __repr__(self):
        return f"Configuration({self._data!r})"


from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
