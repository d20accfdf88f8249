using System.Text;
using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sources;
using PyFlow.Engine.Tests.Connectors;

namespace PyFlow.Engine.Tests.Checkpointing;

/// <summary>Each rewindable source, stopped after a few polls and restored into a new reader, emits exactly the rest.</summary>
public class SourcePositionTests
{
    private static List<T> ReadRest<T>(ISource<T> source, int pollsBeforeSnapshot, out List<T> before)
    {
        var sink = new ListConsumer<T>();
        var output = new SourceOutput<T>(sink, 3, SideOutputs.None);
        byte[] position;
        using (var reader = source.CreateReader(0, 1))
        {
            for (var i = 0; i < pollsBeforeSnapshot; i++) reader.Poll(output);
            output.Flush();
            using var ms = new MemoryStream();
            ((ICheckpointedSourceReader)reader).SnapshotPosition(ms);
            position = ms.ToArray();
        }
        before = sink.Values.ToList();
        var rest = new ListConsumer<T>();
        var restOutput = new SourceOutput<T>(rest, 3, SideOutputs.None);
        using var restored = source.CreateReader(0, 1);
        ((ICheckpointedSourceReader)restored).RestorePosition(new MemoryStream(position));
        while (restored.Poll(restOutput) != SourceStatus.End) { }
        restOutput.Flush();
        return rest.Values.ToList();
    }

    [Test]
    public void FileSourceRewindsByByteOffsetAcrossFilesAndLineEndings()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(Path.Combine(dir.Path, "a.txt"), Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("α1\r\nb2\rc3\nd4\ne5")).ToArray());
        dir.Write("b.txt", "f6\ng7\n");
        var all = new[] { "α1", "b2", "c3", "d4", "e5", "f6", "g7" };
        for (var polls = 0; polls <= 3; polls++)
        {
            var rest = ReadRest(new FileLineSource<string>(dir.Path, l => l), polls, out var before);
            Assert.That(before.Concat(rest), Is.EqualTo(all), $"snapshot after {polls} polls");
        }
    }

    [Test]
    public void GeneratorAndCollectionSourcesRewindToTheirNextIndex()
    {
        var gen = ReadRest(new GeneratorSource<long>(n => n * 10, 11), 2, out var genBefore);
        Assert.That(genBefore.Concat(gen), Is.EqualTo(Enumerable.Range(0, 11).Select(i => i * 10L)));
        Assert.That(genBefore, Has.Count.EqualTo(6));
        var col = ReadRest(new CollectionSource<string>(new[] { "a", "b", "c", "d", "e" }), 1, out var colBefore);
        Assert.That(colBefore, Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(col, Is.EqualTo(new[] { "d", "e" }));
    }
}
