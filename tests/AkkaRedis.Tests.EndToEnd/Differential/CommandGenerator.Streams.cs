namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of streams without consumer groups.
public sealed partial class CommandGenerator
{
    partial void BuildStreams()
    {
    }
}
