namespace PyFlow.Engine.State;

/// <summary>
/// The states a keyed backend knows: those the operator asked for, and those a restored snapshot
/// holds. Asking for a name as another kind than before is refused, and so is declaring a restored
/// name with another kind or type (<see cref="IncompatibleStateException"/>, naming both). Both
/// backends write it at the head of their snapshot, so the check works whichever one restores.
/// </summary>
internal sealed class StateRegistry
{
    private readonly Dictionary<string, StateDescriptor> _registered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StateDescriptorInfo> _known = new(StringComparer.Ordinal);

    public void Register(StateDescriptor d)
    {
        if (_registered.TryGetValue(d.Name, out var known))
        {
            if (known.GetType() != d.GetType())
                throw new InvalidOperationException($"state '{d.Name}' was registered as {StateDescriptorInfo.Of(known)} and is now asked for as {StateDescriptorInfo.Of(d)}; use another name");
        }
        else
        {
            var info = StateDescriptorInfo.Of(d);
            if (_known.TryGetValue(d.Name, out var restored) && restored != info) throw new IncompatibleStateException(restored, info);
            _known[d.Name] = info;
        }
        _registered[d.Name] = d;
    }

    /// <summary>Every state asked for or restored (a restored one nobody asked for yet still belongs in the next snapshot).</summary>
    public void Write(Stream output)
    {
        using var w = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
        StateDescriptorInfo.Write(w, _known.Values);
    }

    /// <summary>Reads what <see cref="Write"/> wrote; a state already asked for must match it.</summary>
    public void Read(Stream input)
    {
        using var r = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
        var restored = StateDescriptorInfo.Read(r);
        foreach (var info in restored)
            if (_registered.TryGetValue(info.Name, out var d) && StateDescriptorInfo.Of(d) is var now && now != info)
                throw new IncompatibleStateException(info, now);
        _known.Clear();
        foreach (var info in restored) _known[info.Name] = info;
        foreach (var (name, d) in _registered) _known[name] = StateDescriptorInfo.Of(d);
    }
}
