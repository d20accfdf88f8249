using Python.Runtime;

namespace PyFlow.PyBridge.Workers;

/// <summary>
/// The one CPython interpreter of this process (thread mode), loaded from the driver's libpython so
/// workers and driver run the same Python. Initialized once, on first use, then the GIL is released
/// (<see cref="PythonEngine.BeginAllowThreads"/>) so every subtask thread can take it per batch.
/// </summary>
internal static class EmbeddedPython
{
    private static readonly object Lock = new();
    private static string? _library;
    private static Version? _version;
    private static int _abandonedCalls;

    /// <summary>Whether a call was left running when its job ended (a function sleeping or blocked in native code
    /// ignores the interrupt). Finalizing Python at exit would wait for it forever, so the host then exits without.</summary>
    public static bool HasAbandonedCalls => Volatile.Read(ref _abandonedCalls) > 0;

    /// <summary>Counts a call its runner gave up waiting for.</summary>
    public static void Abandoned() => Interlocked.Increment(ref _abandonedCalls);

    /// <summary>Loads the interpreter if it is not loaded yet; the same library must be asked for every time.</summary>
    public static void Ensure(PythonInterpreter python)
    {
        lock (Lock)
        {
            var library = python.Library ?? throw new InvalidOperationException(
                "thread mode needs the driver's libpython, and the plan names none; use python.execution-mode=process, or a Python built with a shared libpython");
            if (_library == library)
            {
                LibpythonVersion.CheckAgainst(library, _version!, python.Version);
                AddPath(python.Path); // a later job or host may bring more directories
                return;
            }
            if (!File.Exists(library))
                throw new FileNotFoundException($"thread mode needs libpython at '{library}', which does not exist; install the shared library (Debian: libpython3.11) or use python.execution-mode=process", library);
            var version = LibpythonVersion.Check(library, python.Version);
            if (_library != null)
                throw new InvalidOperationException($"this engine host already embeds {_library}; a job cannot embed another Python ({library})");
            Runtime.PythonDLL = library;
            PythonEngine.ProgramName = python.Executable;
            try
            {
                PythonEngine.Initialize();
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"could not start the embedded Python from '{library}' ({e.GetType().Name}: {e.Message}); check that it matches the driver's interpreter", e);
            }
            PythonEngine.BeginAllowThreads();
            AddPath(python.Path);
            using (Py.GIL())
            {
                using var embedded = Py.Import("pyflow.worker.embedded");
                using var path = new PyList(python.Path.Select(p => (PyObject)new PyString(p)).ToArray());
                embedded.InvokeMethod("prepare", path).Dispose();
            }
            _library = library;
            _version = version;
        }
    }

    /// <summary>Puts the directories not yet on sys.path in front of it, so the driver's (or host's) modules import first.</summary>
    private static void AddPath(IReadOnlyList<string> path)
    {
        using (Py.GIL())
        {
            using var sys = Py.Import("sys");
            using var sysPath = sys.GetAttr("path");
            foreach (var p in path.Reverse())
            {
                using var entry = new PyString(p);
                using var present = sysPath.InvokeMethod("__contains__", entry);
                if (present.IsTrue()) continue;
                using var zero = new PyInt(0);
                sysPath.InvokeMethod("insert", zero, entry).Dispose();
            }
        }
    }
}
