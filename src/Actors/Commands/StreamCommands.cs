using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>Redis 7.0's streams without consumer groups (t_stream.c): XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XREAD, XSETID. (Declarations arrive with issue 10.)</summary>
public static class StreamCommands
{
    public static void Register(CommandTable t)
    {
    }
}
