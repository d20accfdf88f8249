namespace PyFlow.Engine.Timers;

/// <summary>What a function sees of time (Flink's TimerService).</summary>
public interface ITimerService
{
    long CurrentProcessingTime { get; }
    long CurrentWatermark { get; }
    void RegisterEventTimeTimer(long time);
    void RegisterProcessingTimeTimer(long time);
    void DeleteEventTimeTimer(long time);
    void DeleteProcessingTimeTimer(long time);
}

public enum TimeDomain
{
    EventTime,
    ProcessingTime,
}
