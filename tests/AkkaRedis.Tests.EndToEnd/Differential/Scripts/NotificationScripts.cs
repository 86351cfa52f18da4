namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>Keyspace notifications (notify.c): notify-keyspace-events and the events every family emits, in Redis's
/// order, observed by a second connection subscribed to the __keyspace@*__ / __keyevent@*__ channels. Replies
/// compared with redis-server 7.0.15. Two parts: strings, keys, expiry, bitmaps, HyperLogLog, lists and hashes
/// (NotificationScripts.KeysStrings.cs); sets, sorted sets, SORT, streams and geo (NotificationScripts.Collections.cs).</summary>
public static partial class NotificationScripts
{
    public const string Family = "notifications";

    public static IEnumerable<DiffScript> All() => PartA().Concat(PartB());

    public static IEnumerable<EffectScripts.Script> Effects() => [];

    private static partial IEnumerable<DiffScript> PartA();

    private static partial IEnumerable<DiffScript> PartB();
}
