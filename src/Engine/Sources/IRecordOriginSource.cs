namespace PyFlow.Engine.Sources;

/// <summary>A source reader that can say where each record it emits came from (see <see cref="RecordOrigins"/>).</summary>
public interface IRecordOriginSource
{
    /// <summary>From now on, report every record emitted on the main output to <paramref name="origins"/>.</summary>
    void TrackOrigins(RecordOrigins origins);
}
