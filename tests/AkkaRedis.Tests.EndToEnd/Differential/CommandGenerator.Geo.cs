namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of geo commands on sorted sets.
public sealed partial class CommandGenerator
{
    partial void BuildGeo()
    {
    }
}
