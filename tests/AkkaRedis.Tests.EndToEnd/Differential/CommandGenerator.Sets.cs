namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of the set family (t_set.c).
public sealed partial class CommandGenerator
{
    partial void BuildSets()
    {
    }
}
