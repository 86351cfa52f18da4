using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static AkkaRedis.Actors.Lua.LuaNative;

namespace AkkaRedis.Actors.Lua;

/// <summary>Redis's <c>struct</c> library (lua_struct.c): pack, unpack, size.</summary>
internal static unsafe class LuaStruct
{
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Pack(IntPtr L) => LuaVm.RaiseString(L, "struct.pack is not implemented yet");

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Unpack(IntPtr L) => LuaVm.RaiseString(L, "struct.unpack is not implemented yet");

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Size(IntPtr L) => LuaVm.RaiseString(L, "struct.size is not implemented yet");
}
