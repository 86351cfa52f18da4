using AkkaRedis.Actors.Server;
using System.Text;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Redis 7.0's HyperLogLog commands (hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST, over string values
/// holding Redis's HLL bytes (<see cref="HyperLogLog"/>). Every write goes through Database.ResizeString first, as
/// Redis's dbUnshareStringValue: the value becomes raw (an embstr HLL written with SET turns raw on its first PFADD,
/// PFCOUNT or PFDEBUG) and is never shared with a reply being sent.
/// </summary>
public static class HyperLogLogCommands
{
    public const string NotHll = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    public const string Corrupted = "INVALIDOBJ Corrupted HLL object detected";

    public static void Register(CommandTable t)
    {
        t.Add(new("pfadd", -2, F("write denyoom fast"), 1, 1, 1, A("hyperloglog fast"))
        {
            Handler = PfAdd,
            KeySpecFlags = ["RW insert"],
        });
        // Flagged readonly, yet PFCOUNT of one key writes the recomputed cardinality back into the value and
        // propagates itself (server.dirty++), hence its RW key spec.
        t.Add(new("pfcount", -2, F("readonly"), 1, -1, 1, A("hyperloglog slow"))
        {
            Handler = PfCount,
            KeySpecFlags = ["RW access"],
        });
        t.Add(new("pfmerge", -2, F("write denyoom"), 1, -1, 1, A("hyperloglog slow"))
        {
            Handler = PfMerge,
            KeySpecFlags = ["RW access insert", "RO access"],
            RoutingKeys = MergeDestinationAlone,
        });
        t.Add(new("pfdebug", 3, F("write denyoom admin"), 2, 2, 1, A("hyperloglog admin slow dangerous"))
        {
            Handler = PfDebug,
            KeySpecFlags = ["RW access"],
        });
        t.Add(new("pfselftest", 1, F("admin"), 0, 0, 0, A("hyperloglog admin slow dangerous"))
        {
            Handler = PfSelfTest,
        });
    }

    /// <summary>
    /// Routing of <c>PFMERGE dest</c> without sources: its second key spec (index 2) is out of bounds, so Redis's
    /// getKeysUsingKeySpecs finds no key at all (COMMAND GETKEYS answers "Invalid arguments"), yet the command writes
    /// dest. The session must still send it to dest's shard; COMMAND GETKEYS stays Redis's.
    /// </summary>
    private static bool MergeDestinationAlone(CommandArgs args, List<int> keyIndexes)
    {
        if (keyIndexes.Count == 0 && args.Length == 2) keyIndexes.Add(1);
        return true;
    }

    /// <summary>The shard's working copy for writes that may change a sparse HLL's length (one per thread: handlers
    /// run synchronously inside one actor turn).</summary>
    [ThreadStatic] private static HllBuffer? _work;
    /// <summary>One byte per register: the union computed by PFMERGE and multi-key PFCOUNT.</summary>
    [ThreadStatic] private static byte[]? _max;

    private static HllBuffer Work => _work ??= new HllBuffer();

    private static Span<byte> ClearedMax()
    {
        var max = _max ??= new byte[HyperLogLog.Registers];
        Array.Clear(max);
        return max;
    }

    /// <summary>isHLLObjectOrReply: WRONGTYPE for another type, the HLL WRONGTYPE for a string that is not an HLL
    /// (int-encoded, too short, bad magic or encoding, a dense one of the wrong length).</summary>
    private static bool IsHllOrReply(ExecContext c, KeyEntry obj)
    {
        if (c.WrongType(obj, RedisType.String)) return false;
        if (!obj.IsInt && HyperLogLog.IsValid(obj.RawBytes)) return true;
        c.Reply.Error(NotHll);
        return false;
    }

    /// <summary>Stores the working copy as the key's value, with the room Redis's sds would have (a new array only when
    /// that changed).</summary>
    private static void WriteBack(Database db, KeyEntry obj, HllBuffer work) => db.WriteString(obj, work.Bytes, work.Alloc);

    // ---- PFADD ---------------------------------------------------------------------------------------------------

    /// <summary>pfaddCommand: creates the key (sparse) when missing, which counts as a change even without elements.</summary>
    private static void PfAdd(ExecContext c)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (!obj.Exists)
        {
            // Built in the working copy, stored once.
            var fresh = Work;
            fresh.LoadEmpty();
            if (AddAll(c, fresh) < 0) return; // unreachable: a new HLL is never corrupted
            HyperLogLog.InvalidateCache(fresh.Bytes);
            db.WriteString(db.SetString(key, [], ObjectEncoding.Raw, c.Now), fresh.Bytes, fresh.Alloc);
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyString, "pfadd", key);
            c.Propagate();
            c.Reply.Integer(1);
            return;
        }
        if (!IsHllOrReply(c, obj)) return;

        var bytes = db.ResizeString(obj, obj.StringLength);
        var updated = false;
        if (bytes[4] == HyperLogLog.Dense)
        {
            // The hot path: registers raised in place, nothing allocated.
            for (var j = 2; j < c.Argc; j++)
                updated |= HyperLogLog.DenseAdd(bytes, c.Args[j]);
            if (updated) HyperLogLog.InvalidateCache(bytes);
        }
        else if (c.Argc > 2)
        {
            var work = Work;
            work.Load(bytes, obj.StringCapacity);
            var r = AddAll(c, work);
            if (r > 0) HyperLogLog.InvalidateCache(work.Bytes); // also after a promotion, which hllSparseSet leaves valid
            // On a corrupted HLL Redis has already changed the value for the elements before it: they stay, unpropagated.
            if (r != 0) WriteBack(db, obj, work);
            if (r < 0) return;
            updated = r > 0;
        }

        if (updated)
        {
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyString, "pfadd", key);
            c.Propagate();
        }
        c.Reply.Integer(updated ? 1 : 0);
    }

    /// <summary>hllAdd of every element of the request into the working copy: 1 when a register changed, 0 when none
    /// did, -1 (after replying INVALIDOBJ) when the sparse form turned out corrupted (changes made before it stay).</summary>
    private static int AddAll(ExecContext c, HllBuffer work)
    {
        var maxBytes = c.Config.HllSparseMaxBytes;
        var changed = 0;
        for (var j = 2; j < c.Argc; j++)
        {
            var r = work.Add(c.Args[j], maxBytes);
            if (r < 0)
            {
                c.Reply.Error(Corrupted);
                return -1;
            }
            changed |= r;
        }
        return changed;
    }

    // ---- PFCOUNT -------------------------------------------------------------------------------------------------

    private static void PfCount(ExecContext c)
    {
        if (c.Argc > 2)
        {
            // The cardinality of the union, over one byte per register (Redis's internal HLL_RAW).
            var max = ClearedMax();
            for (var j = 1; j < c.Argc; j++)
            {
                var key = c.Args[j];
                var o = c.Db(key).Lookup(key, c.Now);
                if (!o.Exists) continue; // a missing key is an empty HLL
                if (!IsHllOrReply(c, o)) return;
                if (!HyperLogLog.Merge(max, o.RawBytes))
                {
                    c.Reply.Error(Corrupted);
                    return;
                }
            }
            c.Reply.Integer((long)HyperLogLog.CountRaw(max));
            return;
        }

        var k = c.Args[1];
        var db = c.Db(k);
        var obj = db.Lookup(k, c.Now);
        if (!obj.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        if (!IsHllOrReply(c, obj)) return;
        var hll = db.ResizeString(obj, obj.StringLength);
        ulong card;
        if (HyperLogLog.CacheValid(hll)) card = HyperLogLog.CachedCardinality(hll);
        else
        {
            card = HyperLogLog.Count(hll, out var invalid);
            if (invalid)
            {
                c.Reply.Error(Corrupted);
                return;
            }
            // The cache is part of the string: replicas must see it written too (Redis propagates PFCOUNT).
            HyperLogLog.SetCachedCardinality(hll, card);
            c.KeyModified(db, k); // pfcountCommand signals the key whose cache it wrote
            c.Propagate();
        }
        c.Reply.Integer((long)card);
    }

    // ---- PFMERGE -------------------------------------------------------------------------------------------------

    /// <summary>pfmergeCommand: the union of every key (the destination included) into the destination, which turns
    /// dense when any input is dense and otherwise stays sparse as long as hllSparseSet keeps it so. Always a change.</summary>
    private static void PfMerge(ExecContext c)
    {
        var max = ClearedMax();
        var useDense = false;
        for (var j = 1; j < c.Argc; j++)
        {
            var key = c.Args[j];
            var o = c.Db(key).Lookup(key, c.Now);
            if (!o.Exists) continue;
            if (!IsHllOrReply(c, o)) return;
            if (o.RawBytes[4] == HyperLogLog.Dense) useDense = true;
            if (!HyperLogLog.Merge(max, o.RawBytes))
            {
                c.Reply.Error(Corrupted);
                return;
            }
        }

        var dest = c.Args[1];
        var db = c.Db(dest);
        var obj = db.LookupWrite(dest, c.Now);
        var work = Work;
        if (!obj.Exists)
        {
            work.LoadEmpty();
            obj = db.SetString(dest, work.Bytes, ObjectEncoding.Raw, c.Now);
        }
        else work.Load(obj.RawBytes, obj.StringCapacity);

        if (useDense && !work.ToDense())
        {
            c.Reply.Error(Corrupted);
            return;
        }
        var maxBytes = c.Config.HllSparseMaxBytes;
        for (var j = 0; j < HyperLogLog.Registers; j++)
            if (max[j] != 0) work.Set(j, max[j], maxBytes);
        HyperLogLog.InvalidateCache(work.Bytes);
        WriteBack(db, obj, work);
        c.KeyModified(db, dest);
        // pfmergeCommand: "a PFADD event for PFMERGE for semantical simplicity since in theory this is a mass-add".
        c.Notify(ServerConfig.NotifyString, "pfadd", dest);
        c.Propagate();
        c.Reply.Ok();
    }

    // ---- PFDEBUG / PFSELFTEST ------------------------------------------------------------------------------------

    private static void PfDebug(ExecContext c)
    {
        var key = c.Args[2];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (!obj.Exists)
        {
            c.Reply.Error("ERR The specified key does not exist");
            return;
        }
        if (!IsHllOrReply(c, obj)) return;
        var hll = db.ResizeString(obj, obj.StringLength);

        if (c.ArgIs(1, "getreg"))
        {
            if (!ToDense(c, db, obj, hll)) return;
            var registers = obj.RawBytes[HyperLogLog.HeaderSize..];
            c.Reply.ArrayHeader(HyperLogLog.Registers);
            for (var j = 0; j < HyperLogLog.Registers; j++) c.Reply.Integer(HyperLogLog.GetRegister(registers, j));
        }
        else if (c.ArgIs(1, "decode"))
        {
            if (hll[4] != HyperLogLog.Sparse)
            {
                c.Reply.Error("ERR HLL encoding is not sparse");
                return;
            }
            c.Reply.Bulk(HyperLogLog.Decode(hll));
        }
        else if (c.ArgIs(1, "encoding"))
        {
            c.Reply.SimpleString(hll[4] == HyperLogLog.Dense ? "dense" : "sparse");
        }
        else if (c.ArgIs(1, "todense"))
        {
            var sparse = hll[4] == HyperLogLog.Sparse;
            if (!ToDense(c, db, obj, hll)) return;
            c.Reply.Integer(sparse ? 1 : 0);
        }
        else
        {
            // addReplyErrorFormat turns newlines into spaces.
            var sub = Encoding.UTF8.GetString(c.Args[1]).Replace('\r', ' ').Replace('\n', ' ');
            c.Reply.Error($"ERR Unknown PFDEBUG subcommand '{sub}'");
        }
    }

    /// <summary>PFDEBUG GETREG / TODENSE: a sparse HLL is converted (and the command propagated, "Force propagation on
    /// encoding change"); false after replying INVALIDOBJ for corrupted sparse bytes.</summary>
    private static bool ToDense(ExecContext c, Database db, KeyEntry obj, Span<byte> hll)
    {
        if (hll[4] != HyperLogLog.Sparse) return true;
        var work = Work;
        work.Load(hll, obj.StringCapacity);
        if (!work.ToDense())
        {
            c.Reply.Error(Corrupted);
            return false;
        }
        WriteBack(db, obj, work);
        c.Propagate();
        return true;
    }

    private static void PfSelfTest(ExecContext c)
    {
        var failure = HyperLogLogSelfTest.Run(c.Config.HllSparseMaxBytes);
        if (failure == null) c.Reply.Ok();
        else c.Reply.Error(failure);
    }
}
