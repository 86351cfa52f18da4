using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>Redis 7.0's the sorted-set family (t_zset.c). (Declarations arrive with issue 9.)</summary>
public static class ZSetCommands
{
    public static void Register(CommandTable t)
    {
    }
}
