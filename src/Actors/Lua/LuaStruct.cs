using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static AkkaRedis.Actors.Lua.LuaNative;

namespace AkkaRedis.Actors.Lua;

/// <summary>
/// Redis's <c>struct</c> library (deps/lua/src/lua_struct.c, Roberto Ierusalimschy's struct 0.2 as Redis 7.0 ships
/// it): pack, unpack, size, with its formats (&gt; &lt; ![n] x b B h H l L T i[n] I[n] c[n] s f d, spaces ignored),
/// alignment rules and error texts (raised by the Lua wrapper with the caller's position, as luaL_error does).
/// Native order is little-endian, sizes are x86-64's (short 2, int 4, long 8, size_t 8; maximum alignment 8).
/// </summary>
internal static unsafe class LuaStruct
{
    private const int MaxIntSize = 32, MaxAlign = 8;

    private struct Header
    {
        public bool Little;
        public int Align;
    }

    /// <summary>A format error, raised as luaL_error/luaL_argerror would (the message without position).</summary>
    private sealed class StructError(string message) : Exception(message);

    private static int GetNum(ReadOnlySpan<byte> fmt, ref int i, int df)
    {
        if (i >= fmt.Length || !char.IsAsciiDigit((char)fmt[i])) return df;
        var a = 0;
        do
        {
            var d = fmt[i] - '0';
            if (a > int.MaxValue / 10 || a * 10 > int.MaxValue - d) throw new StructError("integral size overflow");
            a = a * 10 + d;
            i++;
        } while (i < fmt.Length && char.IsAsciiDigit((char)fmt[i]));
        return a;
    }

    private static int OptSize(byte opt, ReadOnlySpan<byte> fmt, ref int i)
    {
        switch ((char)opt)
        {
            case 'B': case 'b': return 1;
            case 'H': case 'h': return 2;
            case 'L': case 'l': case 'T': return 8;
            case 'f': return 4;
            case 'd': return 8;
            case 'x': return 1;
            case 'c': return GetNum(fmt, ref i, 1);
            case 'i': case 'I':
            {
                var sz = GetNum(fmt, ref i, 4);
                if (sz > MaxIntSize) throw new StructError($"integral size {sz} is larger than limit of {MaxIntSize}");
                return sz;
            }
            default: return 0;
        }
    }

    private static int ToAlign(long len, in Header h, byte opt, long size)
    {
        if (size == 0 || opt == 'c') return 0;
        if (size > h.Align) size = h.Align;
        return (int)((size - (len & (size - 1))) & (size - 1));
    }

    private static void ControlOptions(IntPtr L, byte opt, ReadOnlySpan<byte> fmt, ref int i, ref Header h, string function)
    {
        switch ((char)opt)
        {
            case ' ': return;
            case '>': h.Little = false; return;
            case '<': h.Little = true; return;
            case '!':
            {
                var a = GetNum(fmt, ref i, MaxAlign);
                if (a <= 0 || (a & (a - 1)) != 0) throw new StructError($"alignment {a} is not a power of 2");
                h.Align = a;
                return;
            }
            default:
                throw new StructError($"bad argument #1 to '{function}' (invalid format option '{(char)opt}')");
        }
    }

    private static string ArgError(int n, string function, string message) => $"bad argument #{n} to '{function}' ({message})";

    private static double CheckNumber(IntPtr L, int arg, string function)
    {
        if (lua_isnumber(L, arg) == 0) throw new StructError(LuaVm.BadArgument(L, arg, function, "number"));
        return lua_tonumber(L, arg);
    }

    private static ReadOnlySpan<byte> CheckString(IntPtr L, int arg, string function)
    {
        var t = lua_type(L, arg);
        if ((t != LUA_TSTRING && t != LUA_TNUMBER) || !TryGetString(L, arg, out var s))
            throw new StructError(LuaVm.BadArgument(L, arg, function, "string"));
        return s;
    }

    /// <summary>C's conversion of a double to unsigned long long as gcc compiles it on x86-64 (negative values go
    /// through long long; out of range gives what cvttsd2si gives).</summary>
    private static ulong ToUInt64(double n)
    {
        if (n < 0) return (ulong)LuaVm.TruncateToLong(n);
        if (n < 9223372036854775808.0) return (ulong)(long)n;
        return (ulong)LuaVm.TruncateToLong(n - 9223372036854775808.0) ^ 0x8000_0000_0000_0000UL;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Pack(IntPtr L)
    {
        try
        {
            var fmt = CheckString(L, 1, "pack").ToArray();
            var h = new Header { Little = true, Align = 1 };
            var arg = 2;
            var buf = new List<byte>(32);
            long total = 0;
            var i = 0;
            while (i < fmt.Length && fmt[i] != 0)
            {
                var opt = fmt[i++];
                long size = OptSize(opt, fmt, ref i);
                var toAlign = ToAlign(total, h, opt, size);
                total += toAlign;
                while (toAlign-- > 0) buf.Add(0);
                switch ((char)opt)
                {
                    case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T': case 'i': case 'I':
                    {
                        var value = ToUInt64(CheckNumber(L, arg++, "pack"));
                        var bytes = new byte[size];
                        if (h.Little)
                            for (var k = 0; k < size; k++) { bytes[k] = (byte)value; value >>= 8; }
                        else
                            for (var k = (int)size - 1; k >= 0; k--) { bytes[k] = (byte)value; value >>= 8; }
                        buf.AddRange(bytes);
                        break;
                    }
                    case 'x':
                        buf.Add(0);
                        break;
                    case 'f':
                    {
                        var f = (float)CheckNumber(L, arg++, "pack");
                        var bytes = new byte[4];
                        if (h.Little) BinaryPrimitives.WriteSingleLittleEndian(bytes, f);
                        else BinaryPrimitives.WriteSingleBigEndian(bytes, f);
                        buf.AddRange(bytes);
                        break;
                    }
                    case 'd':
                    {
                        var d = CheckNumber(L, arg++, "pack");
                        var bytes = new byte[8];
                        if (h.Little) BinaryPrimitives.WriteDoubleLittleEndian(bytes, d);
                        else BinaryPrimitives.WriteDoubleBigEndian(bytes, d);
                        buf.AddRange(bytes);
                        break;
                    }
                    case 'c': case 's':
                    {
                        var s = CheckString(L, arg++, "pack");
                        if (size == 0) size = s.Length;
                        // lua_struct.c checks with 'arg' already advanced: the error names the next argument.
                        if (s.Length < size) throw new StructError(ArgError(arg, "pack", "string too short"));
                        buf.AddRange(s[..(int)size].ToArray());
                        if (opt == 's')
                        {
                            buf.Add(0);
                            size++;
                        }
                        break;
                    }
                    default:
                        ControlOptions(L, opt, fmt, ref i, ref h, "pack");
                        break;
                }
                total += size;
            }
            PushString(L, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buf));
            return 1;
        }
        catch (StructError e)
        {
            return LuaVm.RaiseString(L, e.Message);
        }
        catch (Exception e)
        {
            return LuaVm.RaiseString(L, e.Message);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Unpack(IntPtr L)
    {
        try
        {
            var fmt = CheckString(L, 1, "unpack").ToArray();
            var data = CheckString(L, 2, "unpack").ToArray();
            long ld = data.Length;
            ulong pos = 1;
            var t3 = lua_type(L, 3);
            if (t3 != LUA_TNONE && t3 != LUA_TNIL)
            {
                if (lua_isnumber(L, 3) == 0) throw new StructError(LuaVm.BadArgument(L, 3, "unpack", "number"));
                pos = (ulong)LuaVm.TruncateToLong(lua_tonumber(L, 3));
            }
            if (pos == 0) throw new StructError(ArgError(3, "unpack", "offset must be 1 or greater"));
            pos--;
            var h = new Header { Little = true, Align = 1 };
            lua_settop(L, 0);
            var n = 0;
            var i = 0;
            while (i < fmt.Length && fmt[i] != 0)
            {
                var opt = fmt[i++];
                ulong size = (ulong)OptSize(opt, fmt, ref i);
                pos += (ulong)ToAlign((long)pos, h, opt, (long)size);
                if (!(size <= (ulong)ld && pos <= (ulong)ld - size)) throw new StructError(ArgError(2, "unpack", "data string too short"));
                if (lua_checkstack(L, 2) == 0) throw new StructError("too many results");
                switch ((char)opt)
                {
                    case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T': case 'i': case 'I':
                    {
                        var signed = char.IsAsciiLetterLower((char)opt);
                        ulong l = 0;
                        if (!h.Little)
                            for (var k = 0; k < (int)size; k++) { l <<= 8; l |= data[(int)pos + k]; }
                        else
                            for (var k = (int)size - 1; k >= 0; k--) { l <<= 8; l |= data[(int)pos + k]; }
                        double res;
                        if (!signed) res = l;
                        else
                        {
                            var mask = ulong.MaxValue << ((int)size * 8 - 1);
                            if ((l & mask) != 0) l |= mask;
                            res = (long)l;
                        }
                        lua_pushnumber(L, res);
                        n++;
                        break;
                    }
                    case 'x':
                        break;
                    case 'f':
                    {
                        var span = data.AsSpan((int)pos, 4);
                        lua_pushnumber(L, h.Little ? BinaryPrimitives.ReadSingleLittleEndian(span) : BinaryPrimitives.ReadSingleBigEndian(span));
                        n++;
                        break;
                    }
                    case 'd':
                    {
                        var span = data.AsSpan((int)pos, 8);
                        lua_pushnumber(L, h.Little ? BinaryPrimitives.ReadDoubleLittleEndian(span) : BinaryPrimitives.ReadDoubleBigEndian(span));
                        n++;
                        break;
                    }
                    case 'c':
                    {
                        if (size == 0)
                        {
                            if (n == 0 || lua_isnumber(L, -1) == 0) throw new StructError("format 'c0' needs a previous size");
                            size = (ulong)LuaVm.TruncateToLong(lua_tonumber(L, -1));
                            Pop(L, 1);
                            n--;
                            if (!(size <= (ulong)ld && pos <= (ulong)ld - size)) throw new StructError(ArgError(2, "unpack", "data string too short"));
                        }
                        PushString(L, data.AsSpan((int)pos, (int)size));
                        n++;
                        break;
                    }
                    case 's':
                    {
                        var rest = data.AsSpan((int)pos);
                        var e = rest.IndexOf((byte)0);
                        if (e < 0) throw new StructError("unfinished string in data");
                        size = (ulong)e + 1;
                        PushString(L, rest[..e]);
                        n++;
                        break;
                    }
                    default:
                        ControlOptions(L, opt, fmt, ref i, ref h, "unpack");
                        break;
                }
                pos += size;
            }
            lua_pushnumber(L, (double)(pos + 1));
            return n + 1;
        }
        catch (StructError e)
        {
            lua_settop(L, 0);
            return LuaVm.RaiseString(L, e.Message);
        }
        catch (Exception e)
        {
            lua_settop(L, 0);
            return LuaVm.RaiseString(L, e.Message);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Size(IntPtr L)
    {
        try
        {
            var fmt = CheckString(L, 1, "size").ToArray();
            var h = new Header { Little = true, Align = 1 };
            long pos = 0;
            var i = 0;
            while (i < fmt.Length && fmt[i] != 0)
            {
                var opt = fmt[i++];
                long size = OptSize(opt, fmt, ref i);
                pos += ToAlign(pos, h, opt, size);
                if (opt == 's') throw new StructError(ArgError(1, "size", "option 's' has no fixed size"));
                if (opt == 'c' && size == 0) throw new StructError(ArgError(1, "size", "option 'c0' has no fixed size"));
                if (!char.IsAsciiLetterOrDigit((char)opt)) ControlOptions(L, opt, fmt, ref i, ref h, "size");
                pos += size;
            }
            lua_pushnumber(L, pos);
            return 1;
        }
        catch (Exception e)
        {
            return LuaVm.RaiseString(L, e.Message);
        }
    }
}
