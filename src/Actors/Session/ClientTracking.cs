using System.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Actors.Session;

/// <summary>
/// One connection's client-side caching mode (Redis's CLIENT_TRACKING* flags, client_tracking_redirection and
/// client_tracking_prefixes). Written by its own session only; CLIENT LIST and the registry read it.
/// </summary>
public sealed class ClientTracking
{
    public bool Bcast;
    public bool OptIn;
    public bool OptOut;
    public bool NoLoop;
    /// <summary>CLIENT CACHING YES (OPTIN) or NO (OPTOUT) was given for the next command (CLIENT_TRACKING_CACHING).</summary>
    public bool Caching;
    /// <summary>The redirect client went away (CLIENT_TRACKING_BROKEN_REDIR, flag 'R').</summary>
    public bool BrokenRedirect;
    /// <summary>CLIENT TRACKING ... REDIRECT id, or 0.</summary>
    public long Redirect;
    /// <summary>BCAST prefixes, in the order Redis lists them (its rax: byte order).</summary>
    public readonly SortedSet<string> Prefixes = new(StringComparer.Ordinal);

    /// <summary>call()'s condition for trackingRememberKeys: a read-only command (not Pub/Sub) in default mode, with
    /// OPTIN only after CLIENT CACHING YES and OPTOUT unless CLIENT CACHING NO. EXEC asks it per queued command.</summary>
    public bool Remembers(CommandDef def) =>
        !Bcast && (def.Flags & CommandFlags.ReadOnly) != 0 && (def.Flags & CommandFlags.PubSub) == 0 &&
        !(OptIn && !Caching) && !(OptOut && Caching);
}

/// <summary>Shard → tracking client's session: keys it must drop from its cache (null: all of them, after a flush).
/// <paramref name="Position"/>: where in the modifier's batch the modifying command was (-1: the one its connection
/// waits for, <see cref="int.MaxValue"/>: after the whole batch, as BCAST messages go in Redis's beforeSleep).</summary>
public sealed record TrackingInvalidation(string[]? Keys, long[] Modifiers, bool Bcast, int Position);

/// <summary>Tracking client's session → its REDIRECT client's session: deliver these invalidations;
/// <paramref name="NullProtocol"/> is the tracking client's protocol, whose null a flush sends (as Redis does).</summary>
public sealed record TrackingRedirected(string[]? Keys, int NullProtocol);

/// <summary>
/// The server's side of client-side caching (tracking.c's globals): the shards' tables send invalidations here
/// (<see cref="ITrackingSink"/>), which are posted to the connections; it counts tracking clients, remembered keys
/// and items, and BCAST prefixes for INFO.
/// </summary>
public sealed class TrackingRegistry(ClientRegistry clients) : ITrackingSink
{
    private readonly Dictionary<string, int> _prefixes = new(StringComparer.Ordinal);
    private int _clients;
    private long _keys;
    private long _items;

    /// <summary>INFO tracking_clients (server.tracking_clients).</summary>
    public int Clients => Volatile.Read(ref _clients);
    public long TotalKeys => Interlocked.Read(ref _keys);
    public long TotalItems => Interlocked.Read(ref _items);

    public int TotalPrefixes
    {
        get
        {
            lock (_prefixes) return _prefixes.Count;
        }
    }

    public void ClientEnabled() => Interlocked.Increment(ref _clients);
    public void ClientDisabled() => Interlocked.Decrement(ref _clients);

    /// <summary>A BCAST client's prefixes (INFO tracking_total_prefixes counts the distinct ones).</summary>
    public void PrefixesChanged(IEnumerable<string> prefixes, bool add)
    {
        lock (_prefixes)
        {
            foreach (var p in prefixes)
            {
                _prefixes.TryGetValue(p, out var n);
                n += add ? 1 : -1;
                if (n > 0) _prefixes[p] = n;
                else _prefixes.Remove(p);
            }
        }
    }

    public void Invalidate(long clientId, string key, long modifier, int position) =>
        clients.Find(clientId)?.Post(new TrackingInvalidation([key], [modifier], Bcast: false, position));

    public void Broadcast(long clientId, string[] keys, long[] modifiers) =>
        clients.Find(clientId)?.Post(new TrackingInvalidation(keys, modifiers, Bcast: true, int.MaxValue));

    public void Flushed(long modifier)
    {
        if (Clients == 0) return;
        var message = new TrackingInvalidation(null, [modifier], Bcast: false, Position: -1);
        foreach (var c in clients.Unordered)
            if (c.Tracking != null) c.Post(message);
    }

    public void Counted(int keys, int items)
    {
        if (keys != 0) Interlocked.Add(ref _keys, keys);
        if (items != 0) Interlocked.Add(ref _items, items);
    }

    // ---- the bytes Redis sends (sendTrackingMessage) ----

    /// <summary>RESP3 <c>&gt;2 invalidate keys</c> (keys null: the null of <paramref name="nullProtocol"/>).</summary>
    public static byte[] PushFrame(string[]? keys, int nullProtocol) =>
        Frame(">2\r\n$10\r\ninvalidate\r\n", keys, nullProtocol);

    /// <summary>RESP2 redirect to a Pub/Sub client: a <c>message</c> on <c>__redis__:invalidate</c>.</summary>
    public static byte[] MessageFrame(string[]? keys, int nullProtocol) =>
        Frame("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n", keys, nullProtocol);

    /// <summary>The push a RESP3 tracking client gets when its REDIRECT client is gone.</summary>
    public static byte[] RedirectBrokenFrame(long redirect) =>
        Encoding.Latin1.GetBytes($">2\r\n$21\r\ntracking-redir-broken\r\n:{redirect}\r\n");

    private static byte[] Frame(string head, string[]? keys, int nullProtocol)
    {
        var sb = new StringBuilder(head);
        if (keys == null) sb.Append(nullProtocol >= 3 ? "_\r\n" : "$-1\r\n");
        else
        {
            sb.Append('*').Append(keys.Length).Append("\r\n");
            foreach (var k in keys) sb.Append('$').Append(k.Length).Append("\r\n").Append(k).Append("\r\n");
        }
        return Encoding.Latin1.GetBytes(sb.ToString());
    }
}

/// <summary>Redis's enableTracking / disableTracking on a connection (CLIENT TRACKING, RESET, disconnect).</summary>
public static class ClientTrackingControl
{
    /// <summary>enableTracking: a new mode replaces the old one; BCAST prefixes add up (none given: the empty prefix,
    /// which matches every key). The shards learn new prefixes before the reply, so a write sent after it sees them.</summary>
    public static void Enable(ServerContext server, ClientSession client, long redirect, bool bcast, bool optIn, bool optOut,
        bool noLoop, List<string> prefixes)
    {
        var t = client.Tracking;
        if (t == null)
        {
            t = new ClientTracking();
            server.Tracking.ClientEnabled();
        }
        t.BrokenRedirect = false;
        t.Redirect = redirect;
        t.Bcast = bcast;
        t.OptIn = optIn;
        t.OptOut = optOut;
        t.NoLoop = noLoop;
        if (bcast)
        {
            if (prefixes.Count == 0) prefixes.Add("");
            var added = new List<string>();
            foreach (var p in prefixes)
                if (t.Prefixes.Add(p)) added.Add(p);
            if (added.Count > 0) TellShards(server, client, added, add: true);
        }
        client.Tracking = t;
    }

    /// <summary>disableTracking: the client leaves its prefixes; keys it read stay in the tables (their invalidations
    /// are dropped when they come), as in Redis.</summary>
    public static void Disable(ServerContext server, ClientSession client)
    {
        var t = client.Tracking;
        if (t == null) return;
        client.Tracking = null;
        if (t.Prefixes.Count > 0) TellShards(server, client, t.Prefixes.ToList(), add: false);
        server.Tracking.ClientDisabled();
    }

    private static void TellShards(ServerContext server, ClientSession client, List<string> prefixes, bool add)
    {
        server.Tracking.PrefixesChanged(prefixes, add);
        var message = new Keyspace.TrackingPrefixes(client.Id, prefixes.ToArray(), add);
        var shards = server.Keyspace.Shards;
        for (var i = 0; i < shards.Length; i++)
        {
            shards[i].Tell(message, Akka.Actor.ActorRefs.NoSender);
            client.ToldShard(i, shards.Length);
        }
    }

    /// <summary>stringCheckPrefix: one of the two is a prefix of the other.</summary>
    public static bool Overlap(string a, string b) =>
        a.Length <= b.Length ? b.StartsWith(a, StringComparison.Ordinal) : a.StartsWith(b, StringComparison.Ordinal);
}
