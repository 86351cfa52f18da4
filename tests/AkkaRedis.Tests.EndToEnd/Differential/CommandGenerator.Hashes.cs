namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of the hash family (t_hash.c).
public sealed partial class CommandGenerator
{
    partial void BuildHashes()
    {
    }
}
