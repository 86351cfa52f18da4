using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>Redis 7.0's geo commands on sorted sets (geo.c, geohash.c): GEOADD, GEODIST, GEOHASH, GEOPOS, GEOSEARCH, GEOSEARCHSTORE, GEORADIUS*. (Declarations arrive with issue 10.)</summary>
public static class GeoCommands
{
    public static void Register(CommandTable t)
    {
    }
}
