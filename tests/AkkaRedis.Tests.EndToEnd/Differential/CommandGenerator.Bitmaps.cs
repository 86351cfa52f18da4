namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of bitmap commands on strings.
public sealed partial class CommandGenerator
{
    partial void BuildBitmaps()
    {
    }
}
