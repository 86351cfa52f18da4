namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of SORT and SORT_RO (sort.c).
public sealed partial class CommandGenerator
{
    partial void BuildSort()
    {
    }
}
