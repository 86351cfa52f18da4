using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static AkkaRedis.Actors.Lua.LuaNative;

namespace AkkaRedis.Actors.Lua;

/// <summary>
/// Redis's <c>cmsgpack</c> library (deps/lua/src/lua_cmsgpack.c 0.4.0): pack(...), unpack(s), unpack_one(s[,
/// offset]), unpack_limit(s, limit[, offset]), byte for byte: integer-valued numbers in the smallest int format,
/// others as float32 when exact else float64, strings as fixstr/str8/16/32, tables as arrays when their keys are
/// exactly 1..n else maps, nesting beyond 16 levels and non-data values as nil; its error texts.
/// </summary>
internal static unsafe class LuaMsgPack
{
    private const int MaxNesting = 16;

    private sealed class MsgPackError(string message) : Exception(message);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Pack(IntPtr L)
    {
        try
        {
            var nargs = lua_gettop(L);
            if (nargs == 0) return LuaVm.RaiseString(L, "bad argument #0 to 'pack' (MessagePack pack needs input.)");
            var buf = new List<byte>(64);
            for (var i = 1; i <= nargs; i++)
            {
                lua_pushvalue(L, i);
                Encode(L, buf, 0);
            }
            lua_settop(L, 0);
            PushString(L, CollectionsMarshal.AsSpan(buf));
            return 1;
        }
        catch (Exception e)
        {
            lua_settop(L, 0);
            return LuaVm.RaiseString(L, e.Message);
        }
    }

    /// <summary>mp_encode_lua_type: encodes and pops the value on top.</summary>
    private static void Encode(IntPtr L, List<byte> buf, int level)
    {
        var t = lua_type(L, -1);
        if (t == LUA_TTABLE && level == MaxNesting) t = LUA_TNIL;
        switch (t)
        {
            case LUA_TSTRING:
                TryGetString(L, -1, out var s);
                EncodeBytes(buf, s);
                break;
            case LUA_TBOOLEAN:
                buf.Add(lua_toboolean(L, -1) != 0 ? (byte)0xc3 : (byte)0xc2);
                break;
            case LUA_TNUMBER:
            {
                var n = lua_tonumber(L, -1);
                if (!double.IsInfinity(n) && (double)LuaVm.TruncateToLong(n) == n) EncodeInt(buf, LuaVm.TruncateToLong(n));
                else EncodeDouble(buf, n);
                break;
            }
            case LUA_TTABLE:
                if (lua_checkstack(L, 3) == 0) throw new MsgPackError("stack overflow in cmsgpack.pack");
                if (IsArray(L)) EncodeArray(L, buf, level);
                else EncodeMap(L, buf, level);
                break;
            default:
                buf.Add(0xc0);
                break;
        }
        Pop(L, 1);
    }

    private static void Put(List<byte> buf, byte prefix, ulong value, int size)
    {
        buf.Add(prefix);
        for (var i = size - 1; i >= 0; i--) buf.Add((byte)(value >> (8 * i)));
    }

    private static void EncodeBytes(List<byte> buf, ReadOnlySpan<byte> s)
    {
        var len = s.Length;
        if (len < 32) buf.Add((byte)(0xa0 | len));
        else if (len <= 0xff) Put(buf, 0xd9, (ulong)len, 1);
        else if (len <= 0xffff) Put(buf, 0xda, (ulong)len, 2);
        else Put(buf, 0xdb, (ulong)len, 4);
        buf.AddRange(s.ToArray());
    }

    private static void EncodeDouble(List<byte> buf, double d)
    {
        var f = (float)d;
        if (d == f)
        {
            Put(buf, 0xca, BitConverter.SingleToUInt32Bits(f), 4);
        }
        else Put(buf, 0xcb, BitConverter.DoubleToUInt64Bits(d), 8);
    }

    private static void EncodeInt(List<byte> buf, long n)
    {
        if (n >= 0)
        {
            if (n <= 127) buf.Add((byte)n);
            else if (n <= 0xff) Put(buf, 0xcc, (ulong)n, 1);
            else if (n <= 0xffff) Put(buf, 0xcd, (ulong)n, 2);
            else if (n <= 0xffffffffL) Put(buf, 0xce, (ulong)n, 4);
            else Put(buf, 0xcf, (ulong)n, 8);
        }
        else
        {
            if (n >= -32) buf.Add((byte)(sbyte)n);
            else if (n >= -128) Put(buf, 0xd0, (ulong)n, 1);
            else if (n >= -32768) Put(buf, 0xd1, (ulong)n, 2);
            else if (n >= -2147483648L) Put(buf, 0xd2, (ulong)n, 4);
            else Put(buf, 0xd3, (ulong)n, 8);
        }
    }

    /// <summary>table_is_an_array: every key a positive integer (as a 32-bit int) and as many keys as the largest.</summary>
    private static bool IsArray(IntPtr L)
    {
        var top = lua_gettop(L);
        long count = 0, max = 0;
        lua_pushnil(L);
        while (lua_next(L, -2) != 0)
        {
            Pop(L, 1);
            double n;
            if (lua_type(L, -1) != LUA_TNUMBER || (n = lua_tonumber(L, -1)) <= 0 || (double)LuaVm.TruncateToInt(n) != n)
            {
                lua_settop(L, top);
                return false;
            }
            if (n > max) max = (long)n;
            count++;
        }
        lua_settop(L, top);
        return max == count;
    }

    private static void EncodeArray(IntPtr L, List<byte> buf, int level)
    {
        var len = (long)lua_objlen(L, -1);
        if (len < 16) buf.Add((byte)(0x90 | len));
        else if (len <= 0xffff) Put(buf, 0xdc, (ulong)len, 2);
        else Put(buf, 0xdd, (ulong)len, 4);
        for (var j = 1; j <= len; j++)
        {
            lua_rawgeti(L, -1, j); // Redis uses lua_gettable; raw here, so no metamethod runs inside a callback
            Encode(L, buf, level + 1);
        }
    }

    private static void EncodeMap(IntPtr L, List<byte> buf, int level)
    {
        long len = 0;
        lua_pushnil(L);
        while (lua_next(L, -2) != 0)
        {
            Pop(L, 1);
            len++;
        }
        if (len < 16) buf.Add((byte)(0x80 | len));
        else if (len <= 0xffff) Put(buf, 0xde, (ulong)len, 2);
        else Put(buf, 0xdf, (ulong)len, 4);
        lua_pushnil(L);
        while (lua_next(L, -2) != 0)
        {
            lua_pushvalue(L, -2);
            Encode(L, buf, level + 1); // key
            Encode(L, buf, level + 1); // value
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Unpack(IntPtr L) => UnpackFull(L, 0, 0, "unpack");

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int UnpackOne(IntPtr L)
    {
        if (!OptInt(L, 2, 0, out var offset)) return LuaVm.RaiseString(L, LuaVm.BadArgument(L, 2, "unpack_one", "number"));
        lua_settop(L, 1);
        return UnpackFull(L, 1, offset, "unpack_one");
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int UnpackLimit(IntPtr L)
    {
        if (lua_isnumber(L, 2) == 0) return LuaVm.RaiseString(L, LuaVm.BadArgument(L, 2, "unpack_limit", "number"));
        var limit = LuaVm.TruncateToInt(lua_tonumber(L, 2));
        if (!OptInt(L, 3, 0, out var offset)) return LuaVm.RaiseString(L, LuaVm.BadArgument(L, 3, "unpack_limit", "number"));
        lua_settop(L, 1);
        return UnpackFull(L, limit, offset, "unpack_limit");
    }

    private static bool OptInt(IntPtr L, int arg, int df, out int value)
    {
        value = df;
        var t = lua_type(L, arg);
        if (t == LUA_TNONE || t == LUA_TNIL) return true;
        if (lua_isnumber(L, arg) == 0) return false;
        value = LuaVm.TruncateToInt(lua_tonumber(L, arg));
        return true;
    }

    /// <summary>mp_unpack_full: decodes up to <paramref name="limit"/> objects from <paramref name="offset"/> (all of
    /// them when both are 0); with a limit or offset the next offset (-1 at the end) comes first.</summary>
    private static int UnpackFull(IntPtr L, int limit, int offset, string function)
    {
        try
        {
            var t = lua_type(L, 1);
            if ((t != LUA_TSTRING && t != LUA_TNUMBER) || !TryGetString(L, 1, out var span))
                return LuaVm.RaiseString(L, LuaVm.BadArgument(L, 1, function, "string"));
            var data = span.ToArray();
            var len = data.Length;
            var decodeAll = limit == 0 && offset == 0;
            if (offset < 0 || limit < 0)
                return LuaVm.RaiseString(L, $"Invalid request to unpack with offset of {offset} and limit of {len}.");
            if (offset > len) return LuaVm.RaiseString(L, $"Start offset {offset} greater than input length {len}.");
            if (decodeAll) limit = int.MaxValue;
            lua_settop(L, 1);
            var pos = offset;
            var cnt = 0;
            for (; pos < len && cnt < limit; cnt++)
            {
                if (lua_checkstack(L, 4) == 0) throw new MsgPackError("too many return values at once; use unpack_one or unpack_limit instead.");
                Decode(L, data, ref pos);
            }
            if (!decodeAll)
            {
                lua_pushnumber(L, pos >= len ? -1 : pos);
                lua_insert(L, 2);
                cnt++;
            }
            lua_remove(L, 1);
            return cnt;
        }
        catch (MsgPackError e)
        {
            lua_settop(L, 0);
            return LuaVm.RaiseString(L, e.Message);
        }
    }

    private static ReadOnlySpan<byte> Need(byte[] d, ref int pos, int n)
    {
        if (n < 0 || d.Length - pos < n) throw new MsgPackError("Missing bytes in input.");
        var s = d.AsSpan(pos, n);
        pos += n;
        return s;
    }

    /// <summary>mp_decode_to_lua_type: pushes one decoded value.</summary>
    private static void Decode(IntPtr L, byte[] d, ref int pos)
    {
        if (lua_checkstack(L, 4) == 0) throw new MsgPackError("stack overflow in cmsgpack.unpack");
        var c = Need(d, ref pos, 1)[0];
        switch (c)
        {
            case <= 0x7f: lua_pushnumber(L, c); return;
            case >= 0xe0: lua_pushnumber(L, (sbyte)c); return;
            case >= 0x80 and <= 0x8f: DecodeMap(L, d, ref pos, c & 0xf); return;
            case >= 0x90 and <= 0x9f: DecodeArray(L, d, ref pos, c & 0xf); return;
            case >= 0xa0 and <= 0xbf: PushString(L, Need(d, ref pos, c & 0x1f)); return;
            case 0xc0: lua_pushnil(L); return;
            case 0xc2: lua_pushboolean(L, 0); return;
            case 0xc3: lua_pushboolean(L, 1); return;
            case 0xc4: case 0xd9: PushString(L, Need(d, ref pos, Need(d, ref pos, 1)[0])); return;
            case 0xc5: case 0xda: PushString(L, Need(d, ref pos, BinaryPrimitives.ReadUInt16BigEndian(Need(d, ref pos, 2)))); return;
            case 0xc6: case 0xdb: PushString(L, Need(d, ref pos, Len32(Need(d, ref pos, 4)))); return;
            case 0xca: lua_pushnumber(L, BinaryPrimitives.ReadSingleBigEndian(Need(d, ref pos, 4))); return;
            case 0xcb: lua_pushnumber(L, BinaryPrimitives.ReadDoubleBigEndian(Need(d, ref pos, 8))); return;
            case 0xcc: lua_pushnumber(L, Need(d, ref pos, 1)[0]); return;
            case 0xcd: lua_pushnumber(L, BinaryPrimitives.ReadUInt16BigEndian(Need(d, ref pos, 2))); return;
            case 0xce: lua_pushnumber(L, BinaryPrimitives.ReadUInt32BigEndian(Need(d, ref pos, 4))); return;
            case 0xcf: lua_pushnumber(L, BinaryPrimitives.ReadUInt64BigEndian(Need(d, ref pos, 8))); return;
            case 0xd0: lua_pushnumber(L, (sbyte)Need(d, ref pos, 1)[0]); return;
            case 0xd1: lua_pushnumber(L, BinaryPrimitives.ReadInt16BigEndian(Need(d, ref pos, 2))); return;
            case 0xd2: lua_pushnumber(L, BinaryPrimitives.ReadInt32BigEndian(Need(d, ref pos, 4))); return;
            case 0xd3: lua_pushnumber(L, BinaryPrimitives.ReadInt64BigEndian(Need(d, ref pos, 8))); return;
            case 0xdc: DecodeArray(L, d, ref pos, BinaryPrimitives.ReadUInt16BigEndian(Need(d, ref pos, 2))); return;
            case 0xdd: DecodeArray(L, d, ref pos, Len32(Need(d, ref pos, 4))); return;
            case 0xde: DecodeMap(L, d, ref pos, BinaryPrimitives.ReadUInt16BigEndian(Need(d, ref pos, 2))); return;
            case 0xdf: DecodeMap(L, d, ref pos, Len32(Need(d, ref pos, 4))); return;
            default: throw new MsgPackError("Bad data format in input.");
        }
    }

    private static int Len32(ReadOnlySpan<byte> b)
    {
        var v = BinaryPrimitives.ReadUInt32BigEndian(b);
        return v > int.MaxValue ? -1 : (int)v;
    }

    private static void DecodeArray(IntPtr L, byte[] d, ref int pos, int n)
    {
        if (n < 0) throw new MsgPackError("Missing bytes in input.");
        lua_createtable(L, Math.Min(n, 1 << 16), 0);
        for (var i = 1; i <= n; i++)
        {
            Decode(L, d, ref pos);
            lua_rawseti(L, -2, i);
        }
    }

    private static void DecodeMap(IntPtr L, byte[] d, ref int pos, int n)
    {
        if (n < 0) throw new MsgPackError("Missing bytes in input.");
        lua_createtable(L, 0, Math.Min(n, 1 << 16));
        for (var i = 0; i < n; i++)
        {
            Decode(L, d, ref pos);
            Decode(L, d, ref pos);
            var kt = lua_type(L, -2);
            // lua_settable would raise (longjmp) on a nil or NaN key: refuse it here instead.
            if (kt == LUA_TNIL) throw new MsgPackError("table index is nil");
            if (kt == LUA_TNUMBER && double.IsNaN(lua_tonumber(L, -2))) throw new MsgPackError("table index is NaN");
            lua_rawset(L, -3);
        }
    }
}
