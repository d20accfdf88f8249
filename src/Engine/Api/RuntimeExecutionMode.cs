namespace PyFlow.Engine.Api;

/// <summary>Flink's runtime modes. BATCH needs bounded input and emits only final results of keyed aggregations.</summary>
public enum RuntimeExecutionMode
{
    Streaming,
    Batch,
}
