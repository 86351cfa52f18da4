using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Session;

/// <summary>
/// One connection's subscriptions (Redis's c->pubsub_channels, c->pubsub_patterns, c->pubsub_shard_channels), kept by
/// its session, and the changes the registry has not seen yet (sent to the PubSub actor after the command that made
/// them; the session waits for them to be applied before the replies leave).
/// </summary>
public sealed class ClientSubscriptions
{
    public ClientSubscriptions(ClientSession client) => Subscriber = new SessionSubscriber(client);

    public Subscriber Subscriber { get; }
    // Insertion order: UNSUBSCRIBE / PUNSUBSCRIBE without arguments answer in it (Redis walks a dict for channels,
    // whose order is its hash order, and a list for patterns, whose order is this one).
    public readonly OrderedDictionary<byte[], bool> Channels = new(ByteArrayComparer.Instance);
    public readonly OrderedDictionary<byte[], bool> Patterns = new(ByteArrayComparer.Instance);
    public readonly OrderedDictionary<byte[], bool> ShardChannels = new(ByteArrayComparer.Instance);
    /// <summary>Changes made by the command being run, for the PubSub actor; null when there are none.</summary>
    public PubSubUpdate? Pending;

    public OrderedDictionary<byte[], bool> Of(SubscriptionKind kind) =>
        kind switch { SubscriptionKind.Channel => Channels, SubscriptionKind.Pattern => Patterns, _ => ShardChannels };

    public int Total => Channels.Count + Patterns.Count + ShardChannels.Count;

    public void Record(SubscriptionKind kind, byte[] name, bool add) => (Pending ??= new PubSubUpdate(Subscriber)).Add(kind, name, add);

    /// <summary>
    /// The session as a subscriber. Deliveries from any thread queue here, and only the first one since the session last
    /// drained the queue posts a message to its stage: a subscriber of a busy channel wakes once per burst, not once
    /// per message (as Redis writes a client's accumulated replies once per event-loop turn). FIFO, so publish order
    /// holds. Two lists swapped under a lock rather than a ConcurrentQueue: a queue that keeps being filled and drained
    /// allocates a new segment every few dozen messages (a third of the garbage of a PUBLISH to 100 subscribers), the
    /// lists keep their arrays.
    /// </summary>
    private sealed class SessionSubscriber(ClientSession client) : Subscriber, AkkaRedis.Net.Streams.IAfterRound
    {
        private readonly ClientSession _client = client;
        private readonly object _lock = new();
        private List<PubSubPush> _arrived = new();
        private List<PubSubPush> _taking = new();
        private bool _posted;

        public override int Protocol => _client.Protocol;

        public override void Deliver(PubSubPush push)
        {
            bool post;
            lock (_lock)
            {
                _arrived.Add(push);
                post = !_posted;
                _posted = true;
            }
            // From a publisher's socket thread: the subscriber is woken there at the end of the epoll round.
            if (post) AkkaRedis.Net.Streams.SocketThreadExecutor.AfterRound(this);
        }

        public void RunAfterRound() => _client.Post(this);

        /// <summary>The session takes what has arrived (and re-arms the post in the same step, so nothing delivered
        /// later is missed). Only the session drains.</summary>
        public void Drain(Action<PubSubPush> take)
        {
            List<PubSubPush> taking;
            lock (_lock)
            {
                (_arrived, _taking) = (_taking, _arrived);
                taking = _taking;
                _posted = false;
            }
            try
            {
                foreach (var push in taking) take(push);
            }
            finally
            {
                taking.Clear();
                // A burst's worth of slots is kept; a rare flood's is not.
                if (taking.Capacity > 4096) taking.Capacity = 4096;
            }
        }
    }

    /// <summary>Hands the messages delivered since the last drain to <paramref name="take"/>, in publish order.</summary>
    public void Drain(Action<PubSubPush> take) => ((SessionSubscriber)Subscriber).Drain(take);
}

/// <summary>Pub/Sub commands (pubsub.c), run in the session: the connection's own subscriptions are session state,
/// the registry is read without a lock and changed through the PubSub actor.</summary>
public static class PubSubCommands
{
    public static void Register(CommandTable t)
    {
        const string subscribeFlags = "pubsub noscript loading stale";
        // Barriers: what was sent before a subscription change runs first, and the replies of a subscription change
        // leave once the registry shows it (the session waits for the PubSub actor).
        t.Add(new("subscribe", -2, F(subscribeFlags), 0, 0, 0, A("pubsub slow"))
        {
            SessionHandler = (SessionHandler)(c => Subscribe(c, SubscriptionKind.Channel)), Barrier = true,
        });
        t.Add(new("unsubscribe", -1, F(subscribeFlags), 0, 0, 0, A("pubsub slow"))
        {
            SessionHandler = (SessionHandler)(c => Unsubscribe(c, SubscriptionKind.Channel)), Barrier = true,
        });
        t.Add(new("psubscribe", -2, F(subscribeFlags), 0, 0, 0, A("pubsub slow"))
        {
            SessionHandler = (SessionHandler)(c => Subscribe(c, SubscriptionKind.Pattern)), Barrier = true,
        });
        t.Add(new("punsubscribe", -1, F(subscribeFlags), 0, 0, 0, A("pubsub slow"))
        {
            SessionHandler = (SessionHandler)(c => Unsubscribe(c, SubscriptionKind.Pattern)), Barrier = true,
        });
        // Shard channels are declared as keys that are not keys (Redis's not_key spec): cluster routing by slot, no
        // key access. One node holds every slot, so nothing is redirected.
        t.Add(new("ssubscribe", -2, F(subscribeFlags), 1, -1, 1, A("pubsub slow"))
        {
            SessionHandler = (SessionHandler)(c => Subscribe(c, SubscriptionKind.ShardChannel)), Barrier = true,
            KeySpecFlags = ["not_key"],
        });
        t.Add(new("sunsubscribe", -1, F(subscribeFlags), 1, -1, 1, A("pubsub slow"))
        {
            SessionHandler = (SessionHandler)(c => Unsubscribe(c, SubscriptionKind.ShardChannel)), Barrier = true,
            KeySpecFlags = ["not_key"],
        });
        // Barriers: a message published after a write must not overtake the write's effects (LPUSH then PUBLISH).
        t.Add(new("publish", 3, F("pubsub loading stale fast"), 0, 0, 0, A("pubsub fast"))
        {
            SessionHandler = (SessionHandler)(c => Publish(c, SubscriptionKind.Channel)), Barrier = true,
        });
        t.Add(new("spublish", 3, F("pubsub loading stale fast"), 1, 1, 1, A("pubsub fast"))
        {
            SessionHandler = (SessionHandler)(c => Publish(c, SubscriptionKind.ShardChannel)), Barrier = true,
            KeySpecFlags = ["not_key"],
        });

        var pubsub = t.Add(new("pubsub", -2, F(""), 0, 0, 0, A("")));
        const string own = "pubsub loading stale";
        t.AddSub(pubsub, new("channels", -2, F(own), 0, 0, 0, A("pubsub slow"))
        {
            SessionHandler = (SessionHandler)(c => Channels(c, SubscriptionKind.Channel)),
        });
        t.AddSub(pubsub, new("shardchannels", -2, F(own), 0, 0, 0, A("pubsub slow"))
        {
            SessionHandler = (SessionHandler)(c => Channels(c, SubscriptionKind.ShardChannel)),
        });
        t.AddSub(pubsub, new("numsub", -2, F(own), 0, 0, 0, A("pubsub slow"))
        {
            SessionHandler = (SessionHandler)(c => NumSub(c, SubscriptionKind.Channel)),
        });
        t.AddSub(pubsub, new("shardnumsub", -2, F(own), 0, 0, 0, A("pubsub slow"))
        {
            SessionHandler = (SessionHandler)(c => NumSub(c, SubscriptionKind.ShardChannel)),
        });
        t.AddSub(pubsub, new("numpat", 2, F(own), 0, 0, 0, A("pubsub slow"))
        {
            SessionHandler = (SessionHandler)(c => c.Reply.Integer(c.Server.PubSub.PatternCount)),
        });
        t.AddSub(pubsub, new("help", 2, F("loading stale"), 0, 0, 0, A("slow"))
        {
            SessionHandler = (SessionHandler)(c => HelpReply.Write(c.Reply, "PUBSUB", HelpLines)),
        });
    }

    private static readonly string[] HelpLines =
    [
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
    ];

    private static ReadOnlySpan<byte> ConfirmationName(SubscriptionKind kind, bool subscribe) => (kind, subscribe) switch
    {
        (SubscriptionKind.Channel, true) => "subscribe"u8,
        (SubscriptionKind.Channel, false) => "unsubscribe"u8,
        (SubscriptionKind.Pattern, true) => "psubscribe"u8,
        (SubscriptionKind.Pattern, false) => "punsubscribe"u8,
        (_, true) => "ssubscribe"u8,
        _ => "sunsubscribe"u8,
    };

    /// <summary>The count a confirmation carries: channels plus patterns (clientSubscriptionsCount), or shard channels
    /// alone for SSUBSCRIBE / SUNSUBSCRIBE (clientShardSubscriptionsCount).</summary>
    private static int ConfirmationCount(ClientSubscriptions subs, SubscriptionKind kind) =>
        kind == SubscriptionKind.ShardChannel ? subs.ShardChannels.Count : subs.Channels.Count + subs.Patterns.Count;

    /// <summary>A subscription confirmation: an array in RESP2, a push in RESP3 (addReplyPubsubSubscribed and
    /// friends); <paramref name="name"/> null for the "nothing to unsubscribe" reply.</summary>
    private static void Confirm(RespWriter reply, SubscriptionKind kind, bool subscribe, ReadOnlySpan<byte> name, bool nullName, int count)
    {
        reply.PushHeader(3);
        reply.Bulk(ConfirmationName(kind, subscribe));
        if (nullName) reply.NullBulk();
        else reply.Bulk(name);
        reply.Integer(count);
    }

    /// <summary>SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE (pubsubSubscribeChannel, pubsubSubscribePattern): one confirmation
    /// per argument, repeated ones included.</summary>
    private static void Subscribe(SessionCall c, SubscriptionKind kind)
    {
        var subs = c.Client.Subscriptions ??= new ClientSubscriptions(c.Client);
        var set = subs.Of(kind);
        for (var i = 1; i < c.Argc; i++)
        {
            var name = c.Args[i].ToArray();
            if (set.TryAdd(name, true)) subs.Record(kind, name, add: true);
            Confirm(c.Reply, kind, subscribe: true, name, nullName: false, ConfirmationCount(subs, kind));
        }
        // Redis sets CLIENT_PUBSUB in every protocol; only RESP2 restricts the commands (processCommand).
        c.Client.IsPubSub = true;
        CountSubscriptions(c.Client, subs);
    }

    /// <summary>UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE: the named ones (each confirmed, subscribed or not), or every
    /// one of the kind, or a single confirmation with a null name when there is none (pubsubUnsubscribeAllChannels).</summary>
    private static void Unsubscribe(SessionCall c, SubscriptionKind kind)
    {
        var subs = c.Client.Subscriptions;
        if (c.Argc == 1)
        {
            var count = subs?.Of(kind).Count ?? 0;
            if (count == 0)
            {
                Confirm(c.Reply, kind, subscribe: false, default, nullName: true, subs == null ? 0 : ConfirmationCount(subs, kind));
            }
            else
            {
                var set = subs!.Of(kind);
                foreach (var name in set.Keys.ToArray())
                {
                    set.Remove(name);
                    subs.Record(kind, name, add: false);
                    Confirm(c.Reply, kind, subscribe: false, name, nullName: false, ConfirmationCount(subs, kind));
                }
            }
        }
        else
        {
            for (var i = 1; i < c.Argc; i++)
            {
                var name = c.Args[i].ToArray();
                if (subs != null && subs.Of(kind).Remove(name, out _)) subs.Record(kind, name, add: false);
                Confirm(c.Reply, kind, subscribe: false, name, nullName: false, subs == null ? 0 : ConfirmationCount(subs, kind));
            }
        }
        // Subscribed mode ends with the last subscription of any kind (clientTotalPubSubSubscriptionCount).
        if (subs == null || subs.Total == 0) c.Client.IsPubSub = false;
        if (subs != null) CountSubscriptions(c.Client, subs);
    }

    /// <summary>RESET and disconnection (Redis's clearClientConnectionState, freeClient): every subscription goes,
    /// without confirmations, and subscribed mode ends.</summary>
    public static void UnsubscribeAll(ClientSession client)
    {
        client.IsPubSub = false;
        var subs = client.Subscriptions;
        if (subs == null) return;
        foreach (var kind in (ReadOnlySpan<SubscriptionKind>)[SubscriptionKind.Channel, SubscriptionKind.Pattern, SubscriptionKind.ShardChannel])
        {
            var set = subs.Of(kind);
            foreach (var name in set.Keys) subs.Record(kind, name, add: false);
            set.Clear();
        }
        CountSubscriptions(client, subs);
    }

    /// <summary>CLIENT LIST's sub= psub= ssub=.</summary>
    private static void CountSubscriptions(ClientSession client, ClientSubscriptions subs)
    {
        client.Channels = subs.Channels.Count;
        client.Patterns = subs.Patterns.Count;
        client.ShardChannels = subs.ShardChannels.Count;
    }

    /// <summary>PUBLISH / SPUBLISH: the number of receivers. A RESP3 publisher subscribed to the channel gets the
    /// message before this reply, as Redis writes it into the same reply buffer first.</summary>
    private static void Publish(SessionCall c, SubscriptionKind kind)
    {
        var subs = c.Client.Subscriptions;
        var batch = c.Client.Publishes ??= new PublishBatch();
        var registry = c.Server.PubSub;
        var receivers = kind == SubscriptionKind.ShardChannel
            ? registry.PublishShard(c.Args[1], c.Args[2], subs?.Subscriber, c.Reply, batch)
            : registry.Publish(c.Args[1], c.Args[2], subs?.Subscriber, c.Reply, batch);
        c.Reply.Integer(receivers);
        Propagate(c);
    }

    /// <summary>
    /// Redis propagates PUBLISH and SPUBLISH (without cluster) to replicas as sent (forceCommandPropagation with
    /// PROPAGATE_REPL), so that a replica's own subscribers get the message. Only while someone consumes the stream.
    /// </summary>
    /// <remarks>Redis does not write them to the AOF; the effect stream does not tell the two apart yet, so an AOF
    /// writer fed by it must leave out PUBLISH and SPUBLISH.</remarks>
    private static void Propagate(SessionCall c)
    {
        var stream = c.Server.Effects;
        if (!stream.Active) return;
        var effects = new WriteEffects { Enabled = true };
        effects.Verbatim(c.Client.Db, c.Args);
        stream.Publish(-1, effects);
    }

    /// <summary>PUBSUB CHANNELS / SHARDCHANNELS [pattern].</summary>
    private static void Channels(SessionCall c, SubscriptionKind kind)
    {
        if (c.Argc > 3)
        {
            // pubsubCommand's fall-through for a known subcommand with the wrong number of arguments.
            c.Reply.Error($"ERR unknown subcommand or wrong number of arguments for '{CString.Text(c.Args[1], 128)}'. Try PUBSUB HELP.");
            return;
        }
        var channels = c.Server.PubSub.ChannelsMatching(kind, c.Argc == 3 ? c.Args[2].ToArray() : null);
        c.Reply.ArrayHeader(channels.Count);
        foreach (var channel in channels) c.Reply.Bulk(channel);
    }

    /// <summary>PUBSUB NUMSUB / SHARDNUMSUB [channel ...]: channel and count pairs, zero for channels nobody listens to.</summary>
    private static void NumSub(SessionCall c, SubscriptionKind kind)
    {
        // A flat array in RESP3 too (Redis 7.0 replies addReplyArrayLen, not a map).
        c.Reply.ArrayHeader((c.Argc - 2) * 2);
        for (var i = 2; i < c.Argc; i++)
        {
            c.Reply.Bulk(c.Args[i]);
            c.Reply.Integer(c.Server.PubSub.SubscribersOf(kind, c.Args[i]));
        }
    }
}
