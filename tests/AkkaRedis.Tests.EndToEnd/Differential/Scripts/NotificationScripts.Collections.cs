namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

public static partial class NotificationScripts
{
    /// <summary>Sets, sorted sets, SORT, streams and consumer groups, geo.</summary>
    private static partial IEnumerable<DiffScript> PartB()
    {
        yield break;
    }
}
