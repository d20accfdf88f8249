"""The README's checkpoint example runs as it is written and prints what it says."""
import pathlib
import re
import subprocess
import sys

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_checkpoint_example_runs():
    section = README.read_text(encoding="utf-8").split("## Checkpoints and recovery", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[('a', 1), ('a', 2), ('a', 3), ('b', 1), ('c', 1)]"
