namespace AkkaRedis.Actors.Storage;

/// <summary>A stream's consumer groups (Redis's cgroups rax of streamCG). Scaffolding until the consumer-group
/// commands land.</summary>
public sealed class StreamGroups
{
    public StreamGroups DeepCopy() => new();
}
