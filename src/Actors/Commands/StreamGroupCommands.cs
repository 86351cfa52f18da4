using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>Redis 7.0's stream consumer groups (t_stream.c): XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO. (Declarations arrive with issue 10.)</summary>
public static class StreamGroupCommands
{
    public static void Register(CommandTable t)
    {
    }
}
