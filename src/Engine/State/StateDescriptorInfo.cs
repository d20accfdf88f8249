namespace PyFlow.Engine.State;

/// <summary>
/// What a checkpoint records of a state's descriptor: its name, kind (<c>ValueState</c>, ...) and
/// declared type, so a job restored from it can be told when it declares the same name otherwise.
/// The Python keyed process records its Python descriptors the same way (kind <c>value</c>, ...,
/// type the declared <c>Types</c> name).
/// </summary>
public sealed record StateDescriptorInfo(string Name, string Kind, string Type)
{
    /// <summary>The record of a C# descriptor: kind from its class, type from its type arguments.</summary>
    public static StateDescriptorInfo Of(StateDescriptor d)
    {
        var t = d.GetType();
        var kind = t.Name.Split('`')[0].Replace("Descriptor", "");
        return new StateDescriptorInfo(d.Name, kind, string.Join(", ", t.GetGenericArguments().Select(TypeName)));
    }

    public override string ToString() => $"{Kind}<{Type}>";

    /// <summary>Layout: i32 count, then per descriptor its name, kind and type as BinaryWriter strings.</summary>
    public static void Write(BinaryWriter w, IReadOnlyCollection<StateDescriptorInfo> all)
    {
        w.Write(all.Count);
        foreach (var d in all)
        {
            w.Write(d.Name);
            w.Write(d.Kind);
            w.Write(d.Type);
        }
    }

    public static List<StateDescriptorInfo> Read(BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count < 0 || count > 1_000_000) throw new InvalidDataException($"a state snapshot lists {count} state descriptors: the snapshot is damaged");
        var all = new List<StateDescriptorInfo>(count);
        for (var i = 0; i < count; i++) all.Add(new StateDescriptorInfo(r.ReadString(), r.ReadString(), r.ReadString()));
        return all;
    }

    private static string TypeName(Type t) => t.IsGenericType
        ? $"{t.Namespace}.{t.Name.Split('`')[0]}<{string.Join(", ", t.GetGenericArguments().Select(TypeName))}>"
        : t.FullName ?? t.Name;
}
