"""`dotnet pack` gives the two NuGet packages a C# program needs, with real metadata, and a separate C#
project builds against them and runs the package README's program (a C# pipeline with a Python function).

The consumer restores PyFlow.* from the freshly packed folder; their 0.1.0 copies are removed from the
NuGet global cache first, since NuGet never looks again at a version it has cached.
"""
import pathlib
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGES = {"PyFlow.Engine": ROOT / "src" / "Engine" / "PyFlow.Engine.csproj",
            "PyFlow.PyBridge": ROOT / "src" / "PyBridge" / "Bridge" / "PyFlow.PyBridge.csproj"}
VERSION = "0.1.0"
README = ROOT / "docs" / "nuget" / "README.md"


def _dotnet(*args, cwd=ROOT, timeout=600):
    done = subprocess.run(["dotnet", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"dotnet {' '.join(args)} failed:\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def packed(tmp_path_factory):
    if shutil.which("dotnet") is None:
        pytest.skip("needs the .NET SDK")
    out = tmp_path_factory.mktemp("nupkgs")
    for project in PACKAGES.values():
        _dotnet("pack", str(project), "-c", "Release", "--nologo", "-v", "quiet", "-o", str(out))
    return out


def _nuspec(nupkg):
    with zipfile.ZipFile(nupkg) as z:
        name = next(n for n in z.namelist() if n.endswith(".nuspec"))
        return z.read(name).decode("utf-8"), set(z.namelist())


@pytest.mark.timeout(600)
def test_each_package_has_a_real_version_description_readme_and_license(packed):
    for package_id in PACKAGES:
        nupkg = packed / f"{package_id}.{VERSION}.nupkg"
        assert nupkg.exists(), sorted(p.name for p in packed.iterdir())
        spec, files = _nuspec(nupkg)
        assert f"<id>{package_id}</id>" in spec and f"<version>{VERSION}</version>" in spec
        description = re.search(r"<description>(.*?)</description>", spec, re.S).group(1)
        assert len(description) > 80 and description != "Package Description", description
        assert '<license type="expression">Apache-2.0</license>' in spec
        assert "<readme>README.md</readme>" in spec and "README.md" in files and "LICENSE" in files
        assert f"lib/net10.0/{package_id}.dll" in files and f"lib/net10.0/{package_id}.xml" in files
    bridge_spec, _ = _nuspec(packed / f"PyFlow.PyBridge.{VERSION}.nupkg")
    assert re.search(r'<dependency id="PyFlow.Engine" version="\[?0\.1\.0', bridge_spec), bridge_spec


@pytest.mark.timeout(900)
def test_a_separate_project_builds_against_the_packages_and_runs_the_readme_program(packed, tmp_path):
    global_packages = pathlib.Path(re.search(r"global-packages: (.*)", _dotnet("nuget", "locals", "global-packages",
                                                                                "--list")).group(1).strip())
    for package_id in PACKAGES:
        shutil.rmtree(global_packages / package_id.lower() / VERSION, ignore_errors=True)
    project = tmp_path / "MyJob"
    project.mkdir()
    (project / "MyJob.csproj").write_text(f"""<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
  <ItemGroup><PackageReference Include="PyFlow.PyBridge" Version="{VERSION}" /></ItemGroup>
</Project>
""")
    (project / "nuget.config").write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources>
  <add key="pyflow-local" value="{packed}" />
</packageSources></configuration>
""")
    program = re.search(r"```csharp\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    (project / "Program.cs").write_text(program)
    _dotnet("build", "-c", "Release", "--nologo", "-v", "quiet", cwd=project)
    done = subprocess.run(["dotnet", "run", "-c", "Release", "--no-build", "--", sys.executable], cwd=project,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    words = "to be or not to be that is the question".upper().split()
    expected = [f"{w} {n}" for w, n in sorted(Counter(words).items())]
    assert done.stdout.splitlines() == expected
