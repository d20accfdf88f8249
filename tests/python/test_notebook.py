"""examples/notebooks/quickstart.ipynb runs top to bottom in a real Jupyter kernel (nbclient, ipykernel from
Debian) on this venv's Python, and its outputs are what plain Python says they must be."""
import collections
import json
import os
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOTEBOOK = os.path.join(ROOT, "examples", "notebooks", "quickstart.ipynb")
KERNEL = "pyflow-test-venv"


@pytest.fixture
def venv_kernel(tmp_path, monkeypatch):
    """This venv's Python registered as a kernel the way the README tells users to (``python -m pyflow.kernel
    install``), into a temporary prefix, so the kernel imports the pyflow under test and the user's own Jupyter
    directories are not touched."""
    done = subprocess.run([sys.executable, "-m", "pyflow.kernel", "install", "--prefix", str(tmp_path), "--name",
                           KERNEL], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    spec = json.loads((tmp_path / "share" / "jupyter" / "kernels" / KERNEL / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "share" / "jupyter"))
    return KERNEL


def outputs_of(cell, output_type, name=None):
    return [o for o in cell.outputs if o.output_type == output_type and (name is None or o.get("name") == name)]


def stdout_of(cell) -> str:
    return "".join(o.text for o in outputs_of(cell, "stream", "stdout"))


def test_quickstart_notebook_runs_and_shows_the_expected_results(venv_kernel, tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, kernel_name=venv_kernel, timeout=180, startup_timeout=60,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 6
    assert code[0].outputs == []

    # The plan of the word count, as text and as an HTML table.
    shown = outputs_of(code[1], "execute_result")[0].data
    assert shown["text/plain"].splitlines()[0] == "DataStream 'Reduce', the plan up to it:"
    assert [line.split()[1] for line in shown["text/plain"].splitlines()[2:]] == [
        "source.collection", "python.flat_map", "python.map", "key_by", "python.reduce"]
    assert shown["text/html"].startswith('<table class="pyflow-plan">')

    words = collections.Counter(" ".join(["to be or not to be", "that is the question"]).split())
    assert stdout_of(code[2]) == f"{sorted(words.items())}\n"

    readings = [("a", 1, 5), ("b", 4, 1), ("a", 8, 2), ("a", 12, 7), ("b", 15, 3), ("b", 19, 4)]
    sums = collections.defaultdict(int)
    for sensor, t, value in readings:
        sums[(sensor, t - t % 10)] += value
    assert stdout_of(code[3]) == f"{sorted((sensor, v) for (sensor, _), v in sums.items())}\n"

    # The background job: its prints, its status, and the progress table updated in place to the end.
    lines = stdout_of(code[4]).splitlines()
    assert lines[0] == "status: RUNNING" and lines[-1] == "status: FINISHED | job: squares"
    assert sorted(lines[1:-1]) == sorted(str(i * i) for i in range(2000) if (i * i) % 100_000 == 0)
    tables = [o.data["text/html"] for o in outputs_of(code[4], "display_data")]
    assert len(tables) == 1, "one progress display, updated in place"
    assert "job &#x27;squares&#x27; · FINISHED" in tables[0]
    assert ("<tbody><tr><td>squares</td><td>2</td><td>0</td><td>2,000</td></tr>"
            "<tr><td>squares -&gt; Filter</td><td>2</td><td>2,000</td><td>2</td></tr>"
            "<tr><td>Print to Std. Out</td><td>1</td><td>2</td><td>0</td></tr></tbody>") in tables[0]

    assert stdout_of(code[5]) == "status: CANCELED\n"
    assert "· CANCELED ·" in outputs_of(code[5], "display_data")[0].data["text/html"]
