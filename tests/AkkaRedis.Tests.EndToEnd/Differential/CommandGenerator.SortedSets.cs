namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of the sorted-set family (t_zset.c).
public sealed partial class CommandGenerator
{
    partial void BuildSortedSets()
    {
    }
}
