namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Delivers a message to the subscribers of a channel and of the patterns that match it (Redis's
/// pubsubPublishMessage). The PubSub family implements it; the layers below publish through
/// <see cref="CommandServices.PubSub"/> (keyspace notifications from the shards and the Transaction actor). Callable
/// from any actor's thread: delivery order is the order of calls made by one thread.
/// </summary>
public interface IPublisher
{
    /// <summary>Publishes <paramref name="message"/> on <paramref name="channel"/>; returns the number of receivers
    /// (channel subscribers plus matching pattern subscriptions), as PUBLISH replies.</summary>
    int Publish(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message);
}

/// <summary>No subscribers anywhere (before the PubSub family is wired, and in unit tests).</summary>
public sealed class NoSubscribers : IPublisher
{
    public static readonly NoSubscribers Instance = new();

    public int Publish(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message) => 0;
}
