"""``DiscardingSink``: a PyFlow extension, named after Flink's Java ``DiscardingSink`` (PyFlink has none).
It drops every record inside the engine, so a job's cost can be measured without shipping results to the
driver. Use it with ``DataStream.sink_to(DiscardingSink())``."""

__all__ = ["DiscardingSink"]


class DiscardingSink:
    """A sink that drops every record in the engine, as Flink's ``DiscardingSink`` (a PyFlow extension: PyFlink
    does not expose it). Records reach it, and are counted in the job's progress (``records_in``), but are not
    decoded, written or sent anywhere::

        ds.map(f, output_type=Types.LONG()).sink_to(DiscardingSink())
        env.execute()

    >>> DiscardingSink()._fields()
    {}
    """

    def _fields(self) -> dict:
        return {}

    def __repr__(self) -> str:
        return "DiscardingSink()"
