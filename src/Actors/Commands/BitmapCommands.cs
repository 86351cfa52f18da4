using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Redis 7.0's bitmap commands on strings (bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO.
/// A bitmap is a string value (byte[]; an int-encoded string reads as its decimal text); writes make it raw and grow
/// it zero-filled (Redis's lookupStringForBitCommand). The bit arithmetic lives in <see cref="Bitmap"/>.
/// </summary>
public static class BitmapCommands
{
    private const string BitOffsetError = "ERR bit offset is not an integer or out of range";
    private const string BitValueError = "ERR bit is not an integer or out of range";
    private const string BitfieldTypeError =
        "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    public static void Register(CommandTable t)
    {
        var bitmap = A("bitmap");
        t.Add(new("setbit", 4, F("write denyoom"), 1, 1, 1, bitmap) { Handler = SetBit, KeySpecFlags = ["RW access update"] });
        t.Add(new("getbit", 3, F("readonly fast"), 1, 1, 1, bitmap) { Handler = GetBit, KeySpecFlags = ["RO access"] });
        t.Add(new("bitcount", -2, F("readonly"), 1, 1, 1, bitmap) { Handler = BitCount, KeySpecFlags = ["RO access"] });
        t.Add(new("bitpos", -3, F("readonly"), 1, 1, 1, bitmap) { Handler = BitPos, KeySpecFlags = ["RO access"] });
        t.Add(new("bitop", -4, F("write denyoom"), 2, -1, 1, bitmap) { Handler = BitOp, KeySpecFlags = ["OW update", "RO access"] });
        t.Add(new("bitfield", -2, F("write denyoom"), 1, 1, 1, bitmap)
        {
            Handler = c => BitField(c, readOnly: false),
            KeySpecFlags = ["RW access update variable_flags"],
            VariableKeyFlags = BitFieldKeyFlags,
        });
        t.Add(new("bitfield_ro", -2, F("readonly fast"), 1, 1, 1, bitmap)
        {
            Handler = c => BitField(c, readOnly: true),
            KeySpecFlags = ["RO access"],
        });
    }

    // -------------------------------------------------------------------------------------------------------------
    // Shared parsing and lookup
    // -------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Redis's getBitOffsetFromArgument: a bit offset, with BITFIELD's <c>#n</c> form (n times the field width) when
    /// <paramref name="bits"/> > 0; negative offsets and offsets whose byte is at or past proto-max-bulk-len are
    /// refused. The <c>#n</c> multiplication wraps as Redis's long long one does.
    /// </summary>
    private static bool TryGetBitOffset(ExecContext c, ReadOnlySpan<byte> arg, int bits, out ulong offset)
    {
        offset = 0;
        var hash = bits > 0 && arg.Length > 0 && arg[0] == '#';
        if (!RedisNumbers.TryParseLong(hash ? arg[1..] : arg, out var value))
        {
            c.Reply.Error(BitOffsetError);
            return false;
        }
        if (hash) value = unchecked(value * bits);
        // Our strings are arrays: an offset past the largest one is refused as if proto-max-bulk-len said so.
        if (value < 0 || (value >> 3) >= Math.Min(c.Config.ProtoMaxBulkLen, Array.MaxLength - 1))
        {
            c.Reply.Error(BitOffsetError);
            return false;
        }
        offset = (ulong)value;
        return true;
    }

    /// <summary>
    /// Redis's lookupStringForBitCommand: the string at key argument 1, created or grown (zero-filled) so that bit
    /// <paramref name="maxBit"/> exists, and made raw (dbUnshareStringValue: an int or embstr value becomes raw even
    /// when nothing is then changed). <paramref name="dirty"/>: created or grown, which Redis 7.0 counts as a change
    /// (propagated) even when no bit then changes. False after replying WRONGTYPE.
    /// </summary>
    private static bool TryGetStringForWrite(ExecContext c, ulong maxBit, out Span<byte> bytes, out bool dirty)
    {
        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        bytes = default;
        dirty = false;
        if (c.WrongType(obj, RedisType.String)) return false;
        var needed = (int)(maxBit >> 3) + 1;
        if (!obj.Exists)
        {
            // A new small bitmap is stored zero-filled at its final size at once: one allocation, not two.
            Span<byte> zeros = needed <= 256 ? stackalloc byte[needed] : default;
            zeros.Clear(); // explicit: stackalloc is only zeroed while locals are initialised
            obj = db.SetString(key, zeros, ObjectEncoding.Raw, c.Now);
            dirty = true;
        }
        else dirty = needed > obj.StringLength;
        bytes = db.ResizeString(obj, Math.Max(obj.StringLength, needed));
        return true;
    }

    // -------------------------------------------------------------------------------------------------------------
    // SETBIT / GETBIT
    // -------------------------------------------------------------------------------------------------------------

    private static void SetBit(ExecContext c)
    {
        if (!TryGetBitOffset(c, c.Args[2], 0, out var offset)) return;
        if (!RedisNumbers.TryParseLong(c.Args[3], out var on) || (on & ~1L) != 0)
        {
            c.Reply.Error(BitValueError);
            return;
        }
        if (!TryGetStringForWrite(c, offset, out var bytes, out var dirty)) return;
        var index = (int)(offset >> 3);
        var mask = 1 << (7 - (int)(offset & 7));
        var old = (bytes[index] & mask) != 0 ? 1 : 0;
        // Only a created or grown string, or a changed bit, is a change (and propagated), as setbitCommand counts it.
        if (dirty || old != on)
        {
            bytes[index] = (byte)(on == 1 ? bytes[index] | mask : bytes[index] & ~mask);
            c.KeyModified(c.Db(c.Args[1]), c.Args[1]);
            c.Notify(ServerConfig.NotifyString, "setbit", c.Args[1]);
            c.Propagate();
        }
        c.Reply.Integer(old);
    }

    private static void GetBit(ExecContext c)
    {
        if (!TryGetBitOffset(c, c.Args[2], 0, out var offset)) return;
        var key = c.Args[1];
        var obj = c.Db(key).Lookup(key, c.Now);
        if (!obj.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        if (c.WrongType(obj, RedisType.String)) return;
        Span<byte> scratch = stackalloc byte[24];
        var bytes = obj.StringBytes(scratch);
        var index = offset >> 3;
        var on = index < (ulong)bytes.Length && (bytes[(int)index] & (1 << (7 - (int)(offset & 7)))) != 0;
        c.Reply.Integer(on ? 1 : 0);
    }

    // -------------------------------------------------------------------------------------------------------------
    // BITCOUNT / BITPOS
    // -------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// The clamped bit range [startBit, endBit] of bitcountCommand/bitposCommand, from start/end indexes in bytes or
    /// (<paramref name="isBit"/>) bits over a string of <paramref name="length"/> bytes: negative indexes count from
    /// the end, both are clamped into the string. Empty (false) when start > end.
    /// </summary>
    private static bool ClampRange(long start, long end, bool isBit, long length, out long startBit, out long endBit)
    {
        var total = isBit ? length << 3 : length;
        if (start < 0) start = total + start;
        if (end < 0) end = total + end;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= total) end = total - 1;
        startBit = isBit ? start : start << 3;
        endBit = isBit ? end : (end << 3) + 7;
        return start <= end;
    }

    /// <summary>BIT or BYTE (case-insensitive, as a C string); false after replying a syntax error.</summary>
    private static bool TryGetUnit(ExecContext c, ReadOnlySpan<byte> arg, out bool isBit)
    {
        isBit = StringCommands.COption(arg, "bit");
        if (isBit || StringCommands.COption(arg, "byte")) return true;
        c.Reply.Error(Errors.Syntax);
        return false;
    }

    private static void BitCount(ExecContext c)
    {
        // Redis looks the key up before it parses the range: a missing key answers 0 whatever the arguments.
        var key = c.Args[1];
        var obj = c.Db(key).Lookup(key, c.Now);
        if (!obj.Exists)
        {
            c.Reply.Integer(0);
            return;
        }
        if (c.WrongType(obj, RedisType.String)) return;
        Span<byte> scratch = stackalloc byte[24];
        var bytes = obj.StringBytes(scratch);

        long startBit, endBit;
        if (c.Argc == 4 || c.Argc == 5)
        {
            if (!ArgReaders.TryGetLong(c, c.Args[2], out var start) || !ArgReaders.TryGetLong(c, c.Args[3], out var end)) return;
            // Checked before the unit argument, as bitcountCommand does.
            if (start < 0 && end < 0 && start > end)
            {
                c.Reply.Integer(0);
                return;
            }
            var isBit = false;
            if (c.Argc == 5 && !TryGetUnit(c, c.Args[4], out isBit)) return;
            if (!ClampRange(start, end, isBit, bytes.Length, out startBit, out endBit))
            {
                c.Reply.Integer(0);
                return;
            }
        }
        else if (c.Argc == 2)
        {
            c.Reply.Integer(Bitmap.PopCount(bytes));
            return;
        }
        else
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        c.Reply.Integer(Bitmap.PopCountBits(bytes, startBit, endBit));
    }

    private static void BitPos(ExecContext c)
    {
        if (!ArgReaders.TryGetLong(c, c.Args[2], out var bit)) return;
        if (bit != 0 && bit != 1)
        {
            c.Reply.Error("ERR The bit argument must be 1 or 0.");
            return;
        }
        // A missing key is an endless run of zeros: the first 0 is bit 0, there is no 1.
        var key = c.Args[1];
        var obj = c.Db(key).Lookup(key, c.Now);
        if (!obj.Exists)
        {
            c.Reply.Integer(bit == 1 ? -1 : 0);
            return;
        }
        if (c.WrongType(obj, RedisType.String)) return;
        Span<byte> scratch = stackalloc byte[24];
        var bytes = obj.StringBytes(scratch);

        long start = 0, end = -1;
        bool isBit = false, endGiven = false;
        if (c.Argc >= 4 && c.Argc <= 6)
        {
            // Redis's order of checks: start, then the unit, then end.
            if (!ArgReaders.TryGetLong(c, c.Args[3], out start)) return;
            if (c.Argc == 6 && !TryGetUnit(c, c.Args[5], out isBit)) return;
            if (c.Argc >= 5)
            {
                if (!ArgReaders.TryGetLong(c, c.Args[4], out end)) return;
                endGiven = true;
            }
        }
        else if (c.Argc != 3)
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        if (!ClampRange(start, end, isBit, bytes.Length, out var startBit, out var endBit))
        {
            c.Reply.Integer(-1); // an empty range holds neither a 0 nor a 1
            return;
        }
        var pos = Bitmap.FindBit(bytes, (int)bit, startBit, endBit);
        // No 0 in the range: without an explicit end the string counts as zero-padded on the right, so the answer is
        // the first bit past it; with an end, there is none (-1). Redis's "end_given" rule.
        if (pos < 0 && bit == 0 && !endGiven) pos = endBit + 1;
        c.Reply.Integer(pos);
    }

    // -------------------------------------------------------------------------------------------------------------
    // BITOP
    // -------------------------------------------------------------------------------------------------------------

    private static void BitOp(ExecContext c)
    {
        var args = c.Args;
        BitOperation op;
        if (StringCommands.COption(args[1], "and")) op = BitOperation.And;
        else if (StringCommands.COption(args[1], "or")) op = BitOperation.Or;
        else if (StringCommands.COption(args[1], "xor")) op = BitOperation.Xor;
        else if (StringCommands.COption(args[1], "not")) op = BitOperation.Not;
        else
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        if (op == BitOperation.Not && args.Length != 4)
        {
            c.Reply.Error("ERR BITOP NOT must be called with a single source key.");
            return;
        }

        // First pass, as bitopCommand's lookups: expire, type-check and measure every source (missing = empty).
        var maxLength = 0;
        for (var j = 3; j < args.Length; j++)
        {
            var obj = c.Db(args[j]).Lookup(args[j], c.Now);
            if (!obj.Exists) continue;
            if (c.WrongType(obj, RedisType.String)) return;
            maxLength = Math.Max(maxLength, obj.StringLength);
        }

        var dest = args[2];
        var destDb = c.Db(dest);
        if (maxLength == 0)
        {
            // An empty result deletes the destination (Redis's bare dbDelete: an expired one counts as deleted).
            if (destDb.RemoveIgnoringExpiry(dest))
            {
                c.KeyModified(destDb, dest);
                c.Notify(ServerConfig.NotifyGeneric, "del", dest);
                c.Propagate();
            }
            c.Reply.Integer(0);
            return;
        }

        // Second pass: fold the sources into the result (they are all live strings now; Find touches nothing).
        var result = new byte[maxLength];
        Span<byte> scratch = stackalloc byte[24];
        for (var j = 3; j < args.Length; j++)
        {
            var obj = c.Db(args[j]).Find(args[j], c.Now);
            var source = obj.Exists ? obj.StringBytes(scratch) : [];
            if (j == 3)
            {
                source.CopyTo(result);
                if (op == BitOperation.Not) Bitmap.Combine(result, result, BitOperation.Not);
            }
            else Bitmap.Combine(result, source, op);
        }

        // setKey: an expired destination is deleted (and its DEL propagated) first, then overwritten, TTL dropped.
        if (destDb.VolatileCount > 0) destDb.LookupWrite(dest, c.Now);
        destDb.SetString(dest, result, ObjectEncoding.Raw, c.Now);
        c.KeyModified(destDb, dest); // setKey's signalModifiedKey
        c.Notify(ServerConfig.NotifyString, "set", dest);
        c.Propagate();
        c.Reply.Integer(maxLength);
    }

    // -------------------------------------------------------------------------------------------------------------
    // BITFIELD / BITFIELD_RO
    // -------------------------------------------------------------------------------------------------------------

    private enum FieldOp : byte { Get, Set, IncrBy }

    /// <summary>One parsed BITFIELD operation (Redis's struct bitfieldOp).</summary>
    private readonly record struct FieldOperation(FieldOp Op, bool Signed, int Bits, ulong Offset, long Value, BitfieldOverflow Overflow);

    [ThreadStatic] private static List<FieldOperation>? _operations;

    /// <summary>
    /// Redis's bitfieldGetKeys (COMMAND GETKEYSANDFLAGS): read-only access when every subcommand is a GET (or an
    /// OVERFLOW), read-write as soon as a SET or INCRBY, or anything unparsable, appears.
    /// </summary>
    private static string? BitFieldKeyFlags(CommandArgs args, int keyOrdinal)
    {
        for (var i = 2; i < args.Length; i++)
        {
            var remaining = args.Length - i - 1;
            if (StringCommands.COption(args[i], "get") && remaining >= 2) i += 2;
            else if (StringCommands.COption(args[i], "overflow") && remaining >= 1) i += 1;
            else return "RW access update";
        }
        return "RO access";
    }

    /// <summary>Redis's getBitfieldTypeFromArgument: i1..i64 or u1..u63 (the width read as a C string).</summary>
    private static bool TryGetFieldType(ExecContext c, ReadOnlySpan<byte> arg, out bool signed, out int bits)
    {
        signed = arg.Length > 0 && arg[0] == 'i';
        bits = 0;
        if (arg.Length > 0 && (signed || arg[0] == 'u'))
        {
            var width = CString.Of(arg[1..]);
            if (RedisNumbers.TryParseLong(width, out var n) && n >= 1 && n <= (signed ? 64 : 63))
            {
                bits = (int)n;
                return true;
            }
        }
        c.Reply.Error(BitfieldTypeError);
        return false;
    }

    /// <summary>Redis's bitfieldGeneric: parse every operation first (any error replies alone), then look the key
    /// up (for writing, grown to the farthest written bit, if any op writes), then run them in order.</summary>
    private static void BitField(ExecContext c, bool readOnly)
    {
        var args = c.Args;
        var ops = _operations ??= new List<FieldOperation>();
        ops.Clear();
        var overflow = BitfieldOverflow.Wrap;
        var writes = false;
        ulong highestWrite = 0;
        for (var j = 2; j < args.Length; j++)
        {
            var remaining = args.Length - j - 1;
            FieldOp op;
            if (StringCommands.COption(args[j], "get") && remaining >= 2) op = FieldOp.Get;
            else if (StringCommands.COption(args[j], "set") && remaining >= 3) op = FieldOp.Set;
            else if (StringCommands.COption(args[j], "incrby") && remaining >= 3) op = FieldOp.IncrBy;
            else if (StringCommands.COption(args[j], "overflow") && remaining >= 1)
            {
                var mode = args[++j];
                if (StringCommands.COption(mode, "wrap")) overflow = BitfieldOverflow.Wrap;
                else if (StringCommands.COption(mode, "sat")) overflow = BitfieldOverflow.Sat;
                else if (StringCommands.COption(mode, "fail")) overflow = BitfieldOverflow.Fail;
                else
                {
                    c.Reply.Error("ERR Invalid OVERFLOW type specified");
                    return;
                }
                continue;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }

            if (!TryGetFieldType(c, args[j + 1], out var signed, out var bits)) return;
            if (!TryGetBitOffset(c, args[j + 2], bits, out var offset)) return;
            long value = 0;
            if (op != FieldOp.Get)
            {
                writes = true;
                highestWrite = Math.Max(highestWrite, offset + (ulong)bits - 1);
                if (!ArgReaders.TryGetLong(c, args[j + 3], out value)) return;
            }
            ops.Add(new FieldOperation(op, signed, bits, offset, value, overflow));
            j += op == FieldOp.Get ? 2 : 3;
        }

        if (!writes)
        {
            var key = args[1];
            var obj = c.Db(key).Lookup(key, c.Now);
            if (c.WrongType(obj, RedisType.String)) return;
            Span<byte> scratch = stackalloc byte[24];
            var bytes = obj.Exists ? obj.StringBytes(scratch) : [];
            c.Reply.ArrayHeader(ops.Count);
            foreach (var o in ops) ReplyField(c, bytes, o);
            return;
        }
        if (readOnly)
        {
            c.Reply.Error("ERR BITFIELD_RO only supports the GET subcommand");
            return;
        }
        if (!TryGetStringForWrite(c, highestWrite, out var target, out var dirty)) return;

        c.Reply.ArrayHeader(ops.Count);
        var changes = 0;
        foreach (var o in ops)
        {
            if (o.Op == FieldOp.Get)
            {
                ReplyField(c, target, o);
                continue;
            }
            int overflowed;
            ulong oldBits, newBits;
            long reply;
            if (o.Signed)
            {
                var old = Bitmap.GetSigned(target, o.Offset, o.Bits);
                long updated;
                if (o.Op == FieldOp.IncrBy)
                {
                    overflowed = Bitmap.CheckSignedOverflow(old, o.Value, o.Bits, o.Overflow, out var wrapped);
                    updated = overflowed != 0 ? wrapped : old + o.Value;
                    reply = updated;
                }
                else
                {
                    overflowed = Bitmap.CheckSignedOverflow(o.Value, 0, o.Bits, o.Overflow, out var wrapped);
                    updated = overflowed != 0 ? wrapped : o.Value;
                    reply = old;
                }
                oldBits = (ulong)old;
                newBits = (ulong)updated;
            }
            else
            {
                var old = Bitmap.GetUnsigned(target, o.Offset, o.Bits);
                ulong updated;
                if (o.Op == FieldOp.IncrBy)
                {
                    overflowed = Bitmap.CheckUnsignedOverflow(old, o.Value, o.Bits, o.Overflow, out var wrapped);
                    updated = overflowed != 0 ? wrapped : unchecked(old + (ulong)o.Value);
                    reply = (long)updated;
                }
                else
                {
                    overflowed = Bitmap.CheckUnsignedOverflow((ulong)o.Value, 0, o.Bits, o.Overflow, out var wrapped);
                    updated = overflowed != 0 ? wrapped : (ulong)o.Value;
                    reply = (long)old;
                }
                oldBits = old;
                newBits = updated;
            }
            // OVERFLOW FAIL: nothing written, a nil reply.
            if (overflowed != 0 && o.Overflow == BitfieldOverflow.Fail)
            {
                c.Reply.NullBulk();
                continue;
            }
            c.Reply.Integer(reply);
            Bitmap.SetBits(target, o.Offset, o.Bits, newBits);
            if (dirty || oldBits != newBits) changes++;
        }
        // Propagated (the whole command) only when a write that did not fail changed the value or created or grew the
        // string, as Redis counts changes: a BITFIELD whose writes all failed creates or grows the string
        // (zero-filled) yet propagates nothing, on redis-server 7.0.15 too.
        if (changes > 0)
        {
            c.KeyModified(c.Db(args[1]), args[1]);
            c.Notify(ServerConfig.NotifyString, "setbit", args[1]);
            c.Propagate();
        }
    }

    /// <summary>BITFIELD GET: the field read from <paramref name="bytes"/>, zero-padded past its end.</summary>
    private static void ReplyField(ExecContext c, ReadOnlySpan<byte> bytes, FieldOperation o)
    {
        if (o.Signed) c.Reply.Integer(Bitmap.GetSigned(bytes, o.Offset, o.Bits));
        else c.Reply.Integer((long)Bitmap.GetUnsigned(bytes, o.Offset, o.Bits));
    }
}
