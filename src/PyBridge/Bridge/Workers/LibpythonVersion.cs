using System.Runtime.InteropServices;

namespace PyFlow.PyBridge.Workers;

/// <summary>
/// The version of a libpython, read before embedding it: <c>Py_GetVersion</c> is safe to call on an
/// interpreter that was never initialized. A library that is not libpython, is Python 2, or is
/// another minor version than the driver's is refused with a message that says which and what to do;
/// pickled functions from the driver would not load in another minor version.
/// </summary>
internal static class LibpythonVersion
{
    /// <summary>The oldest Python PyFlow embeds.</summary>
    public static readonly Version Oldest = new(3, 8);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GetVersion();

    /// <summary>The major.minor version of <paramref name="library"/>.</summary>
    public static Version Read(string library)
    {
        if (!NativeLibrary.TryLoad(library, out var handle))
            throw new InvalidOperationException($"'{library}' could not be loaded as a shared library; point python.library (or the C# host's interpreter) at the driver's libpython3.x.so");
        try
        {
            if (!NativeLibrary.TryGetExport(handle, "Py_GetVersion", out var export))
                throw new InvalidOperationException($"'{library}' is not a libpython (it has no Py_GetVersion); point it at the driver's libpython3.x.so");
            var text = Marshal.PtrToStringUTF8(Marshal.GetDelegateForFunctionPointer<GetVersion>(export)()) ?? "";
            return Parse(text) ?? throw new InvalidOperationException($"'{library}' reports an unreadable Python version '{text}'");
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }

    /// <summary>"3.11.2 (main, ...)" as 3.11; null when the text does not start with a version.</summary>
    public static Version? Parse(string text)
    {
        var parts = text.Split(' ', 2)[0].Split('.');
        return parts.Length >= 2 && int.TryParse(parts[0], out var major) && int.TryParse(parts[1], out var minor)
            ? new Version(major, minor)
            : null;
    }

    /// <summary>Refuses <paramref name="library"/> unless it is Python 3.8+ and, when <paramref name="expected"/> ("3.11") is given, that version.</summary>
    public static Version Check(string library, string? expected)
    {
        var actual = Read(library);
        CheckAgainst(library, actual, expected);
        return actual;
    }

    /// <summary>Refuses <paramref name="actual"/>, the version of <paramref name="library"/>, as <see cref="Check"/> does.</summary>
    public static void CheckAgainst(string library, Version actual, string? expected)
    {
        if (actual < Oldest)
            throw new InvalidOperationException($"'{library}' is Python {actual}; thread mode needs Python {Oldest} or newer. Run the driver on Python 3 with its shared libpython, or use python.execution-mode=process");
        if (expected == null) return;
        var wanted = Parse(expected) ?? throw new ArgumentException($"the driver's Python version '{expected}' is not major.minor");
        if (actual.Major != wanted.Major || actual.Minor != wanted.Minor)
            throw new InvalidOperationException($"'{library}' is Python {actual}, but the driver runs Python {wanted}: functions pickled by one do not load in the other. Point python.library at the driver's own libpython{wanted} (Debian: libpython{wanted}), or use python.execution-mode=process");
    }
}
