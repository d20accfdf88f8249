using PyFlow.Engine.Windowing;
using PyFlow.Engine.Windowing.Triggers;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Wire;

namespace PyFlow.Host;

/// <summary>
/// A window node's <c>trigger</c> field (<c>{"kind": ...}</c>, from pyflow.datastream.window's
/// triggers) as the engine's trigger for windows of type <typeparamref name="W"/>.
/// </summary>
internal static class TriggerPlan
{
    public static Trigger<PyRecord, W> Build<W>(IReadOnlyDictionary<object, object?> spec, string node) where W : Window
    {
        try
        {
            return spec.Str("kind") switch
            {
                "event_time" => TimeOnly<W>(EventTimeTrigger<PyRecord>.Create(), "EventTimeTrigger", node),
                "processing_time" => TimeOnly<W>(ProcessingTimeTrigger<PyRecord>.Create(), "ProcessingTimeTrigger", node),
                "continuous_event_time" => TimeOnly<W>(ContinuousEventTimeTrigger<PyRecord>.Of(TimeSpan.FromMilliseconds(spec.Int("interval_ms"))),
                    "ContinuousEventTimeTrigger", node),
                "count" => CountTrigger<PyRecord, W>.Of(spec.Int("count")),
                "purging" => PurgingTrigger<PyRecord, W>.Of(Build<W>(spec.Map("inner"), node)),
                var other => throw new PlanException(node, $"unknown trigger '{other}'; PyFlow knows event_time, processing_time, " +
                                                           "continuous_event_time, count and purging"),
            };
        }
        catch (ArgumentException e)
        {
            throw new PlanException(node, e.Message);
        }
    }

    private static Trigger<PyRecord, W> TimeOnly<W>(Trigger<PyRecord, TimeWindow> trigger, string name, string node) where W : Window =>
        trigger as Trigger<PyRecord, W>
        ?? throw new PlanException(node, $"{name} fires at a time window's end, so it needs time windows (tumbling, sliding, session); " +
                                         "count and global windows fire with CountTrigger");
}
