using System.Text;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Redis 7.0's stream consumer groups (t_stream.c): XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO.
/// Checks run in t_stream.c's order, errors and replies are its, and the write effects are what it propagates:
/// XREADGROUP and XAUTOCLAIM become one <c>XCLAIM ... FORCE JUSTID LASTID</c> per pending entry they create, move or
/// drop (streamPropagateXCLAIM), plus <c>XGROUP SETID ... ENTRIESREAD</c> when only the group's last ID moved
/// (streamPropagateGroupID) and <c>XGROUP CREATECONSUMER</c> for a consumer no XCLAIM brings along
/// (streamPropagateConsumerCreation); XACK and the XGROUP subcommands propagate as sent.
/// </summary>
public static class StreamGroupCommands
{
    private const string InvalidMinIdleXClaim = "ERR Invalid min-idle-time argument for XCLAIM";
    private const string InvalidMinIdleXAutoClaim = "ERR Invalid min-idle-time argument for XAUTOCLAIM";
    private const string BusyGroup = "BUSYGROUP Consumer Group name already exists";
    private const string KeyMustExist = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.";

    public static void Register(CommandTable t)
    {
        var stream = A("stream");

        var xgroup = t.Add(new("xgroup", -2, F(""), 0, 0, 0, A("")));
        t.AddSub(xgroup, new("create", -5, F("write denyoom"), 2, 2, 1, stream) { Handler = XGroupCreate, KeySpecFlags = ["RW insert"] });
        t.AddSub(xgroup, new("createconsumer", 5, F("write denyoom"), 2, 2, 1, stream) { Handler = XGroupCreateConsumer, KeySpecFlags = ["RW insert"] });
        t.AddSub(xgroup, new("delconsumer", 5, F("write"), 2, 2, 1, stream) { Handler = XGroupDelConsumer, KeySpecFlags = ["RW delete"] });
        t.AddSub(xgroup, new("destroy", 4, F("write"), 2, 2, 1, stream) { Handler = XGroupDestroy, KeySpecFlags = ["RW delete"] });
        t.AddSub(xgroup, new("setid", -5, F("write"), 2, 2, 1, stream) { Handler = XGroupSetId, KeySpecFlags = ["RW update"] });
        t.AddSub(xgroup, new("help", 2, F("loading stale"), 0, 0, 0, stream) { Handler = XGroupHelp });

        t.Add(new("xreadgroup", -7, F("write blocking"), 0, 0, 0, stream)
        {
            Handler = XReadGroup,
            KeySpecFlags = ["RO access"], KeySpecSearch = ["keyword STREAMS 4 range -1 1 2"],
        });
        t.Add(new("xack", -4, F("write fast"), 1, 1, 1, stream) { Handler = XAck, KeySpecFlags = ["RW update"] });
        t.Add(new("xpending", -3, F("readonly"), 1, 1, 1, stream) { Handler = XPending, KeySpecFlags = ["RO access"] });
        t.Add(new("xclaim", -6, F("write fast"), 1, 1, 1, stream) { Handler = XClaim, KeySpecFlags = ["RW update"] });
        t.Add(new("xautoclaim", -6, F("write fast"), 1, 1, 1, stream) { Handler = XAutoClaim, KeySpecFlags = ["RW delete"] });

        var xinfo = t.Add(new("xinfo", -2, F(""), 0, 0, 0, A("")));
        t.AddSub(xinfo, new("consumers", 4, F("readonly"), 2, 2, 1, stream) { Handler = XInfoConsumers, KeySpecFlags = ["RO access"] });
        t.AddSub(xinfo, new("groups", 3, F("readonly"), 2, 2, 1, stream) { Handler = XInfoGroups, KeySpecFlags = ["RO access"] });
        t.AddSub(xinfo, new("stream", -3, F("readonly"), 2, 2, 1, stream) { Handler = XInfoStream, KeySpecFlags = ["RO access"] });
        t.AddSub(xinfo, new("help", 2, F("loading stale"), 0, 0, 0, stream) { Handler = XInfoHelp });
    }

    // ---- XGROUP ----

    private enum GroupSub { Create, SetId, Destroy, CreateConsumer, DelConsumer }

    /// <summary>What xgroupCommand finds before it dispatches: the stream (null with CREATE ... MKSTREAM on a missing
    /// key), the group (null when missing, for CREATE and DESTROY) and the parsed options.</summary>
    private ref struct GroupTarget
    {
        public KeyEntry Entry;
        public RedisStream? Stream;
        public StreamGroup? Group;
        public bool MkStream;
        public long EntriesRead;
    }

    /// <summary>xgroupCommand's common part, in its order: CREATE's / SETID's options, the key's type, the key's
    /// existence (unless MKSTREAM), the group's existence for the subcommands that need it.</summary>
    private static bool TryGetGroupTarget(ExecContext c, GroupSub sub, out GroupTarget target)
    {
        target = default;
        target.EntriesRead = StreamGroup.InvalidEntriesRead;
        if (sub is GroupSub.Create or GroupSub.SetId)
        {
            for (var i = 5; i < c.Argc;)
            {
                if (sub == GroupSub.Create && c.ArgIs(i, "mkstream"))
                {
                    target.MkStream = true;
                    i++;
                }
                else if (c.ArgIs(i, "entriesread") && i + 1 < c.Argc)
                {
                    if (!ArgReaders.TryGetLong(c, c.Args[i + 1], out var entriesRead)) return false;
                    if (entriesRead < 0 && entriesRead != StreamGroup.InvalidEntriesRead)
                    {
                        c.Reply.Error("ERR value for ENTRIESREAD must be positive or -1");
                        return false;
                    }
                    target.EntriesRead = entriesRead;
                    i += 2;
                }
                else
                {
                    c.Reply.Error(CommandTable.SubcommandSyntaxError(c.Args));
                    return false;
                }
            }
        }
        var key = c.Args[2];
        target.Entry = c.Db(key).LookupWrite(key, c.Now);
        if (c.WrongType(target.Entry, RedisType.Stream)) return false;
        target.Stream = target.Entry.Exists ? (RedisStream)target.Entry.Value : null;
        if (target.MkStream) return true;
        if (target.Stream == null)
        {
            c.Reply.Error(KeyMustExist);
            return false;
        }
        target.Group = target.Stream.Groups?.Find(c.Args[3]);
        if (target.Group == null && sub is GroupSub.SetId or GroupSub.CreateConsumer or GroupSub.DelConsumer)
        {
            c.Reply.Error($"NOGROUP No such consumer group '{Text(c.Args[3])}' for key name '{Text(key)}'");
            return false;
        }
        return true;
    }

    private static void XGroupCreate(ExecContext c)
    {
        if (!TryGetGroupTarget(c, GroupSub.Create, out var target)) return;
        if (c.Argc > 8)
        {
            c.Reply.Error(CommandTable.SubcommandSyntaxError(c.Args));
            return;
        }
        StreamId id;
        if (c.Args[4].Span.SequenceEqual("$"u8)) id = target.Stream?.LastId ?? StreamId.Min;
        else if (!StreamIdArgs.TryParseOrReply(c, c.Args[4], 0, strict: true, out id)) return;

        var stream = target.Stream;
        if (stream == null)
        {
            // MKSTREAM, now that the command can no longer fail.
            stream = new RedisStream();
            var db = c.Db(c.Args[2]);
            db.SetValue(c.Args[2], RedisType.Stream, ObjectEncoding.Stream, stream, c.Now);
            // The only XGROUP form that signals the key (the other subcommands, XREADGROUP, XACK and XCLAIM touch
            // no WATCH: checked against redis-server 7.0).
            c.KeyModified(db, c.Args[2]);
        }
        stream.Groups ??= new StreamGroups();
        if (stream.Groups.TryCreate(c.Args[3], id, target.EntriesRead) == null)
        {
            c.Reply.Error(BusyGroup);
            return;
        }
        c.Notify(ServerConfig.NotifyStream, "xgroup-create", c.Args[2]);
        c.Propagate();
        c.Reply.Ok();
    }

    private static void XGroupSetId(ExecContext c)
    {
        if (!TryGetGroupTarget(c, GroupSub.SetId, out var target)) return;
        if (c.Argc != 5 && c.Argc != 7)
        {
            c.Reply.Error(CommandTable.SubcommandSyntaxError(c.Args));
            return;
        }
        StreamId id;
        if (c.Args[4].Span.SequenceEqual("$"u8)) id = target.Stream!.LastId;
        else if (!StreamIdArgs.TryParseOrReply(c, c.Args[4], 0, strict: false, out id)) return;
        target.Group!.LastId = id;
        target.Group.EntriesRead = target.EntriesRead;
        c.Notify(ServerConfig.NotifyStream, "xgroup-setid", c.Args[2]);
        c.Propagate();
        c.Reply.Ok();
    }

    private static void XGroupDestroy(ExecContext c)
    {
        if (!TryGetGroupTarget(c, GroupSub.Destroy, out var target)) return;
        if (target.Group == null)
        {
            c.Reply.Integer(0);
            return;
        }
        target.Stream!.Groups!.Remove(target.Group.Name);
        c.Notify(ServerConfig.NotifyStream, "xgroup-destroy", c.Args[2]);
        // Redis signals the key so that blocked XREADGROUPs get -NOGROUP.
        c.SignalKeyAsReady(c.Db(c.Args[2]), c.Args[2], RedisType.Stream);
        c.Propagate();
        c.Reply.Integer(1);
    }

    private static void XGroupCreateConsumer(ExecContext c)
    {
        if (!TryGetGroupTarget(c, GroupSub.CreateConsumer, out var target)) return;
        var created = target.Group!.TryCreateConsumer(c.Args[4], c.Now) != null;
        if (created)
        {
            NotifyConsumerCreated(c, c.Args[2]);
            c.Propagate();
        }
        c.Reply.Integer(created ? 1 : 0);
    }

    /// <summary>streamCreateConsumer's event: XGROUP CREATECONSUMER, and the consumer XREADGROUP (when it serves a
    /// stream), XCLAIM and XAUTOCLAIM (when they claim an entry) create.</summary>
    private static void NotifyConsumerCreated(ExecContext c, ReadOnlySpan<byte> key) =>
        c.Notify(ServerConfig.NotifyStream, "xgroup-createconsumer", key);

    /// <summary>The consumer named by XCLAIM / XAUTOCLAIM, created (with its event) when it claims its first entry.</summary>
    private static StreamConsumer ClaimingConsumer(ExecContext c, ReadOnlySpan<byte> key, StreamGroup group)
    {
        var consumer = group.GetOrCreateConsumer(c.Args[3], c.Now, out var created);
        if (created) NotifyConsumerCreated(c, key);
        return consumer;
    }

    private static void XGroupDelConsumer(ExecContext c)
    {
        if (!TryGetGroupTarget(c, GroupSub.DelConsumer, out var target)) return;
        var consumer = target.Group!.FindConsumer(c.Args[4]);
        long pending = 0;
        if (consumer != null)
        {
            pending = target.Group.DeleteConsumer(consumer);
            c.Notify(ServerConfig.NotifyStream, "xgroup-delconsumer", c.Args[2]);
            c.Propagate();
        }
        c.Reply.Integer(pending);
    }

    private static readonly string[] XGroupHelpLines =
    [
        "CREATE <key> <groupname> <id|$> [option]",
        "    Create a new consumer group. Options are:",
        "    * MKSTREAM",
        "      Create the empty stream if it does not exist.",
        "    * ENTRIESREAD entries_read",
        "      Set the group's entries_read counter (internal use).",
        "CREATECONSUMER <key> <groupname> <consumer>",
        "    Create a new consumer in the specified group.",
        "DELCONSUMER <key> <groupname> <consumer>",
        "    Remove the specified consumer.",
        "DESTROY <key> <groupname>",
        "    Remove the specified group.",
        "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
        "    Set the current group ID and entries_read counter.",
    ];

    private static void XGroupHelp(ExecContext c) => HelpReply.Write(c.Reply, "XGROUP", XGroupHelpLines);

    // ---- XREADGROUP ----

    /// <summary>
    /// A parsed XREADGROUP (xreadCommand with GROUP): kept apart from serving it so that a request that BLOCKs can be
    /// served again when a stream it waits on changes (a parked XREADGROUP BLOCK keeps it as its state). A BLOCK that
    /// finds nothing to serve where it may not block (inside MULTI or a script) answers a null array at once, as Redis.
    /// </summary>
    public readonly struct ReadGroupRequest
    {
        public ReadGroupRequest(int streamsArg, int streamCount, long count, bool noAck, long blockTimeout, StreamId[] ids)
        {
            StreamsArg = streamsArg;
            StreamCount = streamCount;
            Count = count;
            NoAck = noAck;
            BlockTimeout = blockTimeout;
            Ids = ids;
        }

        /// <summary>Index of the first key; the IDs follow the keys.</summary>
        public int StreamsArg { get; }
        public int StreamCount { get; }
        /// <summary>0: no limit.</summary>
        public long Count { get; }
        public bool NoAck { get; }
        /// <summary>-1 without BLOCK; 0 for ever; else the absolute unix time in ms it times out at.</summary>
        public long BlockTimeout { get; }
        /// <summary>Per stream: the history start, or <see cref="StreamId.Max"/> for "&gt;" (as Redis marks it).</summary>
        public StreamId[] Ids { get; }
    }

    private static void XReadGroup(ExecContext c)
    {
        if (!TryParseReadGroup(c, out var request, out var groupArg)) return;
        if (c.ServeKey >= 0)
        {
            ServeBlockedReadGroup(c, (ReadGroupRequest)c.Request!.State!, groupArg);
            return;
        }
        var groups = new StreamGroup[request.StreamCount];
        // Every key must be a stream with that group (the IDs are checked in the same pass, in argument order).
        for (var i = 0; i < request.StreamCount; i++)
        {
            var key = c.Args[request.StreamsArg + i];
            var obj = c.Db(key).Lookup(key, c.Now);
            if (c.WrongType(obj, RedisType.Stream)) return;
            var group = obj.Exists ? ((RedisStream)obj.Value).Groups?.Find(c.Args[groupArg]) : null;
            if (group == null)
            {
                c.Reply.Error($"NOGROUP No such key '{Text(key)}' or consumer group '{Text(c.Args[groupArg])}' in XREADGROUP with GROUP option");
                return;
            }
            groups[i] = group;
            var idArg = c.Args[request.StreamsArg + request.StreamCount + i].Span;
            if (idArg.SequenceEqual("$"u8))
            {
                c.Reply.Error("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.");
                return;
            }
            if (idArg.SequenceEqual(">"u8)) request.Ids[i] = StreamId.Max;
            else if (!StreamIdArgs.TryParseOrReply(c, idArg, 0, strict: true, out request.Ids[i])) return;
        }
        if (TryServeReadGroup(c, request, groupArg, groups)) return;
        // Only "&gt;" reads get here (a history read is always served): they wait for new entries.
        if (request.BlockTimeout != -1 && c.MayBlock)
            c.Block(RedisType.Stream, request.BlockTimeout, request.StreamsArg, request.StreamsArg + request.StreamCount - 1, request);
        else c.Reply.NullArray();
    }

    /// <summary>
    /// serveClientsBlockedOnStreamKey for a group reader offered its ready stream (ExecContext.ServeKey): an error when
    /// the key is no longer a stream or the group is gone (Redis 7.0 unblocks it so), served with that stream alone
    /// when it has entries the group has not delivered, else it keeps waiting.
    /// </summary>
    private static void ServeBlockedReadGroup(ExecContext c, ReadGroupRequest request, int groupArg)
    {
        var key = c.Args[c.ServeKey];
        var obj = c.Db(key).Lookup(key, c.Now);
        if (!obj.Exists || obj.Type != RedisType.Stream)
        {
            if (c.Claim()) c.Reply.Error("UNBLOCKED the stream key no longer exists");
            return;
        }
        var stream = (RedisStream)obj.Value;
        var group = stream.Groups?.Find(c.Args[groupArg]);
        if (group == null)
        {
            if (c.Claim()) c.Reply.Error("NOGROUP the consumer group this client was blocked on no longer exists");
            return;
        }
        if (stream.Length == 0 || LastEntryId(stream) <= group.LastId)
        {
            c.Block(RedisType.Stream, 0, 0, 0);
            return;
        }
        if (!c.Claim()) return;
        var one = new ReadGroupRequest(c.ServeKey, 1, request.Count, request.NoAck, request.BlockTimeout, [StreamId.Max]);
        TryServeReadGroup(c, one, groupArg, [group]);
    }

    private static bool TryParseReadGroup(ExecContext c, out ReadGroupRequest request, out int groupArg)
    {
        request = default;
        groupArg = 0;
        long count = 0, timeout = -1;
        var noAck = false;
        var streamsArg = 0;
        for (var i = 1; i < c.Argc; i++)
        {
            var moreArgs = c.Argc - i - 1;
            if (c.ArgIs(i, "block") && moreArgs > 0)
            {
                i++;
                if (!TryGetTimeout(c, c.Args[i], out timeout)) return false;
            }
            else if (c.ArgIs(i, "count") && moreArgs > 0)
            {
                i++;
                if (!ArgReaders.TryGetLong(c, c.Args[i], out count)) return false;
                if (count < 0) count = 0;
            }
            else if (c.ArgIs(i, "streams") && moreArgs > 0)
            {
                streamsArg = i + 1;
                if ((c.Argc - streamsArg) % 2 != 0)
                {
                    c.Reply.Error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
                    return false;
                }
                break;
            }
            else if (c.ArgIs(i, "group") && moreArgs >= 2)
            {
                groupArg = i + 1;
                i += 2;
            }
            else if (c.ArgIs(i, "noack")) noAck = true;
            else
            {
                c.Reply.Error(Errors.Syntax);
                return false;
            }
        }
        if (streamsArg == 0)
        {
            c.Reply.Error(Errors.Syntax);
            return false;
        }
        if (groupArg == 0)
        {
            c.Reply.Error("ERR Missing GROUP option for XREADGROUP");
            return false;
        }
        var streamCount = (c.Argc - streamsArg) / 2;
        request = new ReadGroupRequest(streamsArg, streamCount, count, noAck, timeout, new StreamId[streamCount]);
        return true;
    }

    /// <summary>getTimeoutFromObjectOrReply in milliseconds: an integer >= 0, made absolute unless 0.</summary>
    private static bool TryGetTimeout(ExecContext c, ReadOnlySpan<byte> arg, out long timeout)
    {
        if (!RedisNumbers.TryParseLong(arg, out timeout))
        {
            c.Reply.Error("ERR timeout is not an integer or out of range");
            return false;
        }
        if (timeout < 0)
        {
            c.Reply.Error("ERR timeout is negative");
            return false;
        }
        if (timeout > 0)
        {
            if (timeout > long.MaxValue - c.Now)
            {
                c.Reply.Error("ERR timeout is out of range");
                return false;
            }
            timeout += c.Now;
        }
        return true;
    }

    /// <summary>
    /// xreadCommand's synchronous serving for a group, stream by stream in argument order: a stream is served when
    /// its ID is a history ID (the consumer's own PEL from there), or for "&gt;" when it has entries after the group's
    /// last delivered ID, as it is at that moment (a key named twice sees what the first read delivered). False when
    /// nothing was served (nothing written): the caller replies null, or would block.
    /// </summary>
    public static bool TryServeReadGroup(ExecContext c, in ReadGroupRequest request, int groupArg, StreamGroup[] groups)
    {
        // The reply's length is known only at the end (Redis's deferred length): the served streams go to a scratch
        // writer first.
        var reply = c.Reply;
        var body = _scratch ??= new RespWriter(256);
        body.Reset();
        body.Protocol = reply.Protocol;
        c.Reply = body;
        var served = 0;
        try
        {
            for (var i = 0; i < request.StreamCount; i++)
            {
                var key = c.Args[request.StreamsArg + i];
                var stream = (RedisStream)c.Db(key).Lookup(key, c.Now).Value;
                var group = groups[i];
                var history = request.Ids[i] != StreamId.Max;
                StreamId after;
                if (history) after = request.Ids[i];
                else if (stream.Length > 0 && LastEntryId(stream) > group.LastId) after = group.LastId;
                else continue;
                served++;
                var consumer = group.GetOrCreateConsumer(c.Args[groupArg + 1], c.Now, out var created);
                if (created) NotifyConsumerCreated(c, key);
                // streamPropagateConsumerCreation: with NOACK no XCLAIM creates the consumer on the replica.
                if (created && request.NoAck)
                    c.Effect(5).Arg("XGROUP"u8).Arg("CREATECONSUMER"u8).Arg(key).Arg(c.Args[groupArg]).Arg(consumer.Name);
                if (body.Protocol != 3) body.ArrayHeader(2);
                body.Bulk(key);
                // The reads take their start as inclusive: start after the given ID.
                after.TryIncrement(out var start);
                if (history) ReplyWithConsumerHistory(c, stream, consumer, start, request.Count);
                else DeliverNew(c, stream, group, consumer, key, c.Args[groupArg], start, request.Count, request.NoAck);
            }
        }
        finally
        {
            c.Reply = reply;
        }
        if (served == 0) return false;
        if (reply.Protocol == 3) reply.MapHeader(served);
        else reply.ArrayHeader(served);
        reply.WriteRaw(body.Written);
        if (body.Written.Length > 64 * 1024) body.Release(); // a big read's buffer is not kept per thread
        return true;
    }

    [ThreadStatic] private static RespWriter? _scratch;

    /// <summary>streamLastValidID: the ID of the last entry (not last_id, which may be past a deleted one).</summary>
    private static StreamId LastEntryId(RedisStream stream)
    {
        foreach (var e in stream.GetRange(StreamId.Min, StreamId.Max, reverse: true)) return e.Id;
        return StreamId.Min;
    }

    /// <summary>
    /// streamReplyWithRange with a group: the entries from <paramref name="start"/>, each advancing the group's last
    /// delivered ID and read counter and, unless NOACK, added to the PELs and propagated as XCLAIM; with NOACK the
    /// new last ID is propagated as XGROUP SETID.
    /// </summary>
    private static void DeliverNew(ExecContext c, RedisStream stream, StreamGroup group, StreamConsumer consumer,
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> groupName, StreamId start, long count, bool noAck)
    {
        long n = 0;
        foreach (var _ in stream.GetRange(start, StreamId.Max))
            if (++n == count) break;
        c.Reply.ArrayHeader((int)n);
        var advanced = false;
        long written = 0;
        foreach (var entry in stream.GetRange(start, StreamId.Max))
        {
            if (entry.Id > group.LastId)
            {
                AdvanceReadCounter(stream, group, entry.Id);
                group.LastId = entry.Id;
                advanced = true;
            }
            StreamReplies.WriteEntry(c.Reply, entry);
            if (!noAck)
            {
                var nack = group.Deliver(entry.Id, consumer, c.Now);
                PropagateClaim(c, key, groupName, IdText(entry.Id), nack, group);
            }
            if (++written == n) break;
        }
        // Only with NOACK: otherwise the XCLAIMs' LASTID carries the new last ID.
        if (advanced && noAck) PropagateGroupId(c, key, groupName, group);
    }

    /// <summary>streamReplyWithRange's entries_read bookkeeping when a group moves past <paramref name="id"/>: a
    /// valid counter with no tombstone ahead counts one more, else it is estimated again.</summary>
    private static void AdvanceReadCounter(RedisStream stream, StreamGroup group, StreamId id)
    {
        if (group.EntriesRead != StreamGroup.InvalidEntriesRead && !StreamLag.RangeHasTombstones(stream, id, StreamId.Max))
            group.EntriesRead++;
        else if (stream.EntriesAdded != 0)
            group.EntriesRead = stream.EstimateDistanceFromFirstEverEntry(id);
    }

    /// <summary>streamReplyWithRangeFromConsumerPEL: the consumer's pending entries from <paramref name="start"/>,
    /// each counted as delivered again (nothing is propagated, as in Redis); an entry deleted from the stream comes
    /// as its ID with a null.</summary>
    private static void ReplyWithConsumerHistory(ExecContext c, RedisStream stream, StreamConsumer consumer, StreamId start, long count)
    {
        var n = 0;
        foreach (var _ in consumer.Pending.Range(start, StreamId.Max))
            if (++n == count) break;
        c.Reply.ArrayHeader(n);
        var written = 0;
        foreach (var nack in consumer.Pending.Range(start, StreamId.Max))
        {
            if (written++ == n) break;
            if (stream.TryGet(nack.Id, out var entry))
            {
                StreamReplies.WriteEntry(c.Reply, entry);
                nack.DeliveryTime = c.Now;
                nack.DeliveryCount++;
            }
            else
            {
                c.Reply.ArrayHeader(2);
                StreamReplies.WriteId(c.Reply, nack.Id);
                c.Reply.NullArray();
            }
        }
    }

    /// <summary>streamPropagateXCLAIM: <c>XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID LASTID
    /// last</c>, which recreates the NACK as it is now on a replica (or drops it there when the entry is gone).</summary>
    private static void PropagateClaim(ExecContext c, ReadOnlySpan<byte> key, ReadOnlySpan<byte> groupName,
        ReadOnlySpan<byte> idArg, StreamNack nack, StreamGroup group)
    {
        c.Effect(14).Arg("XCLAIM"u8).Arg(key).Arg(groupName).Arg(nack.Consumer!.Name).Arg("0"u8).Arg(idArg)
            .Arg("TIME"u8).Arg(nack.DeliveryTime).Arg("RETRYCOUNT"u8).Arg(nack.DeliveryCount)
            .Arg("FORCE"u8).Arg("JUSTID"u8).Arg("LASTID"u8).Arg(IdText(group.LastId));
    }

    /// <summary>streamPropagateGroupID: <c>XGROUP SETID key group last ENTRIESREAD n</c>.</summary>
    private static void PropagateGroupId(ExecContext c, ReadOnlySpan<byte> key, ReadOnlySpan<byte> groupName, StreamGroup group)
    {
        c.Effect(7).Arg("XGROUP"u8).Arg("SETID"u8).Arg(key).Arg(groupName).Arg(IdText(group.LastId))
            .Arg("ENTRIESREAD"u8).Arg(group.EntriesRead);
    }

    // ---- XACK ----

    private static void XAck(ExecContext c)
    {
        var key = c.Args[1];
        var obj = c.Db(key).Lookup(key, c.Now);
        if (c.WrongType(obj, RedisType.Stream)) return;
        var group = obj.Exists ? ((RedisStream)obj.Value).Groups?.Find(c.Args[2]) : null;
        if (group == null)
        {
            c.Reply.Integer(0);
            return;
        }
        // Every ID is parsed first: once something is acknowledged the reply cannot be an error.
        var ids = new StreamId[c.Argc - 3];
        for (var j = 3; j < c.Argc; j++)
            if (!StreamIdArgs.TryParseOrReply(c, c.Args[j], 0, strict: true, out ids[j - 3])) return;
        var acknowledged = 0;
        foreach (var id in ids)
            if (group.Acknowledge(id)) acknowledged++;
        if (acknowledged > 0) c.Propagate();
        c.Reply.Integer(acknowledged);
    }

    // ---- XPENDING ----

    private static void XPending(ExecContext c)
    {
        var justInfo = c.Argc == 3;
        if (c.Argc != 3 && (c.Argc < 6 || c.Argc > 9))
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        StreamId start = default, end = default;
        long count = 0, minIdle = 0;
        var consumerArg = -1;
        if (c.Argc >= 6)
        {
            var startIdx = 3;
            if (c.ArgIs(3, "idle"))
            {
                if (!ArgReaders.TryGetLong(c, c.Args[4], out minIdle)) return;
                if (c.Argc < 8)
                {
                    c.Reply.Error(Errors.Syntax);
                    return;
                }
                startIdx += 2;
            }
            if (!ArgReaders.TryGetLong(c, c.Args[startIdx + 2], out count)) return;
            if (count < 0) count = 0;
            if (!StreamIdArgs.TryParseIntervalStartOrReply(c, c.Args[startIdx], out start)) return;
            if (!StreamIdArgs.TryParseIntervalEndOrReply(c, c.Args[startIdx + 1], out end)) return;
            if (startIdx + 3 < c.Argc) consumerArg = startIdx + 3;
        }

        var key = c.Args[1];
        var obj = c.Db(key).Lookup(key, c.Now);
        if (c.WrongType(obj, RedisType.Stream)) return;
        var group = obj.Exists ? ((RedisStream)obj.Value).Groups?.Find(c.Args[2]) : null;
        if (group == null)
        {
            c.Reply.Error(NoKeyOrGroup(c));
            return;
        }

        if (justInfo)
        {
            c.Reply.ArrayHeader(4);
            c.Reply.Integer(group.Pending.Count);
            if (group.Pending.Count == 0)
            {
                c.Reply.NullBulk();
                c.Reply.NullBulk();
                c.Reply.NullArray();
                return;
            }
            StreamReplies.WriteId(c.Reply, group.Pending.First!.Id);
            StreamReplies.WriteId(c.Reply, group.Pending.Last!.Id);
            var withPending = 0;
            for (var i = 0; i < group.ConsumerCount; i++)
                if (group.Consumer(i).Pending.Count > 0) withPending++;
            c.Reply.ArrayHeader(withPending);
            for (var i = 0; i < group.ConsumerCount; i++)
            {
                var consumer = group.Consumer(i);
                if (consumer.Pending.Count == 0) continue;
                c.Reply.ArrayHeader(2);
                c.Reply.Bulk(consumer.Name);
                c.Reply.BulkInteger(consumer.Pending.Count);
            }
            return;
        }

        var pel = group.Pending;
        if (consumerArg >= 0)
        {
            var consumer = group.FindConsumer(c.Args[consumerArg]);
            if (consumer == null)
            {
                c.Reply.ArrayHeader(0);
                return;
            }
            pel = consumer.Pending;
        }
        var matches = new List<StreamNack>();
        foreach (var nack in pel.Range(start, end))
        {
            if (matches.Count == count) break;
            if (minIdle != 0 && c.Now - nack.DeliveryTime < minIdle) continue;
            matches.Add(nack);
        }
        c.Reply.ArrayHeader(matches.Count);
        foreach (var nack in matches)
        {
            c.Reply.ArrayHeader(4);
            StreamReplies.WriteId(c.Reply, nack.Id);
            c.Reply.Bulk(nack.Consumer!.Name);
            c.Reply.Integer(Math.Max(0, c.Now - nack.DeliveryTime));
            c.Reply.Integer(nack.DeliveryCount);
        }
    }

    // ---- XCLAIM ----

    private static void XClaim(ExecContext c)
    {
        var key = c.Args[1];
        var obj = c.Db(key).Lookup(key, c.Now);
        if (c.WrongType(obj, RedisType.Stream)) return;
        var stream = obj.Exists ? (RedisStream)obj.Value : null;
        var group = stream?.Groups?.Find(c.Args[2]);
        if (group == null)
        {
            c.Reply.Error(NoKeyOrGroup(c));
            return;
        }
        if (!RedisNumbers.TryParseLong(c.Args[4], out var minIdle))
        {
            c.Reply.Error(InvalidMinIdleXClaim);
            return;
        }
        if (minIdle < 0) minIdle = 0;

        // The IDs run up to the first argument that is not one; options follow.
        var j = 5;
        while (j < c.Argc && StreamIdArgs.TryParse(c.Args[j], 0, strict: true, out _)) j++;
        var lastIdArg = j - 1;

        long retryCount = -1, deliveryTime = -1;
        bool force = false, justId = false, propagateLastId = false;
        for (; j < c.Argc; j++)
        {
            var moreArgs = c.Argc - 1 - j > 0;
            if (c.ArgIs(j, "force")) force = true;
            else if (c.ArgIs(j, "justid")) justId = true;
            else if (c.ArgIs(j, "idle") && moreArgs)
            {
                if (!TryGetLong(c, c.Args[++j], "ERR Invalid IDLE option argument for XCLAIM", out deliveryTime)) return;
                deliveryTime = unchecked(c.Now - deliveryTime);
            }
            else if (c.ArgIs(j, "time") && moreArgs)
            {
                if (!TryGetLong(c, c.Args[++j], "ERR Invalid TIME option argument for XCLAIM", out deliveryTime)) return;
            }
            else if (c.ArgIs(j, "retrycount") && moreArgs)
            {
                if (!TryGetLong(c, c.Args[++j], "ERR Invalid RETRYCOUNT option argument for XCLAIM", out retryCount)) return;
            }
            else if (c.ArgIs(j, "lastid") && moreArgs)
            {
                if (!StreamIdArgs.TryParseOrReply(c, c.Args[++j], 0, strict: true, out var lastId)) return;
                if (lastId > group.LastId)
                {
                    group.LastId = lastId;
                    propagateLastId = true;
                }
            }
            else
            {
                c.Reply.Error($"ERR Unrecognized XCLAIM option '{Text(c.Args[j])}'");
                return;
            }
        }
        // A bogus delivery time (in the future, negative) becomes now rather than an error: clients compute it
        // from their own clocks.
        if (deliveryTime < 0 || deliveryTime > c.Now) deliveryTime = c.Now;

        StreamConsumer? consumer = null;
        var claimed = new List<StreamId>();
        for (var k = 5; k <= lastIdArg; k++)
        {
            StreamIdArgs.TryParse(c.Args[k], 0, strict: true, out var id);
            group.Pending.TryGet(id, out var nack);
            if (!stream!.TryGet(id, out _))
            {
                // The entry is gone: its NACK is dropped (and the drop propagated).
                if (nack != null)
                {
                    PropagateClaim(c, key, c.Args[2], c.Args[k], nack, group);
                    propagateLastId = false;
                    group.Remove(nack);
                }
                continue;
            }
            if (force && nack == null) nack = group.AddUnowned(id, c.Now);
            if (nack == null) continue;
            // A NACK FORCE just created has no consumer and no idle time to check.
            if (nack.Consumer != null && minIdle != 0 && c.Now - nack.DeliveryTime < minIdle) continue;
            consumer ??= ClaimingConsumer(c, key, group);
            nack.DeliveryTime = deliveryTime;
            if (retryCount >= 0) nack.DeliveryCount = retryCount;
            else if (!justId) nack.DeliveryCount++;
            StreamGroup.Transfer(nack, consumer);
            claimed.Add(id);
            PropagateClaim(c, key, c.Args[2], c.Args[k], nack, group);
            propagateLastId = false;
        }
        if (propagateLastId) PropagateGroupId(c, key, c.Args[2], group);

        c.Reply.ArrayHeader(claimed.Count);
        foreach (var id in claimed) WriteClaimed(c, stream!, id, justId);
    }

    private static void WriteClaimed(ExecContext c, RedisStream stream, StreamId id, bool justId)
    {
        if (justId) StreamReplies.WriteId(c.Reply, id);
        else
        {
            stream.TryGet(id, out var entry);
            StreamReplies.WriteEntry(c.Reply, entry);
        }
    }

    // ---- XAUTOCLAIM ----

    private static void XAutoClaim(ExecContext c)
    {
        const long AttemptsFactor = 10;
        // Looked up first (a lazily expired key is deleted even when the arguments are wrong), type-checked after
        // the arguments, as xautoclaimCommand does.
        var key = c.Args[1];
        var obj = c.Db(key).Lookup(key, c.Now);
        if (!RedisNumbers.TryParseLong(c.Args[4], out var minIdle))
        {
            c.Reply.Error(InvalidMinIdleXAutoClaim);
            return;
        }
        if (minIdle < 0) minIdle = 0;
        if (!StreamIdArgs.TryParseIntervalStartOrReply(c, c.Args[5], out var start)) return;
        long count = 100;
        var justId = false;
        for (var j = 6; j < c.Argc; j++)
        {
            var moreArgs = c.Argc - 1 - j > 0;
            if (c.ArgIs(j, "count") && moreArgs)
            {
                // LONG_MAX / max(sizeof(streamID), attempts factor): count * 10 attempts cannot overflow.
                const long MaxCount = long.MaxValue / 16;
                if (!RedisNumbers.TryParseLong(c.Args[++j], out count) || count < 1 || count > MaxCount)
                {
                    c.Reply.Error("ERR COUNT must be > 0");
                    return;
                }
            }
            else if (c.ArgIs(j, "justid")) justId = true;
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }

        if (c.WrongType(obj, RedisType.Stream)) return;
        var stream = obj.Exists ? (RedisStream)obj.Value : null;
        var group = stream?.Groups?.Find(c.Args[2]);
        if (group == null)
        {
            c.Reply.Error(NoKeyOrGroup(c));
            return;
        }

        var attempts = count * AttemptsFactor;
        StreamConsumer? consumer = null;
        var claimed = new List<StreamId>();
        var deleted = new List<StreamId>();
        var next = group.Pending.FirstAtOrAfter(start);
        while (attempts-- > 0 && count > 0 && next != null)
        {
            var nack = next;
            var id = nack.Id;
            if (!stream!.TryGet(id, out _))
            {
                PropagateClaim(c, key, c.Args[2], IdText(id), nack, group);
                group.Remove(nack);
                deleted.Add(id);
                count--;
                next = After(group.Pending, id);
                continue;
            }
            next = After(group.Pending, id);
            if (minIdle != 0 && c.Now - nack.DeliveryTime < minIdle) continue;
            consumer ??= ClaimingConsumer(c, key, group);
            nack.DeliveryTime = c.Now;
            if (!justId) nack.DeliveryCount++;
            StreamGroup.Transfer(nack, consumer);
            claimed.Add(id);
            count--;
            PropagateClaim(c, key, c.Args[2], IdText(id), nack, group);
        }

        // The cursor: the next pending entry, or 0-0 when the walk reached the end.
        c.Reply.ArrayHeader(3);
        StreamReplies.WriteId(c.Reply, next?.Id ?? StreamId.Min);
        c.Reply.ArrayHeader(claimed.Count);
        foreach (var id in claimed) WriteClaimed(c, stream!, id, justId);
        c.Reply.ArrayHeader(deleted.Count);
        foreach (var id in deleted) StreamReplies.WriteId(c.Reply, id);
    }

    private static StreamNack? After(PendingEntries pel, StreamId id) =>
        id.TryIncrement(out var next) ? pel.FirstAtOrAfter(next) : null;

    // ---- XINFO ----

    private static void XInfoConsumers(ExecContext c)
    {
        if (!TryGetInfoStream(c, out var stream)) return;
        var group = stream.Groups?.Find(c.Args[3]);
        if (group == null)
        {
            c.Reply.Error($"NOGROUP No such consumer group '{Text(c.Args[3])}' for key name '{Text(c.Args[2])}'");
            return;
        }
        c.Reply.ArrayHeader(group.ConsumerCount);
        for (var i = 0; i < group.ConsumerCount; i++)
        {
            var consumer = group.Consumer(i);
            c.Reply.MapHeader(3);
            c.Reply.Bulk("name"u8);
            c.Reply.Bulk(consumer.Name);
            c.Reply.Bulk("pending"u8);
            c.Reply.Integer(consumer.Pending.Count);
            c.Reply.Bulk("idle"u8);
            c.Reply.Integer(Math.Max(0, c.Now - consumer.SeenTime));
        }
    }

    private static void XInfoGroups(ExecContext c)
    {
        if (!TryGetInfoStream(c, out var stream)) return;
        var groups = stream.Groups;
        c.Reply.ArrayHeader(groups?.Count ?? 0);
        for (var i = 0; i < (groups?.Count ?? 0); i++)
        {
            var group = groups![i];
            c.Reply.MapHeader(6);
            c.Reply.Bulk("name"u8);
            c.Reply.Bulk(group.Name);
            c.Reply.Bulk("consumers"u8);
            c.Reply.Integer(group.ConsumerCount);
            c.Reply.Bulk("pending"u8);
            c.Reply.Integer(group.Pending.Count);
            WriteGroupPosition(c, stream, group);
        }
    }

    /// <summary>last-delivered-id, entries-read and lag, as XINFO GROUPS and XINFO STREAM FULL show them.</summary>
    private static void WriteGroupPosition(ExecContext c, RedisStream stream, StreamGroup group)
    {
        c.Reply.Bulk("last-delivered-id"u8);
        StreamReplies.WriteId(c.Reply, group.LastId);
        c.Reply.Bulk("entries-read"u8);
        if (group.EntriesRead != StreamGroup.InvalidEntriesRead) c.Reply.Integer(group.EntriesRead);
        else c.Reply.NullBulk();
        c.Reply.Bulk("lag"u8);
        var lag = StreamLag.Lag(stream, group);
        if (lag.HasValue) c.Reply.Integer(lag.Value);
        else c.Reply.NullBulk();
    }

    private static void XInfoStream(ExecContext c)
    {
        // The key first: xinfoCommand looks it up before xinfoReplyWithStreamInfo parses the options, so a
        // missing key wins over bad options.
        if (!TryGetInfoStream(c, out var stream)) return;
        var full = c.Argc > 3;
        long count = 10; // FULL's default, so that a big stream does not block the server
        if (full)
        {
            var extra = c.Argc - 3;
            if (!c.ArgIs(3, "full") || (extra != 1 && !(extra == 3 && c.ArgIs(4, "count"))))
            {
                c.Reply.Error(CommandTable.SubcommandSyntaxError(c.Args));
                return;
            }
            if (extra == 3)
            {
                if (!ArgReaders.TryGetLong(c, c.Args[5], out count)) return;
                if (count < 0) count = 10;
            }
        }

        var w = c.Reply;
        w.MapHeader(full ? 9 : 10);
        w.Bulk("length"u8);
        w.Integer(stream.Length);
        w.Bulk("radix-tree-keys"u8);
        w.Integer(stream.RadixTreeKeys);
        w.Bulk("radix-tree-nodes"u8);
        w.Integer(stream.RadixTreeNodes);
        w.Bulk("last-generated-id"u8);
        StreamReplies.WriteId(w, stream.LastId);
        w.Bulk("max-deleted-entry-id"u8);
        StreamReplies.WriteId(w, stream.MaxDeletedId);
        w.Bulk("entries-added"u8);
        w.Integer((long)stream.EntriesAdded);
        w.Bulk("recorded-first-entry-id"u8);
        StreamReplies.WriteId(w, stream.FirstId);
        if (!full)
        {
            w.Bulk("groups"u8);
            w.Integer(stream.Groups?.Count ?? 0);
            w.Bulk("first-entry"u8);
            WriteEdgeEntry(w, stream, reverse: false);
            w.Bulk("last-entry"u8);
            WriteEdgeEntry(w, stream, reverse: true);
            return;
        }

        w.Bulk("entries"u8);
        var n = count == 0 ? stream.Length : Math.Min(count, stream.Length);
        w.ArrayHeader((int)n);
        var written = 0L;
        foreach (var entry in stream.GetRange(StreamId.Min, StreamId.Max))
        {
            if (written++ == n) break;
            StreamReplies.WriteEntry(w, entry);
        }

        w.Bulk("groups"u8);
        var groups = stream.Groups;
        w.ArrayHeader(groups?.Count ?? 0);
        for (var i = 0; i < (groups?.Count ?? 0); i++)
        {
            var group = groups![i];
            w.MapHeader(7);
            w.Bulk("name"u8);
            w.Bulk(group.Name);
            WriteGroupPosition(c, stream, group);
            w.Bulk("pel-count"u8);
            w.Integer(group.Pending.Count);
            w.Bulk("pending"u8);
            w.ArrayHeader(Limit(group.Pending.Count, count));
            var k = 0;
            foreach (var nack in group.Pending)
            {
                if (count != 0 && k++ == count) break;
                w.ArrayHeader(4);
                StreamReplies.WriteId(w, nack.Id);
                w.Bulk(nack.Consumer!.Name);
                w.Integer(nack.DeliveryTime);
                w.Integer(nack.DeliveryCount);
            }
            w.Bulk("consumers"u8);
            w.ArrayHeader(group.ConsumerCount);
            for (var j = 0; j < group.ConsumerCount; j++)
            {
                var consumer = group.Consumer(j);
                w.MapHeader(4);
                w.Bulk("name"u8);
                w.Bulk(consumer.Name);
                w.Bulk("seen-time"u8);
                w.Integer(consumer.SeenTime);
                w.Bulk("pel-count"u8);
                w.Integer(consumer.Pending.Count);
                w.Bulk("pending"u8);
                w.ArrayHeader(Limit(consumer.Pending.Count, count));
                k = 0;
                foreach (var nack in consumer.Pending)
                {
                    if (count != 0 && k++ == count) break;
                    w.ArrayHeader(3);
                    StreamReplies.WriteId(w, nack.Id);
                    w.Integer(nack.DeliveryTime);
                    w.Integer(nack.DeliveryCount);
                }
            }
        }
    }

    private static int Limit(int size, long count) => count == 0 ? size : (int)Math.Min(size, count);

    /// <summary>XINFO STREAM's first-entry / last-entry: the entry, or a null for an empty stream.</summary>
    private static void WriteEdgeEntry(RespWriter w, RedisStream stream, bool reverse)
    {
        foreach (var entry in stream.GetRange(StreamId.Min, StreamId.Max, reverse))
        {
            StreamReplies.WriteEntry(w, entry);
            return;
        }
        w.NullBulk();
    }

    /// <summary>xinfoCommand's lookupKeyReadOrReply: "no such key" for a missing key, then the type.</summary>
    private static bool TryGetInfoStream(ExecContext c, out RedisStream stream)
    {
        stream = null!;
        var obj = c.Db(c.Args[2]).Lookup(c.Args[2], c.Now);
        if (!obj.Exists)
        {
            c.Reply.Error(Errors.NoSuchKey);
            return false;
        }
        if (c.WrongType(obj, RedisType.Stream)) return false;
        stream = (RedisStream)obj.Value;
        return true;
    }

    private static readonly string[] XInfoHelpLines =
    [
        "CONSUMERS <key> <groupname>",
        "    Show consumers of <groupname>.",
        "GROUPS <key>",
        "    Show the stream consumer groups.",
        "STREAM <key> [FULL [COUNT <count>]",
        "    Show information about the stream.",
    ];

    private static void XInfoHelp(ExecContext c) => HelpReply.Write(c.Reply, "XINFO", XInfoHelpLines);

    // ---- helpers ----

    /// <summary>getLongLongFromObjectOrReply with the command's own message.</summary>
    private static bool TryGetLong(ExecContext c, ReadOnlySpan<byte> arg, string error, out long value)
    {
        if (RedisNumbers.TryParseLong(arg, out value)) return true;
        c.Reply.Error(error);
        return false;
    }

    private static string NoKeyOrGroup(ExecContext c) =>
        $"NOGROUP No such key '{Text(c.Args[1])}' or consumer group '{Text(c.Args[2])}'";

    private static string Text(ReadOnlySpan<byte> arg) => CString.Text(arg);

    private static byte[] IdText(StreamId id) => id.ToBytes();
}

/// <summary>
/// Redis 7.0's consumer-group lag arithmetic (t_stream.c): streamRangeHasTombstones and streamReplyWithCGLag's
/// choice between the group's counter, an estimate (<see cref="RedisStream.EstimateDistanceFromFirstEverEntry"/>)
/// and "unknown" (nil).
/// </summary>
public static class StreamLag
{
    /// <summary>streamRangeHasTombstones: whether the greatest deleted ID lies in [start, end] of a non-empty stream.</summary>
    public static bool RangeHasTombstones(RedisStream s, StreamId start, StreamId end)
    {
        if (s.Length == 0 || s.MaxDeletedId.IsZero) return false;
        return start <= s.MaxDeletedId && s.MaxDeletedId <= end;
    }

    /// <summary>streamReplyWithCGLag: entries added and not yet read by the group, or null when unknown.</summary>
    public static long? Lag(RedisStream s, StreamGroup group)
    {
        if (s.EntriesAdded == 0) return 0;
        if (group.EntriesRead != StreamGroup.InvalidEntriesRead && !RangeHasTombstones(s, group.LastId, StreamId.Max))
            return (long)s.EntriesAdded - group.EntriesRead;
        var read = s.EstimateDistanceFromFirstEverEntry(group.LastId);
        return read != StreamGroup.InvalidEntriesRead ? (long)s.EntriesAdded - read : null;
    }
}
