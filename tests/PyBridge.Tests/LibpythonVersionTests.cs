using PyFlow.Engine.Api;
using PyFlow.Engine.Runtime;
using PyFlow.PyBridge;
using PyFlow.PyBridge.Operators;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Workers;

namespace PyFlow.PyBridge.Tests;

/// <summary>
/// Thread mode refuses a libpython that is not the driver's Python before embedding it. The checks
/// run on real libraries: the driver's own, the C library (not a libpython), and the other Pythons
/// this machine has (pyenv's 3.10 and 2.7), when present.
/// </summary>
public class LibpythonVersionTests
{
    private const string Libc = "/lib/x86_64-linux-gnu/libc.so.6";
    private const string Python310 = "/root/.pyenv/versions/3.10.13/lib/libpython3.10.so.1.0";
    private const string Python27 = "/root/.pyenv/versions/2.7.18/lib/libpython2.7.so.1.0";
    private static readonly PyType Long = PyType.FromName("LONG");

    [Test]
    public void TheDriversLibraryReadsAsTheDriversVersion()
    {
        var (_, output) = Repo.RunPython("-c", "import sys; print('%d.%d' % sys.version_info[:2])");
        Assert.That(LibpythonVersion.Read(Repo.PythonLibrary).ToString(), Is.EqualTo(output.Trim()));
        Assert.DoesNotThrow(() => LibpythonVersion.Check(Repo.PythonLibrary, output.Trim()));
    }

    [Test]
    public void ALibraryThatIsNotLibpythonIsRefused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => LibpythonVersion.Check(Libc, "3.11"));
        Assert.That(e!.Message, Does.Contain(Libc).And.Contain("is not a libpython"));
    }

    [Test]
    public void ADriverOnAnotherMinorVersionIsRefused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => LibpythonVersion.Check(Repo.PythonLibrary, "3.9"));
        Assert.That(e!.Message, Does.Contain("but the driver runs Python 3.9").And.Contain("python.execution-mode=process"));
    }

    [Test]
    public void Python2IsRefused()
    {
        Assume.That(File.Exists(Python27), $"{Python27} is not on this machine");
        var e = Assert.Throws<InvalidOperationException>(() => LibpythonVersion.Check(Python27, null));
        Assert.That(e!.Message, Does.Contain("is Python 2.7").And.Contain("needs Python 3.8 or newer"));
    }

    [Test]
    public void AJobEmbeddingAnotherPythonFailsNamingBothVersions()
    {
        Assume.That(File.Exists(Python310), $"{Python310} is not on this machine");
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        var wrong = new PythonInterpreter(Repo.Python, new[] { Repo.PythonPackageDir }, Python310, "3.11");
        var chain = new PythonChain("Map", Long, new[] { new WorkerStage("map", "Map", Pickles.Of("lambda x: x"), Long) });
        env.FromCollection(new[] { PyRecord.OfLong(1) })
            .Transform<PyRecord>("Map", (ctx, output) => new PythonOperator(ctx, output, chain, wrong, new PythonOptions { Mode = PythonExecutionMode.Thread }, false, Console.Error.WriteLine))
            .AddSink((_, _) => { });
        var e = Assert.ThrowsAsync<JobExecutionException>(() => env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.That(e!.ToString(), Does.Contain("is Python 3.10, but the driver runs Python 3.11"));
    }

    [Test]
    public void VersionTextsParse()
    {
        Assert.That(LibpythonVersion.Parse("3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]"), Is.EqualTo(new Version(3, 11)));
        Assert.That(LibpythonVersion.Parse("garbage"), Is.Null);
    }
}
