using System.Buffers.Text;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Lua.LuaNative;

namespace AkkaRedis.Actors.Lua;

/// <summary>Redis 7.0's conversions (script_lua.c): a command's RESP reply into Lua values (redisProtocolToLuaType)
/// and a script's Lua result into a RESP reply (luaReplyToRedisReply).</summary>
public sealed unsafe partial class LuaVm
{
    /// <summary>
    /// Pushes the RESP2/RESP3 reply at <paramref name="pos"/> as Lua values, straight from the bytes: integer →
    /// number, bulk → string, null bulk/array → false, array → table, status → {ok=}, error → {err=,
    /// ignore_error_stats_update=true}, map → {map={k=v}}, set → {set={m=true}}, null → nil, boolean → boolean,
    /// double → {double=n}, big number → {big_number=s}, verbatim → {verbatim_string={format=,string=}}; attributes
    /// are skipped. With <paramref name="push"/> false the reply is only stepped over.
    /// </summary>
    internal static void PushResp(IntPtr L, ReadOnlySpan<byte> r, ref int pos, bool push = true)
    {
        var type = r[pos];
        var lineEnd = r[pos..].IndexOf("\r\n"u8) + pos;
        var line = r[(pos + 1)..lineEnd];
        pos = lineEnd + 2;
        switch (type)
        {
            case (byte)':':
                if (push) lua_pushnumber(L, ParseLong(line));
                return;
            case (byte)'$':
            case (byte)'=':
            {
                var len = ParseLong(line);
                if (len < 0)
                {
                    if (push) lua_pushboolean(L, 0);
                    return;
                }
                var body = r.Slice(pos, (int)len);
                pos += (int)len + 2;
                if (!push) return;
                if (type == '$')
                {
                    PushString(L, body);
                    return;
                }
                lua_checkstack(L, 5);
                lua_createtable(L, 0, 1);
                lua_createtable(L, 0, 2);
                PushString(L, body[4..]);
                SetField(L, -2, "string\0"u8);
                PushString(L, body[..3]);
                SetField(L, -2, "format\0"u8);
                SetField(L, -2, "verbatim_string\0"u8);
                return;
            }
            case (byte)'+':
                if (!push) return;
                lua_createtable(L, 0, 1);
                PushString(L, line);
                SetField(L, -2, "ok\0"u8);
                return;
            case (byte)'-':
                if (!push) return;
                PushErrorTable(L, "-" + System.Text.Encoding.Latin1.GetString(line));
                lua_pushboolean(L, 1);
                SetField(L, -2, "ignore_error_stats_update\0"u8);
                return;
            case (byte)'*':
            case (byte)'>':
            {
                var n = ParseLong(line);
                if (n < 0)
                {
                    if (push) lua_pushboolean(L, 0);
                    return;
                }
                if (push)
                {
                    EnsureStack(L, 3);
                    lua_createtable(L, (int)n, 0);
                }
                for (var j = 0; j < n; j++)
                {
                    PushResp(L, r, ref pos, push);
                    if (push) lua_rawseti(L, -2, j + 1);
                }
                return;
            }
            case (byte)'%':
            {
                var n = ParseLong(line);
                if (push) PushWrappedTable(L, n);
                for (var j = 0; j < n; j++)
                {
                    PushResp(L, r, ref pos, push);
                    PushResp(L, r, ref pos, push);
                    if (push) lua_rawset(L, -3);
                }
                if (push) SetField(L, -2, "map\0"u8);
                return;
            }
            case (byte)'~':
            {
                var n = ParseLong(line);
                if (push) PushWrappedTable(L, n);
                for (var j = 0; j < n; j++)
                {
                    PushResp(L, r, ref pos, push);
                    if (!push) continue;
                    lua_pushboolean(L, 1);
                    lua_rawset(L, -3);
                }
                if (push) SetField(L, -2, "set\0"u8);
                return;
            }
            case (byte)'|':
            {
                // Attributes are not exposed to scripts: step over them, then convert the reply they annotate.
                var n = ParseLong(line);
                for (var j = 0; j < n * 2; j++) PushResp(L, r, ref pos, push: false);
                PushResp(L, r, ref pos, push);
                return;
            }
            case (byte)'_':
                if (push) lua_pushnil(L);
                return;
            case (byte)'#':
                if (push) lua_pushboolean(L, line.Length > 0 && line[0] == 't' ? 1 : 0);
                return;
            case (byte)',':
                if (!push) return;
                lua_createtable(L, 0, 1);
                lua_pushnumber(L, ParseDouble(line));
                SetField(L, -2, "double\0"u8);
                return;
            case (byte)'(':
                if (!push) return;
                lua_createtable(L, 0, 1);
                PushString(L, line);
                SetField(L, -2, "big_number\0"u8);
                return;
            default:
                throw new InvalidOperationException("unexpected reply type '" + (char)type + "' from a command");
        }
    }

    private static long ParseLong(ReadOnlySpan<byte> s) => Utf8Parser.TryParse(s, out long v, out _) ? v : 0;

    private static double ParseDouble(ReadOnlySpan<byte> s)
    {
        if (s.SequenceEqual("inf"u8)) return double.PositiveInfinity;
        if (s.SequenceEqual("-inf"u8)) return double.NegativeInfinity;
        if (s.SequenceEqual("nan"u8) || s.SequenceEqual("-nan"u8)) return double.NaN;
        return RedisNumbers.TryParseDouble(s, out var d) ? d : 0;
    }

    /// <summary>luaReplyToRedisReply: converts and pops the value on top of the stack.</summary>
    private void WriteLuaReply(IntPtr L, RespWriter w)
    {
        if (lua_checkstack(L, 4) == 0)
        {
            w.Error("ERR reached lua stack limit");
            Pop(L, 1);
            return;
        }
        switch (lua_type(L, -1))
        {
            case LUA_TSTRING:
                TryGetString(L, -1, out var s);
                w.Bulk(s);
                break;
            case LUA_TBOOLEAN:
                var b = lua_toboolean(L, -1) != 0;
                if (_resp == 2)
                {
                    if (b) w.Integer(1);
                    else w.NullBulk();
                }
                else w.Boolean(b);
                break;
            case LUA_TNUMBER:
                w.Integer(TruncateToLong(lua_tonumber(L, -1)));
                break;
            case LUA_TTABLE:
                WriteTable(L, w);
                return; // WriteTable pops
            default:
                w.NullBulk();
                break;
        }
        Pop(L, 1);
    }

    /// <summary>Rawget of a string field of the table on top: its type, the value left pushed.</summary>
    private static int RawField(IntPtr L, ReadOnlySpan<byte> name)
    {
        PushString(L, name);
        lua_rawget(L, -2);
        return lua_type(L, -1);
    }

    private void WriteTable(IntPtr L, RespWriter w)
    {
        // Error reply: {err="..."}.
        if (RawField(L, "err"u8) == LUA_TSTRING)
        {
            Pop(L, 1);
            GetField(L, -1, "err\0"u8);
            TryGetString(L, -1, out var e);
            var msg = CString(e);
            Pop(L, 1);
            GetField(L, -1, "ignore_error_stats_update\0"u8);
            LastErrorFromCommand = lua_type(L, -1) == LUA_TBOOLEAN && lua_toboolean(L, -1) != 0;
            Pop(L, 2);
            w.Error(TrimCrlf(msg));
            return;
        }
        Pop(L, 1);
        // Status reply: {ok="..."}.
        if (RawField(L, "ok"u8) == LUA_TSTRING)
        {
            TryGetString(L, -1, out var ok);
            var nul = ok.IndexOf((byte)0);
            if (nul >= 0) ok = ok[..nul];
            Span<byte> copy = ok.Length <= 256 ? stackalloc byte[ok.Length] : new byte[ok.Length];
            ok.CopyTo(copy);
            for (var i = 0; i < copy.Length; i++)
                if (copy[i] == '\r' || copy[i] == '\n') copy[i] = (byte)' ';
            w.SimpleString(copy);
            Pop(L, 2);
            return;
        }
        Pop(L, 1);
        if (RawField(L, "double"u8) == LUA_TNUMBER)
        {
            var d = lua_tonumber(L, -1);
            WriteDouble(w, d);
            Pop(L, 2);
            return;
        }
        Pop(L, 1);
        if (RawField(L, "big_number"u8) == LUA_TSTRING)
        {
            TryGetString(L, -1, out var big);
            Span<byte> copy = big.Length <= 256 ? stackalloc byte[big.Length] : new byte[big.Length];
            big.CopyTo(copy);
            for (var i = 0; i < copy.Length; i++)
                if (copy[i] == '\r' || copy[i] == '\n') copy[i] = (byte)' ';
            w.BigNumber(copy);
            Pop(L, 2);
            return;
        }
        Pop(L, 1);
        if (RawField(L, "verbatim_string"u8) == LUA_TTABLE)
        {
            if (RawField(L, "format"u8) == LUA_TSTRING)
            {
                TryGetString(L, -1, out var format);
                lua_pushvalue(L, -2);
                if (RawField(L, "string"u8) == LUA_TSTRING)
                {
                    TryGetString(L, -1, out var str);
                    WriteVerbatim(w, format, str);
                    Pop(L, 5);
                    return;
                }
                Pop(L, 2);
            }
            Pop(L, 1);
        }
        Pop(L, 1);
        if (RawField(L, "map"u8) == LUA_TTABLE)
        {
            var n = 0;
            lua_pushnil(L);
            while (lua_next(L, -2) != 0)
            {
                Pop(L, 1);
                n++;
            }
            w.MapHeader(n);
            lua_pushnil(L);
            while (lua_next(L, -2) != 0)
            {
                lua_pushvalue(L, -2);
                WriteLuaReply(L, w); // key
                WriteLuaReply(L, w); // value
            }
            Pop(L, 2);
            return;
        }
        Pop(L, 1);
        if (RawField(L, "set"u8) == LUA_TTABLE)
        {
            var n = 0;
            lua_pushnil(L);
            while (lua_next(L, -2) != 0)
            {
                Pop(L, 1);
                n++;
            }
            w.SetHeader(n);
            lua_pushnil(L);
            while (lua_next(L, -2) != 0)
            {
                Pop(L, 1);
                lua_pushvalue(L, -1);
                WriteLuaReply(L, w);
            }
            Pop(L, 2);
            return;
        }
        Pop(L, 1);
        // An array: the elements up to the first nil.
        var count = 0;
        while (true)
        {
            lua_rawgeti(L, -1, count + 1);
            var t = lua_type(L, -1);
            Pop(L, 1);
            if (t == LUA_TNIL) break;
            count++;
        }
        w.ArrayHeader(count);
        for (var j = 1; j <= count; j++)
        {
            lua_rawgeti(L, -1, j);
            WriteLuaReply(L, w);
        }
        Pop(L, 1);
    }

    /// <summary>addReplyDouble: "%.17g" (inf/-inf spelled out), a bulk string in RESP2, ",..." in RESP3.</summary>
    private static void WriteDouble(RespWriter w, double d)
    {
        string text = double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf"
            : double.IsNaN(d) ? "nan" : RedisNumbers.FormatG17(d);
        if (w.Protocol == 3)
        {
            w.WriteRaw(","u8);
            w.WriteRaw(System.Text.Encoding.ASCII.GetBytes(text));
            w.WriteRaw("\r\n"u8);
        }
        else w.Bulk(text);
    }

    /// <summary>addReplyVerbatim: "=len\r\nfmt:text" in RESP3 (the format cut or padded to 3 bytes), the text as a bulk
    /// string in RESP2.</summary>
    private static void WriteVerbatim(RespWriter w, ReadOnlySpan<byte> format, ReadOnlySpan<byte> text)
    {
        if (w.Protocol != 3)
        {
            w.Bulk(text);
            return;
        }
        Span<byte> head = stackalloc byte[32];
        head[0] = (byte)'=';
        Utf8Formatter.TryFormat(text.Length + 4, head[1..], out var n);
        head[1 + n] = (byte)'\r';
        head[2 + n] = (byte)'\n';
        w.WriteRaw(head[..(3 + n)]);
        Span<byte> fmt = stackalloc byte[4];
        for (var i = 0; i < 3; i++) fmt[i] = i < format.Length ? format[i] : (byte)' ';
        fmt[3] = (byte)':';
        w.WriteRaw(fmt);
        w.WriteRaw(text);
        w.WriteRaw("\r\n"u8);
    }

    /// <summary>redisProtocolToLuaType's stack check before a nested reply (lua_checkstack fails past LUAI_MAXCSTACK).</summary>
    private static void EnsureStack(IntPtr L, int extra)
    {
        if (lua_checkstack(L, extra) == 0) throw new InvalidOperationException("lua stack limit reach when parsing redis.call reply");
    }

    /// <summary>A RESP3 map or set becomes {map={...}} / {set={...}}: the outer table, then the inner one to fill
    /// (the caller names the outer field after filling).</summary>
    private static void PushWrappedTable(IntPtr L, long count)
    {
        EnsureStack(L, 4);
        lua_createtable(L, 0, 1);
        lua_createtable(L, 0, (int)count);
    }

}
