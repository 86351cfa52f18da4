using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>Redis 7.0's SORT and SORT_RO (sort.c). (Declarations arrive with issue 9.)</summary>
public static class SortCommands
{
    public static void Register(CommandTable t)
    {
    }
}
