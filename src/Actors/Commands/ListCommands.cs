using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.ArgReaders;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// The list family (Redis 7.0's t_list.c): pushes, pops, ranges, LINSERT/LREM/LSET, LPOS, LMOVE/RPOPLPUSH, LMPOP,
/// and the blocking BLPOP/BRPOP/BLMOVE/BRPOPLPUSH/BLMPOP. Checks happen in Redis's order (arguments first, then the key's type), so that
/// a request with several faults gets the same error as from Redis.
/// </summary>
public static class ListCommands
{
    public static void Register(CommandTable t)
    {
        var list = A("list");

        t.Add(new("lpush", -3, F("write denyoom fast"), 1, 1, 1, list)
        {
            Handler = LPush,
            KeySpecFlags = ["RW insert"],
        });
        t.Add(new("rpush", -3, F("write denyoom fast"), 1, 1, 1, list)
        {
            Handler = RPush,
            KeySpecFlags = ["RW insert"],
        });
        t.Add(new("lpushx", -3, F("write denyoom fast"), 1, 1, 1, list)
        {
            Handler = LPushX,
            KeySpecFlags = ["RW insert"],
        });
        t.Add(new("rpushx", -3, F("write denyoom fast"), 1, 1, 1, list)
        {
            Handler = RPushX,
            KeySpecFlags = ["RW insert"],
        });
        t.Add(new("lpop", -2, F("write fast"), 1, 1, 1, list)
        {
            Handler = LPop,
            KeySpecFlags = ["RW access delete"],
        });
        t.Add(new("rpop", -2, F("write fast"), 1, 1, 1, list)
        {
            Handler = RPop,
            KeySpecFlags = ["RW access delete"],
        });
        t.Add(new("llen", 2, F("readonly fast"), 1, 1, 1, list)
        {
            Handler = LLen,
            KeySpecFlags = ["RO"],
        });
        t.Add(new("lrange", 4, F("readonly"), 1, 1, 1, list)
        {
            Handler = LRange,
            KeySpecFlags = ["RO access"],
        });
        t.Add(new("lindex", 3, F("readonly"), 1, 1, 1, list)
        {
            Handler = LIndex,
            KeySpecFlags = ["RO access"],
        });
        t.Add(new("lset", 4, F("write denyoom"), 1, 1, 1, list)
        {
            Handler = LSet,
            KeySpecFlags = ["RW update"],
        });
        t.Add(new("linsert", 5, F("write denyoom"), 1, 1, 1, list)
        {
            Handler = LInsert,
            KeySpecFlags = ["RW insert"],
        });
        t.Add(new("lrem", 4, F("write"), 1, 1, 1, list)
        {
            Handler = LRem,
            KeySpecFlags = ["RW delete"],
        });
        t.Add(new("ltrim", 4, F("write"), 1, 1, 1, list)
        {
            Handler = LTrim,
            KeySpecFlags = ["RW delete"],
        });
        t.Add(new("lpos", -3, F("readonly"), 1, 1, 1, list)
        {
            Handler = LPos,
            KeySpecFlags = ["RO access"],
        });
        t.Add(new("lmove", 5, F("write denyoom"), 1, 2, 1, list)
        {
            Handler = LMove,
            KeySpecFlags = ["RW access delete", "RW insert"],
        });
        t.Add(new("rpoplpush", 3, F("write denyoom"), 1, 2, 1, list)
        {
            Handler = RPopLPush,
            KeySpecFlags = ["RW access delete", "RW insert"],
        });
        t.Add(new("lmpop", -4, F("write"), 0, 0, 0, list)
        {
            Handler = LMPop,
            KeySpecFlags = ["RW access delete"], KeySpecSearch = ["index 1 keynum 0 1 1"],
        });
        t.Add(new("blpop", -3, F("write noscript blocking"), 1, -2, 1, list)
        {
            Handler = c => BlockingPop(c, head: true),
            KeySpecFlags = ["RW access delete"],
        });
        t.Add(new("brpop", -3, F("write noscript blocking"), 1, -2, 1, list)
        {
            Handler = c => BlockingPop(c, head: false),
            KeySpecFlags = ["RW access delete"],
        });
        t.Add(new("blmove", 6, F("write denyoom noscript blocking"), 1, 2, 1, list)
        {
            Handler = BLMove,
            KeySpecFlags = ["RW access delete", "RW insert"],
        });
        t.Add(new("brpoplpush", 4, F("write denyoom noscript blocking"), 1, 2, 1, list)
        {
            Handler = BRPopLPush,
            KeySpecFlags = ["RW access delete", "RW insert"],
        });
        t.Add(new("blmpop", -5, F("write blocking"), 0, 0, 0, list)
        {
            Handler = BLMPop,
            KeySpecFlags = ["RW access delete"], KeySpecSearch = ["index 2 keynum 0 1 1"],
        });
    }

    // ---- pushes ----

    private static void LPush(ExecContext c) => Push(c, head: true, onlyIfExists: false);
    private static void RPush(ExecContext c) => Push(c, head: false, onlyIfExists: false);
    private static void LPushX(ExecContext c) => Push(c, head: true, onlyIfExists: true);
    private static void RPushX(ExecContext c) => Push(c, head: false, onlyIfExists: true);

    private static void Push(ExecContext c, bool head, bool onlyIfExists)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.List)) return;
        if (!obj.Exists)
        {
            if (onlyIfExists)
            {
                c.Reply.Integer(0);
                return;
            }
            obj = NewList(db, key, c.Argc - 2, c.Now);
        }
        var items = (RedisList)obj.Value;
        for (var i = 2; i < c.Argc; i++)
        {
            if (head) items.PushHead(c.Args[i].ToArray());
            else items.PushTail(c.Args[i].ToArray());
        }
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyList, head ? "lpush" : "rpush", key);
        c.Propagate();
        c.Reply.Integer(items.Count);
    }

    private static KeyEntry NewList(Database db, ReadOnlySpan<byte> key, int capacity, long now) =>
        db.SetValue(key, RedisType.List, ObjectEncoding.QuickList, new RedisList(capacity), now);

    // ---- pops ----

    private static void LPop(ExecContext c) => Pop(c, head: true);
    private static void RPop(ExecContext c) => Pop(c, head: false);

    private static void Pop(ExecContext c, bool head)
    {
        if (c.Argc > 3)
        {
            c.Reply.Error(CommandTable.ArityError(c.Command));
            return;
        }
        var hasCount = c.Argc == 3;
        long count = 0;
        if (hasCount && !TryGetAtLeast(c, c.Args[2], 0, Errors.NotPositive, out count)) return;

        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.List)) return;
        if (!obj.Exists)
        {
            if (hasCount) c.Reply.NullArray();
            else c.Reply.NullBulk();
            return;
        }
        var items = (RedisList)obj.Value;
        if (hasCount && count == 0)
        {
            c.Reply.ArrayHeader(0);
            return;
        }
        if (!hasCount) c.Reply.Bulk(head ? items.PopHead() : items.PopTail());
        else PopRange(c.Reply, items, head, count);
        ElementsRemoved(c, db, obj, key, head);
        c.Propagate();
    }

    /// <summary>
    /// Redis's listElementsRemoved, after elements were popped from <paramref name="obj"/>: the <c>lpop</c>/<c>rpop</c>
    /// event, the key deleted (with its <c>del</c> event) when the list is now empty, then signalModifiedKey. For every
    /// pop: LPOP/RPOP, LMPOP, the source of LMOVE/RPOPLPUSH, and the blocking pops when they are served.
    /// </summary>
    internal static void ElementsRemoved(ExecContext c, Database db, KeyEntry obj, ReadOnlySpan<byte> key, bool head)
    {
        c.Notify(ServerConfig.NotifyList, head ? "lpop" : "rpop", key, db.Index);
        if (((RedisList)obj.Value).Count == 0)
        {
            db.Delete(obj);
            c.Notify(ServerConfig.NotifyGeneric, "del", key, db.Index);
        }
        c.KeyModified(db, key);
    }

    /// <summary>Replies with up to <paramref name="count"/> elements popped from one end, in pop order.</summary>
    private static void PopRange(RespWriter reply, RedisList items, bool head, long count)
    {
        var n = (int)Math.Min(count, items.Count);
        reply.ArrayHeader(n);
        for (var i = 0; i < n; i++) reply.Bulk(head ? items.PopHead() : items.PopTail());
    }

    // ---- reads ----

    private static void LLen(ExecContext c)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.List)) return;
        c.Reply.Integer(!obj.Exists ? 0 : ((RedisList)obj.Value).Count);
    }

    private static void LRange(ExecContext c)
    {
        if (!TryGetLong(c, c.Args[2], out var start) || !TryGetLong(c, c.Args[3], out var end)) return;
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.List)) return;
        if (!obj.Exists)
        {
            c.Reply.ArrayHeader(0);
            return;
        }
        var items = (RedisList)obj.Value;
        if (!ClampRange(ref start, ref end, items.Count))
        {
            c.Reply.ArrayHeader(0);
            return;
        }
        c.Reply.ArrayHeader((int)(end - start + 1));
        for (var i = (int)start; i <= end; i++) c.Reply.Bulk(items[i]);
    }

    private static void LIndex(ExecContext c)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.List)) return;
        if (!obj.Exists)
        {
            c.Reply.NullBulk();
            return;
        }
        if (!TryGetLong(c, c.Args[2], out var index)) return;
        var items = (RedisList)obj.Value;
        if (index < 0) index += items.Count;
        if (index < 0 || index >= items.Count) c.Reply.NullBulk();
        else c.Reply.Bulk(items[(int)index]);
    }

    private static void LPos(ExecContext c)
    {
        long rank = 1, count = -1, maxLen = 0;
        for (var j = 3; j < c.Argc; j++)
        {
            var moreArgs = c.Argc - 1 - j > 0;
            if (c.ArgIs(j, "rank") && moreArgs)
            {
                j++;
                if (!RedisNumbers.TryParseLong(c.Args[j], out rank))
                {
                    c.Reply.Error(Errors.NotInteger);
                    return;
                }
                if (rank == 0)
                {
                    c.Reply.Error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
                    return;
                }
            }
            else if (c.ArgIs(j, "count") && moreArgs)
            {
                j++;
                if (!TryGetAtLeast(c, c.Args[j], 0, "ERR COUNT can't be negative", out count)) return;
            }
            else if (c.ArgIs(j, "maxlen") && moreArgs)
            {
                j++;
                if (!TryGetAtLeast(c, c.Args[j], 0, "ERR MAXLEN can't be negative", out maxLen)) return;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }

        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.List)) return;
        if (!obj.Exists)
        {
            if (count != -1) c.Reply.ArrayHeader(0);
            else c.Reply.NullBulk();
            return;
        }

        var items = (RedisList)obj.Value;
        var element = c.Args[2].AsSpan();
        var fromTail = rank < 0;
        // As in Redis, RANK -9223372036854775808 stays negative when negated (it then accepts the first match).
        if (fromTail) rank = unchecked(-rank);
        var length = items.Count;
        var matches = 0L;
        List<long>? positions = count != -1 ? new List<long>() : null;
        var found = -1L;
        for (var scanned = 0; scanned < length && (maxLen == 0 || scanned < maxLen); scanned++)
        {
            var index = fromTail ? length - 1 - scanned : scanned;
            if (!items[index].AsSpan().SequenceEqual(element)) continue;
            matches++;
            if (matches < rank) continue;
            if (positions == null)
            {
                found = index;
                break;
            }
            positions.Add(index);
            if (count != 0 && matches - rank + 1 >= count) break;
        }

        if (positions == null)
        {
            if (found < 0) c.Reply.NullBulk();
            else c.Reply.Integer(found);
            return;
        }
        c.Reply.ArrayHeader(positions.Count);
        foreach (var p in positions) c.Reply.Integer(p);
    }

    // ---- in-place changes ----

    private static void LSet(ExecContext c)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.List)) return;
        if (!obj.Exists)
        {
            c.Reply.Error(Errors.NoSuchKey);
            return;
        }
        if (!TryGetLong(c, c.Args[2], out var index)) return;
        var items = (RedisList)obj.Value;
        if (index < 0) index += items.Count;
        if (index < 0 || index >= items.Count)
        {
            c.Reply.Error(Errors.IndexOutOfRange);
            return;
        }
        items[(int)index] = c.Args[3].ToArray();
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyList, "lset", key);
        c.Propagate();
        c.Reply.Ok();
    }

    private static void LInsert(ExecContext c)
    {
        bool after;
        if (c.ArgIs(2, "after")) after = true;
        else if (c.ArgIs(2, "before")) after = false;
        else
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.List)) return;
        if (!obj.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        var items = (RedisList)obj.Value;
        var pivot = items.IndexOf(c.Args[3]);
        if (pivot < 0)
        {
            c.Reply.Integer(-1);
            return;
        }
        items.Insert(after ? pivot + 1 : pivot, c.Args[4].ToArray());
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyList, "linsert", key);
        c.Propagate();
        c.Reply.Integer(items.Count);
    }

    private static void LRem(ExecContext c)
    {
        if (!TryGetLong(c, c.Args[2], out var count)) return;
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.List)) return;
        if (!obj.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        var items = (RedisList)obj.Value;
        var removed = items.RemoveMatching(c.Args[3], count);
        if (removed > 0)
        {
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyList, "lrem", key);
            c.Propagate();
        }
        if (items.Count == 0)
        {
            db.Delete(obj);
            c.Notify(ServerConfig.NotifyGeneric, "del", key);
        }
        c.Reply.Integer(removed);
    }

    private static void LTrim(ExecContext c)
    {
        if (!TryGetLong(c, c.Args[2], out var start) || !TryGetLong(c, c.Args[3], out var end)) return;
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.List)) return;
        if (!obj.Exists)
        {
            c.Reply.Ok();
            return;
        }
        var items = (RedisList)obj.Value;
        var before = items.Count;
        if (ClampRange(ref start, ref end, items.Count))
        {
            items.RemoveTail((int)(items.Count - end - 1));
            items.RemoveHead((int)start);
        }
        else items.RemoveHead(items.Count);
        // Redis adds the trimmed count to dirty: a trim that removed nothing propagates nothing.
        if (items.Count < before) c.Propagate();
        // ltrimCommand notifies and signals the key even when the range kept every element.
        c.Notify(ServerConfig.NotifyList, "ltrim", key);
        if (items.Count == 0)
        {
            db.Delete(obj);
            c.Notify(ServerConfig.NotifyGeneric, "del", key);
        }
        c.KeyModified(db, key);
        c.Reply.Ok();
    }

    // ---- moves between lists ----

    private static void LMove(ExecContext c)
    {
        if (!TryGetEnd(c, c.Args[3], out var fromHead) || !TryGetEnd(c, c.Args[4], out var toHead)) return;
        Move(c, fromHead, toHead);
    }

    private static void RPopLPush(ExecContext c) => Move(c, fromHead: false, toHead: true);

    private static void Move(ExecContext c, bool fromHead, bool toHead, bool blocking = false)
    {
        var sourceKey = c.Args[1];
        var destinationKey = c.Args[2];
        var sourceDb = c.Db(sourceKey);
        var source = sourceDb.LookupWrite(sourceKey, c.Now);
        if (c.WrongType(source, RedisType.List)) return;
        if (!source.Exists)
        {
            c.Reply.NullBulk();
            return;
        }
        var destinationDb = c.Db(destinationKey);
        // Looked up before the pop, as Redis does: when source and destination are the same one-element list,
        // the element goes back into the same list rather than into a new one.
        var destination = destinationDb.LookupWrite(destinationKey, c.Now);
        if (c.WrongType(destination, RedisType.List)) return;
        var sourceItems = (RedisList)source.Value;
        var element = fromHead ? sourceItems.PopHead() : sourceItems.PopTail();
        if (!destination.Exists)
        {
            destination = NewList(destinationDb, destinationKey, 1, c.Now);
        }
        var destinationItems = (RedisList)destination.Value;
        if (toHead) destinationItems.PushHead(element);
        else destinationItems.PushTail(element);
        // lmoveHandlePush, before the source's pop event and signal.
        c.KeyModified(destinationDb, destinationKey);
        c.Notify(ServerConfig.NotifyList, toHead ? "lpush" : "rpush", destinationKey);
        c.Reply.Bulk(element);
        ElementsRemoved(c, sourceDb, source, sourceKey, fromHead);
        // The blocking forms replay as the plain move: RPOPLPUSH src dst, or LMOVE with the directions as the client
        // wrote them when served at once (lmoveGenericCommand's rewrite), in lower case when served later
        // (serveClientBlockedOnList rewrites with shared.left/shared.right).
        if (!blocking) c.Propagate();
        else if (c.Argc == 4) c.Effect(3).Arg("RPOPLPUSH"u8).Arg(sourceKey).Arg(destinationKey);
        else if (c.ServeKey < 0) c.Effect(5).Arg("LMOVE"u8).Arg(sourceKey).Arg(destinationKey).Arg(c.Args[3]).Arg(c.Args[4]);
        else c.Effect(5).Arg("LMOVE"u8).Arg(sourceKey).Arg(destinationKey).Arg(fromHead ? "left"u8 : "right"u8).Arg(toHead ? "left"u8 : "right"u8);
    }

    private static void LMPop(ExecContext c) => MPop(c, 1, -1);

    /// <summary>lmpopGenericCommand: [B]LMPOP's numkeys at <paramref name="numKeysIndex"/>, then keys, LEFT|RIGHT and
    /// COUNT; <paramref name="deadline"/> is BLMPOP's (-1 for LMPOP, which never blocks).</summary>
    private static void MPop(ExecContext c, int numKeysIndex, long deadline)
    {
        if (!TryGetAtLeast(c, c.Args[numKeysIndex], 1, "ERR numkeys should be greater than 0", out var numKeys)) return;
        var whereIndex = numKeys >= c.Argc ? c.Argc : numKeysIndex + numKeys + 1;
        if (whereIndex >= c.Argc)
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        if (!TryGetEnd(c, c.Args[(int)whereIndex], out var head)) return;
        if (!TryGetMpopCount(c, (int)whereIndex + 1, out var count)) return;

        var (first, last) = (numKeysIndex + 1, (int)whereIndex - 1);
        if (c.TryClaimFirstNonEmpty(RedisType.List, first, last, out var i, out var db, out var obj))
        {
            var key = c.Args[i];
            var items = (RedisList)obj.Value;
            c.Reply.ArrayHeader(2);
            c.Reply.Bulk(key);
            var popped = (int)Math.Min(count, items.Count);
            PopRange(c.Reply, items, head, count);
            ElementsRemoved(c, db, obj, key, head);
            // Replayed as the plain pop it was (Redis's lmpopGenericCommand rewrite): LPOP/RPOP key count.
            c.Effect(3).Arg(head ? "LPOP"u8 : "RPOP"u8).Arg(key).Arg(popped);
        }
        else if (i < 0) c.BlockOrAnswerNull(RedisType.List, deadline, first, last);
    }

    // ---- blocking forms (blockingPopGenericCommand, blmoveGenericCommand) ----
    // Each checks its arguments, then serves at once as its plain form would; with nothing to serve it answers as a
    // timeout when it may not block (inside MULTI/EXEC or a script), else it waits (ExecContext.Block). A waiter served
    // later runs again with ExecContext.ServeKey, looking at that ready key only, as Redis 7.0 serves it.

    private static void BlockingPop(ExecContext c, bool head)
    {
        if (!BlockingArgs.TryGetSeconds(c, c.Args[c.Argc - 1], out var deadline)) return;
        var last = c.Argc - 2;
        if (c.TryClaimFirstNonEmpty(RedisType.List, 1, last, out var i, out var db, out var obj))
        {
            var key = c.Args[i];
            var items = (RedisList)obj.Value;
            c.Reply.ArrayHeader(2);
            c.Reply.Bulk(key);
            c.Reply.Bulk(head ? items.PopHead() : items.PopTail());
            ElementsRemoved(c, db, obj, key, head);
            // Replayed as the plain pop (listPopRangeAndReplyWithKey's rewrite).
            c.Effect(2).Arg(head ? "LPOP"u8 : "RPOP"u8).Arg(key);
        }
        else if (i < 0) c.BlockOrAnswerNull(RedisType.List, deadline, 1, last);
    }

    private static void BLMove(ExecContext c)
    {
        if (!TryGetEnd(c, c.Args[3], out var fromHead) || !TryGetEnd(c, c.Args[4], out var toHead)) return;
        BlockingMove(c, fromHead, toHead, 5);
    }

    private static void BRPopLPush(ExecContext c) => BlockingMove(c, fromHead: false, toHead: true, 3);

    private static void BlockingMove(ExecContext c, bool fromHead, bool toHead, int timeoutIndex)
    {
        if (!BlockingArgs.TryGetSeconds(c, c.Args[timeoutIndex], out var deadline)) return;
        var source = c.Db(c.Args[1]).LookupWrite(c.Args[1], c.Now);
        if (c.WrongType(source, RedisType.List)) return;
        if (!source.Exists)
        {
            // Inside MULTI a blocking move on an empty list answers a null bulk, not the timeout's null array.
            if (c.MayBlock) c.Block(RedisType.List, deadline, 1, 1);
            else c.Reply.NullBulk();
            return;
        }
        if (!c.Claim()) return;
        Move(c, fromHead, toHead, blocking: true);
    }

    private static void BLMPop(ExecContext c)
    {
        if (!BlockingArgs.TryGetSeconds(c, c.Args[1], out var deadline)) return;
        MPop(c, 2, deadline);
    }

    /// <summary>LRANGE and LTRIM's reading of start and stop: negative counts from the tail, then both are clamped
    /// to the list; false when nothing is left in between.</summary>
    private static bool ClampRange(ref long start, ref long end, long length)
    {
        if (start < 0) start += length;
        if (end < 0) end += length;
        if (start < 0) start = 0;
        if (start > end || start >= length) return false;
        if (end >= length) end = length - 1;
        return true;
    }

    // ---- argument parsing, with Redis's replies ----

    /// <summary>LEFT or RIGHT (getListPositionFromObjectOrReply).</summary>
    private static bool TryGetEnd(ExecContext c, ReadOnlySpan<byte> arg, out bool head)
    {
        head = Keywords.Is(arg, "left");
        if (head || Keywords.Is(arg, "right")) return true;
        c.Reply.Error(Errors.Syntax);
        return false;
    }
}
