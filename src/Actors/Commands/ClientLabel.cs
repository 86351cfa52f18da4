namespace AkkaRedis.Actors.Commands;

/// <summary>
/// What a command's bookkeeping knows of the connection that sent it: the slow log's client address and name
/// (Redis's slowlogEntry cname/peerid). Plain data, so shard messages carry no session object; the session updates
/// <see cref="Name"/> when the client renames itself.
/// </summary>
public sealed class ClientLabel
{
    public ClientLabel(string address, long id = 0)
    {
        Address = address;
        Id = id;
    }

    public string Address { get; }
    /// <summary>The connection's CLIENT ID (client-side caching's NOLOOP compares it with the tracking client's).</summary>
    public long Id { get; }
    public volatile string? Name;
}
