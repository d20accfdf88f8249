namespace PyFlow.PyBridge.Tests;

/// <summary>Where the tests find the repository and the project's Python (made by ./dev).</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    public static string Python
    {
        get
        {
            var venv = Path.Combine(Root, ".venv", "bin", "python");
            if (!File.Exists(venv)) Assert.Fail($"no project venv at {venv}: run ./dev build (or ./dev test) first");
            return venv;
        }
    }

    public static string PythonPackageDir => Path.Combine(Root, "python");

    private static readonly Lazy<string> Library = new(() =>
    {
        var (code, output) = RunPython("-c", "from pyflow.datastream.plan import _libpython; print(_libpython())");
        Assert.That(code, Is.EqualTo(0), output);
        return output.Trim();
    });

    /// <summary>The project Python's shared libpython, which thread mode embeds.</summary>
    public static string PythonLibrary => Library.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PyFlow.sln"))) return dir.FullName;
        throw new InvalidOperationException("PyFlow.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs the project's Python with a bound; returns exit code and output.</summary>
    public static (int Code, string Output) RunPython(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PYTHONPATH"] = PythonPackageDir;
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            Assert.Fail($"python {string.Join(' ', args)} did not finish in 60 s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>Cloudpickled Python callables for tests, made by the project's Python.</summary>
internal static class Pickles
{
    public static byte[] Of(string expression)
    {
        var (code, output) = Repo.RunPython("-c",
            "import base64, sys, cloudpickle; sys.stdout.write(base64.b64encode(cloudpickle.dumps(eval(sys.argv[1]))).decode())", expression);
        Assert.That(code, Is.EqualTo(0), output);
        return Convert.FromBase64String(output.Trim());
    }
}
