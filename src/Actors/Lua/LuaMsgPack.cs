using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static AkkaRedis.Actors.Lua.LuaNative;

namespace AkkaRedis.Actors.Lua;

/// <summary>Redis's <c>cmsgpack</c> library (lua_cmsgpack.c): pack, unpack, unpack_one, unpack_limit.</summary>
internal static unsafe class LuaMsgPack
{
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Pack(IntPtr L) => LuaVm.RaiseString(L, "cmsgpack.pack is not implemented yet");

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Unpack(IntPtr L) => LuaVm.RaiseString(L, "cmsgpack.unpack is not implemented yet");

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int UnpackOne(IntPtr L) => LuaVm.RaiseString(L, "cmsgpack.unpack_one is not implemented yet");

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int UnpackLimit(IntPtr L) => LuaVm.RaiseString(L, "cmsgpack.unpack_limit is not implemented yet");
}
