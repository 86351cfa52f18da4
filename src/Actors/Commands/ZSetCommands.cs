using System.Globalization;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.ArgReaders;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Redis 7.0's sorted-set family (t_zset.c) without the blocking variants: ZADD and ZINCRBY, removals, scores and
/// ranks, the ZRANGE family (ZRANGESTORE included), ZREMRANGEBY*, pops, ZRANDMEMBER, ZSCAN, and the set operations
/// (ZUNION/ZINTER/ZDIFF, their STORE forms, ZINTERCARD). Values are a listpack <c>byte[]</c> or a <see cref="RedisSortedSet"/> (<see cref="ZSet"/> works over
/// both). Checks happen in Redis's order (arguments first, then the key's type), so that a request with several
/// faults gets the same error as from Redis.
/// </summary>
public static class ZSetCommands
{
    private const string MinMaxNotFloat = "ERR min or max is not a float";
    private const string MinMaxNotLex = "ERR min or max not valid string range item";

    public static void Register(CommandTable t)
    {
        var z = A("sortedset");
        void Add(string name, int arity, string flags, int first, int last, CommandHandler handler, string keyFlags, string? search = null,
            int member = 0)
        {
            t.Add(new(name, arity, F(flags), first, last, first == 0 ? 0 : 1, z)
            {
                Handler = handler,
                KeySpecFlags = [keyFlags],
                KeySpecSearch = search == null ? [] : [search],
                MemberArg = member,
            });
        }

        Add("zadd", -4, "write denyoom fast", 1, 1, ZAdd, "RW update", member: -1);
        Add("zincrby", 4, "write denyoom fast", 1, 1, ZIncrBy, "RW access update", member: 3);
        Add("zrem", -3, "write fast", 1, 1, ZRem, "RW delete", member: 2);
        Add("zcard", 2, "readonly fast", 1, 1, ZCard, "RO");
        Add("zscore", 3, "readonly fast", 1, 1, ZScore, "RO access", member: 2);
        Add("zmscore", -3, "readonly fast", 1, 1, ZMScore, "RO access", member: 2);
        Add("zcount", 4, "readonly fast", 1, 1, ZCount, "RO access");
        Add("zlexcount", 4, "readonly fast", 1, 1, ZLexCount, "RO access");
        Add("zrank", 3, "readonly fast", 1, 1, c => Rank(c, reverse: false), "RO access", member: 2);
        Add("zrevrank", 3, "readonly fast", 1, 1, c => Rank(c, reverse: true), "RO access", member: 2);
        Add("zrange", -4, "readonly", 1, 1, c => RangeGeneric(c, 1, false, RangeType.Auto, Direction.Auto), "RO access");
        Add("zrangebyscore", -4, "readonly", 1, 1, c => RangeGeneric(c, 1, false, RangeType.Score, Direction.Forward), "RO access");
        Add("zrevrangebyscore", -4, "readonly", 1, 1, c => RangeGeneric(c, 1, false, RangeType.Score, Direction.Reverse), "RO access");
        Add("zrangebylex", -4, "readonly", 1, 1, c => RangeGeneric(c, 1, false, RangeType.Lex, Direction.Forward), "RO access");
        Add("zrevrangebylex", -4, "readonly", 1, 1, c => RangeGeneric(c, 1, false, RangeType.Lex, Direction.Reverse), "RO access");
        Add("zrevrange", -4, "readonly", 1, 1, c => RangeGeneric(c, 1, false, RangeType.Rank, Direction.Reverse), "RO access");
        t.Add(new("zrangestore", -5, F("write denyoom"), 1, 2, 1, z)
        {
            Handler = c => RangeGeneric(c, 2, true, RangeType.Auto, Direction.Auto),
            KeySpecFlags = ["OW update", "RO access"],
        });
        Add("zremrangebyrank", 4, "write", 1, 1, c => RemoveRange(c, RangeType.Rank), "RW delete");
        Add("zremrangebyscore", 4, "write", 1, 1, c => RemoveRange(c, RangeType.Score), "RW delete");
        Add("zremrangebylex", 4, "write", 1, 1, c => RemoveRange(c, RangeType.Lex), "RW delete");
        Add("zpopmin", -2, "write fast", 1, 1, c => ZPop(c, max: false), "RW access delete");
        Add("zpopmax", -2, "write fast", 1, 1, c => ZPop(c, max: true), "RW access delete");
        Add("zmpop", -4, "write", 0, 0, ZMPop, "RW access delete", "index 1 keynum 0 1 1");
        Add("bzpopmin", -3, "write noscript blocking fast", 1, -2, c => BlockingZPop(c, max: false), "RW access delete");
        Add("bzpopmax", -3, "write noscript blocking fast", 1, -2, c => BlockingZPop(c, max: true), "RW access delete");
        Add("bzmpop", -5, "write blocking", 0, 0, BZMPop, "RW access delete", "index 2 keynum 0 1 1");
        Add("zrandmember", -2, "readonly", 1, 1, ZRandMember, "RO access");
        Add("zscan", -3, "readonly", 1, 1, ZScan, "RO access");

        void AddStore(string name, SetOp op)
        {
            t.Add(new(name, -4, F("write denyoom"), 1, 1, 1, z)
            {
                Handler = c => SetOperation(c, 2, store: true, op, cardinalityOnly: false),
                KeySpecFlags = ["OW update", "RO access"],
                KeySpecSearch = ["", "index 2 keynum 0 1 1"],
            });
        }
        AddStore("zunionstore", SetOp.Union);
        AddStore("zinterstore", SetOp.Inter);
        AddStore("zdiffstore", SetOp.Diff);
        Add("zunion", -3, "readonly", 0, 0, c => SetOperation(c, 1, store: false, SetOp.Union, false), "RO access", "index 1 keynum 0 1 1");
        Add("zinter", -3, "readonly", 0, 0, c => SetOperation(c, 1, store: false, SetOp.Inter, false), "RO access", "index 1 keynum 0 1 1");
        Add("zdiff", -3, "readonly", 0, 0, c => SetOperation(c, 1, store: false, SetOp.Diff, false), "RO access", "index 1 keynum 0 1 1");
        Add("zintercard", -3, "readonly", 0, 0, c => SetOperation(c, 1, store: false, SetOp.Inter, true), "RO access", "index 1 keynum 0 1 1");
    }

    private enum RangeType { Auto, Rank, Score, Lex }
    private enum Direction { Auto, Forward, Reverse }

    /// <summary>The elements a command reads out, reused (a shard runs one command at a time on its thread).</summary>
    [ThreadStatic] private static List<ZItem>? _scratch;

    private static List<ZItem> Scratch() => _scratch ??= new List<ZItem>();

    /// <summary>Stores a changed value back: a listpack change is a new array, a conversion a new object.</summary>
    private static void Store(Database db, KeyEntry entry, object before, object after)
    {
        if (!ReferenceEquals(before, after)) db.ReplaceValue(entry, ZSet.EncodingOf(after), after);
    }

    // ---- ZADD / ZINCRBY ----

    private static void ZAdd(ExecContext c) => ZAddGeneric(c, ZAddFlags.None);

    private static void ZIncrBy(ExecContext c) => ZAddGeneric(c, ZAddFlags.Incr);

    /// <summary>zaddGenericCommand: options, then every score parsed, then the key; one reply for all pairs.</summary>
    private static void ZAddGeneric(ExecContext c, ZAddFlags flags)
    {
        var ch = false;
        var scoreIdx = 2;
        for (; scoreIdx < c.Argc; scoreIdx++)
        {
            if (c.ArgIs(scoreIdx, "nx")) flags |= ZAddFlags.NX;
            else if (c.ArgIs(scoreIdx, "xx")) flags |= ZAddFlags.XX;
            else if (c.ArgIs(scoreIdx, "ch")) ch = true;
            else if (c.ArgIs(scoreIdx, "incr")) flags |= ZAddFlags.Incr;
            else if (c.ArgIs(scoreIdx, "gt")) flags |= ZAddFlags.GT;
            else if (c.ArgIs(scoreIdx, "lt")) flags |= ZAddFlags.LT;
            else break;
        }
        var incr = (flags & ZAddFlags.Incr) != 0;
        var nx = (flags & ZAddFlags.NX) != 0;
        var xx = (flags & ZAddFlags.XX) != 0;
        var gt = (flags & ZAddFlags.GT) != 0;
        var lt = (flags & ZAddFlags.LT) != 0;
        var elements = c.Argc - scoreIdx;
        if (elements % 2 != 0 || elements == 0)
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        elements /= 2;
        if (nx && xx)
        {
            c.Reply.Error("ERR XX and NX options at the same time are not compatible");
            return;
        }
        if ((gt && nx) || (lt && nx) || (gt && lt))
        {
            c.Reply.Error("ERR GT, LT, and/or NX options at the same time are not compatible");
            return;
        }
        if (incr && elements > 1)
        {
            c.Reply.Error("ERR INCR option supports a single increment-element pair");
            return;
        }
        Span<double> scores = elements <= 32 ? stackalloc double[elements] : new double[elements];
        var longest = 0;
        for (var j = 0; j < elements; j++)
        {
            if (!TryParseScore(c.Args[scoreIdx + j * 2], out scores[j]))
            {
                c.Reply.Error(Errors.NotFloat);
                return;
            }
            longest = Math.Max(longest, c.Args[scoreIdx + j * 2 + 1].Length);
        }

        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        long added = 0, updated = 0, processed = 0;
        var score = 0.0;
        if (!obj.Exists && xx)
        {
            ReplyZAdd(c, incr, ch, processed, score, added, updated);
            return;
        }
        var maxEntries = c.Config.ZsetMaxListpackEntries;
        var maxValue = c.Config.ZsetMaxListpackValue;
        var before = obj.Exists ? obj.Value : ZSet.Create(elements, longest, maxEntries, maxValue);
        var value = before;
        for (var j = 0; j < elements; j++)
        {
            var result = ZSet.Add(ref value, scores[j], c.Args[scoreIdx + j * 2 + 1], flags, maxEntries, maxValue, out var newScore);
            if (result == ZAddResult.NaN)
            {
                // Only an INCR on an existing member gets here, the first and only pair: nothing changed.
                c.Reply.Error("ERR resulting score is not a number (NaN)");
                return;
            }
            if (result == ZAddResult.Added) added++;
            else if (result == ZAddResult.Updated) updated++;
            if (result != ZAddResult.Nop) processed++;
            score = newScore;
        }
        if (!obj.Exists) db.SetValue(key, RedisType.ZSet, ZSet.EncodingOf(value), value, c.Now);
        else Store(db, obj, before, value);
        if (added + updated > 0)
        {
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyZset, incr ? "zincr" : "zadd", key);
            c.Propagate();
        }
        ReplyZAdd(c, incr, ch, processed, score, added, updated);
    }

    private static void ReplyZAdd(ExecContext c, bool incr, bool ch, long processed, double score, long added, long updated)
    {
        if (incr)
        {
            if (processed > 0) c.Reply.Double(score);
            else c.Reply.NullBulk();
        }
        else c.Reply.Integer(ch ? added + updated : added);
    }

    // ---- ZREM ----

    private static void ZRem(ExecContext c)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        if (!obj.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        var before = obj.Value;
        var value = before;
        long deleted = 0;
        for (var j = 2; j < c.Argc; j++)
        {
            if (!ZSet.Remove(ref value, c.Args[j])) continue;
            deleted++;
            if (ZSet.Length(value) == 0) break;
        }
        FinishRemoval(c, db, key, obj, before, value, deleted, "zrem");
    }

    /// <summary>ZREM's and ZREMRANGEBY*'s end: an emptied set goes (dbDelete), a changed one is stored back, the
    /// command propagates when it removed something, with its keyspace event (<paramref name="removeEvent"/>, then "del"
    /// when the set was emptied), and the reply is the count.</summary>
    private static void FinishRemoval(ExecContext c, Database db, ReadOnlySpan<byte> key, KeyEntry obj, object before, object value, long deleted,
        string removeEvent)
    {
        var emptied = ZSet.Length(value) == 0;
        if (emptied) db.Delete(obj);
        else Store(db, obj, before, value);
        if (deleted > 0)
        {
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyZset, removeEvent, key);
            if (emptied) c.Notify(ServerConfig.NotifyGeneric, "del", key);
            c.Propagate();
        }
        c.Reply.Integer(deleted);
    }

    // ---- reads of one member or the size ----

    private static void ZCard(ExecContext c)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        c.Reply.Integer(obj.Exists ? ZSet.Length(obj.Value) : 0);
    }

    private static void ZScore(ExecContext c)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        if (obj.Exists && ZSet.TryGetScore(obj.Value, c.Args[2], out var score)) c.Reply.Double(score);
        else c.Reply.NullBulk();
    }

    private static void ZMScore(ExecContext c)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        c.Reply.ArrayHeader(c.Argc - 2);
        for (var j = 2; j < c.Argc; j++)
        {
            if (obj.Exists && ZSet.TryGetScore(obj.Value, c.Args[j], out var score)) c.Reply.Double(score);
            else c.Reply.NullBulk();
        }
    }

    private static void Rank(ExecContext c, bool reverse)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        var rank = obj.Exists ? ZSet.Rank(obj.Value, c.Args[2], reverse) : -1;
        if (rank >= 0) c.Reply.Integer(rank);
        else c.Reply.NullBulk();
    }

    private static void ZCount(ExecContext c)
    {
        if (!TryParseScoreRange(c.Args[2], c.Args[3], out var range))
        {
            c.Reply.Error(MinMaxNotFloat);
            return;
        }
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        c.Reply.Integer(obj.Exists ? ZSet.Count(obj.Value, range) : 0);
    }

    private static void ZLexCount(ExecContext c)
    {
        if (!LexRange.TryParse(c.Args[2], c.Args[3], out var range))
        {
            c.Reply.Error(MinMaxNotLex);
            return;
        }
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        c.Reply.Integer(obj.Exists ? ZSet.Count(obj.Value, range) : 0);
    }

    // ---- the ZRANGE family ----

    /// <summary>zrangeGenericCommand: options (which the command's own kind restricts), the range, then the key.
    /// <paramref name="argStart"/> is the source key's index (2 for ZRANGESTORE, whose destination is argument 1).</summary>
    private static void RangeGeneric(ExecContext c, int argStart, bool store, RangeType type, Direction direction)
    {
        var minIdx = argStart + 1;
        var maxIdx = argStart + 2;
        var withScores = false;
        long offset = 0, limit = -1;
        for (var j = argStart + 3; j < c.Argc; j++)
        {
            var left = c.Argc - j - 1;
            if (!store && c.ArgIs(j, "withscores")) withScores = true;
            else if (c.ArgIs(j, "limit") && left >= 2)
            {
                if (!TryGetLong(c, c.Args[j + 1], out offset) || !TryGetLong(c, c.Args[j + 2], out limit)) return;
                j += 2;
            }
            else if (direction == Direction.Auto && c.ArgIs(j, "rev")) direction = Direction.Reverse;
            else if (type == RangeType.Auto && c.ArgIs(j, "bylex")) type = RangeType.Lex;
            else if (type == RangeType.Auto && c.ArgIs(j, "byscore")) type = RangeType.Score;
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }
        if (direction == Direction.Auto) direction = Direction.Forward;
        if (type == RangeType.Auto) type = RangeType.Rank;
        if (limit != -1 && type == RangeType.Rank)
        {
            c.Reply.Error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
            return;
        }
        if (withScores && type == RangeType.Lex)
        {
            c.Reply.Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
            return;
        }
        var reverse = direction == Direction.Reverse;
        // Score and lex ranges are given as max, min when reversed.
        if (reverse && type != RangeType.Rank) (minIdx, maxIdx) = (maxIdx, minIdx);

        long start = 0, end = 0;
        ScoreRange scores = default;
        LexRange lexes = default;
        switch (type)
        {
            case RangeType.Rank:
                if (!TryGetLong(c, c.Args[minIdx], out start) || !TryGetLong(c, c.Args[maxIdx], out end)) return;
                break;
            case RangeType.Score:
                if (!TryParseScoreRange(c.Args[minIdx], c.Args[maxIdx], out scores))
                {
                    c.Reply.Error(MinMaxNotFloat);
                    return;
                }
                break;
            default:
                if (!LexRange.TryParse(c.Args[minIdx], c.Args[maxIdx], out lexes))
                {
                    c.Reply.Error(MinMaxNotLex);
                    return;
                }
                break;
        }

        var source = c.Args[argStart];
        var obj = c.Db(source).Lookup(source, c.Now);
        if (!obj.Exists)
        {
            if (store) FinishStore(c, Scratch(), 0);
            else c.Reply.ArrayHeader(0);
            return;
        }
        if (c.WrongType(obj, RedisType.ZSet)) return;

        var items = Scratch();
        long sizeHint = 0;
        try
        {
            switch (type)
            {
                case RangeType.Rank:
                {
                    if (ClampRanks(ref start, ref end, ZSet.Length(obj.Value))) ZSet.RangeByRank(obj.Value, start, end, reverse, items);
                    else items.Clear();
                    sizeHint = items.Count;
                    break;
                }
                case RangeType.Score:
                    // genericZrangebyscoreCommand answers an offset past the end at once.
                    if (offset > 0 && offset >= ZSet.Length(obj.Value)) items.Clear();
                    else ZSet.RangeByScore(obj.Value, scores, reverse, offset, limit, items);
                    break;
                default:
                    if (offset > 0 && offset >= ZSet.Length(obj.Value)) items.Clear();
                    else ZSet.RangeByLex(obj.Value, lexes, reverse, offset, limit, items);
                    break;
            }
            if (store) FinishStore(c, items, sizeHint);
            else WriteItems(c.Reply, items, withScores, nested: withScores && c.Reply.Protocol == 3);
        }
        finally
        {
            items.Clear();
        }
    }

    /// <summary>zrangeResultBeginStore/FinalizeStore: the result becomes the destination (built fresh, so a listpack
    /// when it is small, as zsetTypeCreate sizes it), or the destination is deleted when the result is empty.</summary>
    private static void FinishStore(ExecContext c, List<ZItem> items, long sizeHint)
    {
        var destination = c.Args[1];
        var db = c.Db(destination);
        if (items.Count == 0)
        {
            c.Reply.Integer(0);
            // dbDelete: no lookup, so an expired destination is deleted as any other (no DEL of its own).
            var existing = db.Find(destination, long.MinValue);
            if (!existing.Exists) return;
            db.Delete(existing);
            c.KeyModified(db, destination);
            c.Notify(ServerConfig.NotifyGeneric, "del", destination);
            c.Propagate();
            return;
        }
        // setKey looks the destination up for writing: an expired one is deleted (and its DEL propagated) first.
        db.LookupWrite(destination, c.Now);
        var maxEntries = c.Config.ZsetMaxListpackEntries;
        var maxValue = c.Config.ZsetMaxListpackValue;
        var value = ZSet.Create(sizeHint, 0, maxEntries, maxValue);
        foreach (var item in items) ZSet.Add(ref value, item.Score, item.Member, ZAddFlags.None, maxEntries, maxValue, out _);
        db.SetValue(destination, RedisType.ZSet, ZSet.EncodingOf(value), value, c.Now);
        c.KeyModified(db, destination); // setKey's signalModifiedKey
        c.Notify(ServerConfig.NotifyZset, "zrangestore", destination);
        c.Propagate();
        c.Reply.Integer(items.Count);
    }

    /// <summary>Elements with or without scores: a flat array in RESP2; pairs as arrays of two when
    /// <paramref name="nested"/> (RESP3 WITHSCORES, ZMPOP).</summary>
    private static void WriteItems(RespWriter reply, List<ZItem> items, bool withScores, bool nested, bool header = true)
    {
        if (header) reply.ArrayHeader(withScores && !nested ? items.Count * 2 : items.Count);
        foreach (var item in items)
        {
            if (nested) reply.ArrayHeader(2);
            reply.Bulk(item.Member);
            if (withScores) reply.Double(item.Score);
        }
    }

    // ---- ZREMRANGEBY* ----

    /// <summary>zremrangeGenericCommand.</summary>
    private static void RemoveRange(ExecContext c, RangeType type)
    {
        long start = 0, end = 0;
        ScoreRange scores = default;
        LexRange lexes = default;
        if (type == RangeType.Rank)
        {
            if (!TryGetLong(c, c.Args[2], out start) || !TryGetLong(c, c.Args[3], out end)) return;
        }
        else if (type == RangeType.Score)
        {
            if (!TryParseScoreRange(c.Args[2], c.Args[3], out scores))
            {
                c.Reply.Error(MinMaxNotFloat);
                return;
            }
        }
        else if (!LexRange.TryParse(c.Args[2], c.Args[3], out lexes))
        {
            c.Reply.Error(MinMaxNotLex);
            return;
        }

        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        if (!obj.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        var before = obj.Value;
        var value = before;
        long deleted;
        if (type == RangeType.Rank)
        {
            if (!ClampRanks(ref start, ref end, ZSet.Length(value)))
            {
                c.Reply.Integer(0);
                return;
            }
            deleted = ZSet.RemoveRangeByRank(ref value, start, end);
        }
        else if (type == RangeType.Score) deleted = ZSet.RemoveRange(ref value, scores);
        else deleted = ZSet.RemoveRange(ref value, lexes);

        FinishRemoval(c, db, key, obj, before, value, deleted,
            type == RangeType.Rank ? "zremrangebyrank" : type == RangeType.Score ? "zremrangebyscore" : "zremrangebylex");
    }

    // ---- pops ----

    /// <summary>zpopMinMaxCommand: ZPOPMIN/ZPOPMAX key [count]; a flat array unless RESP3 with a count.</summary>
    private static void ZPop(ExecContext c, bool max)
    {
        if (c.Argc > 3)
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        long count = -1;
        if (c.Argc == 3 && !TryGetAtLeast(c, c.Args[2], 0, Errors.NotPositive, out count)) return;
        var nested = c.Reply.Protocol == 3 && count != -1;
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        if (!obj.Exists || count == 0)
        {
            c.Reply.ArrayHeader(0);
            return;
        }
        PopFrom(c, db, key, obj, max, count == -1 ? 1 : count, nested);
        // Redis propagates ZPOPMIN/ZPOPMAX as they were sent.
        c.Propagate();
    }

    /// <summary>genericZpopCommand's pop: up to <paramref name="count"/> elements from one end, replied as pairs
    /// (nested or flat), the key deleted when emptied. Returns how many were popped.</summary>
    private static long PopFrom(ExecContext c, Database db, ReadOnlySpan<byte> key, KeyEntry obj, bool max, long count, bool nested, bool header = true)
    {
        var before = obj.Value;
        var value = before;
        long length = ZSet.Length(value);
        var n = Math.Min(count, length);
        var items = Scratch();
        try
        {
            ZSet.RangeByRank(value, 0, n - 1, reverse: max, items);
            WriteItems(c.Reply, items, withScores: true, nested, header);
            if (max) ZSet.RemoveRangeByRank(ref value, length - n, length - 1);
            else ZSet.RemoveRangeByRank(ref value, 0, n - 1);
        }
        finally
        {
            items.Clear();
        }
        // genericZpopCommand: the pop's event, then "del" when the set is gone.
        c.Notify(ServerConfig.NotifyZset, max ? "zpopmax" : "zpopmin", key);
        if (ZSet.Length(value) == 0)
        {
            db.Delete(obj);
            c.Notify(ServerConfig.NotifyGeneric, "del", key);
        }
        else Store(db, obj, before, value);
        c.KeyModified(db, key);
        return n;
    }

    /// <summary>zmpopGenericCommand (non-blocking): ZMPOP numkeys key... MIN|MAX [COUNT n], replayed as
    /// ZPOPMIN/ZPOPMAX key popped-count.</summary>
    private static void ZMPop(ExecContext c) => MPop(c, 1, -1);

    /// <summary>zmpopGenericCommand: [B]ZMPOP's numkeys at <paramref name="numKeysIndex"/>; <paramref name="deadline"/>
    /// is BZMPOP's (-1 for ZMPOP, which never blocks). A parked BZMPOP served later looks at the ready key only
    /// (ExecContext.ServeKey).</summary>
    private static void MPop(ExecContext c, int numKeysIndex, long deadline)
    {
        if (!TryGetAtLeast(c, c.Args[numKeysIndex], 1, "ERR numkeys should be greater than 0", out var numKeys)) return;
        var whereIndex = numKeys >= c.Argc ? c.Argc : numKeysIndex + numKeys + 1;
        if (whereIndex >= c.Argc)
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        bool max;
        if (c.ArgIs((int)whereIndex, "min")) max = false;
        else if (c.ArgIs((int)whereIndex, "max")) max = true;
        else
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        if (!TryGetMpopCount(c, (int)whereIndex + 1, out var count)) return;

        var (first, last) = (numKeysIndex + 1, (int)whereIndex - 1);
        if (c.TryClaimFirstNonEmpty(RedisType.ZSet, first, last, out var i, out var db, out var obj))
        {
            var key = c.Args[i];
            c.Reply.ArrayHeader(2);
            c.Reply.Bulk(key);
            var popped = PopFrom(c, db, key, obj, max, count, nested: true);
            c.Effect(3).Arg(max ? "ZPOPMAX"u8 : "ZPOPMIN"u8).Arg(key).Arg(popped);
        }
        else if (i < 0) c.BlockOrAnswerNull(RedisType.ZSet, deadline, first, last);
    }

    /// <summary>bzpopMinMaxCommand (blockingGenericZpopCommand): the first non-empty sorted set answers [key, member,
    /// score], replayed as ZPOPMIN/ZPOPMAX key; with none, a timeout's null array when it may not block, else it waits.</summary>
    private static void BlockingZPop(ExecContext c, bool max)
    {
        if (!BlockingArgs.TryGetSeconds(c, c.Args[c.Argc - 1], out var deadline)) return;
        var last = c.Argc - 2;
        if (c.TryClaimFirstNonEmpty(RedisType.ZSet, 1, last, out var i, out var db, out var obj))
        {
            var key = c.Args[i];
            c.Reply.ArrayHeader(3);
            c.Reply.Bulk(key);
            PopFrom(c, db, key, obj, max, 1, nested: false, header: false);
            c.Effect(2).Arg(max ? "ZPOPMAX"u8 : "ZPOPMIN"u8).Arg(key);
        }
        else if (i < 0) c.BlockOrAnswerNull(RedisType.ZSet, deadline, 1, last);
    }

    private static void BZMPop(ExecContext c)
    {
        if (!BlockingArgs.TryGetSeconds(c, c.Args[1], out var deadline)) return;
        MPop(c, 2, deadline);
    }

    // ---- ZRANDMEMBER ----

    private static void ZRandMember(ExecContext c)
    {
        if (c.Argc >= 3)
        {
            if (!RedisNumbers.TryParseLong(c.Args[2], out var l))
            {
                c.Reply.Error(Errors.NotInteger);
                return;
            }
            if (l == long.MinValue)
            {
                c.Reply.Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
                return;
            }
            var withScores = false;
            if (c.Argc > 4 || (c.Argc == 4 && !c.ArgIs(3, "withscores")))
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
            if (c.Argc == 4)
            {
                withScores = true;
                if (l < -long.MaxValue / 2 || l > long.MaxValue / 2)
                {
                    c.Reply.Error("ERR value is out of range");
                    return;
                }
            }
            RandMemberWithCount(c, l, withScores);
            return;
        }
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        if (!obj.Exists)
        {
            c.Reply.NullBulk();
            return;
        }
        c.Reply.Bulk(ZSet.Random(obj.Value, Random.Shared).Member);
    }

    /// <summary>zrandmemberWithCountCommand: a negative count repeats picks; a count at least the size returns the
    /// whole set, highest first; a smaller one distinct members in random order.</summary>
    private static void RandMemberWithCount(ExecContext c, long l, bool withScores)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        if (!obj.Exists || l == 0)
        {
            c.Reply.ArrayHeader(0);
            return;
        }
        var nested = withScores && c.Reply.Protocol == 3;
        var unique = l > 0;
        var count = unique ? l : -l;
        long size = ZSet.Length(obj.Value);
        if (!unique || count == 1)
        {
            c.Reply.ArrayHeader((int)(withScores && !nested ? count * 2 : count));
            for (long i = 0; i < count; i++)
            {
                var item = ZSet.Random(obj.Value, Random.Shared);
                if (nested) c.Reply.ArrayHeader(2);
                c.Reply.Bulk(item.Member);
                if (withScores) c.Reply.Double(item.Score);
            }
            return;
        }
        var items = Scratch();
        try
        {
            ZSet.ReadAll(obj.Value, items);
            if (count < size)
            {
                // A partial Fisher-Yates shuffle: the first count slots are a uniform distinct sample.
                for (var i = 0; i < count; i++)
                {
                    var j = i + Random.Shared.Next(items.Count - i);
                    (items[i], items[j]) = (items[j], items[i]);
                }
                items.RemoveRange((int)count, items.Count - (int)count);
            }
            // The whole set comes out as zuiNext walks a zset: from the highest element down.
            else items.Reverse();
            WriteItems(c.Reply, items, withScores, nested);
        }
        finally
        {
            items.Clear();
        }
    }

    // ---- ZSCAN ----

    /// <summary>zscanCommand / scanGenericCommand: a listpack answers everything in one call (cursor 0); a skip
    /// list is walked through its member table with the reverse-binary cursor, COUNT buckets' worth per call.</summary>
    private static void ZScan(ExecContext c)
    {
        if (!KeyCommands.TryParseCursor(c.Args[2], out var cursor))
        {
            c.Reply.Error("ERR invalid cursor");
            return;
        }
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        if (!obj.Exists)
        {
            CollectionScan.WriteEmpty(c.Reply);
            return;
        }
        if (!CollectionScan.TryParseOptions(c, 3, out var count, out var pattern)) return;

        var items = Scratch();
        try
        {
            ulong next = 0;
            if (obj.Value is byte[]) ZSet.ReadAll(obj.Value, items);
            else
            {
                var table = ((RedisSortedSet)obj.Value).Table;
                var found = new List<(byte[] Member, RedisSortedSet.Node Value)>();
                next = CollectionScan.Collect(table, cursor, count, found);
                foreach (var (member, node) in found) items.Add(new ZItem(member, 0, member.Length, node.Score));
            }
            var kept = 0;
            for (var i = 0; i < items.Count; i++)
                if (pattern == null || GlobPattern.Match(pattern, items[i].Member)) items[kept++] = items[i];
            c.Reply.ArrayHeader(2);
            c.Reply.BulkInteger((long)next);
            c.Reply.ArrayHeader(kept * 2);
            Span<byte> text = stackalloc byte[64];
            for (var i = 0; i < kept; i++)
            {
                c.Reply.Bulk(items[i].Member);
                // Scores are strings here in both protocols, as Redis formats them (%.17g, integers plainly).
                c.Reply.Bulk(text[..RedisNumbers.FormatDouble(items[i].Score, text)]);
            }
        }
        finally
        {
            items.Clear();
        }
    }

    // ---- ZUNION / ZINTER / ZDIFF (and their STORE forms), ZINTERCARD ----

    private enum SetOp { Union, Inter, Diff }
    private enum Aggregate { Sum, Min, Max }

    /// <summary>One input of a set operation (zsetopsrc): a sorted set, a plain set (every member scores 1), or
    /// nothing (a missing key, empty).</summary>
    private sealed class Source
    {
        public object? Value;
        public bool IsSet;
        /// <summary>A plain set's encoding (an intset and the small hashtable form are both arrays).</summary>
        public ObjectEncoding SetEncoding;
        public double Weight = 1;
        public long Length;

        /// <summary>zuiFind: the member's score in this input, if it is there.</summary>
        public bool TryFind(ReadOnlySpan<byte> member, out double score)
        {
            score = 1;
            if (Value == null) return false;
            if (IsSet) return new SetValue(SetEncoding, Value).Contains(member);
            return ZSet.TryGetScore(Value, member, out score);
        }

        /// <summary>zuiNext over the whole input (a set's members score 1).</summary>
        public void ReadAll(List<ZItem> output)
        {
            output.Clear();
            if (Value == null) return;
            if (IsSet) ReadSetMembers(new SetValue(SetEncoding, Value), output);
            else ZSet.ReadAll(Value, output);
        }
    }

    /// <summary>
    /// zunionInterDiffGenericCommand: numkeys, the input keys (looked up, and type-checked, before any option is
    /// read), WEIGHTS / AGGREGATE / WITHSCORES / LIMIT as each command allows them, then the result: stored (built
    /// as a skip list, then made a listpack when it fits, as zsetConvertToListpackIfNeeded), replied, or counted.
    /// </summary>
    private static void SetOperation(ExecContext c, int numKeysIndex, bool store, SetOp op, bool cardinalityOnly)
    {
        if (!TryGetLong(c, c.Args[numKeysIndex], out var setNum)) return;
        if (setNum < 1)
        {
            c.Reply.Error($"ERR at least 1 input key is needed for '{c.Command.FullName}' command");
            return;
        }
        if (setNum > c.Argc - (numKeysIndex + 1))
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        var sources = new Source[setNum];
        var j = numKeysIndex + 1;
        for (var i = 0; i < setNum; i++, j++)
        {
            var obj = c.Db(c.Args[j]).Lookup(c.Args[j], c.Now);
            var source = new Source();
            if (obj.Exists)
            {
                if (obj.Type != RedisType.ZSet && obj.Type != RedisType.Set)
                {
                    c.Reply.Error(Errors.WrongType);
                    return;
                }
                source.Value = obj.Value;
                source.IsSet = obj.Type == RedisType.Set;
                source.SetEncoding = obj.Encoding;
                source.Length = source.IsSet ? SetValue.Of(obj).Count : ZSet.Length(obj.Value);
            }
            sources[i] = source;
        }

        var aggregate = Aggregate.Sum;
        var withScores = false;
        long limit = 0;
        var remaining = c.Argc - j;
        while (remaining > 0)
        {
            if (op != SetOp.Diff && !cardinalityOnly && remaining >= setNum + 1 && c.ArgIs(j, "weights"))
            {
                j++;
                remaining--;
                for (var i = 0; i < setNum; i++, j++, remaining--)
                {
                    if (!TryParseScore(c.Args[j], out sources[i].Weight))
                    {
                        c.Reply.Error("ERR weight value is not a float");
                        return;
                    }
                }
            }
            else if (op != SetOp.Diff && !cardinalityOnly && remaining >= 2 && c.ArgIs(j, "aggregate"))
            {
                j++;
                if (c.ArgIs(j, "sum")) aggregate = Aggregate.Sum;
                else if (c.ArgIs(j, "min")) aggregate = Aggregate.Min;
                else if (c.ArgIs(j, "max")) aggregate = Aggregate.Max;
                else
                {
                    c.Reply.Error(Errors.Syntax);
                    return;
                }
                j++;
                remaining -= 2;
            }
            else if (!store && !cardinalityOnly && c.ArgIs(j, "withscores"))
            {
                j++;
                remaining--;
                withScores = true;
            }
            else if (cardinalityOnly && remaining >= 2 && c.ArgIs(j, "limit"))
            {
                if (!TryGetAtLeast(c, c.Args[j + 1], 0, "ERR LIMIT can't be negative", out limit)) return;
                j += 2;
                remaining -= 2;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }

        // Smallest inputs first (a stable sort, as glibc's qsort merges), except for DIFF whose first key is special.
        if (op != SetOp.Diff) sources = sources.OrderBy(s => s.Length).ToArray();

        var result = new RedisSortedSet();
        long cardinality = 0, longest = 0;
        var items = Scratch();
        try
        {
            switch (op)
            {
                case SetOp.Inter:
                    if (sources[0].Length == 0) break;
                    sources[0].ReadAll(items);
                    foreach (var item in items)
                    {
                        var score = sources[0].Weight * item.Score;
                        if (double.IsNaN(score)) score = 0;
                        var k = 1;
                        for (; k < sources.Length; k++)
                        {
                            if (!sources[k].TryFind(item.Member, out var value)) break;
                            Combine(ref score, value * sources[k].Weight, aggregate);
                        }
                        if (k != sources.Length) continue;
                        if (cardinalityOnly)
                        {
                            cardinality++;
                            if (limit != 0 && cardinality >= limit) break;
                            continue;
                        }
                        result.Add(item.Member.ToArray(), score);
                        longest = Math.Max(longest, item.Length);
                    }
                    break;
                case SetOp.Union:
                {
                    var accumulator = new MemberTable<double>((int)sources[^1].Length);
                    foreach (var source in sources)
                    {
                        if (source.Length == 0) continue;
                        source.ReadAll(items);
                        foreach (var item in items)
                        {
                            var score = source.Weight * item.Score;
                            if (double.IsNaN(score)) score = 0;
                            ref var existing = ref accumulator.FindValue(item.Member);
                            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref existing))
                            {
                                accumulator.Add(item.Member.ToArray(), score);
                                longest = Math.Max(longest, item.Length);
                            }
                            else Combine(ref existing, score, aggregate);
                        }
                    }
                    foreach (var (member, score) in accumulator) result.Add(member, score);
                    break;
                }
                default:
                    // zdiff: the first input's elements (with their scores) that no other input holds.
                    if (sources[0].Length == 0) break;
                    sources[0].ReadAll(items);
                    foreach (var item in items)
                    {
                        var found = false;
                        for (var k = 1; k < sources.Length && !found; k++) found = sources[k].TryFind(item.Member, out _);
                        if (found) continue;
                        result.Add(item.Member.ToArray(), item.Score);
                        longest = Math.Max(longest, item.Length);
                    }
                    break;
            }

            if (store) StoreSetResult(c, result, longest, op == SetOp.Union ? "zunionstore" : op == SetOp.Inter ? "zinterstore" : "zdiffstore");
            else if (cardinalityOnly) c.Reply.Integer(cardinality);
            else
            {
                ZSet.ReadAll(result, items);
                WriteItems(c.Reply, items, withScores, nested: withScores && c.Reply.Protocol == 3);
            }
        }
        finally
        {
            items.Clear();
        }
    }

    /// <summary>zunionInterAggregate: a SUM of +inf and -inf is 0, not NaN; MIN/MAX keep the current score when
    /// compared with a NaN.</summary>
    private static void Combine(ref double target, double value, Aggregate aggregate)
    {
        switch (aggregate)
        {
            case Aggregate.Sum:
                target += value;
                if (double.IsNaN(target)) target = 0;
                break;
            case Aggregate.Min:
                target = value < target ? value : target;
                break;
            default:
                target = value > target ? value : target;
                break;
        }
    }

    /// <summary>The STORE forms: the result replaces the destination (a listpack when it fits the limits), or an
    /// empty result deletes it (dbDelete, no lookup: an expired destination is deleted as any other).</summary>
    private static void StoreSetResult(ExecContext c, RedisSortedSet result, long longest, string storeEvent)
    {
        var destination = c.Args[1];
        var db = c.Db(destination);
        if (result.Count == 0)
        {
            c.Reply.Integer(0);
            var existing = db.Find(destination, long.MinValue);
            if (!existing.Exists) return;
            db.Delete(existing);
            c.KeyModified(db, destination);
            c.Notify(ServerConfig.NotifyGeneric, "del", destination);
            c.Propagate();
            return;
        }
        object value = result;
        if (result.Count <= c.Config.ZsetMaxListpackEntries && longest <= c.Config.ZsetMaxListpackValue)
        {
            var items = new List<ZItem>(result.Count);
            ZSet.ReadAll(result, items);
            value = ZSetListpack.FromSorted(items);
        }
        // setKey looks the destination up for writing: an expired one is deleted (and its DEL propagated) first.
        db.LookupWrite(destination, c.Now);
        db.SetValue(destination, RedisType.ZSet, ZSet.EncodingOf(value), value, c.Now);
        c.KeyModified(db, destination); // setKey's signalModifiedKey
        c.Notify(ServerConfig.NotifyZset, storeEvent, destination);
        c.Propagate();
        c.Reply.Integer(result.Count);
    }

    /// <summary>A plain set as an input of the set operations: every member with score 1 (zuiNext over a set).</summary>
    private static void ReadSetMembers(SetValue set, List<ZItem> output)
    {
        foreach (var member in set)
        {
            var bytes = member.ToArray();
            output.Add(new ZItem(bytes, 0, bytes.Length, 1));
        }
    }

    // ---- argument parsing, with Redis's replies ----

    /// <summary>getDoubleFromObject (scores, increments, weights): strtod over the whole argument, and, as Redis
    /// checks errno, an underflow to zero ("1e-400") is not a valid float either (a denormal result is).</summary>
    public static bool TryParseScore(ReadOnlySpan<byte> arg, out double value)
    {
        if (!RedisNumbers.TryParseDouble(arg, out value)) return false;
        if (value != 0) return true;
        // Zero is only exact when no digit of the mantissa is non-zero.
        foreach (var b in arg)
        {
            if (b is (byte)'e' or (byte)'E') break;
            if (b is >= (byte)'1' and <= (byte)'9') return false;
        }
        return true;
    }

    /// <summary>zslParseRange: each end a C strtod over the whole argument (leading spaces allowed, "" is 0,
    /// overflow gives an infinity), optionally after "(" for an exclusive end; NaN is refused.</summary>
    public static bool TryParseScoreRange(ReadOnlySpan<byte> min, ReadOnlySpan<byte> max, out ScoreRange range)
    {
        range = default;
        if (!TryParseRangeEnd(min, out var lo, out var loEx) || !TryParseRangeEnd(max, out var hi, out var hiEx)) return false;
        range = new ScoreRange(lo, hi, loEx, hiEx);
        return true;
    }

    private static bool TryParseRangeEnd(ReadOnlySpan<byte> arg, out double value, out bool exclusive)
    {
        exclusive = arg.Length > 0 && arg[0] == '(';
        if (exclusive) arg = arg[1..];
        return TryStrtod(arg, out value);
    }

    /// <summary>strtod(s, &amp;eptr) with eptr[0] == '\0' and !isnan: the C string ends at a NUL.</summary>
    private static bool TryStrtod(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        s = CString.Of(s);
        if (s.Length == 0) return true;
        s = CString.TrimStart(s);
        if (s.Length == 0) return false;
        if (RedisNumbers.TryParseDouble(s, out value)) return true;
        // What the strict parser refuses but strtod takes: overflow to an infinity (ERANGE is not checked here).
        foreach (var b in s)
            if (!(b is >= (byte)'0' and <= (byte)'9' || b is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+' or (byte)'-')) return false;
        Span<char> chars = stackalloc char[Math.Min(s.Length, 512)];
        if (s.Length > chars.Length) return false;
        for (var i = 0; i < s.Length; i++) chars[i] = (char)s[i];
        return double.TryParse(chars, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
    }

    /// <summary>The rank ranges' sanitising (genericZrangebyrankCommand, zremrangeGenericCommand): negative ranks
    /// count from the end, start is clamped to 0 and end to the last rank; false when nothing is in between.</summary>
    private static bool ClampRanks(ref long start, ref long end, long length)
    {
        if (start < 0) start += length;
        if (end < 0) end += length;
        if (start < 0) start = 0;
        if (start > end || start >= length) return false;
        if (end >= length) end = length - 1;
        return true;
    }
}
