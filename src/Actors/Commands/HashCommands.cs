using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// The hash family (Redis 7.0's t_hash.c). A hash is stored as <see cref="RedisHash"/> describes: a listpack array
/// while small, a table for good once it holds more than hash-max-listpack-entries fields or a field or value longer
/// than hash-max-listpack-value. Checks happen in Redis's order (arguments, then the key's type), and a listpack
/// reallocated or converted by a write is stored back with <see cref="Database.ReplaceValue"/>.
/// </summary>
public static class HashCommands
{
    public static void Register(CommandTable t)
    {
        var hash = A("hash");
        t.Add(new("hset", -4, F("write denyoom fast"), 1, 1, 1, hash) { MemberArg = 2, Handler = HSet, KeySpecFlags = ["RW update"] });
        t.Add(new("hmset", -4, F("write denyoom fast"), 1, 1, 1, hash) { MemberArg = 2, Handler = HSet, KeySpecFlags = ["RW update"] });
        t.Add(new("hsetnx", 4, F("write denyoom fast"), 1, 1, 1, hash) { MemberArg = 2, Handler = HSetNx, KeySpecFlags = ["RW insert"] });
        t.Add(new("hdel", -3, F("write fast"), 1, 1, 1, hash) { MemberArg = 2, Handler = HDel, KeySpecFlags = ["RW delete"] });
        t.Add(new("hincrby", 4, F("write denyoom fast"), 1, 1, 1, hash) { MemberArg = 2, Handler = HIncrBy, KeySpecFlags = ["RW access update"] });
        t.Add(new("hincrbyfloat", 4, F("write denyoom fast"), 1, 1, 1, hash) { MemberArg = 2, Handler = HIncrByFloat, KeySpecFlags = ["RW access update"] });
        t.Add(new("hget", 3, F("readonly fast"), 1, 1, 1, hash) { MemberArg = 2, Handler = HGet, KeySpecFlags = ["RO access"] });
        t.Add(new("hmget", -3, F("readonly fast"), 1, 1, 1, hash) { MemberArg = 2, Handler = HMGet, KeySpecFlags = ["RO access"] });
        t.Add(new("hexists", 3, F("readonly fast"), 1, 1, 1, hash) { MemberArg = 2, Handler = HExists, KeySpecFlags = ["RO"] });
        t.Add(new("hlen", 2, F("readonly fast"), 1, 1, 1, hash) { Handler = HLen, KeySpecFlags = ["RO"] });
        t.Add(new("hstrlen", 3, F("readonly fast"), 1, 1, 1, hash) { MemberArg = 2, Handler = HStrLen, KeySpecFlags = ["RO"] });
        t.Add(new("hgetall", 2, F("readonly"), 1, 1, 1, hash) { Handler = HGetAll, KeySpecFlags = ["RO access"] });
        t.Add(new("hkeys", 2, F("readonly"), 1, 1, 1, hash) { Handler = HKeys, KeySpecFlags = ["RO access"] });
        t.Add(new("hvals", 2, F("readonly"), 1, 1, 1, hash) { Handler = HVals, KeySpecFlags = ["RO access"] });
        t.Add(new("hrandfield", -2, F("readonly"), 1, 1, 1, hash) { Handler = HRandField, KeySpecFlags = ["RO access"] });
        t.Add(new("hscan", -3, F("readonly"), 1, 1, 1, hash) { Handler = HScan, KeySpecFlags = ["RO access"] });
    }

    // ---- lookups ----

    /// <summary>hashTypeLookupWriteOrCreate: the key's hash, or a new empty listpack hash added to the database
    /// (Redis adds it before the command writes into it). Default (after replying WRONGTYPE) for another type.</summary>
    private static KeyEntry LookupWriteOrCreate(ExecContext c, Database db, ReadOnlySpan<byte> key)
    {
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.Hash)) return default;
        return obj.Exists ? obj : db.SetValue(key, RedisType.Hash, ObjectEncoding.ListPack, RedisHash.CreateEmpty(), c.Now);
    }

    /// <summary>Stores what a write returned (a new listpack array, or the table a conversion made).</summary>
    private static void Store(Database db, KeyEntry obj, object hash)
    {
        if (!ReferenceEquals(hash, obj.Value)) db.ReplaceValue(obj, RedisHash.EncodingOf(hash), hash);
    }

    /// <summary>hashTypeSet on the key's hash, stored back; true when the field was added.</summary>
    private static bool Set(ExecContext c, Database db, KeyEntry obj, ReadOnlySpan<byte> field, ReadOnlySpan<byte> value)
    {
        var hash = RedisHash.Set(obj.Value, field, value, c.Config.HashMaxListpackEntries, c.Config.HashMaxListpackValue, out var added);
        Store(db, obj, hash);
        return added;
    }

    /// <summary>hashTypeTryConversion over arguments <paramref name="from"/>..<paramref name="to"/>: a listpack
    /// hash becomes a table before the insert when one of them is longer than hash-max-listpack-value.</summary>
    private static void TryConversion(ExecContext c, Database db, KeyEntry obj, int from, int to)
    {
        if (obj.Value is not byte[] lp) return;
        var maxValue = c.Config.HashMaxListpackValue;
        for (var i = from; i <= to; i++)
        {
            if (!RedisHash.NeedsTable(c.Args[i], maxValue)) continue;
            db.ReplaceValue(obj, ObjectEncoding.HashTable, RedisHash.ToTable(lp));
            return;
        }
    }

    // ---- writes ----

    /// <summary>HSET and HMSET (hsetCommand): the same work, HSET answers the number of new fields, HMSET OK. Redis
    /// counts every pair as a change, so both propagate even when no value changed.</summary>
    private static void HSet(ExecContext c)
    {
        if (c.Argc % 2 == 1)
        {
            c.Reply.Error(CommandTable.ArityError(c.Command));
            return;
        }
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = LookupWriteOrCreate(c, db, key);
        if (!obj.Exists) return;
        TryConversion(c, db, obj, 2, c.Argc - 1);
        var created = 0;
        for (var i = 2; i < c.Argc; i += 2)
            if (Set(c, db, obj, c.Args[i], c.Args[i + 1])) created++;
        // hsetCommand tells the two apart by the second letter of the name it was called by.
        if (c.Command.Name[1] == 's') c.Reply.Integer(created);
        else c.Reply.Ok();
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyHash, "hset", key);
        c.Propagate();
    }

    private static void HSetNx(ExecContext c)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = LookupWriteOrCreate(c, db, key);
        if (!obj.Exists) return;
        if (RedisHash.Contains(obj.Value, c.Args[2]))
        {
            c.Reply.Integer(0);
            return;
        }
        TryConversion(c, db, obj, 2, 3);
        Set(c, db, obj, c.Args[2], c.Args[3]);
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyHash, "hset", key);
        c.Propagate();
        c.Reply.Integer(1);
    }

    /// <summary>hdelCommand: deletes fields until the hash is empty (then the key goes, and the rest of the
    /// fields are not looked at); propagates only when something was deleted.</summary>
    private static void HDel(ExecContext c)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.Hash)) return;
        if (!obj.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        var deleted = 0;
        var hash = obj.Value;
        for (var i = 2; i < c.Argc; i++)
        {
            hash = RedisHash.Delete(hash, c.Args[i], out var removed);
            if (!removed) continue;
            deleted++;
            if (RedisHash.Length(hash) == 0) break;
        }
        var keyRemoved = RedisHash.Length(hash) == 0;
        if (keyRemoved) db.Delete(obj);
        else Store(db, obj, hash);
        if (deleted > 0)
        {
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyHash, "hdel", key);
            if (keyRemoved) c.Notify(ServerConfig.NotifyGeneric, "del", key);
            c.Propagate();
        }
        c.Reply.Integer(deleted);
    }

    private static void HIncrBy(ExecContext c)
    {
        if (!RedisNumbers.TryParseLong(c.Args[3], out var increment))
        {
            c.Reply.Error(Errors.NotInteger);
            return;
        }
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = LookupWriteOrCreate(c, db, key);
        if (!obj.Exists) return;
        long value = 0;
        if (RedisHash.TryGet(obj.Value, c.Args[2], out var current) && !RedisNumbers.TryParseLong(current, out value))
        {
            c.Reply.Error("ERR hash value is not an integer");
            return;
        }
        if ((increment < 0 && value < 0 && increment < long.MinValue - value) ||
            (increment > 0 && value > 0 && increment > long.MaxValue - value))
        {
            c.Reply.Error(Errors.Overflow);
            return;
        }
        value += increment;
        Span<byte> text = stackalloc byte[24];
        Set(c, db, obj, c.Args[2], text[..RedisNumbers.FormatLong(value, text)]);
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyHash, "hincrby", key);
        c.Propagate();
        c.Reply.Integer(value);
    }

    private static void HIncrByFloat(ExecContext c)
    {
        if (!LongDouble.TryParse(c.Args[3], out var increment))
        {
            c.Reply.Error(Errors.NotFloat);
            return;
        }
        // string2ld accepts "inf": hincrbyfloatCommand refuses it on its own.
        if (!increment.IsFinite)
        {
            c.Reply.Error("ERR value is NaN or Infinity");
            return;
        }
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = LookupWriteOrCreate(c, db, key);
        if (!obj.Exists) return;
        var value = LongDouble.Zero;
        if (RedisHash.TryGet(obj.Value, c.Args[2], out var current) && !LongDouble.TryParse(current, out value))
        {
            c.Reply.Error("ERR hash value is not a float");
            return;
        }
        var sum = value + increment;
        if (!sum.IsFinite)
        {
            c.Reply.Error("ERR increment would produce NaN or Infinity");
            return;
        }
        var bytes = sum.ToHumanBytes();
        Set(c, db, obj, c.Args[2], bytes);
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyHash, "hincrbyfloat", key);
        // Redis 7.0 always replicates HINCRBYFLOAT as HSET of the value it produced, so that replicas and the AOF
        // never redo the floating-point arithmetic or its formatting.
        c.Effect(4).Arg("HSET"u8).Arg(key).Arg(c.Args[2]).Arg(bytes);
        c.Reply.Bulk(bytes);
    }

    // ---- reads ----

    /// <summary>The key's hash for a read command, or null: after replying WRONGTYPE, or (missing key) after
    /// nothing, the caller answering its own empty reply.</summary>
    private static object? LookupRead(ExecContext c, out bool wrongType)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        wrongType = c.WrongType(obj, RedisType.Hash);
        return obj.Exists && !wrongType ? obj.Value : null;
    }

    private static void HGet(ExecContext c)
    {
        var hash = LookupRead(c, out var wrongType);
        if (wrongType) return;
        if (hash != null && RedisHash.TryGet(hash, c.Args[2], out var value)) c.Reply.Bulk(value);
        else c.Reply.NullBulk();
    }

    private static void HMGet(ExecContext c)
    {
        var hash = LookupRead(c, out var wrongType);
        if (wrongType) return;
        c.Reply.ArrayHeader(c.Argc - 2);
        for (var i = 2; i < c.Argc; i++)
        {
            if (hash != null && RedisHash.TryGet(hash, c.Args[i], out var value)) c.Reply.Bulk(value);
            else c.Reply.NullBulk();
        }
    }

    private static void HExists(ExecContext c)
    {
        var hash = LookupRead(c, out var wrongType);
        if (wrongType) return;
        c.Reply.Integer(hash != null && RedisHash.Contains(hash, c.Args[2]) ? 1 : 0);
    }

    private static void HLen(ExecContext c)
    {
        var hash = LookupRead(c, out var wrongType);
        if (wrongType) return;
        c.Reply.Integer(hash == null ? 0 : RedisHash.Length(hash));
    }

    private static void HStrLen(ExecContext c)
    {
        var hash = LookupRead(c, out var wrongType);
        if (wrongType) return;
        c.Reply.Integer(hash != null && RedisHash.TryGet(hash, c.Args[2], out var value) ? value.Length : 0);
    }

    private static void HGetAll(ExecContext c) => GetAll(c, fields: true, values: true);
    private static void HKeys(ExecContext c) => GetAll(c, fields: true, values: false);
    private static void HVals(ExecContext c) => GetAll(c, fields: false, values: true);

    /// <summary>genericHgetallCommand: a map of fields to values (a flat array in RESP2) or an array of either;
    /// an empty one for a missing key.</summary>
    private static void GetAll(ExecContext c, bool fields, bool values)
    {
        var hash = LookupRead(c, out var wrongType);
        if (wrongType) return;
        var length = hash == null ? 0 : RedisHash.Length(hash);
        if (fields && values) c.Reply.MapHeader(length);
        else c.Reply.ArrayHeader(length);
        if (hash == null) return;
        foreach (var pair in RedisHash.Pairs(hash))
        {
            if (fields) c.Reply.Bulk(pair.Field);
            if (values) c.Reply.Bulk(pair.Value);
        }
    }

    // ---- HRANDFIELD ----

    private static void HRandField(ExecContext c)
    {
        if (c.Argc >= 3)
        {
            // getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX): LONG_MIN is out of range with its own message.
            if (!RedisNumbers.TryParseLong(c.Args[2], out var count))
            {
                c.Reply.Error(Errors.NotInteger);
                return;
            }
            if (count == long.MinValue)
            {
                c.Reply.Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
                return;
            }
            var withValues = false;
            if (c.Argc > 4 || (c.Argc == 4 && !c.ArgIs(3, "withvalues")))
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
            if (c.Argc == 4)
            {
                withValues = true;
                // The reply counts count*2 items: Redis keeps the count where that cannot overflow.
                if (count < -long.MaxValue / 2 || count > long.MaxValue / 2)
                {
                    c.Reply.Error("ERR value is out of range");
                    return;
                }
            }
            RandomFields(c, count, withValues);
            return;
        }
        var hash = LookupRead(c, out var wrongType);
        if (wrongType) return;
        if (hash == null)
        {
            c.Reply.NullBulk();
            return;
        }
        RedisHash.Random(hash, Random.Shared, out var field, out _);
        c.Reply.Bulk(field);
    }

    /// <summary>hrandfieldWithCountCommand: a negative count draws with repetition (any number of fields), a
    /// positive one distinct fields (at most all of them). WITHVALUES pairs each field with its value: a flat
    /// array in RESP2, an array of two-element arrays in RESP3.</summary>
    private static void RandomFields(ExecContext c, long requested, bool withValues)
    {
        var hash = LookupRead(c, out var wrongType);
        if (wrongType) return;
        if (hash == null || requested == 0)
        {
            c.Reply.ArrayHeader(0);
            return;
        }
        var unique = requested > 0;
        var count = unique ? requested : -requested;
        var size = RedisHash.Length(hash);
        var nested = withValues && c.Reply.Protocol == 3;

        // CASE 1 (a negative count, or a count of 1): independent draws.
        if (!unique || count == 1)
        {
            ReplyHeader(c, count, withValues);
            for (var i = 0L; i < count; i++)
            {
                RedisHash.Random(hash, Random.Shared, out var field, out var value);
                ReplyPair(c, field, value, withValues, nested);
            }
            return;
        }

        ReplyHeader(c, Math.Min(count, size), withValues);
        // CASE 2: as many or more than there are: the whole hash, in storage order.
        if (count >= size)
        {
            foreach (var pair in RedisHash.Pairs(hash)) ReplyPair(c, pair.Field, pair.Value, withValues, nested);
            return;
        }

        // CASES 2.5-4: distinct fields chosen at random (a partial Fisher-Yates shuffle of the positions); a listpack
        // answers them in storage order, as lpRandomPairsUnique walks it.
        var positions = new int[size];
        for (var i = 0; i < size; i++) positions[i] = i;
        for (var i = 0; i < count; i++)
        {
            var j = Random.Shared.Next(i, size);
            (positions[i], positions[j]) = (positions[j], positions[i]);
        }
        var chosen = new bool[size];
        for (var i = 0; i < count; i++) chosen[positions[i]] = true;
        var index = 0;
        foreach (var pair in RedisHash.Pairs(hash))
            if (chosen[index++]) ReplyPair(c, pair.Field, pair.Value, withValues, nested);
    }

    private static void ReplyHeader(ExecContext c, long count, bool withValues) =>
        c.Reply.ArrayHeader((int)Math.Min(withValues && c.Reply.Protocol == 2 ? count * 2 : count, int.MaxValue));

    private static void ReplyPair(ExecContext c, ReadOnlySpan<byte> field, ReadOnlySpan<byte> value, bool withValues, bool nested)
    {
        if (nested) c.Reply.ArrayHeader(2);
        c.Reply.Bulk(field);
        if (withValues) c.Reply.Bulk(value);
    }

    // ---- HSCAN ----

    /// <summary>hscanCommand then scanGenericCommand: the cursor is checked first, then the key (a missing key
    /// answers an empty scan before the options are even read), then the options. A listpack hash is returned
    /// whole in one call with cursor 0; a table is scanned bucket by bucket, COUNT buckets' worth (at most
    /// COUNT*10 buckets) per call. MATCH filters fields after the collection, dropping each field's value with it.</summary>
    private static void HScan(ExecContext c)
    {
        if (!KeyCommands.TryParseCursor(c.Args[2], out var cursor))
        {
            c.Reply.Error("ERR invalid cursor");
            return;
        }
        var hash = LookupRead(c, out var wrongType);
        if (wrongType) return;
        if (hash == null)
        {
            CollectionScan.WriteEmpty(c.Reply);
            return;
        }
        if (!CollectionScan.TryParseOptions(c, 3, out var count, out var pattern)) return;
        var usePattern = pattern != null;

        if (hash is byte[])
        {
            var matched = 0;
            foreach (var pair in RedisHash.Pairs(hash))
                if (!usePattern || GlobPattern.Match(pattern, pair.Field)) matched++;
            c.Reply.ArrayHeader(2);
            c.Reply.Bulk("0"u8);
            c.Reply.ArrayHeader(matched * 2);
            foreach (var pair in RedisHash.Pairs(hash))
            {
                if (usePattern && !GlobPattern.Match(pattern, pair.Field)) continue;
                c.Reply.Bulk(pair.Field);
                c.Reply.Bulk(pair.Value);
            }
            return;
        }

        var table = (MemberTable<byte[]>)hash;
        var collected = new List<(byte[] Member, byte[] Value)>();
        cursor = CollectionScan.Collect(table, cursor, count, collected);

        var kept = collected.Count;
        if (usePattern)
        {
            kept = 0;
            foreach (var (field, _) in collected)
                if (GlobPattern.Match(pattern, field)) kept++;
        }
        c.Reply.ArrayHeader(2);
        c.Reply.BulkInteger((long)cursor);
        c.Reply.ArrayHeader(kept * 2);
        foreach (var (field, value) in collected)
        {
            if (usePattern && !GlobPattern.Match(pattern, field)) continue;
            c.Reply.Bulk(field);
            c.Reply.Bulk(value);
        }
    }
}
