using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.ArgReaders;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Redis 7.0's streams without consumer groups (t_stream.c): XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XREAD,
/// XSETID. Arguments are checked in Redis's order, so that a request with several faults gets Redis's error, and write
/// effects are what redis-server propagates: XADD with its generated ID, and a <c>~</c> trim as the exact trim that
/// replays it (<c>MAXLEN = &lt;length after&gt;</c>, <c>MINID = &lt;first ID after&gt;</c>).
/// </summary>
public static class StreamCommands
{
    public const string XAddIdTooSmall = "ERR The ID specified in XADD is equal or smaller than the target stream top item";
    public const string XAddIdZero = "ERR The ID specified in XADD must be greater than 0-0";
    public const string XAddExhausted = "ERR The stream has exhausted the last possible ID, unable to add more items";

    public static void Register(CommandTable t)
    {
        var stream = A("stream");

        t.Add(new("xadd", -5, F("write denyoom fast"), 1, 1, 1, stream)
        {
            Handler = XAdd,
            KeySpecFlags = ["RW update"],
        });
        t.Add(new("xlen", 2, F("readonly fast"), 1, 1, 1, stream)
        {
            Handler = XLen,
            KeySpecFlags = ["RO"],
        });
        t.Add(new("xrange", -4, F("readonly"), 1, 1, 1, stream)
        {
            Handler = c => XRange(c, reverse: false),
            KeySpecFlags = ["RO access"],
        });
        t.Add(new("xrevrange", -4, F("readonly"), 1, 1, 1, stream)
        {
            Handler = c => XRange(c, reverse: true),
            KeySpecFlags = ["RO access"],
        });
        t.Add(new("xdel", -3, F("write fast"), 1, 1, 1, stream)
        {
            Handler = XDel,
            KeySpecFlags = ["RW delete"],
        });
        t.Add(new("xtrim", -4, F("write"), 1, 1, 1, stream)
        {
            Handler = XTrim,
            KeySpecFlags = ["RW delete"],
        });
        t.Add(new("xread", -4, F("readonly blocking"), 0, 0, 0, stream)
        {
            Handler = XRead,
            KeySpecFlags = ["RO access"], KeySpecSearch = ["keyword STREAMS 1 range -1 1 2"],
        });
        t.Add(new("xsetid", -3, F("write denyoom fast"), 1, 1, 1, stream)
        {
            Handler = XSetId,
            KeySpecFlags = ["RW update"],
        });
    }

    // ---- XADD / XTRIM options (streamParseAddOrTrimArgsOrReply) ----

    private enum TrimStrategy : byte { None, MaxLen, MinId }

    private struct AddTrimArgs
    {
        public StreamId Id;
        public bool IdGiven, SeqGiven, NoMkStream;
        public TrimStrategy Strategy;
        /// <summary>The argument index of the MAXLEN count / MINID ID (rewritten when propagating a <c>~</c> trim).</summary>
        public int StrategyArg;
        public bool Approx;
        public long Limit, MaxLen;
        public StreamId MinId;
    }

    /// <summary>
    /// streamParseAddOrTrimArgsOrReply: the trimming options (and for XADD NOMKSTREAM and the ID), in Redis's order and
    /// with its errors. Returns the ID's argument index for XADD (the argument count when there is none), or -1 after
    /// replying an error. A <c>~</c> trim without LIMIT is limited to 100 nodes' worth of entries, as in Redis.
    /// </summary>
    private static int ParseAddOrTrim(ExecContext c, bool xadd, out AddTrimArgs a)
    {
        a = default;
        var limitGiven = false;
        var i = 2;
        for (; i < c.Argc; i++)
        {
            var more = c.Argc - 1 - i;
            var opt = c.Args[i].Span;
            if (xadd && opt.Length == 1 && opt[0] == '*') break;
            var maxLen = Keywords.Is(opt, "maxlen");
            if ((maxLen || Keywords.Is(opt, "minid")) && more > 0)
            {
                if (a.Strategy != TrimStrategy.None)
                {
                    c.Reply.Error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                    return -1;
                }
                a.Approx = false;
                var next = c.Args[i + 1].Span;
                if (more >= 2 && next.Length == 1 && next[0] == '~')
                {
                    a.Approx = true;
                    i++;
                }
                else if (more >= 2 && next.Length == 1 && next[0] == '=') i++;
                if (maxLen)
                {
                    if (!TryGetLong(c, c.Args[i + 1], out a.MaxLen)) return -1;
                    if (a.MaxLen < 0)
                    {
                        c.Reply.Error("ERR The MAXLEN argument must be >= 0.");
                        return -1;
                    }
                }
                else if (!StreamIdArgs.TryParseOrReply(c, c.Args[i + 1], 0, strict: true, out a.MinId)) return -1;
                i++;
                a.Strategy = maxLen ? TrimStrategy.MaxLen : TrimStrategy.MinId;
                a.StrategyArg = i;
            }
            else if (Keywords.Is(opt, "limit") && more > 0)
            {
                if (!TryGetLong(c, c.Args[i + 1], out a.Limit)) return -1;
                if (a.Limit < 0)
                {
                    c.Reply.Error("ERR The LIMIT argument must be >= 0.");
                    return -1;
                }
                limitGiven = true;
                i++;
            }
            else if (xadd && Keywords.Is(opt, "nomkstream")) a.NoMkStream = true;
            else if (xadd)
            {
                // Anything else is the ID (or a syntax error reported as an invalid ID).
                if (!StreamIdArgs.TryParseWithSeqWildcard(opt, out a.Id, out a.SeqGiven))
                {
                    c.Reply.Error(StreamIdArgs.InvalidId);
                    return -1;
                }
                a.IdGiven = true;
                break;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return -1;
            }
        }
        if (a.Limit != 0 && a.Strategy == TrimStrategy.None)
        {
            c.Reply.Error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
            return -1;
        }
        if (!xadd && a.Strategy == TrimStrategy.None)
        {
            c.Reply.Error("ERR syntax error, XTRIM must be called with a trimming strategy");
            return -1;
        }
        // Redis skips the LIMIT checks below for its master and AOF clients (mustObeyClient): a "~" trim is
        // propagated as "=" with its LIMIT kept. Nothing replays effects here yet; a replica or AOF loader will need
        // that exception.
        if (limitGiven)
        {
            if (!a.Approx)
            {
                c.Reply.Error("ERR syntax error, LIMIT cannot be used without the special ~ option");
                return -1;
            }
        }
        else if (a.Approx)
        {
            // At most 100 nodes' worth, bounded both ways (stream-node-max-entries may be 0, or so big that Redis's
            // long long product wraps negative).
            a.Limit = unchecked(100 * c.Config.StreamNodeMaxEntries);
            if (a.Limit <= 0) a.Limit = 10000;
            if (a.Limit > 1000000) a.Limit = 1000000;
        }
        else a.Limit = 0;
        if (!a.IdGiven) a.SeqGiven = true;
        return i;
    }

    private static long Trim(RedisStream s, in AddTrimArgs a) =>
        s.Trim(a.Strategy == TrimStrategy.MinId, a.MaxLen, a.MinId, a.Approx, a.Limit);

    /// <summary>streamRewriteTrimArgument: what an approximate trim is replayed as, exactly: the length it left
    /// (MAXLEN), or the first entry it left, deleted or not (MINID; the maximum ID when nothing is left, as
    /// streamGetEdgeID answers for an empty stream).</summary>
    private static int FormatTrimResult(RedisStream s, in AddTrimArgs a, Span<byte> buffer)
    {
        if (a.Strategy == TrimStrategy.MaxLen) return RedisNumbers.FormatLong(s.Length, buffer);
        return s.FirstEntryId().Format(buffer);
    }

    // ---- XADD ----

    private static void XAdd(ExecContext c)
    {
        var idPos = ParseAddOrTrim(c, xadd: true, out var a);
        if (idPos < 0) return;
        var fieldPos = idPos + 1;
        var pairs = c.Argc - fieldPos;
        if (pairs < 2 || pairs % 2 == 1)
        {
            c.Reply.Error(CommandTable.ArityError(c.Command));
            return;
        }
        if (a.IdGiven && a.SeqGiven && a.Id.IsZero)
        {
            c.Reply.Error(XAddIdZero);
            return;
        }

        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.Stream)) return;
        if (!obj.Exists)
        {
            if (a.NoMkStream)
            {
                c.Reply.NullBulk();
                return;
            }
            obj = db.SetValue(key, RedisType.Stream, ObjectEncoding.Stream, new RedisStream(), c.Now);
        }
        var s = (RedisStream)obj.Value;
        if (s.LastId == StreamId.Max)
        {
            c.Reply.Error(XAddExhausted);
            return;
        }
        var id = NextId(s, a, c.Now, out var error);
        if (error != null)
        {
            c.Reply.Error(error);
            return;
        }
        s.Append(id, c.Args, fieldPos, c.Config.StreamNodeMaxBytes, c.Config.StreamNodeMaxEntries);
        // xaddCommand's signalKeyAsReady: readers blocked on the stream may be served now.
        c.SignalKeyAsReady(db, key, RedisType.Stream);
        Span<byte> idText = stackalloc byte[StreamId.MaxFormattedLength];
        idText = idText[..id.Format(idText)];
        c.Reply.Bulk(idText);
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyStream, "xadd", key);

        Span<byte> trimText = stackalloc byte[StreamId.MaxFormattedLength];
        var trimLength = 0;
        if (a.Strategy != TrimStrategy.None)
        {
            if (Trim(s, a) != 0) c.Notify(ServerConfig.NotifyStream, "xtrim", key);
            if (a.Approx) trimLength = FormatTrimResult(s, a, trimText);
        }
        var rewriteId = !a.IdGiven || !a.SeqGiven;
        if (!rewriteId && !a.Approx)
        {
            c.Propagate();
            return;
        }
        var effect = c.Effect(c.Argc);
        for (var i = 0; i < c.Argc; i++)
        {
            if (i == idPos && rewriteId) effect.Arg(idText);
            else if (a.Approx && i == a.StrategyArg - 1) effect.Arg("="u8);
            else if (a.Approx && i == a.StrategyArg) effect.Arg(trimText[..trimLength]);
            else effect.Arg(c.Args[i]);
        }
    }

    /// <summary>The ID streamAppendItem gives the entry: the one given; "ms-*": the next sequence in that
    /// millisecond (0 in a later one); "*": the clock's millisecond, or last_id's successor while the clock has not
    /// passed it. <paramref name="error"/> when that is not above last_id, or ("ms-*" at the last sequence of
    /// last_id's millisecond) the ERANGE that xaddCommand words as elements too large.</summary>
    private static StreamId NextId(RedisStream s, in AddTrimArgs a, long now, out string? error)
    {
        var last = s.LastId;
        StreamId id;
        error = null;
        if (a.IdGiven)
        {
            if (a.SeqGiven) id = a.Id;
            else if (a.Id.Ms == last.Ms)
            {
                if (last.Seq == ulong.MaxValue)
                {
                    error = "ERR Elements are too large to be stored";
                    return default;
                }
                id = new StreamId(last.Ms, last.Seq + 1);
            }
            else id = new StreamId(a.Id.Ms, 0);
        }
        else if ((ulong)now > last.Ms) id = new StreamId((ulong)now, 0);
        else last.TryIncrement(out id);
        if (id <= last) error = XAddIdTooSmall;
        return id;
    }

    // ---- XTRIM ----

    private static void XTrim(ExecContext c)
    {
        if (ParseAddOrTrim(c, xadd: false, out var a) < 0) return;
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.Stream)) return;
        if (!obj.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        var s = (RedisStream)obj.Value;
        var deleted = Trim(s, a);
        if (deleted != 0)
        {
            c.Notify(ServerConfig.NotifyStream, "xtrim", key);
            c.KeyModified(db, key);
            if (!a.Approx) c.Propagate();
            else
            {
                Span<byte> trimText = stackalloc byte[StreamId.MaxFormattedLength];
                var trimLength = FormatTrimResult(s, a, trimText);
                var effect = c.Effect(c.Argc);
                for (var i = 0; i < c.Argc; i++)
                {
                    if (i == a.StrategyArg - 1) effect.Arg("="u8);
                    else if (i == a.StrategyArg) effect.Arg(trimText[..trimLength]);
                    else effect.Arg(c.Args[i]);
                }
            }
        }
        c.Reply.Integer(deleted);
    }

    // ---- XLEN, XRANGE, XREVRANGE ----

    private static void XLen(ExecContext c)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.Stream)) return;
        c.Reply.Integer(obj.Exists ? ((RedisStream)obj.Value).Length : 0);
    }

    /// <summary>xrangeGenericCommand: the interval (XREVRANGE takes the end first), COUNT (negative counts as 0,
    /// which answers a null array for an existing stream), then the key.</summary>
    private static void XRange(ExecContext c, bool reverse)
    {
        var startArg = reverse ? c.Args[3] : c.Args[2];
        var endArg = reverse ? c.Args[2] : c.Args[3];
        if (!StreamIdArgs.TryParseIntervalStartOrReply(c, startArg, out var start)) return;
        if (!StreamIdArgs.TryParseIntervalEndOrReply(c, endArg, out var end)) return;
        long count = -1;
        for (var j = 4; j < c.Argc; j++)
        {
            if (c.ArgIs(j, "count") && c.Argc - j - 1 >= 1)
            {
                if (!TryGetLong(c, c.Args[j + 1], out count)) return;
                if (count < 0) count = 0;
                j++;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (!obj.Exists)
        {
            c.Reply.ArrayHeader(0);
            return;
        }
        if (c.WrongType(obj, RedisType.Stream)) return;
        if (count == 0)
        {
            c.Reply.NullArray();
            return;
        }
        WriteRange(c.Reply, (RedisStream)obj.Value, start, end, count == -1 ? 0 : count, reverse);
    }

    /// <summary>streamReplyWithRange without groups: an array of up to <paramref name="count"/> entries (0: all). The
    /// entries are counted first, since the array's length comes before them.</summary>
    public static void WriteRange(RespWriter w, RedisStream s, StreamId start, StreamId end, long count, bool reverse)
    {
        long n = 0;
        foreach (var _ in s.GetRange(start, end, reverse))
            if (++n == count) break;
        w.ArrayHeader((int)n);
        if (n == 0) return;
        foreach (var e in s.GetRange(start, end, reverse))
        {
            StreamReplies.WriteEntry(w, e);
            if (--n == 0) break;
        }
    }

    // ---- XDEL ----

    /// <summary>xdelCommand: the key first (a missing key answers 0 whatever the IDs), then every ID parsed before
    /// anything is deleted.</summary>
    private static void XDel(ExecContext c)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (!obj.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        if (c.WrongType(obj, RedisType.Stream)) return;
        var n = c.Argc - 2;
        Span<StreamId> ids = n <= 16 ? stackalloc StreamId[n] : new StreamId[n];
        for (var j = 0; j < n; j++)
            if (!StreamIdArgs.TryParseOrReply(c, c.Args[j + 2], 0, strict: true, out ids[j])) return;
        var s = (RedisStream)obj.Value;
        var deleted = 0;
        foreach (var id in ids)
            if (s.DeleteAndRecord(id)) deleted++;
        if (deleted != 0)
        {
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyStream, "xdel", key);
            c.Propagate();
        }
        c.Reply.Integer(deleted);
    }

    // ---- XSETID ----

    private static void XSetId(ExecContext c)
    {
        if (!StreamIdArgs.TryParseOrReply(c, c.Args[2], 0, strict: true, out var id)) return;
        long entriesAdded = -1;
        var maxDeleted = StreamId.Min;
        for (var i = 3; i < c.Argc;)
        {
            var more = c.Argc - 1 - i;
            if (c.ArgIs(i, "entriesadded") && more > 0)
            {
                if (!TryGetLong(c, c.Args[i + 1], out entriesAdded)) return;
                if (entriesAdded < 0)
                {
                    c.Reply.Error("ERR entries_added must be positive");
                    return;
                }
                i += 2;
            }
            else if (c.ArgIs(i, "maxdeletedid") && more > 0)
            {
                if (!StreamIdArgs.TryParseOrReply(c, c.Args[i + 1], 0, strict: true, out maxDeleted)) return;
                if (id < maxDeleted)
                {
                    c.Reply.Error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                    return;
                }
                i += 2;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (!obj.Exists)
        {
            c.Reply.Error(Errors.NoSuchKey);
            return;
        }
        if (c.WrongType(obj, RedisType.Stream)) return;
        var s = (RedisStream)obj.Value;
        // Redis 7.0 does not compare the ID with the stream's own max_deleted_entry_id (later versions do).
        if (s.Length > 0)
        {
            if (id < s.LastValidId())
            {
                c.Reply.Error("ERR The ID specified in XSETID is smaller than the target stream top item");
                return;
            }
            if (entriesAdded != -1 && s.Length > entriesAdded)
            {
                c.Reply.Error("ERR The entries_added specified in XSETID is smaller than the target stream length");
                return;
            }
        }
        s.LastId = id;
        if (entriesAdded != -1) s.EntriesAdded = (ulong)entriesAdded;
        if (!maxDeleted.IsZero) s.MaxDeletedId = maxDeleted;
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyStream, "xsetid", key);
        c.Propagate();
        c.Reply.Ok();
    }

    // ---- XREAD ----

    /// <summary>
    /// xreadCommand without groups: options, then per stream (in order) its type and its ID ("$" is the stream's
    /// last_id), then every stream with an entry after its ID is served, up to COUNT entries each. With BLOCK and
    /// nothing to serve the request waits (the IDs as resolved now, "$" included, kept for when it is served); a
    /// waiter is served later from the one stream that became ready, as Redis 7.0's serveClientsBlockedOnStreamKey
    /// answers it. <see cref="ReadStreams"/> is the part a woken reader re-runs.
    /// </summary>
    private static void XRead(ExecContext c)
    {
        long timeout = -1, count = 0;
        var deadline = 0L;
        var streamsArg = 0;
        var streams = 0;
        for (var i = 1; i < c.Argc; i++)
        {
            var more = c.Argc - i - 1;
            if (c.ArgIs(i, "block") && more > 0)
            {
                i++;
                if (!BlockingArgs.TryGetMilliseconds(c, c.Args[i], out deadline)) return;
                timeout = deadline;
            }
            else if (c.ArgIs(i, "count") && more > 0)
            {
                i++;
                if (!TryGetLong(c, c.Args[i], out count)) return;
                if (count < 0) count = 0;
            }
            else if (c.ArgIs(i, "streams") && more > 0)
            {
                streamsArg = i + 1;
                streams = c.Argc - streamsArg;
                if (streams % 2 != 0)
                {
                    c.Reply.Error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
                    return;
                }
                streams /= 2;
                break;
            }
            else if (c.ArgIs(i, "group") && more >= 2)
            {
                c.Reply.Error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                return;
            }
            else if (c.ArgIs(i, "noack"))
            {
                c.Reply.Error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                return;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }
        if (streamsArg == 0)
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }

        if (c.ServeKey >= 0)
        {
            ServeBlockedRead(c, streamsArg, streams, (StreamId[])c.Request!.State!, count);
            return;
        }
        Span<StreamId> ids = streams <= 16 ? stackalloc StreamId[streams] : new StreamId[streams];
        for (var k = 0; k < streams; k++)
        {
            var key = c.Args[streamsArg + k];
            var obj = c.Db(key).Lookup(key, c.Now);
            if (c.WrongType(obj, RedisType.Stream)) return;
            var arg = c.Args[streamsArg + streams + k].Span;
            if (arg.Length == 1 && arg[0] == '$')
            {
                ids[k] = obj.Exists ? ((RedisStream)obj.Value).LastId : StreamId.Min;
                continue;
            }
            if (arg.Length == 1 && arg[0] == '>')
            {
                c.Reply.Error("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
                return;
            }
            if (!StreamIdArgs.TryParseOrReply(c, arg, 0, strict: true, out ids[k])) return;
        }

        if (ReadStreams(c, streamsArg, ids, count)) return;
        if (timeout != -1 && c.MayBlock) c.Block(RedisType.Stream, deadline, streamsArg, streamsArg + streams - 1, ids.ToArray());
        else c.Reply.NullArray();
    }

    /// <summary>A parked XREAD offered its ready stream (ExecContext.ServeKey): served with that stream alone if it has
    /// an entry after the ID resolved when it blocked; else it keeps waiting (a stream deleted, or re-created with
    /// older IDs, serves nothing).</summary>
    private static void ServeBlockedRead(ExecContext c, int streamsArg, int streams, StreamId[] ids, long count)
    {
        var k = c.ServeKey - streamsArg;
        if (k < 0 || k >= streams || EntryAfter(c.Db(c.Args[c.ServeKey]).Find(c.Args[c.ServeKey], c.Now), ids[k]) == null)
        {
            c.Block(RedisType.Stream, 0, 0, 0);
            return;
        }
        if (!c.Claim()) return;
        ReadStreams(c, c.ServeKey, ids.AsSpan(k, 1), count);
    }

    /// <summary>
    /// Serves the streams at <paramref name="streamsArg"/>.. that have an entry after their ID in
    /// <paramref name="after"/> (a map in RESP3, an array of [key, entries] pairs in RESP2), or writes nothing and
    /// returns false when none has (the caller answers, or would block).
    /// </summary>
    public static bool ReadStreams(ExecContext c, int streamsArg, ReadOnlySpan<StreamId> after, long count)
    {
        // Counted first without touching the keys (the reply's length comes first); then looked up once each, as
        // Redis's serving loop does.
        var served = 0;
        for (var k = 0; k < after.Length; k++)
            if (EntryAfter(c.Db(c.Args[streamsArg + k]).Find(c.Args[streamsArg + k], c.Now), after[k]) != null) served++;
        if (served == 0) return false;
        var resp3 = c.Reply.Protocol == 3;
        if (resp3) c.Reply.MapHeader(served);
        else c.Reply.ArrayHeader(served);
        for (var k = 0; k < after.Length; k++)
        {
            var key = c.Args[streamsArg + k];
            if (EntryAfter(c.Db(key).Lookup(key, c.Now), after[k]) is not { } s) continue;
            if (!resp3) c.Reply.ArrayHeader(2);
            c.Reply.Bulk(key);
            after[k].TryIncrement(out var start);
            WriteRange(c.Reply, s, start, StreamId.Max, count, reverse: false);
        }
        return true;
    }

    /// <summary>The stream when XREAD serves it now (its last entry that is not deleted is after the ID), else null.</summary>
    private static RedisStream? EntryAfter(KeyEntry obj, StreamId after) =>
        obj.Exists && obj.Value is RedisStream { Length: > 0 } s && s.LastValidId() > after ? s : null;
}
