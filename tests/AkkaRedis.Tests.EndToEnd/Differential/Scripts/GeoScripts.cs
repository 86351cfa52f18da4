using System.Globalization;

namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>The geo commands on sorted sets (geo.c, geohash.c): GEOADD, GEODIST, GEOHASH, GEOPOS, GEOSEARCH,
/// GEOSEARCHSTORE, GEORADIUS*. Replies and write effects compared with redis-server 7.0, in RESP2 and RESP3 (GEOPOS
/// and WITHCOORD coordinates are doubles in RESP3, distances bulk strings in both). Keys a, b, c and d lie on the
/// four shards of the test server, so STORE destinations cross shards. Unsorted searches are compared as they come
/// (Redis's geohash-box walk order), COUNT without ANY through Redis's partial sort (pqsort), whose order of points
/// at equal distances is its own.</summary>
public static class GeoScripts
{
    public const string Family = "geo";

    private static string F(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>GEOADD triples for <paramref name="n"/> members p0.. on a spiral around (lon, lat), deterministic;
    /// every fifth point has a twin at the same position (equal distances: the sorts' tie order).</summary>
    private static string Points(int n, double lon, double lat, double spread, string prefix = "p")
    {
        var parts = new List<string>();
        for (var i = 0; i < n; i++)
        {
            var angle = i * 2.399963229728653;
            var r = spread * Math.Sqrt((i + 1.0) / n);
            var x = Math.Round(lon + r * Math.Cos(angle), 6);
            var y = Math.Round(lat + r * Math.Sin(angle), 6);
            parts.Add($"{F(x)} {F(y)} {prefix}{i}");
            if (i % 5 == 0) parts.Add($"{F(x)} {F(y)} {prefix}twin{i}");
        }
        return string.Join(' ', parts);
    }

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "geoadd-options-errors", """
            GEOADD a 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
            GEOADD a 13.361389 38.115556 Palermo
            GEOADD a CH 13.361389 38.115556 Palermo 15 37.5 Catania 1 1 new
            GEOADD a NX 2 2 Palermo 3 3 nx
            GEOADD a XX 2 2 Palermo 3 3 xxnew
            GEOADD a XX CH 2.5 2.5 Palermo
            geoadd a nx ch 4 4 nxch
            GEOADD a NX XX 1 1 x
            GEOADD a GT 1 1 x
            GEOADD a 1 2
            GEOADD a CH 1 2
            GEOADD a ch ch ch
            GEOADD a nx nx nx
            GEOADD a 1 2 x 3
            GEOADD a abc 2 x
            GEOADD a 1 abc x
            GEOADD a "" 2 x
            GEOADD a nan 2 x
            GEOADD a 200 2 x
            GEOADD a -180.0000001 2 x
            GEOADD a 1 85.06 x
            GEOADD a 1 -86 x
            GEOADD a inf 0 x
            GEOADD a -inf 0 x
            GEOADD a 1e300 1e-300 x
            GEOADD a 1e-400 0 x
            GEOADD a 1 200 ok 2 2 notadded
            GEOADD a 0x10 0 hex
            GEOADD a -0 -0 zero
            GEOADD a " 1" 2 sp
            ZRANGE a 0 -1 WITHSCORES
            ZCARD a
            GEOADD missing XX 1 1 x
            EXISTS missing
            SET s v
            GEOADD s 1 1 x
            GEOADD s 1 200 x
            TYPE a
            OBJECT ENCODING a
            """);

        yield return new(Family, "geopos-geohash-geodist", """
            GEOADD a 13.361389 38.115556 Palermo 15.087269 37.502669 Catania -0.1276 51.5072 London -74.006 40.7128 NY
            GEOPOS a Palermo Catania nosuch London NY
            GEOPOS a
            GEOPOS missing a b
            GEOHASH a Palermo Catania nosuch London NY
            GEOHASH a
            GEOHASH missing a
            GEODIST a Palermo Catania
            GEODIST a Palermo Catania m
            GEODIST a Palermo Catania km
            GEODIST a Palermo Catania KM
            GEODIST a Palermo Catania mi
            GEODIST a Palermo Catania ft
            GEODIST a London NY km
            GEODIST a NY London Mi
            GEODIST a Palermo Palermo
            GEODIST a Palermo nosuch
            GEODIST a nosuch Palermo km
            GEODIST a Palermo Catania yards
            GEODIST a Palermo Catania km extra
            GEODIST missing a b
            GEODIST missing a b furlong
            ZADD a 0 zero 1 one -5 neg 1e300 huge 4503599627370496 two52 9007199254740992 two53
            GEOPOS a zero one neg huge two52 two53
            GEOHASH a zero one neg huge two52 two53
            GEODIST a zero one
            GEODIST a one neg
            SET s v
            GEOPOS s a
            GEOHASH s a
            GEODIST s a b
            GEODIST s a b furlong
            """);

        yield return new(Family, "limits-poles-antimeridian", """
            GEOADD a 180 85.05112878 ne -180 -85.05112878 sw 180 -85.05112878 se -180 85.05112878 nw 0 0 origin
            GEOADD a 179.9999999 0 east -179.9999999 0 west 0 85.05112877 north 0 -85.05112877 south
            ZRANGE a 0 -1 WITHSCORES
            GEOPOS a ne sw se nw origin east west north south
            GEOHASH a ne sw se nw origin east west north south
            GEODIST a east west
            GEODIST a north south km
            GEODIST a ne sw
            GEODIST a origin east mi
            GEORADIUS a 180 0 100 km WITHDIST
            GEORADIUS a -180 0 100 km WITHDIST ASC
            GEORADIUS a 179.99 0 1000 km WITHCOORD WITHHASH DESC
            GEOSEARCH a FROMLONLAT 180 0 BYBOX 500 500 km WITHDIST ASC
            GEOSEARCH a FROMLONLAT 0 85 BYRADIUS 1000 km WITHDIST ASC
            GEOSEARCH a FROMLONLAT 0 -85.05112878 BYRADIUS 20000 km ASC WITHDIST
            GEOSEARCH a FROMMEMBER north BYRADIUS 50000 km ASC WITHDIST
            GEOSEARCH a FROMLONLAT 90 0 BYBOX 40000 40000 km WITHDIST ASC
            GEOSEARCH a FROMLONLAT 0 0 BYRADIUS 0 m WITHDIST
            GEOSEARCH a FROMLONLAT 0 0 BYBOX 0 0 m WITHDIST
            GEORADIUSBYMEMBER a origin 1e10 km WITHDIST ASC
            GEORADIUSBYMEMBER a origin inf km WITHDIST ASC
            """);

        yield return new(Family, "search-options-errors", """
            GEOADD a 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 12.758489 38.788135 edge1 17.241510 38.788135 edge2
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 200 km
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 200 km ASC
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 200 km DESC WITHCOORD WITHDIST WITHHASH
            geosearch a fromlonlat 15 37 byradius 200 km asc desc withhash
            GEOSEARCH a FROMLONLAT 15 37 BYBOX 400 400 km ASC WITHDIST
            GEOSEARCH a FROMLONLAT 15 37 BYBOX 400 400 km ASC WITHDIST COUNT 1
            GEOSEARCH a FROMLONLAT 15 37 BYBOX 400 400 km COUNT 2 ANY
            GEOSEARCH a FROMLONLAT 15 37 BYBOX 400 400 km COUNT 2 ANY ASC
            GEOSEARCH a FROMMEMBER Palermo BYRADIUS 100 km WITHDIST
            GEOSEARCH a FROMMEMBER Palermo BYBOX 200 200 km WITHDIST ASC
            GEOSEARCH a FROMMEMBER Palermo BYBOX 200 200 km WITHDIST ASC COUNT 100
            GEOSEARCH a FROMMEMBER nosuch BYBOX 200 200 km
            GEOSEARCH missing FROMMEMBER nosuch BYBOX 200 200 km
            GEOSEARCH missing FROMMEMBER nosuch BYBOX -1 200 km
            GEOSEARCH missing FROMLONLAT 1 1 BYRADIUS 1 km
            GEOSEARCH missing FROMLONLAT 1 100 BYRADIUS 1 km
            GEOSEARCH a BYRADIUS 200 km FROMLONLAT 15 37
            GEOSEARCH a FROMLONLAT 15 37 FROMMEMBER Palermo BYRADIUS 1 km
            GEOSEARCH a FROMMEMBER Palermo FROMLONLAT 15 37 BYRADIUS 1 km
            GEOSEARCH a FROMMEMBER Palermo FROMMEMBER Catania BYRADIUS 1 km
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 1 km BYBOX 1 1 km
            GEOSEARCH a FROMLONLAT 15 37 BYBOX 1 1 km BYRADIUS 1 km
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 1 km BYRADIUS 2 km
            GEOSEARCH a FROMLONLAT 15 37 COUNT 1 WITHDIST
            GEOSEARCH a BYRADIUS 1 km COUNT 1 WITHDIST
            GEOSEARCH a BYRADIUS 1 km FROMLONLAT 15
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 200
            GEOSEARCH a FROMLONLAT 15 37 BYBOX 1 1
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 200 km COUNT
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 200 km COUNT 0
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 200 km COUNT -1
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 200 km COUNT abc
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 200 km ANY
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 200 km ANY COUNT 1
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS -1 km
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS abc km
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 1 yd
            GEOSEARCH a FROMLONLAT 15 37 BYBOX abc 1 km
            GEOSEARCH a FROMLONLAT 15 37 BYBOX 1 abc km
            GEOSEARCH a FROMLONLAT 15 37 BYBOX abc abc yd
            GEOSEARCH a FROMLONLAT 15 37 BYBOX -1 1 km
            GEOSEARCH a FROMLONLAT 15 37 BYBOX 1 -1 yd
            GEOSEARCH a FROMLONLAT 15 abc BYBOX 1 1 km
            GEOSEARCH a FROMLONLAT 15 91 BYBOX 1 1 km
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 1 km STORE b
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 1 km STOREDIST
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 1 km NOSUCH
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 1 km COUNT abc NOSUCH
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS abc km COUNT 0
            GEOSEARCH a FROMLONLAT 15 37 BYRADIUS 1 km COUNT 0 ANY
            GeoSearch a BYRADIUS 1 km COUNT 1
            SET s v
            GEOSEARCH s FROMLONLAT 15 37 BYRADIUS 1 km
            GEOSEARCH s FROMLONLAT 15 abc BYRADIUS 1 km
            GEOSEARCH s FROMMEMBER x BYRADIUS 1 km
            GEOSEARCH s NOSUCH
            """);

        yield return new(Family, "georadius-variants", """
            GEOADD a 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 2.349014 48.864716 Paris
            GEORADIUS a 15 37 200 km
            GEORADIUS a 15 37 200 km WITHDIST WITHCOORD WITHHASH ASC
            GEORADIUS a 15 37 200 km withdist desc count 1
            GEORADIUS a 15 37 200 km COUNT 1 ANY
            GEORADIUS a 15 37 2000 mi ASC WITHDIST
            GEORADIUS a 15 37 200 km ANY
            GEORADIUS a 15 37 200 km COUNT 0
            GEORADIUS a 15 37 200 km STORE
            GEORADIUS a 15 37 200 km STORE b WITHDIST
            GEORADIUS a 15 37 200 km WITHHASH STOREDIST b
            GEORADIUS a 15 37 -1 km
            GEORADIUS a 15 37 abc km
            GEORADIUS a 15 37 1 yd
            GEORADIUS a 15 370 1 km
            GEORADIUS a abc 37 1 km
            GEORADIUS a 15 37 1 km FROMLONLAT 1 1
            GEORADIUS a 15 37 1 km BYRADIUS 1 km
            GEORADIUS missing 15 37 200 km
            GEORADIUS missing 15 37 -1 km
            GEORADIUS_RO a 15 37 200 km WITHDIST ASC
            GEORADIUS_RO a 15 37 200 km STORE b
            GEORADIUS_RO a 15 37 200 km STOREDIST b
            GEORADIUS_RO missing 15 37 200 km
            GEORADIUSBYMEMBER a Palermo 200 km
            GEORADIUSBYMEMBER a Palermo 200 km WITHDIST WITHCOORD ASC COUNT 5
            GEORADIUSBYMEMBER a Palermo 2000 km WITHDIST DESC
            GEORADIUSBYMEMBER a nosuch 200 km
            GEORADIUSBYMEMBER a nosuch abc km
            GEORADIUSBYMEMBER a Palermo abc km
            GEORADIUSBYMEMBER a Palermo -5 km
            GEORADIUSBYMEMBER a Palermo 5 yd
            GEORADIUSBYMEMBER missing Palermo 200 km
            GEORADIUSBYMEMBER missing Palermo abc yd
            GEORADIUSBYMEMBER missing Palermo abc yd NOSUCH
            GEORADIUSBYMEMBER missing Palermo abc yd STORE b WITHDIST
            GEORADIUSBYMEMBER_RO a Palermo 200 km WITHHASH
            GEORADIUSBYMEMBER_RO a Palermo 200 km STORE b
            GEORADIUSBYMEMBER_RO missing Palermo 200 km
            SET s v
            GEORADIUS s 15 37 200 km
            GEORADIUS s 15 370 200 km
            GEORADIUSBYMEMBER s Palermo 200 km
            GEORADIUS_RO s 15 37 200 km
            GEORADIUSBYMEMBER_RO s x 1 km
            """);

        yield return new(Family, "store-across-shards", """
            GEOADD a 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 2.349014 48.864716 Paris
            GEORADIUS a 15 37 200 km STORE b
            ZRANGE b 0 -1 WITHSCORES
            OBJECT ENCODING b
            GEORADIUS a 15 37 200 km STOREDIST c
            ZRANGE c 0 -1 WITHSCORES
            GEORADIUS a 15 37 2000 mi STOREDIST c COUNT 2 DESC
            ZRANGE c 0 -1 WITHSCORES
            GEORADIUSBYMEMBER a Paris 10 km STORE d
            ZRANGE d 0 -1 WITHSCORES
            GEORADIUSBYMEMBER a Paris 10 km STORE d STOREDIST c
            ZRANGE c 0 -1 WITHSCORES
            EXISTS d
            GEOSEARCHSTORE d a FROMMEMBER Palermo BYBOX 400 400 km
            ZRANGE d 0 -1 WITHSCORES
            GEOSEARCHSTORE d a FROMMEMBER Palermo BYBOX 400 400 km STOREDIST
            ZRANGE d 0 -1 WITHSCORES
            GEOSEARCHSTORE d a FROMMEMBER Palermo BYBOX 400 400 km COUNT 1 STOREDIST
            ZRANGE d 0 -1 WITHSCORES
            GEOSEARCHSTORE d a FROMMEMBER Palermo BYBOX 400 400 km storedist storedist asc
            GEOSEARCHSTORE d a FROMLONLAT 0 0 BYRADIUS 1 m
            EXISTS d
            GEOSEARCHSTORE d a FROMLONLAT 0 0 BYRADIUS 1 m
            GEOSEARCHSTORE b missing FROMLONLAT 0 0 BYRADIUS 1 m
            EXISTS b
            GEORADIUS missing 0 0 1 km STORE c
            EXISTS c
            GEORADIUSBYMEMBER missing x 1 km STORE a
            EXISTS a
            GEOADD a 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
            GEOSEARCHSTORE b a FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST
            GEOSEARCHSTORE b a FROMLONLAT 15 37 BYRADIUS 200 km WITHCOORD
            GEOSEARCHSTORE b a FROMLONLAT 15 37 BYRADIUS 200 km STORE c
            GEOSEARCHSTORE b a FROMLONLAT 15 37
            GEOSEARCHSTORE a a FROMLONLAT 15 37 BYRADIUS 100 km STOREDIST
            ZRANGE a 0 -1 WITHSCORES
            SET s v
            GEOSEARCHSTORE s a FROMLONLAT 15 37 BYRADIUS 100 km
            TYPE s
            GEOSEARCHSTORE b s FROMLONLAT 15 37 BYRADIUS 100 km
            GEORADIUS s 15 37 200 km STORE b
            GEOSEARCHSTORE {t}dst {t}src FROMLONLAT 15 37 BYRADIUS 100 km
            GEOADD {t}src 15 37 x
            GEOSEARCHSTORE {t}dst {t}src FROMLONLAT 15 37 BYRADIUS 100 km
            ZRANGE {t}dst 0 -1 WITHSCORES
            """);

        // Ties at equal distances: the whole result is sorted by a stable sort (glibc's qsort merges), a COUNT prefix
        // by pqsort (unstable, its own order); the unsorted replies come in box-walk order.
        yield return new(Family, "ties-and-partial-sort", $"""
            GEOADD a 5.1 5 far 5.05 5 mid {string.Join(' ', Enumerable.Range(10, 31).Select(i => $"5 5 m{i}"))}
            GEOSEARCH a FROMLONLAT 5 5 BYRADIUS 100 km
            GEOSEARCH a FROMLONLAT 5 5 BYRADIUS 100 km ASC
            GEOSEARCH a FROMLONLAT 5 5 BYRADIUS 100 km DESC
            GEOSEARCH a FROMLONLAT 5 5 BYRADIUS 100 km COUNT 3
            GEOSEARCH a FROMLONLAT 5 5 BYRADIUS 100 km COUNT 3 DESC
            GEOSEARCH a FROMLONLAT 5 5 BYRADIUS 100 km COUNT 10 DESC
            GEOSEARCH a FROMLONLAT 5 5 BYRADIUS 100 km COUNT 32 ASC
            GEOSEARCH a FROMLONLAT 5 5 BYRADIUS 100 km COUNT 33 DESC
            GEOSEARCH a FROMLONLAT 5 5 BYRADIUS 100 km COUNT 3 ANY
            GEOSEARCH a FROMLONLAT 5 5 BYRADIUS 100 km COUNT 3 ANY DESC
            GEOSEARCHSTORE b a FROMLONLAT 5 5 BYRADIUS 100 km COUNT 7 DESC STOREDIST
            ZRANGE b 0 -1 WITHSCORES
            GEOADD c {Points(60, 10.5, 45.4, 0.6)}
            GEOSEARCH c FROMMEMBER p13 BYBOX 500 500 km
            GEOSEARCH c FROMMEMBER p13 BYBOX 500 500 km COUNT 5 WITHHASH
            GEOSEARCH c FROMMEMBER p13 BYBOX 500 500 km COUNT 11 DESC WITHDIST
            GEOSEARCH c FROMLONLAT 10.55 45.4 BYBOX 40 20 km COUNT 5 WITHDIST WITHCOORD
            GEOSEARCH c FROMLONLAT 10.55 45.4 BYBOX 40 20 km COUNT 5 ANY
            GEOSEARCH c FROMLONLAT 10.55 45.4 BYRADIUS 30 km COUNT 4 DESC
            """);

        // More than 128 members: a skip list, walked from zslFirstInRange.
        yield return new(Family, "skiplist-sets", $"""
            GEOADD a {Points(300, 10.5, 45.4, 0.8)}
            OBJECT ENCODING a
            GEOSEARCH a FROMLONLAT 10.5 45.4 BYRADIUS 10 km
            GEOSEARCH a FROMLONLAT 10.5 45.4 BYRADIUS 20 km ASC WITHDIST
            GEOSEARCH a FROMLONLAT 10.5 45.4 BYRADIUS 50 km COUNT 20 WITHDIST
            GEOSEARCH a FROMLONLAT 10.5 45.4 BYRADIUS 50 km COUNT 20 DESC WITHHASH
            GEOSEARCH a FROMLONLAT 10.5 45.4 BYRADIUS 50 km COUNT 20 ANY
            GEOSEARCH a FROMMEMBER p7 BYBOX 30 60 km WITHCOORD
            GEOSEARCH a FROMMEMBER p7 BYBOX 3000 6000 km COUNT 9 WITHDIST
            GEORADIUS a 10.9 45.1 25 km WITHDIST ASC
            GEORADIUSBYMEMBER a p100 15 km WITHDIST DESC COUNT 7
            GEOSEARCHSTORE b a FROMLONLAT 10.5 45.4 BYRADIUS 60 km STOREDIST
            ZCARD b
            OBJECT ENCODING b
            ZRANGE b 0 9 WITHSCORES
            GEOSEARCHSTORE c a FROMLONLAT 10.5 45.4 BYRADIUS 20 km
            ZRANGE c 0 -1 WITHSCORES
            OBJECT ENCODING c
            GEOPOS a p0 p299 ptwin5
            GEOHASH a p0 p299 ptwin5
            GEODIST a p0 p299 km
            """);

        yield return new(Family, "huge-radii-and-empty", $"""
            GEOADD a {Points(40, 0, 0, 80)}
            GEOSEARCH a FROMLONLAT 0 0 BYRADIUS 5000 km
            GEOSEARCH a FROMLONLAT 0 0 BYRADIUS 10000 km
            GEOSEARCH a FROMLONLAT 100 50 BYRADIUS 20000 km ASC WITHDIST
            GEOSEARCH a FROMLONLAT -170 -80 BYRADIUS 9000 km ASC
            GEOSEARCH a FROMLONLAT 0 0 BYBOX 20000 10000 km
            GEOSEARCH a FROMLONLAT 179 80 BYBOX 40000 40000 km COUNT 3
            GEORADIUS a 0 0 1e30 km COUNT 3 DESC WITHDIST
            GEORADIUS a 0 0 1e-30 m
            GEORADIUS a 33 33 1 m WITHDIST
            GEOSEARCHSTORE b a FROMLONLAT 33 33 BYRADIUS 1 m
            DEBUG DIGEST-VALUE a
            GEOSEARCHSTORE c a FROMLONLAT 0 0 BYRADIUS 3000 km
            DEBUG DIGEST-VALUE c
            MEMORY USAGE c
            COPY c d
            GEOPOS d p1 nosuch
            RENAME d e
            GEODIST e p0 p1 km
            """);
    }

    /// <summary>Scripts for the write-effects differential (<see cref="EffectScripts"/>).</summary>
    public static IEnumerable<EffectScripts.Script> Effects()
    {
        // GEOADD replicates as the ZADD it becomes (replaceClientCommandVector): "zadd", the options as sent, then
        // score member pairs; nothing when no member changed.
        yield return new("geoadd", """
            GEOADD a 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
            GEOADD a 13.361389 38.115556 Palermo
            GEOADD a ch NX 1 1 Palermo 2 2 new
            GEOADD a XX CH 3 3 Palermo 4 4 nosuch
            GEOADD a XX 3 3 Palermo
            GEOADD missing XX 1 1 x
            GEOADD a 1 200 x
            GEOADD a abc 1 x
            SET s v
            GEOADD s 1 1 x
            """);
        yield return new("geosearchstore", """
            GEOADD a 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
            GEOSEARCHSTORE b a FROMLONLAT 15 37 BYRADIUS 200 km
            GEOSEARCHSTORE c a FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST COUNT 1
            GEOSEARCHSTORE c a FROMLONLAT 0 0 BYRADIUS 1 km
            GEOSEARCHSTORE c a FROMLONLAT 0 0 BYRADIUS 1 km
            GEOSEARCHSTORE d missing FROMLONLAT 0 0 BYRADIUS 1 km
            GEOSEARCHSTORE b missing FROMLONLAT 0 0 BYRADIUS 1 km
            GEOSEARCHSTORE d a FROMLONLAT 0 0 BYRADIUS 1 km WITHDIST
            GEOSEARCHSTORE a a FROMMEMBER Palermo BYRADIUS 10 km
            """);
        yield return new("georadius", """
            GEOADD a 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
            GEORADIUS a 15 37 200 km
            GEORADIUS a 15 37 200 km STORE b
            GEORADIUS a 15 37 200 km STOREDIST c
            GEORADIUS a 15 37 1 km STORE b
            GEORADIUS a 15 37 1 km STORE b
            GEORADIUS missing 15 37 1 km STOREDIST c
            GEORADIUS a 15 37 200 km STORE b WITHDIST
            GEORADIUS_RO a 15 37 200 km
            """);
        yield return new("georadiusbymember", """
            GEOADD a 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
            GEORADIUSBYMEMBER a Palermo 200 km
            GEORADIUSBYMEMBER a Palermo 200 km STORE d
            GEORADIUSBYMEMBER a Palermo 200 km STOREDIST c COUNT 1
            GEORADIUSBYMEMBER a Palermo 1 km STORE d STOREDIST d
            GEORADIUSBYMEMBER missing Palermo 1 km STORE d
            GEORADIUSBYMEMBER missing Palermo 1 km STORE d
            GEORADIUSBYMEMBER a nosuch 1 km STORE d
            GEORADIUSBYMEMBER_RO a Palermo 200 km
            """);
    }
}
