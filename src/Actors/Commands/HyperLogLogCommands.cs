using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>Redis 7.0's HyperLogLog (hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST. (Declarations arrive with issue 10.)</summary>
public static class HyperLogLogCommands
{
    public static void Register(CommandTable t)
    {
    }
}
