"""How a ``DataStream`` shows its plan: as text (``__repr__``) and as an HTML table (``_repr_html_``).

Each row is one plan node the stream is built from, inputs before consumers: its id, kind, name,
parallelism (``default``: the job's), record type and the ids of its inputs.
"""
import html

from pyflow.datastream.plan import reachable_nodes

COLUMNS = ("id", "kind", "name", "parallelism", "type", "inputs")


def _rows(node) -> list:
    return [(str(n.id), n.kind, n.name, "default" if n.parallelism == -1 else str(n.parallelism),
             repr(n.type_info), ", ".join(str(i.id) for i in n.inputs) or "-")
            for n in reachable_nodes([node])]


def _title(stream) -> str:
    return f"{type(stream).__name__} {stream._node.name!r}"


def render_text(stream) -> str:
    """The plan up to ``stream`` as aligned text, one line per node.

    >>> from pyflow.common import Types
    >>> from pyflow.datastream import StreamExecutionEnvironment
    >>> env = StreamExecutionEnvironment.get_execution_environment()
    >>> print(render_text(env.from_collection([1, 2], Types.INT()).map(str, Types.STRING())))
    DataStream 'Map', the plan up to it:
      id  kind               name               parallelism  type            inputs
      1   source.collection  Collection Source  1            Types.INT()     -
      2   python.map         Map                default      Types.STRING()  1
    """
    rows = [COLUMNS] + _rows(stream._node)
    widths = [max(len(r[c]) for r in rows) for c in range(len(COLUMNS))]
    lines = ["  " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
    return f"{_title(stream)}, the plan up to it:\n" + "\n".join(lines)


def render_html(stream) -> str:
    """The plan up to ``stream`` as an HTML table, for notebooks.

    >>> from pyflow.common import Types
    >>> from pyflow.datastream import StreamExecutionEnvironment
    >>> env = StreamExecutionEnvironment.get_execution_environment()
    >>> print(render_html(env.from_collection(["<a>"]).name("x & y")))  # doctest: +NORMALIZE_WHITESPACE
    <table class="pyflow-plan"><caption>DataStream &#x27;x &amp; y&#x27;, the plan up to it</caption>
    <thead><tr><th>id</th><th>kind</th><th>name</th><th>parallelism</th><th>type</th><th>inputs</th></tr></thead>
    <tbody><tr><td>1</td><td>source.collection</td><td>x &amp; y</td><td>1</td><td>Types.PICKLED_BYTE_ARRAY()</td><td>-</td></tr></tbody></table>
    """
    head = "".join(f"<th>{c}</th>" for c in COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
                   for row in _rows(stream._node))
    return (f'<table class="pyflow-plan"><caption>{html.escape(_title(stream))}, the plan up to it</caption>\n'
            f"<thead><tr>{head}</tr></thead>\n<tbody>{body}</tbody></table>")
