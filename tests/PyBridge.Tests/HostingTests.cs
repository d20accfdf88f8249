using PyFlow.Engine.Api;
using PyFlow.PyBridge.Hosting;
using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Workers;

namespace PyFlow.PyBridge.Tests;

/// <summary>A C# pipeline hosting Python functions given as source, module reference or pickle, in both modes.</summary>
public class HostingTests
{
    private static PythonHost Host(PythonExecutionMode mode, params string[] extraPath) =>
        PythonHost.Detect(mode, Repo.Python, extraPath.Append(Repo.PythonPackageDir));

    private static async Task<List<T>> Collect<T>(DataStream<T> stream)
    {
        var results = new List<T>();
        await foreach (var r in stream.ExecuteAndCollectAsync()) results.Add(r);
        return results;
    }

    private static readonly PyType Long = PyType.FromName("LONG");
    private static readonly PyType Double = PyType.FromName("DOUBLE");
    private static readonly PyType Text = PyType.FromName("STRING");

    [TestCase(PythonExecutionMode.Process)]
    [TestCase(PythonExecutionMode.Thread)]
    public async Task AFunctionFromSourceTextRunsPerRecordAndVectorized(PythonExecutionMode mode)
    {
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        var host = Host(mode);
        var perRecord = PythonFunction.FromSource("def triple(x):\n    return x * 3\n", "triple");
        var vectorized = PythonFunction.FromSource("import numpy as np\ndef root(s):\n    return np.sqrt(s)\n", "root");
        var input = env.FromCollection(Enumerable.Range(0, 2000).Select(i => (long)i));
        var tripled = input.MapPython(host, perRecord, Long, Long, x => x, o => (long)o!);
        var roots = tripled.MapPython(host, vectorized, Long, Double, x => x, o => (double)o!, vectorized: true);
        var results = await Collect(roots);
        Assert.That(results.Order(), Is.EqualTo(Enumerable.Range(0, 2000).Select(i => Math.Sqrt(i * 3L)).Order()));
    }

    [TestCase(PythonExecutionMode.Process)]
    [TestCase(PythonExecutionMode.Thread)]
    public async Task AFunctionFromAModuleOnTheHostsPathAndAPickledOne(PythonExecutionMode mode)
    {
        var dir = Directory.CreateTempSubdirectory("pyflow-host-");
        try
        {
            var module = $"greeter_{mode.ToString().ToLowerInvariant()}";
            File.WriteAllText(Path.Combine(dir.FullName, module + ".py"), "def greet(name):\n    return 'hello ' + name\n");
            var env = new StreamExecutionEnvironment { Parallelism = 1 };
            var host = Host(mode, dir.FullName);
            var greeted = env.FromCollection(new[] { "ann", "bob" })
                .MapPython(host, PythonFunction.FromModule($"{module}:greet"), Text, Text, s => s, o => (string)o!)
                .MapPython(host, PythonFunction.FromPickle(Pickles.Of("lambda s: s.upper()")), Text, Text, s => s, o => (string)o!);
            Assert.That(await Collect(greeted), Is.EqualTo(new[] { "HELLO ANN", "HELLO BOB" }));
        }
        finally { dir.Delete(true); }
    }

    [Test]
    public void AReferenceThatIsNotModuleColonFunctionIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => PythonFunction.FromModule("just_a_module"));
        Assert.That(e!.Message, Does.Contain("module:function"));
    }

    [Test]
    public void AnInterpreterThatDoesNotExistIsAClearError()
    {
        var e = Assert.Throws<FileNotFoundException>(() => PythonHost.Detect(PythonExecutionMode.Process, "/nonexistent/python3"));
        Assert.That(e!.Message, Does.Contain("/nonexistent/python3"));
    }

    [Test]
    public void APythonWithoutThePyflowPackageIsRefusedUpFrontNamingIt()
    {
        const string debianPython = "/usr/bin/python3"; // has numpy (Debian's packages) but never pyflow (that is in .venv)
        Assume.That(File.Exists(debianPython), Is.True, "needs Debian's python3");
        var e = Assert.Throws<InvalidOperationException>(() => PythonHost.Detect(PythonExecutionMode.Process, debianPython));
        Assert.That(e!.Message, Does.Contain("cannot import pyflow").And.Contain(debianPython).And.Contain("pip install"));
    }

    [Test]
    public void AVectorizedFunctionOnAPythonWithoutPandasIsRefusedNamingPandas()
    {
        // A real interpreter that has pyflow and numpy but no pandas: a bare venv, plus numpy alone through the path.
        var dir = Directory.CreateTempSubdirectory("pyflow-nopandas-");
        try
        {
            var (code, output) = Repo.RunPython("-c", "import venv, sys; venv.create(sys.argv[1], with_pip=False)", Path.Combine(dir.FullName, "venv"));
            Assert.That(code, Is.EqualTo(0), output);
            var (_, numpyDir) = Repo.RunPython("-c", "import numpy, os; print(os.path.dirname(numpy.__file__))");
            var only = Directory.CreateDirectory(Path.Combine(dir.FullName, "only-numpy"));
            File.CreateSymbolicLink(Path.Combine(only.FullName, "numpy"), numpyDir.Trim());
            var host = PythonHost.Detect(PythonExecutionMode.Process, Path.Combine(dir.FullName, "venv", "bin", "python"),
                new[] { only.FullName, Repo.PythonPackageDir });
            Assert.That(host.HasPandas, Is.False);
            var env = new StreamExecutionEnvironment();
            var type = PyType.FromName("DOUBLE");
            var e = Assert.Throws<InvalidOperationException>(() => env.FromCollection(new[] { 1.0 })
                .MapPython(host, PythonFunction.FromSource("def f(s):\n    return s\n", "f"), type, type, x => x, o => (double)o!,
                    vectorized: true, name: "Scale"));
            Assert.That(e!.Message, Does.Contain("'Scale' is vectorized").And.Contain("cannot import pandas"));
            Assert.That(Host(PythonExecutionMode.Process).HasPandas, Is.True, "the project's Python has pandas");
        }
        finally { dir.Delete(true); }
    }
}
