using System.Text;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// The generic keys family (DEL, EXISTS, EXPIRE..., RENAME, COPY, MOVE, OBJECT, SCAN, KEYS...) and the keyspace-wide
/// server commands (DBSIZE, FLUSHDB, FLUSHALL, SWAPDB), as Redis 7.0's db.c, expire.c and object.c behave.
/// Keyed commands find each key's database with c.Db(key), so they run unchanged on one shard or under the
/// Transaction actor; keyless whole-keyspace commands run with every shard held and walk c.Keyspace.
/// </summary>
public static class KeyCommands
{
    private const string SameObject = "ERR source and destination objects are the same";
    private const string InvalidCursor = "ERR invalid cursor";
    private const string LfuNotSelected = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    private const string LfuSelected = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    private const string NxWithOthers = "ERR NX and XX, GT or LT options at the same time are not compatible";
    private const string GtAndLt = "ERR GT and LT options at the same time are not compatible";

    public static void Register(CommandTable t)
    {
        t.Add(new("copy", -3, F("write denyoom"), 1, 2, 1, A("keyspace"))
        {
            Handler = Copy,
            KeySpecFlags = ["RO access", "OW update"],
        });
        t.Add(new("del", -2, F("write"), 1, -1, 1, A("keyspace"))
        {
            Handler = Del,
            KeySpecFlags = ["RM delete"],
        });
        t.Add(new("unlink", -2, F("write fast"), 1, -1, 1, A("keyspace"))
        {
            Handler = Del,
            KeySpecFlags = ["RM delete"],
        });
        t.Add(new("exists", -2, F("readonly fast"), 1, -1, 1, A("keyspace"))
        {
            Handler = Exists,
            KeySpecFlags = ["RO"],
        });
        t.Add(new("touch", -2, F("readonly fast"), 1, -1, 1, A("keyspace"))
        {
            Handler = Touch,
            KeySpecFlags = ["RO"],
        });
        t.Add(new("expire", -3, F("write fast"), 1, 1, 1, A("keyspace"))
        {
            Handler = c => Expire(c, c.Now, seconds: true),
            KeySpecFlags = ["RW update"],
        });
        t.Add(new("pexpire", -3, F("write fast"), 1, 1, 1, A("keyspace"))
        {
            Handler = c => Expire(c, c.Now, seconds: false),
            KeySpecFlags = ["RW update"],
        });
        t.Add(new("expireat", -3, F("write fast"), 1, 1, 1, A("keyspace"))
        {
            Handler = c => Expire(c, 0, seconds: true),
            KeySpecFlags = ["RW update"],
        });
        t.Add(new("pexpireat", -3, F("write fast"), 1, 1, 1, A("keyspace"))
        {
            Handler = c => Expire(c, 0, seconds: false),
            KeySpecFlags = ["RW update"],
        });
        t.Add(new("ttl", 2, F("readonly fast"), 1, 1, 1, A("keyspace"))
        {
            Handler = c => Ttl(c, milliseconds: false, absolute: false),
            KeySpecFlags = ["RO access"],
        });
        t.Add(new("pttl", 2, F("readonly fast"), 1, 1, 1, A("keyspace"))
        {
            Handler = c => Ttl(c, milliseconds: true, absolute: false),
            KeySpecFlags = ["RO access"],
        });
        t.Add(new("expiretime", 2, F("readonly fast"), 1, 1, 1, A("keyspace"))
        {
            Handler = c => Ttl(c, milliseconds: false, absolute: true),
            KeySpecFlags = ["RO access"],
        });
        t.Add(new("pexpiretime", 2, F("readonly fast"), 1, 1, 1, A("keyspace"))
        {
            Handler = c => Ttl(c, milliseconds: true, absolute: true),
            KeySpecFlags = ["RO access"],
        });
        t.Add(new("persist", 2, F("write fast"), 1, 1, 1, A("keyspace"))
        {
            Handler = Persist, KeySpecFlags = ["RW update"],
        });
        t.Add(new("type", 2, F("readonly fast"), 1, 1, 1, A("keyspace"))
        {
            Handler = Type, KeySpecFlags = ["RO"],
        });
        t.Add(new("rename", 3, F("write"), 1, 2, 1, A("keyspace"))
        {
            Handler = c => Rename(c, nx: false), KeySpecFlags = ["RW access delete", "OW update"],
        });
        t.Add(new("renamenx", 3, F("write fast"), 1, 2, 1, A("keyspace"))
        {
            Handler = c => Rename(c, nx: true),
            KeySpecFlags = ["RW access delete", "OW insert"],
        });
        t.Add(new("move", 3, F("write fast"), 1, 1, 1, A("keyspace"))
        {
            Handler = Move, KeySpecFlags = ["RW access update"],
        });

        t.Add(new("dump", 2, F("readonly"), 1, 1, 1, A("keyspace"))
        {
            Handler = Dump,
            KeySpecFlags = ["RO access"],
        });
        t.Add(new("restore", -4, F("write denyoom"), 1, 1, 1, A("keyspace dangerous"))
        {
            Handler = Restore,
            KeySpecFlags = ["OW update"],
        });
        t.Add(new("restore-asking", -4, F("write denyoom asking"), 1, 1, 1, A("keyspace dangerous"))
        {
            Handler = Restore,
            KeySpecFlags = ["OW update"],
        });

        var obj = t.Add(new("object", -2, F(""), 0, 0, 0, A("")));
        t.AddSub(obj, new("encoding", 3, F("readonly"), 2, 2, 1, A("keyspace"))
        {
            Handler = ObjectEncoding,
            KeySpecFlags = ["RO"],
        });
        t.AddSub(obj, new("freq", 3, F("readonly"), 2, 2, 1, A("keyspace"))
        {
            Handler = ObjectFreq,
            KeySpecFlags = ["RO"],
        });
        t.AddSub(obj, new("idletime", 3, F("readonly"), 2, 2, 1, A("keyspace"))
        {
            Handler = ObjectIdleTime,
            KeySpecFlags = ["RO"],
        });
        t.AddSub(obj, new("refcount", 3, F("readonly"), 2, 2, 1, A("keyspace"))
        {
            Handler = ObjectRefCount,
            KeySpecFlags = ["RO"],
        });
        t.AddSub(obj, new("help", 2, F("loading stale"), 0, 0, 0, A("keyspace"))
        {
            Handler = ObjectHelp,
        });

        t.Add(new("keys", 2, F("readonly"), 0, 0, 0, A("keyspace dangerous"))
        {
            Scatter = Keys, Gather = GatherKeys, Execution = Execution.ScatterGather,
        });
        t.Add(new("scan", -2, F("readonly"), 0, 0, 0, A("keyspace"))
        {
            Handler = Scan, Route = ScanShard,
        });
        t.Add(new("randomkey", 1, F("readonly"), 0, 0, 0, A("keyspace"))
        {
            Scatter = RandomKey, Gather = GatherRandomKey, Execution = Execution.ScatterGather,
        });
        t.Add(new("dbsize", 1, F("readonly fast"), 0, 0, 0, A("keyspace"))
        {
            Scatter = DbSize, Gather = (parts, reply) => reply.Integer(parts.Sum(p => (long)p!)),
            Execution = Execution.ScatterGather,
        });
        t.Add(new("flushdb", -1, F("write"), 0, 0, 0, A("keyspace dangerous"))
        {
            Handler = c => Flush(c, allDatabases: false), Execution = Execution.AllShards,
        });
        t.Add(new("flushall", -1, F("write"), 0, 0, 0, A("keyspace dangerous"))
        {
            Handler = c => Flush(c, allDatabases: true), Execution = Execution.AllShards,
        });
        t.Add(new("swapdb", 3, F("write fast"), 0, 0, 0, A("keyspace dangerous"))
        {
            Handler = SwapDb, Execution = Execution.AllShards,
        });
    }

    // ---- lookups with Redis's flavours -------------------------------------------------------------------------

    /// <summary>lookupKeyReadWithFlags(LOOKUP_NOTOUCH): lazy expiry, hit/miss statistics and the keymiss event (not for
    /// OBJECT, whose lookup adds LOOKUP_NONOTIFY), access time untouched.</summary>
    private static KeyEntry LookupNoTouch(Database db, ReadOnlySpan<byte> key, long now, bool notify = true)
    {
        var obj = db.Find(key, now);
        if (!obj.Exists) db.Missed(key, notify);
        else db.Stats.KeyspaceHits++;
        return obj;
    }

    /// <summary>getIntFromObjectOrReply: a strict integer that fits in a C int.</summary>
    private static bool TryParseInt(ReadOnlySpan<byte> arg, out int value)
    {
        value = 0;
        if (!RedisNumbers.TryParseLong(arg, out var v) || v < int.MinValue || v > int.MaxValue) return false;
        value = (int)v;
        return true;
    }

    private static bool ValidDb(ExecContext c, int db) => db >= 0 && db < c.Config.Databases;

    // ---- DEL / UNLINK / EXISTS / TOUCH --------------------------------------------------------------------------

    private static void Del(ExecContext c)
    {
        long deleted = 0;
        for (var i = 1; i < c.Argc; i++)
        {
            var db = c.Db(c.Args[i]);
            if (!db.Remove(c.Args[i], c.Now)) continue;
            c.KeyModified(db, c.Args[i]);
            c.Notify(ServerConfig.NotifyGeneric, "del", c.Args[i]);
            deleted++;
        }
        if (deleted > 0) c.Propagate();
        c.Reply.Integer(deleted);
    }

    private static void Exists(ExecContext c)
    {
        long count = 0;
        for (var i = 1; i < c.Argc; i++)
            if (LookupNoTouch(c.Db(c.Args[i]), c.Args[i], c.Now).Exists) count++;
        c.Reply.Integer(count);
    }

    private static void Touch(ExecContext c)
    {
        long count = 0;
        for (var i = 1; i < c.Argc; i++)
            if (c.Db(c.Args[i]).Lookup(c.Args[i], c.Now).Exists) count++;
        c.Reply.Integer(count);
    }

    // ---- EXPIRE family -----------------------------------------------------------------------------------------

    [Flags]
    private enum ExpireFlags { None = 0, Nx = 1, Xx = 2, Gt = 4, Lt = 8 }

    /// <summary>expireGenericCommand: <paramref name="baseTime"/> is now for relative forms, 0 for the *AT forms.</summary>
    private static void Expire(ExecContext c, long baseTime, bool seconds)
    {
        var flags = ExpireFlags.None;
        for (var i = 3; i < c.Argc; i++)
        {
            if (c.ArgIs(i, "nx")) flags |= ExpireFlags.Nx;
            else if (c.ArgIs(i, "xx")) flags |= ExpireFlags.Xx;
            else if (c.ArgIs(i, "gt")) flags |= ExpireFlags.Gt;
            else if (c.ArgIs(i, "lt")) flags |= ExpireFlags.Lt;
            else
            {
                c.Reply.Error("ERR Unsupported option " + CString.Text(c.Args[i]));
                return;
            }
        }
        if ((flags & ExpireFlags.Nx) != 0 && (flags & (ExpireFlags.Xx | ExpireFlags.Gt | ExpireFlags.Lt)) != 0)
        {
            c.Reply.Error(NxWithOthers);
            return;
        }
        if ((flags & (ExpireFlags.Gt | ExpireFlags.Lt)) == (ExpireFlags.Gt | ExpireFlags.Lt))
        {
            c.Reply.Error(GtAndLt);
            return;
        }
        if (!RedisNumbers.TryParseLong(c.Args[2], out var when))
        {
            c.Reply.Error(Errors.NotInteger);
            return;
        }
        if (seconds)
        {
            if (when > long.MaxValue / 1000 || when < long.MinValue / 1000)
            {
                c.Reply.Error(Errors.InvalidExpire(c.Command.Name));
                return;
            }
            when *= 1000;
        }
        if (when > long.MaxValue - baseTime)
        {
            c.Reply.Error(Errors.InvalidExpire(c.Command.Name));
            return;
        }
        when += baseTime;

        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (!obj.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        if (flags != ExpireFlags.None)
        {
            var current = obj.ExpireAt;
            var refused =
                ((flags & ExpireFlags.Nx) != 0 && current != -1) ||
                ((flags & ExpireFlags.Xx) != 0 && current == -1) ||
                // No TTL counts as an infinite one: GT never beats it, LT always does.
                ((flags & ExpireFlags.Gt) != 0 && (when <= current || current == -1)) ||
                ((flags & ExpireFlags.Lt) != 0 && current != -1 && when >= current);
            if (refused)
            {
                c.Reply.Integer(0);
                return;
            }
        }
        // A time already past deletes the key (Redis replicates it as DEL); otherwise the effect is PEXPIREAT with
        // the absolute time, the other arguments (NX/XX/GT/LT) as sent.
        if (when <= c.Now)
        {
            db.Delete(obj);
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyGeneric, "del", key);
            c.PropagateExpiredDeletion(key);
        }
        else
        {
            db.SetExpire(obj, when);
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyGeneric, "expire", key);
            if (baseTime == 0 && !seconds) c.Propagate();
            else
            {
                var effect = c.Effect(c.Argc).Arg("PEXPIREAT"u8).Arg(key).Arg(when);
                for (var i = 3; i < c.Argc; i++) effect = effect.Arg(c.Args[i]);
            }
        }
        c.Reply.Integer(1);
    }

    /// <summary>TTL, PTTL, EXPIRETIME, PEXPIRETIME (ttlGenericCommand).</summary>
    private static void Ttl(ExecContext c, bool milliseconds, bool absolute)
    {
        var obj = LookupNoTouch(c.Db(c.Args[1]), c.Args[1], c.Now);
        if (!obj.Exists)
        {
            c.Reply.Integer(-2);
            return;
        }
        if (!obj.HasExpire)
        {
            c.Reply.Integer(-1);
            return;
        }
        var ttl = absolute ? obj.ExpireAt : obj.ExpireAt - c.Now;
        if (ttl < 0) ttl = 0;
        // Redis's (ttl+500)/1000 on a non-negative ttl compiles to an unsigned division, so a TTL near LLONG_MAX
        // (PXAT 9223372036854775807) rounds up instead of wrapping negative: 9223372036854776 seconds.
        c.Reply.Integer(milliseconds ? ttl : (long)(((ulong)ttl + 500) / 1000));
    }

    private static void Persist(ExecContext c)
    {
        var db = c.Db(c.Args[1]);
        var obj = db.LookupWrite(c.Args[1], c.Now);
        var removed = obj.Exists && db.Persist(obj);
        if (removed)
        {
            c.KeyModified(db, c.Args[1]);
            c.Notify(ServerConfig.NotifyGeneric, "persist", c.Args[1]);
            c.Propagate();
        }
        c.Reply.Integer(removed ? 1 : 0);
    }

    private static void Type(ExecContext c)
    {
        var obj = LookupNoTouch(c.Db(c.Args[1]), c.Args[1], c.Now);
        c.Reply.SimpleString(!obj.Exists ? "none" : RedisObject.TypeName(obj.Type));
    }

    // ---- RENAME / RENAMENX / MOVE / COPY -----------------------------------------------------------------------

    private static void Rename(ExecContext c, bool nx)
    {
        var from = c.Args[1];
        var to = c.Args[2];
        var fromDb = c.Db(from);
        var obj = fromDb.LookupWrite(from, c.Now);
        if (!obj.Exists)
        {
            c.Reply.Error(Errors.NoSuchKey);
            return;
        }
        if (from.AsSpan().SequenceEqual(to))
        {
            if (nx) c.Reply.Integer(0);
            else c.Reply.Ok();
            return;
        }
        var toDb = c.Db(to);
        // Looked up even when it will be overwritten: an expired destination is expired (and counted) first.
        var existing = toDb.LookupWrite(to, c.Now);
        if (existing.Exists)
        {
            if (nx)
            {
                c.Reply.Integer(0);
                return;
            }
            // renameGenericCommand deletes the destination, then dbAdds it: the destination is a "new" key even when
            // one was there. Deleting a slot moves no other, so the source handle stays valid.
            toDb.Delete(existing);
        }
        // The key bytes share the value's slot, so the value (and its TTL) moves into a slot under the new name.
        toDb.MoveFrom(fromDb, obj, to, c.Now);
        c.KeyModified(fromDb, from);
        c.KeyModified(toDb, to);
        c.Notify(ServerConfig.NotifyGeneric, "rename_from", from);
        c.Notify(ServerConfig.NotifyGeneric, "rename_to", to);
        c.Propagate();
        if (nx) c.Reply.Integer(1);
        else c.Reply.Ok();
    }

    private static void Move(ExecContext c)
    {
        var key = c.Args[1];
        if (!TryParseInt(c.Args[2], out var target))
        {
            c.Reply.Error(Errors.NotInteger);
            return;
        }
        if (!ValidDb(c, target))
        {
            c.Reply.Error(Errors.DbIndexOutOfRange);
            return;
        }
        if (target == c.DbIndex)
        {
            c.Reply.Error(SameObject);
            return;
        }
        var src = c.Db(key);
        var obj = src.LookupWrite(key, c.Now);
        if (!obj.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        var dst = c.Db(target, key);
        if (dst.LookupWrite(key, c.Now).Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        dst.MoveFrom(src, obj, key, c.Now);
        c.KeyModified(src, key);
        c.KeyModified(dst, key);
        c.Notify(ServerConfig.NotifyGeneric, "move_from", key, src.Index);
        c.Notify(ServerConfig.NotifyGeneric, "move_to", key, dst.Index);
        c.Propagate();
        c.Reply.Integer(1);
    }

    private static void Copy(ExecContext c)
    {
        var targetDb = c.DbIndex;
        var replace = false;
        for (var i = 3; i < c.Argc; i++)
        {
            var additional = c.Argc - i - 1;
            if (c.ArgIs(i, "replace"))
            {
                replace = true;
            }
            else if (c.ArgIs(i, "db") && additional >= 1)
            {
                if (!TryParseInt(c.Args[i + 1], out targetDb))
                {
                    c.Reply.Error(Errors.NotInteger);
                    return;
                }
                if (!ValidDb(c, targetDb))
                {
                    c.Reply.Error(Errors.DbIndexOutOfRange);
                    return;
                }
                i++;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }
        var key = c.Args[1];
        var newKey = c.Args[2];
        if (targetDb == c.DbIndex && key.AsSpan().SequenceEqual(newKey))
        {
            c.Reply.Error(SameObject);
            return;
        }
        var obj = c.Db(key).Lookup(key, c.Now);
        if (!obj.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        var dst = c.Db(targetDb, newKey);
        var existing = dst.LookupWrite(newKey, c.Now);
        if (existing.Exists)
        {
            if (!replace)
            {
                c.Reply.Integer(0);
                return;
            }
            // copyCommand deletes the destination before its dbAdd: a "new" key even when REPLACE overwrote one.
            dst.Delete(existing);
        }
        if (!dst.CopyFrom(obj, newKey, c.Now))
        {
            c.Reply.Error("ERR unknown type object");
            return;
        }
        c.KeyModified(dst, newKey);
        c.Notify(ServerConfig.NotifyGeneric, "copy_to", newKey, dst.Index);
        c.Propagate();
        c.Reply.Integer(1);
    }

    // ---- DUMP / RESTORE (cluster.c) -------------------------------------------------------------------------------

    [ThreadStatic] private static Storage.Rdb.RdbWriter? _dumpWriter;

    /// <summary>dumpCommand: the value's RDB encoding + RDB version + CRC-64 (createDumpPayload), compressed as
    /// rdbcompression says; a null for a missing key.</summary>
    private static void Dump(ExecContext c)
    {
        var key = c.Args[1];
        var obj = c.Db(key).Lookup(key, c.Now);
        if (!obj.Exists)
        {
            c.Reply.NullBulk();
            return;
        }
        var w = _dumpWriter ??= new Storage.Rdb.RdbWriter(1024);
        try
        {
            c.Config.CreateDumpPayload(w, obj);
        }
        catch (NotImplementedException e)
        {
            c.Reply.Error("ERR " + e.Message);
            return;
        }
        c.Reply.Bulk(w.Written);
        // Do not keep a big value's buffer alive per thread.
        if (w.Length > 1 << 20) _dumpWriter = null;
    }

    /// <summary>restoreCommand (7.0): options, BUSYKEY, the TTL, the payload's footer, the value; then the old key
    /// goes (REPLACE), a TTL already in the past deletes instead of storing (propagated as DEL when a key was
    /// replaced), and a relative TTL is propagated as an absolute one with ABSTTL.</summary>
    private static void Restore(ExecContext c)
    {
        var replace = false;
        var absTtl = false;
        long lfuFreq = -1, lruIdle = -1;
        for (var j = 4; j < c.Argc; j++)
        {
            var additional = c.Argc - j - 1;
            if (c.ArgIs(j, "replace")) replace = true;
            else if (c.ArgIs(j, "absttl")) absTtl = true;
            else if (c.ArgIs(j, "idletime") && additional >= 1 && lfuFreq == -1)
            {
                if (!RedisNumbers.TryParseLong(c.Args[j + 1], out lruIdle))
                {
                    c.Reply.Error(Errors.NotInteger);
                    return;
                }
                if (lruIdle < 0)
                {
                    c.Reply.Error("ERR Invalid IDLETIME value, must be >= 0");
                    return;
                }
                j++;
            }
            else if (c.ArgIs(j, "freq") && additional >= 1 && lruIdle == -1)
            {
                if (!RedisNumbers.TryParseLong(c.Args[j + 1], out lfuFreq))
                {
                    c.Reply.Error(Errors.NotInteger);
                    return;
                }
                if (lfuFreq < 0 || lfuFreq > 255)
                {
                    c.Reply.Error("ERR Invalid FREQ value, must be >= 0 and <= 255");
                    return;
                }
                j++;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }

        var key = c.Args[1];
        var db = c.Db(key);
        if (!replace && db.LookupWrite(key, c.Now).Exists)
        {
            c.Reply.Error("BUSYKEY Target key name already exists.");
            return;
        }
        if (!RedisNumbers.TryParseLong(c.Args[2], out var ttl))
        {
            c.Reply.Error(Errors.NotInteger);
            return;
        }
        if (ttl < 0)
        {
            c.Reply.Error("ERR Invalid TTL value, must be >= 0");
            return;
        }
        var payload = c.Args[3].AsSpan();
        if (!Storage.Rdb.DumpPayload.Verify(payload, c.Services.Diagnostics.SkipChecksumValidation))
        {
            c.Reply.Error("ERR DUMP payload version or checksum are wrong");
            return;
        }
        Storage.Rdb.RdbValue value;
        try
        {
            value = Storage.Rdb.DumpPayload.Read(payload, c.Config.RdbLoadLimits());
        }
        catch (Exception e) when (e is Storage.Rdb.RdbFormatException or NotImplementedException)
        {
            c.Reply.Error("ERR Bad data format");
            return;
        }

        var deleted = false;
        if (replace)
        {
            var old = db.LookupWrite(key, c.Now);
            if (old.Exists)
            {
                db.Delete(old);
                deleted = true;
            }
        }
        if (ttl != 0 && !absTtl) ttl += c.Now;
        // checkAlreadyExpired: a time already past deletes rather than stores (not while loading or as a replica,
        // which apply what their source decided: neither runs RESTORE through here with a past time).
        if (ttl != 0 && ttl <= c.Now)
        {
            if (deleted)
            {
                c.Effect(2).Arg("DEL"u8).Arg(key);
                c.KeyModified(db, key);
                c.Notify(ServerConfig.NotifyGeneric, "del", key, db.Index);
            }
            c.Reply.Ok();
            return;
        }

        var entry = value.StoreIn(db, key, c.Now, replace: true);
        if (ttl != 0)
        {
            db.SetExpire(entry, ttl);
            if (!absTtl)
            {
                // Propagate the TTL as an absolute time: argv[2] rewritten, ABSTTL appended.
                var effect = c.Effect(c.Argc + 1);
                for (var i = 0; i < c.Argc; i++) effect = i == 2 ? effect.Arg(ttl) : effect.Arg(c.Args[i]);
                effect.Arg("ABSTTL"u8);
            }
            else c.Propagate();
        }
        else c.Propagate();
        // objectSetLRUOrLFU: IDLETIME sets the access time unless an LFU policy is on (FREQ would set the counter,
        // which is not tracked here).
        if (lruIdle >= 0 && !LfuPolicy(c)) SetIdle(entry, c.Now, lruIdle);
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyGeneric, "restore", key, db.Index);
        c.Reply.Ok();
    }

    /// <summary>objectSetLRUOrLFU's LRU branch: the LRU clock <paramref name="idleSeconds"/> before now, wrapped as
    /// Redis wraps it (an idle time beyond the clock's range lands half a range back).</summary>
    private static void SetIdle(KeyEntry entry, long now, long idleSeconds)
    {
        const long LruClockMax = (1 << 24) - 1;
        var clock = (long)Database.LruClock(now);
        var abs = clock - idleSeconds;
        if (abs < 0) abs = (clock + LruClockMax / 2) % LruClockMax;
        ref var e = ref entry.Entry;
        e.Meta = (e.Meta & 0xFF) | ((uint)abs << KeyTable.LruShift);
    }

    // ---- OBJECT ------------------------------------------------------------------------------------------------

    private static readonly string[] ObjectHelpLines =
    [
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
    ];

    private static void ObjectHelp(ExecContext c)
    {
        HelpReply.Write(c.Reply, "OBJECT", ObjectHelpLines);
    }

    /// <summary>objectCommandLookupOrReply: a no-touch read lookup; a missing key is answered with a null.</summary>
    private static KeyEntry ObjectLookup(ExecContext c)
    {
        var obj = LookupNoTouch(c.Db(c.Args[2]), c.Args[2], c.Now, notify: false);
        if (!obj.Exists) c.Reply.NullBulk();
        return obj;
    }

    private static void ObjectEncoding(ExecContext c)
    {
        var obj = ObjectLookup(c);
        if (obj.Exists) c.Reply.Bulk(RedisObject.EncodingName(obj.Encoding));
    }

    private static void ObjectRefCount(ExecContext c)
    {
        var obj = ObjectLookup(c);
        if (!obj.Exists) return;
        // Redis shares one object for the integers 0..9999 (OBJ_SHARED_INTEGERS) and reports OBJ_SHARED_REFCOUNT for it.
        var shared = obj.IsInt && obj.IntValue is >= 0 and < 10000;
        c.Reply.Integer(shared ? int.MaxValue : 1);
    }

    private static void ObjectIdleTime(ExecContext c)
    {
        var obj = ObjectLookup(c);
        if (!obj.Exists) return;
        if (LfuPolicy(c))
        {
            c.Reply.Error(LfuSelected);
            return;
        }
        // Redis's LRU clock ticks in whole seconds.
        c.Reply.Integer(obj.IdleSeconds(c.Now));
    }

    private static void ObjectFreq(ExecContext c)
    {
        var obj = ObjectLookup(c);
        if (!obj.Exists) return;
        if (!LfuPolicy(c))
        {
            c.Reply.Error(LfuNotSelected);
            return;
        }
        // Access frequency is not tracked: the estimate the RDB's FREQ opcode also carries.
        c.Reply.Integer(Storage.Rdb.RdbValues.LfuCounter(obj, c.Now));
    }

    private static bool LfuPolicy(ExecContext c)
    {
        var policy = c.Config.Find("maxmemory-policy")?.Get();
        return policy != null && policy.Contains("lfu", StringComparison.OrdinalIgnoreCase);
    }

    // ---- whole-keyspace reads (scatter-gather: each shard's part, merged by the session) and writes (all held) ----

    /// <summary>The held parts of database <paramref name="db"/>.</summary>
    private static IEnumerable<Database> Parts(ExecContext c, int db)
    {
        for (var part = 0; part < c.Keyspace.PartCount; part++)
            if (c.Keyspace.Part(part, db) is { } slice) yield return slice;
    }

    private static object DbSize(ExecContext c)
    {
        long count = 0;
        foreach (var db in Parts(c, c.DbIndex)) count += db.Count;
        return count;
    }

    private static object Keys(ExecContext c)
    {
        var pattern = c.Args[1];
        var all = GlobPattern.MatchesEverything(pattern);
        var found = new List<byte[]>();
        foreach (var db in Parts(c, c.DbIndex))
        {
            // KEYS skips expired keys without deleting them (keyIsExpired, not expireIfNeeded).
            foreach (var obj in db.AllKeys())
                if ((all || GlobPattern.Match(pattern, obj.Key)) && !obj.IsExpiredAt(c.Now))
                    found.Add(obj.Key.ToArray());
        }
        return found;
    }

    /// <summary>KEYS' reply: every shard's keys, shard after shard.</summary>
    private static void GatherKeys(object?[] parts, RespWriter reply)
    {
        var total = 0;
        foreach (var part in parts) total += ((List<byte[]>)part!).Count;
        reply.ArrayHeader(total);
        foreach (var part in parts)
            foreach (var key in (List<byte[]>)part!) reply.Bulk(key);
    }

    /// <summary>One part's RANDOMKEY: a random live key of the part and how many keys the part held, so the gather
    /// can weigh the parts by size and every key is about as likely as in one table (Redis's dictGetFairRandomKey).</summary>
    private sealed record RandomPick(long Count, byte[]? Key);

    private static object RandomKey(ExecContext c)
    {
        while (true)
        {
            // Pick a part weighted by its key count, so every key is about as likely as in one table.
            long total = 0;
            foreach (var db in Parts(c, c.DbIndex)) total += db.Count;
            if (total == 0) return new RandomPick(0, null);
            var pick = Random.Shared.NextInt64(total);
            foreach (var db in Parts(c, c.DbIndex))
            {
                if (pick >= db.Count)
                {
                    pick -= db.Count;
                    continue;
                }
                var obj = db.RandomKey(Random.Shared, c.Now);
                if (obj.Exists) return new RandomPick(total, obj.Key.ToArray());
                // Every key of that shard had expired (and is now gone): draw again among what is left.
                break;
            }
        }
    }

    private static void GatherRandomKey(object?[] parts, RespWriter reply)
    {
        long total = 0;
        foreach (RandomPick part in parts) if (part.Key != null) total += part.Count;
        if (total == 0)
        {
            reply.NullBulk();
            return;
        }
        var pick = Random.Shared.NextInt64(total);
        foreach (RandomPick part in parts)
        {
            if (part.Key == null) continue;
            if (pick < part.Count)
            {
                reply.Bulk(part.Key);
                return;
            }
            pick -= part.Count;
        }
    }

    private static void Flush(ExecContext c, bool allDatabases)
    {
        if (c.Argc > 2 || (c.Argc == 2 && !c.ArgIs(1, "sync") && !c.ArgIs(1, "async")))
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        for (var index = 0; index < c.Config.Databases; index++)
        {
            if (!allDatabases && index != c.DbIndex) continue;
            foreach (var db in Parts(c, index))
            {
                // signalFlushedDb → touchAllWatchedKeysInDb(db, NULL): watchers of keys that were there.
                db.Watched?.TouchAll(db, null, c.Now);
                // server.dirty += emptyData(): one change per key removed.
                db.Stats.Dirty += db.Count;
                db.Clear();
            }
        }
        c.SignalFlushedDb(allDatabases ? -1 : c.DbIndex);
        // flushAllDataAndResetRDB: a running BGSAVE is killed (its older snapshot must not become the file), then with
        // save points the empty dataset is saved at once (rdbSave, which resets the changes counted; its failure is
        // only logged).
        if (allDatabases) c.Services.Persistence.KillBackgroundSave();
        if (allDatabases && c.Config.SavePoints.Count > 0) RdbSaving.Save(c.Services, c.Keyspace);
        // Propagated even when nothing was there to flush (Redis's forceCommandPropagation).
        c.Propagate();
        c.Reply.Ok();
    }

    private static void SwapDb(ExecContext c)
    {
        if (!TryParseInt(c.Args[1], out var a))
        {
            c.Reply.Error("ERR invalid first DB index");
            return;
        }
        if (!TryParseInt(c.Args[2], out var b))
        {
            c.Reply.Error("ERR invalid second DB index");
            return;
        }
        if (!ValidDb(c, a) || !ValidDb(c, b))
        {
            c.Reply.Error(Errors.DbIndexOutOfRange);
            return;
        }
        // dbSwapDatabases touches the watched keys of both databases (a key existing in either) before swapping.
        for (var part = 0; part < c.Keyspace.PartCount; part++)
        {
            if (c.Keyspace.Part(part, a) is not { } first || c.Keyspace.Part(part, b) is not { } second || a == b) continue;
            first.Watched?.TouchAll(first, second, c.Now);
            second.Watched?.TouchAll(second, first, c.Now);
        }
        c.Keyspace.SwapDatabases(a, b);
        c.Propagate();
        c.Reply.Ok();
    }

    // ---- SCAN --------------------------------------------------------------------------------------------------

    /// <summary>
    /// SCAN over every shard. The cursor holds the shard index in its low bits (as many as the shard count needs)
    /// and that shard's reverse-binary bucket cursor above them; shards are walked in order, each from bucket
    /// cursor 0, and the scan ends (cursor 0) after the last one. Each shard keeps Redis's guarantee: a key present
    /// for the whole scan is returned at least once even if its table grows or shrinks between calls. With one
    /// shard the cursor is exactly Redis's.
    /// </summary>
    private static void Scan(ExecContext c)
    {
        if (!TryParseCursor(c.Args[1], out var cursor))
        {
            c.Reply.Error(InvalidCursor);
            return;
        }
        long count = 10;
        byte[]? pattern = null;
        byte[]? typeName = null;
        for (var i = 2; i < c.Argc;)
        {
            var remaining = c.Argc - i;
            if (c.ArgIs(i, "count") && remaining >= 2)
            {
                if (!RedisNumbers.TryParseLong(c.Args[i + 1], out count))
                {
                    c.Reply.Error(Errors.NotInteger);
                    return;
                }
                if (count < 1)
                {
                    c.Reply.Error(Errors.Syntax);
                    return;
                }
                i += 2;
            }
            else if (c.ArgIs(i, "match") && remaining >= 2)
            {
                pattern = GlobPattern.MatchesEverything(c.Args[i + 1]) ? null : c.Args[i + 1].ToArray();
                i += 2;
            }
            else if (c.ArgIs(i, "type") && remaining >= 2)
            {
                typeName = c.Args[i + 1].ToArray();
                i += 2;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }

        var collected = new List<byte[]>();
        var owners = new List<Database>();
        var next = ScanShards(c, cursor, count, collected, owners);

        var keep = new List<byte[]>(collected.Count);
        for (var i = 0; i < collected.Count; i++)
        {
            var key = collected[i];
            var db = owners[i];
            if (pattern != null && !GlobPattern.Match(pattern, key)) continue;
            var gone = false;
            if (typeName != null)
            {
                // As Redis: the type probe is a read lookup (it counts a hit or miss and expires the key lazily);
                // a key it found expired reads as "none".
                var live = LookupNoTouch(db, key, c.Now);
                gone = !live.Exists;
                if (!SameTypeName(typeName, gone ? "none" : RedisObject.TypeName(live.Type))) continue;
            }
            // Find deletes an expired key, as expireIfNeeded (a key the type probe deleted is not looked at again).
            if (!gone && !db.Find(key, c.Now).Exists) continue;
            keep.Add(key);
        }

        c.Reply.ArrayHeader(2);
        c.Reply.BulkInteger((long)next);
        c.Reply.ArrayHeader(keep.Count);
        foreach (var key in keep) c.Reply.Bulk(key);
    }

    /// <summary>The shard SCAN runs on: the one its cursor names (an invalid cursor is answered by shard 0).</summary>
    private static int ScanShard(CommandArgs args, int shardCount)
    {
        if (!TryParseCursor(args[1], out var cursor)) return 0;
        var shard = DecodeCursor(cursor, shardCount).Shard;
        return shard < shardCount ? shard : 0;
    }

    /// <summary>Number of low cursor bits that hold the shard index.</summary>
    public static int ShardBits(int shardCount)
    {
        var bits = 0;
        while ((1 << bits) < shardCount) bits++;
        return bits;
    }

    public static ulong EncodeCursor(int shard, ulong shardCursor, int shardCount) =>
        (shardCursor << ShardBits(shardCount)) | (uint)shard;

    public static (int Shard, ulong ShardCursor) DecodeCursor(ulong cursor, int shardCount)
    {
        var bits = ShardBits(shardCount);
        return ((int)(cursor & ((1UL << bits) - 1)), cursor >> bits);
    }

    /// <summary>
    /// scanGenericCommand's collection loop across shards: one bucket per step, until <paramref name="count"/>
    /// keys are collected, count*10 steps are spent, or the last shard is done (then 0 is returned).
    /// Empty databases are skipped for free, as dictScan returns at once on an empty dict.
    /// </summary>
    private static ulong ScanShards(ExecContext c, ulong cursor, long count, List<byte[]> collected, List<Database> owners)
    {
        var shardCount = c.Keyspace.PartCount;
        var (shard, shardCursor) = DecodeCursor(cursor, shardCount);
        var budget = count > long.MaxValue / 10 ? long.MaxValue : count * 10;
        var visited = false;
        while (shard < shardCount)
        {
            var db = c.Keyspace.Part(shard, c.DbIndex);
            // Run on one shard (the fast path: the session routes SCAN to the shard in its cursor), a call ends
            // where that shard ends: the next call goes to the next shard.
            if (db == null && visited)
            {
                // Skip the shards that hold no key now: an empty keyspace answers cursor 0 at once, as Redis does.
                while (shard < shardCount && !c.Keyspace.PartMayHaveKeys(shard, c.DbIndex)) shard++;
                return shard == shardCount ? 0 : EncodeCursor(shard, 0, shardCount);
            }
            visited |= db != null;
            if (db == null || db.Count == 0)
            {
                shard++;
                shardCursor = 0;
                continue;
            }
            var before = collected.Count;
            shardCursor = db.ScanStep(shardCursor, collected);
            for (var i = before; i < collected.Count; i++) owners.Add(db);
            if (shardCursor == 0)
            {
                shard++;
                if (shard == shardCount) return 0;
            }
            if (budget-- == 0 || collected.Count >= count) return EncodeCursor(shard, shardCursor, shardCount);
        }
        return 0;
    }

    /// <summary>parseScanCursorOrReply: strtoul in base 10 over the C string (up to a NUL), no leading space,
    /// optional sign (a '-' wraps around as unsigned), nothing after the digits, no overflow. "" is cursor 0.</summary>
    public static bool TryParseCursor(ReadOnlySpan<byte> arg, out ulong cursor)
    {
        cursor = 0;
        arg = CString.Of(arg);
        if (arg.Length == 0) return true;
        if (CString.IsSpace(arg[0])) return false;
        var i = 0;
        var negative = false;
        if (arg[0] == '+' || arg[0] == '-')
        {
            negative = arg[0] == '-';
            i = 1;
        }
        var digitsStart = i;
        ulong value = 0;
        var overflow = false;
        for (; i < arg.Length && arg[i] >= '0' && arg[i] <= '9'; i++)
        {
            var d = (ulong)(arg[i] - '0');
            if (value > (ulong.MaxValue - d) / 10) overflow = true;
            else value = value * 10 + d;
        }
        // No digits at all: strtoul consumes nothing, so the rest (the sign) is trailing garbage.
        if (i == digitsStart) return false;
        if (i != arg.Length || overflow) return false;
        cursor = negative ? 0 - value : value;
        return true;
    }


    /// <summary>strcasecmp of the TYPE argument (a C string: it ends at a NUL) with a type name.</summary>
    private static bool SameTypeName(byte[] arg, string name)
    {
        return Keywords.Is(CString.Of(arg), name);
    }
}
