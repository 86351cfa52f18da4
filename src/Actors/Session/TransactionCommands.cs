using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Storage;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Session;

/// <summary>
/// Transactions (Redis's multi.c): MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queueing and running EXEC's queue are the
/// session stage's (SessionStage.Transactions.cs); WATCH runs on the shards that own its keys, which keep the watch
/// tables; the rest is connection state, here.
/// </summary>
public static class TransactionCommands
{
    public const string ExecAbort = "EXECABORT Transaction discarded because of previous errors.";
    public const string NotAllowed = "ERR Command not allowed inside a transaction";
    public const string WatchInsideMulti = "ERR WATCH inside MULTI is not allowed";

    public static void Register(CommandTable t)
    {
        t.Add(new("multi", 1, F("noscript loading stale fast allow_busy"), 0, 0, 0, A("fast transaction"))
        {
            SessionHandler = (SessionHandler)Multi,
        });
        // Barrier: it runs the queue once everything sent before it has been answered (and the WATCHes have registered).
        // The session stage runs it (InterceptExec) unless it can only fail; this handler answers those cases.
        t.Add(new("exec", 1, F("noscript loading stale skip_slowlog"), 0, 0, 0, A("slow transaction"))
        {
            SessionHandler = (SessionHandler)Exec, Barrier = true,
        });
        // Barriers: the WATCHes sent before them must have registered before they tell the shards to forget them.
        t.Add(new("discard", 1, F("noscript loading stale fast allow_busy"), 0, 0, 0, A("fast transaction"))
        {
            SessionHandler = (SessionHandler)Discard, Barrier = true,
        });
        t.Add(new("unwatch", 1, F("noscript loading stale fast allow_busy"), 0, 0, 0, A("fast transaction"))
        {
            SessionHandler = (SessionHandler)Unwatch, Barrier = true,
        });
        // Routed like any multi-key read: one shard, or the Transaction actor when the keys span shards.
        t.Add(new("watch", -2, F("noscript loading stale fast allow_busy"), 1, -1, 1, A("fast transaction"))
        {
            Handler = Watch, KeySpecFlags = ["RO"],
        });
    }

    private static void Multi(SessionCall c)
    {
        if (c.Client.MultiQueued >= 0)
        {
            // Not flagged: the open transaction stays good (checked against redis-server 7.0.15).
            c.Reply.Error("ERR MULTI calls can not be nested");
            return;
        }
        c.Client.MultiQueued = 0;
        c.Reply.Ok();
    }

    /// <summary>EXEC outside MULTI, or of a transaction flagged at queue time (the session stage runs the others).</summary>
    private static void Exec(SessionCall c)
    {
        if (c.Client.MultiQueued < 0)
        {
            c.Reply.Error("ERR EXEC without MULTI");
            return;
        }
        c.Reply.Error(ExecAbort);
        DiscardTransaction(c.Server, c.Client);
    }

    private static void Discard(SessionCall c)
    {
        if (c.Client.MultiQueued < 0)
        {
            c.Reply.Error("ERR DISCARD without MULTI");
            return;
        }
        DiscardTransaction(c.Server, c.Client);
        c.Reply.Ok();
    }

    private static void Unwatch(SessionCall c)
    {
        // Inside EXEC's queue this finds nothing to forget: EXEC unwatched before running it.
        c.Client.Transaction.Unwatch(c.Server, c.Client);
        c.Reply.Ok();
    }

    /// <summary>Redis's discardTransaction: the queue, the flags and the watches go.</summary>
    public static void DiscardTransaction(ServerContext server, ClientSession client)
    {
        client.Transaction.ClearQueue(client);
        client.Transaction.Unwatch(server, client);
    }

    /// <summary>
    /// WATCH on the shard(s) owning the keys: registers the connection's current <see cref="Watcher"/> (its session set
    /// it on the label before sending) in each key's database, noting whether the key is already logically expired
    /// (Redis 7.0's watchForKey). WATCH inside MULTI never gets here (the session answers it).
    /// </summary>
    private static void Watch(ExecContext c)
    {
        var watcher = c.Client?.Watch;
        if (watcher != null && !watcher.Closed)
        {
            for (var i = 1; i < c.Argc; i++)
            {
                var key = c.Args[i];
                var db = c.Db(key);
                (db.Watched ??= new WatchTable()).Add(key, watcher, WatchTable.IsExpired(db, key, c.Now));
            }
        }
        c.Reply.Ok();
    }
}

/// <summary>One connection's MULTI and WATCH state (Redis's client mstate, CLIENT_DIRTY_EXEC and watched_keys).</summary>
public sealed class TransactionState
{
    private MultiQueue? _queue;

    /// <summary>CLIENT LIST's multi-mem (without making a queue).</summary>
    public long QueuedMemory => _queue?.Memory ?? 0;

    /// <summary>The commands queued since MULTI.</summary>
    public MultiQueue Queue => _queue ??= new MultiQueue();

    /// <summary>A command was rejected while queueing (CLIENT_DIRTY_EXEC): EXEC answers EXECABORT.</summary>
    public bool Flagged;

    /// <summary>The current watch (null when nothing is watched).</summary>
    public Watcher? Watcher;

    /// <summary>The watched keys, in WATCH order, without duplicates.</summary>
    public readonly List<WatchRef> Watched = new();

    /// <summary>Adds a key to the current watch (making one if needed); the shard registers it when WATCH runs there.</summary>
    public void AddWatch(ClientSession client, int db, ReadOnlySpan<byte> key)
    {
        if (Watcher == null)
        {
            Watcher = new Watcher();
            client.Label.Watch = Watcher;
        }
        foreach (var w in Watched)
            if (w.Db == db && key.SequenceEqual(w.Key)) return;
        Watched.Add(new WatchRef(db, key.ToArray()));
    }

    /// <summary>EXEC ran (and unwatched under its hold) or DISCARD: MULTI is over.</summary>
    public void ClearQueue(ClientSession client)
    {
        _queue?.Clear();
        Flagged = false;
        client.MultiQueued = -1;
    }

    /// <summary>The watch is over and was already removed from the shards' tables (EXEC did it under its hold).</summary>
    public void ForgetWatch(ClientSession client)
    {
        if (Watcher == null) return;
        Watcher.Closed = true;
        Watcher = null;
        client.Label.Watch = null;
        Watched.Clear();
    }

    /// <summary>Redis's unwatchAllKeys from outside the shards (UNWATCH, DISCARD, RESET, disconnect): each shard that
    /// owns a watched key is told to forget this watch; a WATCH still on its way finds the watcher closed.</summary>
    public void Unwatch(ServerContext server, ClientSession client)
    {
        if (Watcher == null) return;
        var watcher = Watcher;
        watcher.Closed = true;
        if (Watched.Count > 0)
        {
            var shards = server.Keyspace.Shards;
            var message = new UnwatchKeys(watcher, Watched.ToArray());
            Span<bool> told = shards.Length <= 256 ? stackalloc bool[shards.Length] : new bool[shards.Length];
            foreach (var w in Watched)
            {
                var shard = HashSlot.ShardOf(w.Key, shards.Length);
                if (told[shard]) continue;
                told[shard] = true;
                shards[shard].Tell(message, Akka.Actor.ActorRefs.NoSender);
                client.ToldShard(shard, shards.Length);
            }
        }
        ForgetWatch(client);
    }
}
