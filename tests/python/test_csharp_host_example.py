"""examples/csharp-host: a C# program hosting a Python (numpy) model, run as the README says, in both modes."""
import glob
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "csharp-host")
DLL = os.path.join(EXAMPLE, "bin", "Release", "net10.0", "PyFlow.Examples.CSharpHost.dll")


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_the_csharp_host_example_alerts_on_exactly_the_planted_accounts(tmp_path, mode):
    assert os.path.exists(DLL), "the example is built by ./dev build (it is in PyFlow.sln)"
    out_dir = tmp_path / "alerts"
    run = subprocess.run(["dotnet", DLL, os.path.join(EXAMPLE, "payments.csv"), str(out_dir), mode, sys.executable],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    printed = sorted(line.split("> ", 1)[1] for line in run.stdout.splitlines() if "ALERT" in line)
    written = sorted(line for f in glob.glob(str(out_dir / "part-*")) for line in open(f).read().splitlines())
    assert printed == written and written  # the file sink and print agree; no in-progress files remain
    assert not glob.glob(str(out_dir / ".*inprogress*"))
    # The sample plants two suspicious accounts: acct-07 (large payments at night), acct-13 (a burst of huge ones).
    assert {line.split()[1] for line in written} == {"account=acct-07", "account=acct-13"}
