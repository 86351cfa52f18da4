using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static AkkaRedis.Actors.Lua.LuaNative;

namespace AkkaRedis.Actors.Lua;

/// <summary>
/// Turns a compiled script's tail calls into ordinary calls (OP_TAILCALL → OP_CALL; the OP_RETURN A 0 that follows
/// already returns every result). Why: in Redis, redis.call and the other redis.* / library functions are C
/// functions, and Lua 5.1 never tail-calls a C function, so `return redis.call(...)` keeps the script's frame and
/// the error names its line ("on @user_script:3."). Ours are Lua wrappers (they raise for the C# callbacks, which
/// must not longjmp), and a real tail call would erase the script's frame from the error handler's view. The only
/// other difference, a deeper stack for tail recursion, needs scripts recursing thousands of levels deep.
/// </summary>
internal static unsafe class LuaBytecode
{
    private const int OpCall = 28, OpTailCall = 29;

    [ThreadStatic] private static MemoryStream? t_dump;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Writer(IntPtr L, byte* p, nuint size, IntPtr ud)
    {
        t_dump!.Write(new ReadOnlySpan<byte>(p, (int)size));
        return 0;
    }

    /// <summary>Replaces the function on top of the stack by the same function without tail calls (compiled
    /// again from its patched dump). Leaves it unchanged if anything in the dump is not as expected.</summary>
    public static void RemoveTailCalls(IntPtr L)
    {
        var dump = t_dump ??= new MemoryStream();
        dump.SetLength(0);
        if (lua_dump(L, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, byte*, nuint, IntPtr, int>)&Writer, IntPtr.Zero) != 0) return;
        var bytes = dump.GetBuffer().AsSpan(0, (int)dump.Length);
        // Header: ESC "Lua" 0x51 format endianness sizeof(int)=4 sizeof(size_t)=8 sizeof(Instruction)=4
        // sizeof(lua_Number)=8 integral=0 (Debian's x86-64/arm64 build).
        if (bytes.Length < 12 || bytes[4] != 0x51 || bytes[6] != 1 || bytes[7] != 4 || bytes[8] != 8 || bytes[9] != 4) return;
        var pos = 12;
        var patched = 0;
        try
        {
            PatchFunction(bytes, ref pos, ref patched);
        }
        catch (IndexOutOfRangeException)
        {
            return;
        }
        catch (ArgumentOutOfRangeException)
        {
            return;
        }
        if (patched == 0) return;
        int rc;
        fixed (byte* p = bytes)
        fixed (byte* name = "=user_script\0"u8)
            rc = luaL_loadbuffer(L, p, (nuint)bytes.Length, name);
        if (rc != 0)
        {
            Pop(L, 1); // keep the original
            return;
        }
        lua_replace(L, -2);
    }

    private static void PatchFunction(Span<byte> b, ref int pos, ref int patched)
    {
        SkipString(b, ref pos); // source
        pos += 4 + 4 + 4; // linedefined, lastlinedefined, nups/numparams/is_vararg/maxstacksize
        var ncode = ReadInt(b, ref pos);
        for (var i = 0; i < ncode; i++)
        {
            var at = pos + i * 4;
            var ins = BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
            if ((ins & 0x3F) == OpTailCall)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(b[at..], (ins & ~0x3Fu) | OpCall);
                patched++;
            }
        }
        pos += ncode * 4;
        var nk = ReadInt(b, ref pos);
        for (var i = 0; i < nk; i++)
        {
            switch (b[pos++])
            {
                case 0: break; // nil
                case 1: pos += 1; break; // boolean
                case 3: pos += 8; break; // number
                case 4: SkipString(b, ref pos); break;
                default: throw new IndexOutOfRangeException();
            }
        }
        var np = ReadInt(b, ref pos);
        for (var i = 0; i < np; i++) PatchFunction(b, ref pos, ref patched);
        var nline = ReadInt(b, ref pos);
        pos += nline * 4;
        var nloc = ReadInt(b, ref pos);
        for (var i = 0; i < nloc; i++)
        {
            SkipString(b, ref pos);
            pos += 8;
        }
        var nup = ReadInt(b, ref pos);
        for (var i = 0; i < nup; i++) SkipString(b, ref pos);
    }

    private static int ReadInt(Span<byte> b, ref int pos)
    {
        var v = BinaryPrimitives.ReadInt32LittleEndian(b[pos..]);
        pos += 4;
        if (v < 0) throw new IndexOutOfRangeException();
        return v;
    }

    private static void SkipString(Span<byte> b, ref int pos)
    {
        var n = (long)BinaryPrimitives.ReadUInt64LittleEndian(b[pos..]);
        pos += 8;
        if (n < 0 || n > b.Length) throw new IndexOutOfRangeException();
        pos += (int)n;
    }
}
