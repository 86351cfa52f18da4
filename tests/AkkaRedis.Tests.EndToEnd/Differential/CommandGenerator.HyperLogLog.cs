namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of HyperLogLog.
public sealed partial class CommandGenerator
{
    partial void BuildHyperLogLog()
    {
    }
}
