using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Redis 7.0's set family (t_set.c): SADD/SREM/SCARD/SISMEMBER/SMISMEMBER/SMEMBERS, SPOP and SRANDMEMBER with
/// Redis's sampling cases, SMOVE, the algebra (SINTER/SINTERCARD/SUNION/SDIFF and their STORE forms) and SSCAN.
/// The value forms (intset, small and big hashtable) and their conversions live in <see cref="SetValue"/>. Checks
/// happen in Redis's order (arguments, then key types), so a request with several faults gets Redis's error.
/// </summary>
public static class SetCommands
{
    public static void Register(CommandTable t)
    {
        var set = A("set");

        t.Add(new("sadd", -3, F("write denyoom fast"), 1, 1, 1, set) { MemberArg = 2, Handler = SAdd, KeySpecFlags = ["RW insert"] });
        t.Add(new("srem", -3, F("write fast"), 1, 1, 1, set) { MemberArg = 2, Handler = SRem, KeySpecFlags = ["RW delete"] });
        t.Add(new("scard", 2, F("readonly fast"), 1, 1, 1, set) { Handler = SCard, KeySpecFlags = ["RO"] });
        t.Add(new("sismember", 3, F("readonly fast"), 1, 1, 1, set) { MemberArg = 2, Handler = SIsMember, KeySpecFlags = ["RO"] });
        t.Add(new("smismember", -3, F("readonly fast"), 1, 1, 1, set) { MemberArg = 2, Handler = SMIsMember, KeySpecFlags = ["RO access"] });
        t.Add(new("smembers", 2, F("readonly"), 1, 1, 1, set) { Handler = SMembers, KeySpecFlags = ["RO access"] });
        t.Add(new("spop", -2, F("write fast"), 1, 1, 1, set) { Handler = SPop, KeySpecFlags = ["RW access delete"] });
        t.Add(new("srandmember", -2, F("readonly"), 1, 1, 1, set) { Handler = SRandMember, KeySpecFlags = ["RO access"] });
        t.Add(new("smove", 4, F("write fast"), 1, 2, 1, set) { Handler = SMove, KeySpecFlags = ["RW access delete", "RW insert"] });
        t.Add(new("sinter", -2, F("readonly"), 1, -1, 1, set) { Handler = SInter, KeySpecFlags = ["RO access"] });
        t.Add(new("sintercard", -3, F("readonly"), 0, 0, 0, set)
        {
            Handler = SInterCard,
            KeySpecFlags = ["RO access"], KeySpecSearch = ["index 1 keynum 0 1 1"],
        });
        t.Add(new("sinterstore", -3, F("write denyoom"), 1, -1, 1, set) { Handler = SInterStore, KeySpecFlags = ["RW update", "RO access"] });
        t.Add(new("sunion", -2, F("readonly"), 1, -1, 1, set) { Handler = SUnion, KeySpecFlags = ["RO access"] });
        t.Add(new("sunionstore", -3, F("write denyoom"), 1, -1, 1, set) { Handler = SUnionStore, KeySpecFlags = ["OW update", "RO access"] });
        t.Add(new("sdiff", -2, F("readonly"), 1, -1, 1, set) { Handler = SDiff, KeySpecFlags = ["RO access"] });
        t.Add(new("sdiffstore", -3, F("write denyoom"), 1, -1, 1, set) { Handler = SDiffStore, KeySpecFlags = ["OW update", "RO access"] });
        t.Add(new("sscan", -3, F("readonly"), 1, 1, 1, set) { Handler = SScan, KeySpecFlags = ["RO access"] });
    }

    // ---- single-key writes and reads ----

    private static void SAdd(ExecContext c)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.Set)) return;
        var set = obj.Exists ? SetValue.Of(obj) : SetValue.CreateFor(c.Args[2]);
        var max = MaxIntsetEntries(c.Config);
        var added = 0;
        for (var i = 2; i < c.Argc; i++)
            if (set.Add(c.Args[i], max)) added++;
        if (obj.Exists) set.Save(db, obj);
        else set.StoreAs(db, key, c.Now);
        if (added > 0)
        {
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifySet, "sadd", key);
            c.Propagate();
        }
        c.Reply.Integer(added);
    }

    private static void SRem(ExecContext c)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.Set)) return;
        if (!obj.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        var set = SetValue.Of(obj);
        var removed = 0;
        for (var i = 2; i < c.Argc && set.Count > 0; i++)
            if (set.Remove(c.Args[i])) removed++;
        var emptied = set.Count == 0;
        if (emptied) db.Delete(obj);
        else set.Save(db, obj);
        if (removed > 0)
        {
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifySet, "srem", key);
            if (emptied) c.Notify(ServerConfig.NotifyGeneric, "del", key);
            c.Propagate();
        }
        c.Reply.Integer(removed);
    }

    private static void SCard(ExecContext c)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.Set)) return;
        c.Reply.Integer(obj.Exists ? SetValue.Of(obj).Count : 0);
    }

    private static void SIsMember(ExecContext c)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.Set)) return;
        c.Reply.Integer(obj.Exists && SetValue.Of(obj).Contains(c.Args[2]) ? 1 : 0);
    }

    private static void SMIsMember(ExecContext c)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.Set)) return;
        c.Reply.ArrayHeader(c.Argc - 2);
        for (var i = 2; i < c.Argc; i++) c.Reply.Integer(obj.Exists && SetValue.Of(obj).Contains(c.Args[i]) ? 1 : 0);
    }

    /// <summary>In Redis 7.0 SMEMBERS is SINTER of one key: the set's members in its iteration order (ascending for
    /// an intset), as a RESP3 set.</summary>
    private static void SMembers(ExecContext c)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.Set)) return;
        if (!obj.Exists)
        {
            c.Reply.SetHeader(0);
            return;
        }
        WriteSet(c.Reply, SetValue.Of(obj));
    }

    private static void WriteSet(RespWriter reply, SetValue set)
    {
        reply.SetHeader(set.Count);
        foreach (var member in set) member.WriteTo(reply);
    }

    // ---- SPOP / SRANDMEMBER ----

    /// <summary>spopCommand: one random member, replicated as SREM key member.</summary>
    private static void SPop(ExecContext c)
    {
        if (c.Argc == 3)
        {
            SPopWithCount(c);
            return;
        }
        if (c.Argc > 3)
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.Set)) return;
        if (!obj.Exists)
        {
            c.Reply.NullBulk();
            return;
        }
        var set = SetValue.Of(obj);
        var member = set.RandomMember(Random.Shared);
        set.Remove(member);
        c.Notify(ServerConfig.NotifySet, "spop", key);
        c.Effect(3).Arg("SREM"u8).Arg(key).Arg(member);
        c.Reply.Bulk(member);
        if (set.Count == 0)
        {
            db.Delete(obj);
            c.Notify(ServerConfig.NotifyGeneric, "del", key);
        }
        else set.Save(db, obj);
        c.KeyModified(db, key);
    }

    /// <summary>Redis's SPOP_MOVE_STRATEGY_MUL: past count*5 >= remaining members, SPOP picks the members to keep.</summary>
    private const long SpopMoveStrategyMul = 5;

    /// <summary>
    /// spopWithCountCommand's three cases. Count >= size: the whole set, replicated as DEL. A few of many: random members removed one by one. Most of them: the members to
    /// keep are drawn into a new set (built as setTypeCreate builds it, so its encoding may differ from the old one),
    /// the rest is returned, and the new set replaces the old value. Both latter cases replicate one SREM per member
    /// popped, in reply order (the runner wraps several in MULTI/EXEC, as Redis's alsoPropagate array is).
    /// </summary>
    private static void SPopWithCount(ExecContext c)
    {
        if (!RedisNumbers.TryParseLong(c.Args[2], out var count) || count < 0)
        {
            c.Reply.Error(Errors.NotPositive);
            return;
        }
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.Set)) return;
        if (!obj.Exists || count == 0)
        {
            c.Reply.SetHeader(0);
            return;
        }
        var set = SetValue.Of(obj);
        long size = set.Count;
        // One "spop" for the whole call, before anything is popped (spopWithCountCommand).
        c.Notify(ServerConfig.NotifySet, "spop", key);
        if (count >= size)
        {
            WriteSet(c.Reply, set);
            db.Delete(obj);
            c.Notify(ServerConfig.NotifyGeneric, "del", key);
            // DEL whatever lazyfree-lazy-server-del says (redis-server 7.0.15 propagates DEL either way).
            c.Effect(2).Arg("DEL"u8).Arg(key);
            c.KeyModified(db, key);
            return;
        }
        c.Reply.SetHeader((int)count);
        var remaining = size - count;
        if (remaining * SpopMoveStrategyMul > count)
        {
            for (var i = 0; i < count; i++)
            {
                var member = set.RandomMember(Random.Shared);
                set.Remove(member);
                c.Reply.Bulk(member);
                c.Effect(3).Arg("SREM"u8).Arg(key).Arg(member);
            }
            set.Save(db, obj);
            c.KeyModified(db, key);
            return;
        }
        var max = MaxIntsetEntries(c.Config);
        SetValue kept = default;
        for (var i = 0; i < remaining; i++)
        {
            var member = set.RandomMember(Random.Shared);
            if (i == 0) kept = SetValue.CreateFor(member);
            kept.Add(member, max);
            set.Remove(member);
        }
        Span<byte> scratch = stackalloc byte[24];
        foreach (var member in set)
        {
            member.WriteTo(c.Reply);
            c.Effect(3).Arg("SREM"u8).Arg(key).Arg(member.Span(scratch));
        }
        // dbOverwrite: the new set takes the key's place, TTL kept.
        db.ReplaceValue(obj, kept.Encoding, kept.Value);
        c.KeyModified(db, key);
    }

    /// <summary>Redis's SRANDMEMBER_SUB_STRATEGY_MUL: from count*3 > size on, sampling copies the set and removes.</summary>
    private const long SrandmemberSubStrategyMul = 3;

    /// <summary>srandmemberCommand / srandmemberWithCountCommand: a positive count gives distinct members (the whole
    /// set when count >= size, in its iteration order), a negative one -count independent draws.</summary>
    private static void SRandMember(ExecContext c)
    {
        if (c.Argc > 3)
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        var hasCount = c.Argc == 3;
        long requested = 0;
        if (hasCount)
        {
            if (!RedisNumbers.TryParseLong(c.Args[2], out requested))
            {
                c.Reply.Error(Errors.NotInteger);
                return;
            }
            if (requested == long.MinValue)
            {
                // getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX), worded as Redis words it.
                c.Reply.Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
                return;
            }
        }
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.Set)) return;
        if (!hasCount)
        {
            if (!obj.Exists) c.Reply.NullBulk();
            else c.Reply.Bulk(SetValue.Of(obj).RandomMember(Random.Shared));
            return;
        }
        if (!obj.Exists || requested == 0)
        {
            c.Reply.ArrayHeader(0);
            return;
        }
        var set = SetValue.Of(obj);
        var unique = requested > 0;
        var count = unique ? requested : -requested;
        long size = set.Count;
        if (!unique || count == 1)
        {
            // A reply Redis would build element by element until it ran out of memory: refused here instead of
            // holding the shard for ever (redis-server 7.0 dies on SRANDMEMBER key -9223372036854775807).
            if (count > int.MaxValue)
            {
                c.Reply.Error("ERR value is out of range");
                return;
            }
            c.Reply.ArrayHeader((int)count);
            for (var i = 0; i < count; i++) c.Reply.Bulk(set.RandomMember(Random.Shared));
            return;
        }
        if (count >= size)
        {
            c.Reply.ArrayHeader((int)size);
            foreach (var member in set) member.WriteTo(c.Reply);
            return;
        }
        var picked = new List<byte[]>((int)count);
        if (count * SrandmemberSubStrategyMul > size)
        {
            // Partial Fisher-Yates over a copy: count distinct members.
            var all = set.ToList();
            for (var i = 0; i < count; i++)
            {
                var j = i + Random.Shared.Next(all.Count - i);
                (all[i], all[j]) = (all[j], all[i]);
                picked.Add(all[i]);
            }
        }
        else
        {
            var seen = new HashSet<byte[]>(ByteArrayComparer.Instance);
            while (picked.Count < count)
            {
                var member = set.RandomMember(Random.Shared);
                if (seen.Add(member)) picked.Add(member);
            }
        }
        c.Reply.ArrayHeader(picked.Count);
        foreach (var member in picked) c.Reply.Bulk(member);
    }

    // ---- SMOVE ----

    private static void SMove(ExecContext c)
    {
        var sourceKey = c.Args[1];
        var destinationKey = c.Args[2];
        var member = c.Args[3];
        var sourceDb = c.Db(sourceKey);
        var destinationDb = c.Db(destinationKey);
        var source = sourceDb.LookupWrite(sourceKey, c.Now);
        var destination = destinationDb.LookupWrite(destinationKey, c.Now);
        if (!source.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        if (c.WrongType(source, RedisType.Set) || c.WrongType(destination, RedisType.Set)) return;
        var sourceSet = SetValue.Of(source);
        if (sourceKey.Span.SequenceEqual(destinationKey.Span))
        {
            // The same set: nothing moves, nothing is written.
            c.Reply.Integer(sourceSet.Contains(member) ? 1 : 0);
            return;
        }
        if (!sourceSet.Remove(member))
        {
            c.Reply.Integer(0);
            return;
        }
        c.Notify(ServerConfig.NotifySet, "srem", sourceKey);
        if (sourceSet.Count == 0)
        {
            sourceDb.Delete(source);
            c.Notify(ServerConfig.NotifyGeneric, "del", sourceKey);
        }
        else sourceSet.Save(sourceDb, source);
        var destinationSet = destination.Exists ? SetValue.Of(destination) : SetValue.CreateFor(member);
        c.KeyModified(sourceDb, sourceKey);
        // smoveCommand signals the destination only when the member was not there yet.
        var added = destinationSet.Add(member, MaxIntsetEntries(c.Config));
        if (destination.Exists) destinationSet.Save(destinationDb, destination);
        else destinationSet.StoreAs(destinationDb, destinationKey, c.Now);
        if (added)
        {
            c.KeyModified(destinationDb, destinationKey);
            c.Notify(ServerConfig.NotifySet, "sadd", destinationKey);
        }
        c.Propagate();
        c.Reply.Integer(1);
    }

    // ---- algebra ----

    private static void SInter(ExecContext c) => Intersect(c, 1, c.Argc - 1, destination: false, cardOnly: false, limit: 0);
    private static void SInterStore(ExecContext c) => Intersect(c, 2, c.Argc - 2, destination: true, cardOnly: false, limit: 0);

    /// <summary>SINTERCARD numkeys key [key ...] [LIMIT limit].</summary>
    private static void SInterCard(ExecContext c)
    {
        if (!RedisNumbers.TryParseLong(c.Args[1], out var numKeys) || numKeys <= 0)
        {
            c.Reply.Error("ERR numkeys should be greater than 0");
            return;
        }
        if (numKeys > c.Argc - 2)
        {
            c.Reply.Error("ERR Number of keys can't be greater than number of args");
            return;
        }
        long limit = 0;
        for (var j = 2 + (int)numKeys; j < c.Argc; j++)
        {
            if (c.ArgIs(j, "limit") && j + 1 < c.Argc)
            {
                j++;
                if (!RedisNumbers.TryParseLong(c.Args[j], out limit) || limit < 0)
                {
                    c.Reply.Error("ERR LIMIT can't be negative");
                    return;
                }
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }
        Intersect(c, 2, (int)numKeys, destination: false, cardOnly: true, limit);
    }

    /// <summary>
    /// sinterGenericCommand: every key is looked up and type-checked (a missing one makes the result empty, but the
    /// others are still checked, so WRONGTYPE wins); the smallest set is walked and each member kept when every other
    /// set has it, so the reply is in the smallest set's order. The STORE form builds its result from an empty intset
    /// (so it is an intset exactly when Redis's would be), replaces the destination (TTL dropped), or deletes it when
    /// the result is empty; it is replicated as sent unless nothing changed.
    /// </summary>
    private static void Intersect(ExecContext c, int first, int count, bool destination, bool cardOnly, long limit)
    {
        var sets = new List<SetValue>(count);
        var empty = false;
        for (var i = first; i < first + count; i++)
        {
            var key = c.Args[i];
            var db = c.Db(key);
            var obj = destination ? db.LookupWrite(key, c.Now) : db.Lookup(key, c.Now);
            if (!obj.Exists)
            {
                empty = true;
                continue;
            }
            if (c.WrongType(obj, RedisType.Set)) return;
            sets.Add(SetValue.Of(obj));
        }
        if (empty)
        {
            if (destination) StoreResult(c, default, hasResult: false, "sinterstore");
            else if (cardOnly) c.Reply.Integer(0);
            else c.Reply.SetHeader(0);
            return;
        }
        // qsort by cardinality (ties keep their order, as glibc's merge sort does).
        var order = new int[sets.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var sizes = new int[sets.Count];
        for (var i = 0; i < sizes.Length; i++) sizes[i] = sets[i].Count;
        Array.Sort(order, (a, b) => sizes[a] != sizes[b] ? sizes[a].CompareTo(sizes[b]) : a.CompareTo(b));
        var smallest = sets[order[0]];

        Span<byte> scratch = stackalloc byte[24];
        long cardinality = 0;
        var members = cardOnly ? null : new List<byte[]>();
        foreach (var member in smallest)
        {
            var bytes = member.Span(scratch);
            var inAll = true;
            for (var k = 1; k < order.Length && inAll; k++) inAll = sets[order[k]].Contains(bytes);
            if (!inAll) continue;
            cardinality++;
            if (cardOnly)
            {
                if (limit != 0 && cardinality >= limit) break;
            }
            else members!.Add(bytes.ToArray());
        }
        if (cardOnly)
        {
            c.Reply.Integer(cardinality);
            return;
        }
        if (!destination)
        {
            c.Reply.SetHeader(members!.Count);
            foreach (var m in members) c.Reply.Bulk(m);
            return;
        }
        StoreResult(c, BuildSet(c, members!), hasResult: members!.Count > 0, "sinterstore");
    }

    private static void SUnion(ExecContext c) => UnionOrDiff(c, 1, destination: false, diff: false);
    private static void SUnionStore(ExecContext c) => UnionOrDiff(c, 2, destination: true, diff: false);
    private static void SDiff(ExecContext c) => UnionOrDiff(c, 1, destination: false, diff: true);
    private static void SDiffStore(ExecContext c) => UnionOrDiff(c, 2, destination: true, diff: true);

    /// <summary>
    /// sunionDiffGenericCommand: missing keys are empty sets, every key is type-checked; the result is built from an
    /// empty intset by setTypeAdd (so SUNION/SDIFF of integers reply in ascending order, as Redis's intset result
    /// does). The difference is the first set's members that no other set has.
    /// </summary>
    private static void UnionOrDiff(ExecContext c, int first, bool destination, bool diff)
    {
        var sets = new List<SetValue?>(c.Argc - first);
        for (var i = first; i < c.Argc; i++)
        {
            var key = c.Args[i];
            var db = c.Db(key);
            var obj = destination ? db.LookupWrite(key, c.Now) : db.Lookup(key, c.Now);
            if (!obj.Exists)
            {
                sets.Add(null);
                continue;
            }
            if (c.WrongType(obj, RedisType.Set)) return;
            sets.Add(SetValue.Of(obj));
        }
        var result = SetValue.NewIntSet();
        var max = MaxIntsetEntries(c.Config);
        Span<byte> scratch = stackalloc byte[24];
        if (!diff)
        {
            foreach (var set in sets)
            {
                if (set is not { } s) continue;
                foreach (var member in s) result.Add(member.Span(scratch), max);
            }
        }
        else if (sets[0] is { } head)
        {
            foreach (var member in head)
            {
                var bytes = member.Span(scratch);
                var elsewhere = false;
                for (var k = 1; k < sets.Count && !elsewhere; k++) elsewhere = sets[k] is { } other && other.Contains(bytes);
                if (!elsewhere) result.Add(bytes, max);
            }
        }
        if (!destination)
        {
            WriteSet(c.Reply, result);
            return;
        }
        StoreResult(c, result, hasResult: result.Count > 0, diff ? "sdiffstore" : "sunionstore");
    }

    private static SetValue BuildSet(ExecContext c, List<byte[]> members)
    {
        var result = SetValue.NewIntSet();
        var max = MaxIntsetEntries(c.Config);
        foreach (var m in members) result.Add(m, max);
        return result;
    }

    /// <summary>The STORE forms' ending: setKey of a non-empty result (replicated as sent), or dbDelete of the
    /// destination (replicated only when there was one to delete, even an expired one); the reply is the result's size.
    /// <paramref name="storeEvent"/> is the keyspace event of a stored result ("del" for a deleted destination).</summary>
    private static void StoreResult(ExecContext c, SetValue result, bool hasResult, string storeEvent)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        if (hasResult)
        {
            // setKey looks the destination up for a write first: an expired one is deleted (and DEL propagated) then.
            db.LookupWrite(key, c.Now);
            result.StoreAs(db, key, c.Now);
            c.KeyModified(db, key); // setKey's signalModifiedKey
            c.Notify(ServerConfig.NotifySet, storeEvent, key);
            c.Propagate();
            c.Reply.Integer(result.Count);
            return;
        }
        // dbDelete, with no expiry check: a destination that has expired but is still there counts as deleted.
        var existing = StoredValues.Peek(db, key);
        if (existing.Exists)
        {
            db.Delete(existing);
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyGeneric, "del", key);
            c.Propagate();
        }
        c.Reply.Integer(0);
    }

    // ---- SSCAN ----

    private static void SScan(ExecContext c)
    {
        if (!KeyCommands.TryParseCursor(c.Args[2], out var cursor))
        {
            c.Reply.Error("ERR invalid cursor");
            return;
        }
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.Set)) return;
        if (!obj.Exists)
        {
            CollectionScan.WriteEmpty(c.Reply);
            return;
        }
        if (!CollectionScan.TryParseOptions(c, 3, out var count, out var pattern)) return;
        var set = SetValue.Of(obj);
        var found = new List<byte[]>();
        ulong next = 0;
        if (set.Value is RedisSet big)
        {
            // scanGenericCommand on a dict: one bucket per step until COUNT members, COUNT*10 steps, or the end.
            var step = new List<(byte[] Member, byte Value)>();
            next = CollectionScan.Collect(big.Table, cursor, count, step);
            foreach (var (member, _) in step) found.Add(member);
        }
        else
        {
            // An intset (and the small hashtable form, which Redis's dict would scan in a call or two) comes back
            // whole, with cursor 0.
            foreach (var member in set) found.Add(member.ToArray());
        }
        if (pattern != null) found.RemoveAll(m => !GlobPattern.Match(pattern, m));
        WriteScanReply(c.Reply, next, found);
    }

    private static void WriteScanReply(RespWriter reply, ulong cursor, List<byte[]> members)
    {
        reply.ArrayHeader(2);
        reply.BulkInteger((long)cursor);
        reply.ArrayHeader(members.Count);
        foreach (var m in members) reply.Bulk(m);
    }

    // ---- configuration read on the hot path ----

    private sealed record Cached<T>(ServerConfig Config, T Parameter);
    private static Cached<NumberParameter>? _intsetEntries;

    /// <summary>set-max-intset-entries (the parameter found once per config, read as a field after that).</summary>
    private static long MaxIntsetEntries(ServerConfig config)
    {
        var cached = _intsetEntries;
        if (cached == null || !ReferenceEquals(cached.Config, config))
            _intsetEntries = cached = new(config, (NumberParameter)config.Find("set-max-intset-entries")!);
        return cached.Parameter.Value;
    }
}
