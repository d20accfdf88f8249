using System.Text.Json;
using System.Text.Json.Serialization;

namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// The <c>_metadata</c> file of a checkpoint, written last: its presence under the final
/// directory name is what makes a checkpoint complete. JSON, so a person can read it.
/// </summary>
internal sealed class CheckpointMetadata
{
    /// <summary>Version of the snapshot layout (metadata, task state files, operator blobs). 2: signed (HMAC-SHA256);
    /// 3: keyed state snapshots list their state descriptors, and collect sinks hold their unreleased results.</summary>
    public const int CurrentFormat = 3;

    [JsonPropertyName("format")] public int Format { get; init; } = CurrentFormat;
    [JsonPropertyName("checkpoint_id")] public long CheckpointId { get; init; }
    [JsonPropertyName("timestamp_ms")] public long TimestampMs { get; init; }
    [JsonPropertyName("vertices")] public List<VertexInfo> Vertices { get; init; } = new();
    [JsonPropertyName("parts")] public List<PartInfo> Parts { get; init; } = new();

    public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(this, new JsonSerializerOptions { WriteIndented = true });

    public static CheckpointMetadata Decode(byte[] bytes, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<CheckpointMetadata>(bytes) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new CorruptCheckpointException($"checkpoint metadata '{path}' is damaged: {e.Message}", e);
        }
    }
}

/// <summary>A vertex (chain) of the job as the checkpoint saw it: restoring checks the job has the same shape.</summary>
internal sealed record VertexInfo(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("parallelism")] int Parallelism);

/// <summary>One subtask's state file: its size, SHA-256 and HMAC-SHA256 (the job's signing key) are checked before it is read.</summary>
internal sealed record PartInfo(
    [property: JsonPropertyName("vertex")] int Vertex,
    [property: JsonPropertyName("subtask")] int Subtask,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("hmac")] string? Hmac);
