namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of stream consumer groups.
public sealed partial class CommandGenerator
{
    partial void BuildStreamGroups()
    {
    }
}
