namespace PyFlow.Engine.Sources;

/// <summary>
/// A bounded source over the lines of one file or of every file of a directory (Flink's
/// <c>FileSource</c> with a line format, <c>readTextFile</c>), each line turned into a record by a
/// parser. <c>ReadTextFile</c>, <c>ReadCsvFile</c> and <c>ReadJsonLines</c> are built on it.
/// </summary>
/// <remarks>
/// <para>Lines are read as UTF-8 (a byte order mark is skipped) and streamed, never loaded whole;
/// they end at <c>\n</c>, <c>\r\n</c> or <c>\r</c>, as Java's <c>readLine</c> in Flink's
/// <c>TextLineInputFormat</c>, and carry no terminator.</para>
/// <para>A directory is read without descending into subdirectories; its files are taken in
/// ordinal order of their names, skipping hidden ones whose name starts with <c>.</c> or
/// <c>_</c> (Flink's <c>DefaultFileFilter</c>; the file sink's in-progress files are hidden so).
/// Files are the unit of parallelism: subtask i of p reads files i, i + p, i + 2p, ... of that
/// order, so subtasks beyond the number of files read nothing.</para>
/// <para>A parser that throws makes the line a bad line, handled by the
/// <see cref="ParseErrorPolicy"/>: the job fails, or the line goes to a side output.</para>
/// </remarks>
public sealed class FileLineSource<T> : ISource<T>
{
    private readonly string _path;
    private readonly Func<string, T> _parse;
    private readonly ParseErrorPolicy _onError;
    private readonly int _headerLines;
    private readonly Func<string, bool>? _skip;
    private readonly LineReadOptions _lineOptions;

    /// <param name="path">A file, or a directory whose files are all read.</param>
    /// <param name="parse">Turns a line into a record; an exception makes it a bad line. Called on the subtask's thread.</param>
    /// <param name="onError">What a bad line does; <see cref="ParseErrorPolicy.Fail"/> when null.</param>
    /// <param name="headerLines">Lines skipped at the start of every file (a CSV header, say).</param>
    /// <param name="skip">Lines for which it returns true are not records (blank lines, say); null keeps every line.</param>
    /// <param name="lineOptions">Invalid UTF-8 and the longest line; <see cref="LineReadOptions.Default"/> when null.</param>
    public FileLineSource(string path, Func<string, T> parse, ParseErrorPolicy? onError = null, int headerLines = 0, Func<string, bool>? skip = null,
        LineReadOptions? lineOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentOutOfRangeException.ThrowIfNegative(headerLines);
        _path = Path.GetFullPath(path);
        // Refused when the plan is built; checked again when the job lists the files.
        if (!File.Exists(_path) && !Directory.Exists(_path)) throw NotFound(_path);
        _parse = parse;
        _onError = onError ?? ParseErrorPolicy.Fail;
        _headerLines = headerLines;
        _skip = skip;
        _lineOptions = lineOptions ?? LineReadOptions.Default;
        _lineOptions.Validate();
    }

    public int MaxParallelism => int.MaxValue;

    // Files are listed at the reader's first poll, not here: the job is being built here, and a
    // failure at the first poll fails the job through the usual path, naming the task.
    public ISourceReader<T> CreateReader(int subtaskIndex, int parallelism) =>
        new FileLineReader<T>(() => FilesOf(_path, subtaskIndex, parallelism), _parse, _onError, _headerLines, _skip, _lineOptions);

    /// <summary>The files subtask <paramref name="subtaskIndex"/> of <paramref name="parallelism"/> reads, in order.</summary>
    internal static IReadOnlyList<string> FilesOf(string path, int subtaskIndex, int parallelism)
    {
        string[] all;
        if (File.Exists(path)) all = new[] { path };
        else if (Directory.Exists(path))
        {
            all = Directory.GetFiles(path).Where(f => !IsHidden(Path.GetFileName(f))).ToArray();
            Array.Sort(all, StringComparer.Ordinal);
        }
        else throw NotFound(path);
        var mine = new List<string>();
        for (var i = subtaskIndex; i < all.Length; i += parallelism) mine.Add(all[i]);
        return mine;
    }

    private static bool IsHidden(string name) => name.StartsWith('.') || name.StartsWith('_');

    private static FileNotFoundException NotFound(string path) =>
        new($"file source: '{path}' is neither a file nor a directory", path);
}
