using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>Redis 7.0's the hash family (t_hash.c). (Declarations arrive with issue 9.)</summary>
public static class HashCommands
{
    public static void Register(CommandTable t)
    {
    }
}
