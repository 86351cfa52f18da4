using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>Redis 7.0's bitmap commands on strings (bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO. (Declarations arrive with issue 10.)</summary>
public static class BitmapCommands
{
    public static void Register(CommandTable t)
    {
    }
}
