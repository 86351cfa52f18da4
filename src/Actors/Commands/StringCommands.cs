using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>The string family: GET/SET and their variants, counters, ranges, LCS.</summary>
public static class StringCommands
{
    public static void Register(CommandTable t)
    {
        var str = A("string");

        t.Add(new("append", 3, F("write denyoom fast"), 1, 1, 1, str)
        {
            Handler = Append,
            KeySpecFlags = ["RW insert"],
        });
        t.Add(new("decr", 2, F("write denyoom fast"), 1, 1, 1, str)
        {
            Handler = Decr,
            KeySpecFlags = ["RW access update"],
        });
        t.Add(new("decrby", 3, F("write denyoom fast"), 1, 1, 1, str)
        {
            Handler = DecrBy,
            KeySpecFlags = ["RW access update"],
        });
        t.Add(new("get", 2, F("readonly fast"), 1, 1, 1, str)
        {
            Handler = Get,
            KeySpecFlags = ["RO access"],
        });
        t.Add(new("getdel", 2, F("write fast"), 1, 1, 1, str)
        {
            Handler = GetDel,
            KeySpecFlags = ["RW access delete"],
        });
        t.Add(new("getex", -2, F("write fast"), 1, 1, 1, str)
        {
            Handler = GetEx,
            KeySpecFlags = ["RW access update"],
        });
        t.Add(new("getrange", 4, F("readonly"), 1, 1, 1, str)
        {
            Handler = GetRange,
            KeySpecFlags = ["RO access"],
        });
        t.Add(new("getset", 3, F("write denyoom fast"), 1, 1, 1, str)
        {
            Handler = GetSet,
            KeySpecFlags = ["RW access update"],
        });
        t.Add(new("incr", 2, F("write denyoom fast"), 1, 1, 1, str)
        {
            Handler = Incr,
            KeySpecFlags = ["RW access update"],
        });
        t.Add(new("incrby", 3, F("write denyoom fast"), 1, 1, 1, str)
        {
            Handler = IncrBy,
            KeySpecFlags = ["RW access update"],
        });
        t.Add(new("incrbyfloat", 3, F("write denyoom fast"), 1, 1, 1, str)
        {
            Handler = IncrByFloat,
            KeySpecFlags = ["RW access update"],
        });
        t.Add(new("lcs", -3, F("readonly"), 1, 2, 1, str)
        {
            Handler = Lcs,
            KeySpecFlags = ["RO access"],
        });
        t.Add(new("mget", -2, F("readonly fast"), 1, -1, 1, str)
        {
            Handler = MGet,
            KeySpecFlags = ["RO access"],
        });
        t.Add(new("mset", -3, F("write denyoom"), 1, -1, 2, str)
        {
            Handler = MSet,
            KeySpecFlags = ["OW update"],
        });
        t.Add(new("msetnx", -3, F("write denyoom"), 1, -1, 2, str)
        {
            Handler = MSetNx,
            KeySpecFlags = ["OW insert"],
        });
        t.Add(new("psetex", 4, F("write denyoom"), 1, 1, 1, str)
        {
            Handler = PSetEx,
            KeySpecFlags = ["OW update"],
        });
        t.Add(new("set", -3, F("write denyoom"), 1, 1, 1, str)
        {
            Handler = Set,
            KeySpecFlags = ["RW access update variable_flags"],
            VariableKeyFlags = SetKeyFlags,
        });
        t.Add(new("setex", 4, F("write denyoom"), 1, 1, 1, str)
        {
            Handler = SetEx,
            KeySpecFlags = ["OW update"],
        });
        t.Add(new("setnx", 3, F("write denyoom fast"), 1, 1, 1, str)
        {
            Handler = SetNx,
            KeySpecFlags = ["OW insert"],
        });
        t.Add(new("setrange", 4, F("write denyoom"), 1, 1, 1, str)
        {
            Handler = SetRange,
            KeySpecFlags = ["RW update"],
        });
        t.Add(new("strlen", 2, F("readonly fast"), 1, 1, 1, str)
        {
            Handler = StrLen,
            KeySpecFlags = ["RO"],
        });
        t.Add(new("substr", 4, F("readonly"), 1, 1, 1, str)
        {
            Handler = GetRange,
            KeySpecFlags = ["RO access"],
        });
    }

    // -------------------------------------------------------------------------------------------------------------
    // SET and friends
    // -------------------------------------------------------------------------------------------------------------

    // Option flags of SET and GETEX, as Redis's OBJ_* flags.
    private const int OptNx = 1 << 0;
    private const int OptXx = 1 << 1;
    private const int OptEx = 1 << 2;
    private const int OptPx = 1 << 3;
    private const int OptKeepTtl = 1 << 4;
    private const int OptGet = 1 << 5;
    private const int OptExAt = 1 << 6;
    private const int OptPxAt = 1 << 7;
    private const int OptPersist = 1 << 8;
    private const int AnyExpire = OptEx | OptPx | OptExAt | OptPxAt;

    /// <summary>What SET-like commands reply: SET answers +OK / nil, SETNX answers :1 / :0.</summary>
    private enum SetReplies { OkOrNull, OneOrZero }

    private static void Get(ExecContext c)
    {
        var key = c.Args[1];
        GetGeneric(c, c.Db(key), key);
    }

    /// <summary>Replies with the key's value (nil when missing); false (after replying WRONGTYPE) for a non-string.</summary>
    private static bool GetGeneric(ExecContext c, Database db, ReadOnlySpan<byte> key)
    {
        var obj = db.Lookup(key, c.Now);
        if (!obj.Exists)
        {
            c.Reply.NullBulk();
            return true;
        }
        if (c.WrongType(obj, RedisType.String)) return false;
        BulkValue(c, obj);
        return true;
    }

    /// <summary>Replies with a string key's value, whatever its encoding.</summary>
    private static void BulkValue(ExecContext c, KeyEntry obj)
    {
        if (obj.IsInt) c.Reply.BulkInteger(obj.IntValue);
        else Database.WriteBulk(obj, c.Reply); // a big value is sent from storage, not copied
    }

    /// <summary>Redis's getLongLongFromObject on a string value.</summary>
    private static bool TryGetLong(KeyEntry obj, out long value)
    {
        if (!obj.IsInt) return RedisNumbers.TryParseLong(obj.RawBytes, out value);
        value = obj.IntValue;
        return true;
    }

    /// <summary>SET only overwrites its key unless GET asks for the old value (Redis's setGetKeys).</summary>
    private static string? SetKeyFlags(CommandArgs args, int keyOrdinal)
    {
        for (var i = 3; i < args.Length; i++)
            if (Keywords.Is(args[i], "get")) return null;
        return "OW update";
    }

    private static void Set(ExecContext c)
    {
        if (!ParseSetOptions(c, forSet: true, out var flags, out var expireIndex)) return;
        SetGeneric(c, flags, c.Args[2], expireIndex, (flags & (OptPx | OptPxAt)) == 0, SetReplies.OkOrNull);
    }

    private static void SetNx(ExecContext c) => SetGeneric(c, OptNx, c.Args[2], -1, true, SetReplies.OneOrZero);

    private static void SetEx(ExecContext c) => SetGeneric(c, OptEx, c.Args[3], 2, true, SetReplies.OkOrNull);

    private static void PSetEx(ExecContext c) => SetGeneric(c, OptPx, c.Args[3], 2, false, SetReplies.OkOrNull);

    /// <summary>Redis's setGenericCommand: validate the expire, optionally reply the old value, apply NX/XX, store.</summary>
    private static void SetGeneric(ExecContext c, int flags, ArgSlice value, int expireIndex, bool unitSeconds, SetReplies replies)
    {
        long expireAt = 0;
        if (expireIndex >= 0 && !TryGetExpireAt(c, c.Args[expireIndex], flags, unitSeconds, out expireAt)) return;

        var key = c.Args[1];
        var db = c.Db(key);
        if ((flags & OptGet) != 0 && !GetGeneric(c, db, key)) return;

        // Without NX/XX/KEEPTTL the old value only matters if it may have expired (to expire it as Redis does), and
        // no key of this database can have expired when none has a TTL.
        var found = false;
        if ((flags & (OptNx | OptXx | OptKeepTtl)) != 0 || db.VolatileCount > 0)
            found = db.LookupWrite(key, c.Now).Exists;

        if (((flags & OptNx) != 0 && found) || ((flags & OptXx) != 0 && !found))
        {
            if ((flags & OptGet) == 0)
            {
                if (replies == SetReplies.OneOrZero) c.Reply.Integer(0);
                else c.Reply.NullBulk();
            }
            return;
        }

        var obj = db.SetString(key, value, c.Now, keepTtl: (flags & OptKeepTtl) != 0);
        if (expireIndex >= 0) db.SetExpire(obj, expireAt);
        c.KeyModified(db, key); // setKey's signalModifiedKey
        c.Notify(ServerConfig.NotifyString, "set", key);
        if (expireIndex >= 0) c.Notify(ServerConfig.NotifyGeneric, "expire", key);
        PropagateSet(c, flags, value, expireIndex >= 0, expireAt);

        if ((flags & OptGet) == 0)
        {
            if (replies == SetReplies.OneOrZero) c.Reply.Integer(1);
            else c.Reply.Ok();
        }
    }

    /// <summary>
    /// What setGenericCommand propagates: with an expire, <c>SET key value PXAT &lt;ms&gt;</c> (NX/XX/GET dropped;
    /// SETEX and PSETEX too); otherwise the request without its GET options; GETSET as <c>SET key value</c>.
    /// </summary>
    private static void PropagateSet(ExecContext c, int flags, ArgSlice value, bool expires, long expireAt)
    {
        var key = c.Args[1];
        if (expires)
        {
            c.Effect(5).Arg("SET"u8).Arg(key).Arg(value).Arg("PXAT"u8).Arg(expireAt);
            return;
        }
        if ((flags & OptGet) == 0)
        {
            c.Propagate();
            return;
        }
        // Redis skips every argument from the fourth on that is exactly "get" (any case), C-string compared.
        var args = c.Args;
        var kept = 0;
        for (var j = 0; j < args.Length; j++)
            if (j < 3 || !COption(args[j], "get") || args[j].Length != 3) kept++;
        var effect = c.Effect(kept);
        for (var j = 0; j < args.Length; j++)
            if (j < 3 || !COption(args[j], "get") || args[j].Length != 3) effect = effect.Arg(args[j]);
    }

    /// <summary>
    /// Redis's parseExtendedStringArgumentsOrReply: the options of SET (from argument 3) or GETEX (from argument 2),
    /// with the same accepted combinations. Options are compared as C strings (up to a NUL byte), as Redis does.
    /// </summary>
    private static bool ParseSetOptions(ExecContext c, bool forSet, out int flags, out int expireIndex)
    {
        flags = 0;
        expireIndex = -1;
        var args = c.Args;
        for (var j = forSet ? 3 : 2; j < args.Length; j++)
        {
            var opt = args[j];
            var hasNext = j < args.Length - 1;
            if (forSet && COption(opt, "nx") && (flags & OptXx) == 0)
            {
                flags |= OptNx;
            }
            else if (forSet && COption(opt, "xx") && (flags & OptNx) == 0)
            {
                flags |= OptXx;
            }
            else if (forSet && COption(opt, "get"))
            {
                flags |= OptGet;
            }
            else if (forSet && COption(opt, "keepttl") && (flags & (OptPersist | AnyExpire)) == 0)
            {
                flags |= OptKeepTtl;
            }
            else if (!forSet && COption(opt, "persist") && (flags & (AnyExpire | OptKeepTtl)) == 0)
            {
                flags |= OptPersist;
            }
            else if (COption(opt, "ex") && hasNext && (flags & (OptKeepTtl | OptPersist | OptExAt | OptPx | OptPxAt)) == 0)
            {
                flags |= OptEx;
                expireIndex = ++j;
            }
            else if (COption(opt, "px") && hasNext && (flags & (OptKeepTtl | OptPersist | OptEx | OptExAt | OptPxAt)) == 0)
            {
                flags |= OptPx;
                expireIndex = ++j;
            }
            else if (COption(opt, "exat") && hasNext && (flags & (OptKeepTtl | OptPersist | OptEx | OptPx | OptPxAt)) == 0)
            {
                flags |= OptExAt;
                expireIndex = ++j;
            }
            else if (COption(opt, "pxat") && hasNext && (flags & (OptKeepTtl | OptPersist | OptEx | OptExAt | OptPx)) == 0)
            {
                flags |= OptPxAt;
                expireIndex = ++j;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Redis's getExpireMillisecondsOrReply: the absolute expire time (unix ms) from a relative (EX/PX) or absolute
    /// (EXAT/PXAT) argument, rejecting non-positive times and overflows with "invalid expire time".
    /// </summary>
    private static bool TryGetExpireAt(ExecContext c, ReadOnlySpan<byte> arg, int flags, bool unitSeconds, out long expireAt)
    {
        if (!RedisNumbers.TryParseLong(arg, out expireAt))
        {
            c.Reply.Error(Errors.NotInteger);
            return false;
        }
        if (expireAt <= 0 || (unitSeconds && expireAt > long.MaxValue / 1000))
        {
            c.Reply.Error(Errors.InvalidExpire(c.Command.FullName));
            return false;
        }
        if (unitSeconds) expireAt *= 1000;
        if ((flags & (OptEx | OptPx)) != 0) expireAt = unchecked(expireAt + c.Now);
        if (expireAt <= 0)
        {
            c.Reply.Error(Errors.InvalidExpire(c.Command.FullName));
            return false;
        }
        return true;
    }

    /// <summary>An option compared as Redis compares C strings: case-insensitive, and a NUL byte ends the argument.</summary>
    internal static bool COption(ReadOnlySpan<byte> arg, string keyword)
    {
        if (arg.Length < keyword.Length) return false;
        if (arg.Length > keyword.Length && arg[keyword.Length] != 0) return false;
        return Keywords.Is(arg[..keyword.Length], keyword);
    }

    private static void GetEx(ExecContext c)
    {
        if (!ParseSetOptions(c, forSet: false, out var flags, out var expireIndex)) return;
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.Lookup(key, c.Now);
        if (!obj.Exists)
        {
            c.Reply.NullBulk();
            return;
        }
        if (c.WrongType(obj, RedisType.String)) return;
        long expireAt = 0;
        if (expireIndex >= 0 && !TryGetExpireAt(c, c.Args[expireIndex], flags, (flags & (OptPx | OptPxAt)) == 0, out expireAt)) return;

        BulkValue(c, obj);
        // Propagated as Redis's getexCommand rewrites itself: DEL, PEXPIREAT or PERSIST (nothing for a plain GETEX).
        if ((flags & (OptExAt | OptPxAt)) != 0 && expireAt <= c.Now)
        {
            db.Delete(obj);
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyGeneric, "del", key);
            c.PropagateExpiredDeletion(key);
        }
        else if (expireIndex >= 0)
        {
            db.SetExpire(obj, expireAt);
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyGeneric, "expire", key);
            c.Effect(3).Arg("PEXPIREAT"u8).Arg(key).Arg(expireAt);
        }
        else if ((flags & OptPersist) != 0 && db.Persist(obj))
        {
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyGeneric, "persist", key);
            c.Effect(2).Arg("PERSIST"u8).Arg(key);
        }
    }

    private static void GetDel(ExecContext c)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.Lookup(key, c.Now);
        if (!obj.Exists)
        {
            c.Reply.NullBulk();
            return;
        }
        if (c.WrongType(obj, RedisType.String)) return;
        BulkValue(c, obj);
        db.Delete(obj);
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyGeneric, "del", key);
        c.Effect(2).Arg("DEL"u8).Arg(key);
    }

    private static void GetSet(ExecContext c)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        if (!GetGeneric(c, db, key)) return;
        db.SetString(key, c.Args[2], c.Now);
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyString, "set", key);
        c.Effect(3).Arg("SET"u8).Arg(key).Arg(c.Args[2]);
    }

    private static void MGet(ExecContext c)
    {
        var args = c.Args;
        c.Reply.ArrayHeader(args.Length - 1);
        for (var i = 1; i < args.Length; i++)
        {
            var obj = c.Db(args[i]).Lookup(args[i], c.Now);
            if (!obj.Exists || obj.Type != RedisType.String) c.Reply.NullBulk();
            else BulkValue(c, obj);
        }
    }

    private static void MSet(ExecContext c) => MSetGeneric(c, nx: false);

    private static void MSetNx(ExecContext c) => MSetGeneric(c, nx: true);

    private static void MSetGeneric(ExecContext c, bool nx)
    {
        var args = c.Args;
        if (args.Length % 2 == 0)
        {
            c.Reply.Error(CommandTable.ArityError(c.Command));
            return;
        }
        if (nx)
        {
            for (var j = 1; j < args.Length; j += 2)
            {
                if (c.Db(args[j]).LookupWrite(args[j], c.Now).Exists)
                {
                    c.Reply.Integer(0);
                    return;
                }
            }
        }
        for (var j = 1; j < args.Length; j += 2)
        {
            var db = c.Db(args[j]);
            if (db.VolatileCount > 0) db.LookupWrite(args[j], c.Now); // expire the old key first, as Redis's setKey lookup does
            db.SetString(args[j], args[j + 1], c.Now);
            c.KeyModified(db, args[j]);
            c.Notify(ServerConfig.NotifyString, "set", args[j]);
        }
        c.Propagate();
        if (nx) c.Reply.Integer(1);
        else c.Reply.Ok();
    }

    // -------------------------------------------------------------------------------------------------------------
    // Counters
    // -------------------------------------------------------------------------------------------------------------

    private static void Incr(ExecContext c) => IncrDecr(c, 1);

    private static void Decr(ExecContext c) => IncrDecr(c, -1);

    private static void IncrBy(ExecContext c)
    {
        if (!RedisNumbers.TryParseLong(c.Args[2], out var increment))
        {
            c.Reply.Error(Errors.NotInteger);
            return;
        }
        IncrDecr(c, increment);
    }

    private static void DecrBy(ExecContext c)
    {
        if (!RedisNumbers.TryParseLong(c.Args[2], out var decrement))
        {
            c.Reply.Error(Errors.NotInteger);
            return;
        }
        if (decrement == long.MinValue)
        {
            c.Reply.Error("ERR decrement would overflow");
            return;
        }
        IncrDecr(c, -decrement);
    }

    private static void IncrDecr(ExecContext c, long increment)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        long value = 0;
        if (obj.Exists)
        {
            if (c.WrongType(obj, RedisType.String)) return;
            if (!TryGetLong(obj, out value))
            {
                c.Reply.Error(Errors.NotInteger);
                return;
            }
        }
        if ((increment < 0 && value < 0 && increment < long.MinValue - value) ||
            (increment > 0 && value > 0 && increment > long.MaxValue - value))
        {
            c.Reply.Error(Errors.Overflow);
            return;
        }
        value += increment;
        // Overwrite in place: the key keeps its TTL, as Redis's dbOverwrite.
        if (obj.Exists) db.OverwriteInt(obj, value);
        else db.SetInt(key, value, c.Now);
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyString, "incrby", key);
        c.Propagate();
        c.Reply.Integer(value);
    }

    private static void IncrByFloat(ExecContext c)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        var value = LongDouble.Zero;
        Span<byte> scratch = stackalloc byte[24];
        if (obj.Exists)
        {
            if (c.WrongType(obj, RedisType.String)) return;
            if (!LongDouble.TryParse(obj.StringBytes(scratch), out value))
            {
                c.Reply.Error(Errors.NotFloat);
                return;
            }
        }
        if (!LongDouble.TryParse(c.Args[2], out var increment))
        {
            c.Reply.Error(Errors.NotFloat);
            return;
        }
        var sum = value + increment;
        if (!sum.IsFinite)
        {
            c.Reply.Error("ERR increment would produce NaN or Infinity");
            return;
        }
        var bytes = sum.ToHumanBytes();
        // Redis stores the formatted text as a plain string object: embstr or raw, never int.
        var encoding = bytes.Length <= 44 ? ObjectEncoding.EmbStr : ObjectEncoding.Raw;
        if (obj.Exists) db.OverwriteString(obj, bytes, encoding);
        else db.SetString(key, bytes, encoding, c.Now);
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyString, "incrbyfloat", key);
        // Replayed as the value it produced, so replicas never redo the floating-point arithmetic.
        c.Effect(4).Arg("SET"u8).Arg(key).Arg(bytes).Arg("KEEPTTL"u8);
        c.Reply.Bulk(bytes);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Ranges and lengths
    // -------------------------------------------------------------------------------------------------------------

    /// <summary>Redis's checkStringLength: the resulting length must not exceed proto-max-bulk-len (nor overflow).</summary>
    private static bool CheckStringLength(ExecContext c, long size, long append)
    {
        var total = unchecked((long)((ulong)size + (ulong)append));
        if (total > c.Config.ProtoMaxBulkLen || total < size || total < append || total > Array.MaxLength)
        {
            c.Reply.Error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
            return false;
        }
        return true;
    }

    private static void Append(ExecContext c)
    {
        var key = c.Args[1];
        var suffix = c.Args[2];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (!obj.Exists)
        {
            db.SetString(key, suffix, c.Now);
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyString, "append", key);
            c.Propagate();
            c.Reply.Integer(suffix.Length);
            return;
        }
        if (c.WrongType(obj, RedisType.String)) return;
        var old = obj.StringLength;
        if (!CheckStringLength(c, old, suffix.Length)) return;
        var bytes = db.ResizeString(obj, old + suffix.Length);
        suffix.CopyTo(bytes[old..]);
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyString, "append", key);
        c.Propagate();
        c.Reply.Integer(bytes.Length);
    }

    private static void SetRange(ExecContext c)
    {
        var key = c.Args[1];
        var patch = c.Args[3];
        if (!RedisNumbers.TryParseLong(c.Args[2], out var offset))
        {
            c.Reply.Error(Errors.NotInteger);
            return;
        }
        if (offset < 0)
        {
            c.Reply.Error("ERR offset is out of range");
            return;
        }
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (!obj.Exists)
        {
            if (patch.Length == 0)
            {
                c.Reply.Integer(0);
                return;
            }
            if (!CheckStringLength(c, offset, patch.Length)) return;
            var fresh = db.ResizeString(db.SetString(key, [], ObjectEncoding.Raw, c.Now), (int)offset + patch.Length);
            patch.CopyTo(fresh[(int)offset..]);
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyString, "setrange", key);
            c.Propagate();
            c.Reply.Integer(fresh.Length);
            return;
        }
        if (c.WrongType(obj, RedisType.String)) return;
        var old = obj.StringLength;
        if (patch.Length == 0)
        {
            c.Reply.Integer(old);
            return;
        }
        if (!CheckStringLength(c, offset, patch.Length)) return;
        var bytes = db.ResizeString(obj, (int)Math.Max(old, offset + patch.Length));
        patch.CopyTo(bytes[(int)offset..]);
        c.KeyModified(db, key);
        c.Notify(ServerConfig.NotifyString, "setrange", key);
        c.Propagate();
        c.Reply.Integer(bytes.Length);
    }

    /// <summary>GETRANGE and its old name SUBSTR.</summary>
    private static void GetRange(ExecContext c)
    {
        if (!RedisNumbers.TryParseLong(c.Args[2], out var start) || !RedisNumbers.TryParseLong(c.Args[3], out var end))
        {
            c.Reply.Error(Errors.NotInteger);
            return;
        }
        var key = c.Args[1];
        var obj = c.Db(key).Lookup(key, c.Now);
        if (!obj.Exists)
        {
            c.Reply.Bulk(ReadOnlySpan<byte>.Empty);
            return;
        }
        if (c.WrongType(obj, RedisType.String)) return;
        Span<byte> scratch = stackalloc byte[24];
        var str = obj.StringBytes(scratch);
        long length = str.Length;
        if (start < 0 && end < 0 && start > end)
        {
            c.Reply.Bulk(ReadOnlySpan<byte>.Empty);
            return;
        }
        if (start < 0) start = unchecked(length + start);
        if (end < 0) end = unchecked(length + end);
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if ((ulong)end >= (ulong)length) end = length - 1;
        if (start > end || length == 0) c.Reply.Bulk(ReadOnlySpan<byte>.Empty);
        else c.Reply.Bulk(str.Slice((int)start, (int)(end - start + 1)));
    }

    private static void StrLen(ExecContext c)
    {
        var key = c.Args[1];
        var obj = c.Db(key).Lookup(key, c.Now);
        if (c.WrongType(obj, RedisType.String)) return;
        c.Reply.Integer(!obj.Exists ? 0 : obj.StringLength);
    }

    // -------------------------------------------------------------------------------------------------------------
    // LCS
    // -------------------------------------------------------------------------------------------------------------

    private readonly record struct LcsMatch(uint AStart, uint AEnd, uint BStart, uint BEnd, uint Length);

    private static void Lcs(ExecContext c)
    {
        var args = c.Args;
        var objA = c.Db(args[1]).Lookup(args[1], c.Now);
        var objB = c.Db(args[2]).Lookup(args[2], c.Now);
        if ((objA.Exists && objA.Type != RedisType.String) || (objB.Exists && objB.Type != RedisType.String))
        {
            c.Reply.Error("ERR The specified keys must contain string values");
            return;
        }
        Span<byte> scratch = stackalloc byte[24];
        var a = objA.Exists ? objA.StringBytes(scratch).ToArray() : [];
        var b = objB.Exists ? objB.StringBytes(scratch).ToArray() : [];

        bool getIdx = false, getLen = false, withMatchLen = false;
        long minMatchLen = 0;
        for (var j = 3; j < args.Length; j++)
        {
            var opt = args[j];
            var moreArgs = args.Length - 1 - j;
            if (COption(opt, "idx")) getIdx = true;
            else if (COption(opt, "len")) getLen = true;
            else if (COption(opt, "withmatchlen")) withMatchLen = true;
            else if (COption(opt, "minmatchlen") && moreArgs > 0)
            {
                if (!RedisNumbers.TryParseLong(args[j + 1], out minMatchLen))
                {
                    c.Reply.Error(Errors.NotInteger);
                    return;
                }
                if (minMatchLen < 0) minMatchLen = 0;
                j++;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }
        if (getIdx && getLen)
        {
            c.Reply.Error("ERR If you want both the length and indexes, please just use IDX.");
            return;
        }

        var alen = (uint)a.Length;
        var blen = (uint)b.Length;
        var cells = (ulong)(alen + 1) * (blen + 1);
        if (cells * sizeof(uint) > (ulong)c.Config.ProtoMaxBulkLen)
        {
            c.Reply.Error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
            return;
        }
        if (cells > (ulong)Array.MaxLength)
        {
            c.Reply.Error("ERR Insufficient memory, failed allocating transient memory for LCS");
            return;
        }

        // table[i * (blen + 1) + j] = length of the LCS of a[0..i) and b[0..j).
        var width = blen + 1;
        var table = new uint[cells];
        for (uint i = 1; i <= alen; i++)
        {
            var row = i * width;
            var prevRow = row - width;
            var ai = a[i - 1];
            for (uint j = 1; j <= blen; j++)
            {
                if (ai == b[j - 1]) table[row + j] = table[prevRow + j - 1] + 1;
                else
                {
                    var up = table[prevRow + j];
                    var left = table[row + j - 1];
                    table[row + j] = up > left ? up : left;
                }
            }
        }

        var lcsLength = table[alen * width + blen];
        if (getLen && !getIdx)
        {
            c.Reply.Integer(lcsLength);
            return;
        }

        // Walk back from the end as Redis does, building the LCS string and the matching ranges (last first).
        var result = new byte[lcsLength];
        var matches = getIdx ? new List<LcsMatch>() : null;
        var idx = lcsLength;
        uint aStart = alen, aEnd = 0, bStart = 0, bEnd = 0; // aStart == alen: no range open
        uint ii = alen, jj = blen;
        while (ii > 0 && jj > 0)
        {
            var emit = false;
            if (a[ii - 1] == b[jj - 1])
            {
                result[idx - 1] = a[ii - 1];
                if (aStart == alen)
                {
                    aStart = ii - 1;
                    aEnd = ii - 1;
                    bStart = jj - 1;
                    bEnd = jj - 1;
                }
                else if (aStart == ii && bStart == jj)
                {
                    aStart--;
                    bStart--;
                }
                else emit = true;
                if (aStart == 0 || bStart == 0) emit = true;
                idx--;
                ii--;
                jj--;
            }
            else
            {
                var up = table[(ii - 1) * width + jj];
                var left = table[ii * width + jj - 1];
                if (up > left) ii--;
                else jj--;
                if (aStart != alen) emit = true;
            }
            if (emit)
            {
                var matchLength = aEnd - aStart + 1;
                if (matches != null && (minMatchLen == 0 || matchLength >= minMatchLen))
                    matches.Add(new LcsMatch(aStart, aEnd, bStart, bEnd, matchLength));
                aStart = alen;
            }
        }

        if (matches == null)
        {
            c.Reply.Bulk(result);
            return;
        }
        c.Reply.MapHeader(2);
        c.Reply.Bulk("matches"u8);
        c.Reply.ArrayHeader(matches.Count);
        foreach (var m in matches)
        {
            c.Reply.ArrayHeader(withMatchLen ? 3 : 2);
            c.Reply.ArrayHeader(2);
            c.Reply.Integer(m.AStart);
            c.Reply.Integer(m.AEnd);
            c.Reply.ArrayHeader(2);
            c.Reply.Integer(m.BStart);
            c.Reply.Integer(m.BEnd);
            if (withMatchLen) c.Reply.Integer(m.Length);
        }
        c.Reply.Bulk("len"u8);
        c.Reply.Integer(lcsLength);
    }
}
