using System.Globalization;
using System.Numerics;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.ArgReaders;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Redis 7.0's geo commands (geo.c) on the sorted sets that already exist: a point is a member whose score is its
/// 52-bit geohash (<see cref="GeoHash"/>). GEOADD is ZADD with computed scores (and replicates as that ZADD); the
/// searches walk the score ranges of the nine geohash cells around the centre (membersOfAllNeighbors), never the
/// whole set. Checks happen in georadiusGeneric's order so that a request with several faults gets Redis's error.
/// </summary>
public static class GeoCommands
{
    public static void Register(CommandTable t)
    {
        var geo = A("geo");
        void Add(string name, int arity, string flags, CommandHandler handler, string keyFlags)
        {
            t.Add(new(name, arity, F(flags), 1, 1, 1, geo) { Handler = handler, KeySpecFlags = [keyFlags] });
        }

        Add("geoadd", -5, "write denyoom", GeoAdd, "RW update");
        Add("geodist", -4, "readonly", GeoDist, "RO access");
        Add("geohash", -2, "readonly", GeoHashCommand, "RO access");
        Add("geopos", -2, "readonly", GeoPos, "RO access");
        Add("geosearch", -7, "readonly", c => Search(c, 1, SearchFlags.GeoSearch), "RO access");
        Add("georadius_ro", -6, "readonly", c => Search(c, 1, SearchFlags.Coordinates | SearchFlags.NoStore), "RO access");
        Add("georadiusbymember_ro", -5, "readonly", c => Search(c, 1, SearchFlags.Member | SearchFlags.NoStore), "RO access");
        t.Add(new("geosearchstore", -8, F("write denyoom"), 1, 2, 1, geo)
        {
            Handler = c => Search(c, 2, SearchFlags.GeoSearch | SearchFlags.GeoSearchStore),
            KeySpecFlags = ["OW update", "RO access"],
        });
        // GEORADIUS and GEORADIUSBYMEMBER find their destination after a STORE or STOREDIST keyword (Redis 7.0's
        // key specs), so a destination on another shard makes the request hold both shards.
        void AddRadius(string name, int arity, SearchFlags flags, int storeFrom)
        {
            t.Add(new(name, arity, F("write denyoom"), 1, 1, 1, geo)
            {
                Handler = c => Search(c, 1, flags),
                KeySpecFlags = ["RO access", "OW update", "OW update"],
                KeySpecSearch = ["", $"keyword STORE {storeFrom} range 0 1 0", $"keyword STOREDIST {storeFrom} range 0 1 0"],
            });
        }
        AddRadius("georadius", -6, SearchFlags.Coordinates, 6);
        AddRadius("georadiusbymember", -5, SearchFlags.Member, 5);
    }

    private const string CouldNotDecodeMember = "ERR could not decode requested zset member";

    // ---- GEOADD ----

    /// <summary>geoaddCommand: [NX|XX] [CH], then longitude latitude member triples, each pair checked; then ZADD
    /// with the geohashes as scores (zaddGenericCommand), replicated as that ZADD with the options as given.</summary>
    private static void GeoAdd(ExecContext c)
    {
        bool nx = false, xx = false, ch = false;
        var longIdx = 2;
        for (; longIdx < c.Argc; longIdx++)
        {
            if (c.ArgIs(longIdx, "nx")) nx = true;
            else if (c.ArgIs(longIdx, "xx")) xx = true;
            else if (c.ArgIs(longIdx, "ch")) ch = true;
            else break;
        }
        var elements = (c.Argc - longIdx) / 3;
        // (No triple at all is refused by ZADD itself with the same syntax error.)
        if ((c.Argc - longIdx) % 3 != 0 || (xx && nx) || elements == 0)
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        Span<ulong> scores = elements <= 64 ? stackalloc ulong[elements] : new ulong[elements];
        var longest = 0;
        for (var i = 0; i < elements; i++)
        {
            var at = longIdx + i * 3;
            if (!TryReadLongLat(c, at, out var longitude, out var latitude)) return;
            scores[i] = GeoHash.Score(longitude, latitude);
            longest = Math.Max(longest, c.Args[at + 2].Length);
        }

        var key = c.Args[1];
        var db = c.Db(key);
        var obj = db.LookupWrite(key, c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        long added = 0, updated = 0;
        if (obj.Exists || !xx)
        {
            var flags = (nx ? ZAddFlags.NX : ZAddFlags.None) | (xx ? ZAddFlags.XX : ZAddFlags.None);
            var maxEntries = c.Config.ZsetMaxListpackEntries;
            var maxValue = c.Config.ZsetMaxListpackValue;
            var before = obj.Exists ? obj.Value : ZSet.Create(elements, longest, maxEntries, maxValue);
            var value = before;
            for (var i = 0; i < elements; i++)
            {
                var result = ZSet.Add(ref value, scores[i], c.Args[longIdx + i * 3 + 2], flags, maxEntries, maxValue, out _);
                if (result == ZAddResult.Added) added++;
                else if (result == ZAddResult.Updated) updated++;
            }
            if (!obj.Exists) db.SetValue(key, RedisType.ZSet, ZSet.EncodingOf(value), value, c.Now);
            else if (!ReferenceEquals(before, value)) db.ReplaceValue(obj, ZSet.EncodingOf(value), value);
        }
        if (added + updated > 0)
        {
            // GEOADD runs as ZADD in Redis (replaceClientCommandVector, then zaddCommand): its events are ZADD's.
            c.KeyModified(db, key);
            c.Notify(ServerConfig.NotifyZset, "zadd", key);
            // replaceClientCommandVector: "zadd" key [options as given] score member ...
            var effect = c.Effect(longIdx + elements * 2).Arg("zadd"u8);
            for (var j = 1; j < longIdx; j++) effect = effect.Arg(c.Args[j]);
            for (var i = 0; i < elements; i++) effect = effect.Arg((long)scores[i]).Arg(c.Args[longIdx + i * 3 + 2]);
        }
        c.Reply.Integer(ch ? added + updated : added);
    }

    /// <summary>extractLongLatOrReply: two floats as getDoubleFromObject reads them, then Redis's limits, the error
    /// printing both with C's %f.</summary>
    private static bool TryReadLongLat(ExecContext c, int index, out double longitude, out double latitude)
    {
        latitude = 0;
        if (!ZSetCommands.TryParseScore(c.Args[index], out longitude) || !ZSetCommands.TryParseScore(c.Args[index + 1], out latitude))
        {
            c.Reply.Error(Errors.NotFloat);
            return false;
        }
        if (longitude < GeoHash.LongitudeMin || longitude > GeoHash.LongitudeMax || latitude < GeoHash.LatitudeMin || latitude > GeoHash.LatitudeMax)
        {
            c.Reply.Error($"ERR invalid longitude,latitude pair {GeoFormat.FixedString(longitude, 6)},{GeoFormat.FixedString(latitude, 6)}");
            return false;
        }
        return true;
    }

    // ---- GEODIST / GEOHASH / GEOPOS ----

    /// <summary>extractUnitOrReply: meters per unit (case-insensitive), or -1 after the error.</summary>
    private static double ReadUnit(ExecContext c, int index)
    {
        if (c.ArgIs(index, "m")) return 1;
        if (c.ArgIs(index, "km")) return 1000;
        if (c.ArgIs(index, "ft")) return 0.3048;
        if (c.ArgIs(index, "mi")) return 1609.34;
        c.Reply.Error("ERR unsupported unit provided. please use M, KM, FT, MI");
        return -1;
    }

    /// <summary>geodistCommand: the unit first, then the key (nil when missing), then both members.</summary>
    private static void GeoDist(ExecContext c)
    {
        double toMeters = 1;
        if (c.Argc == 5)
        {
            toMeters = ReadUnit(c, 4);
            if (toMeters < 0) return;
        }
        else if (c.Argc > 5)
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (!obj.Exists)
        {
            c.Reply.NullBulk();
            return;
        }
        if (c.WrongType(obj, RedisType.ZSet)) return;
        if (!ZSet.TryGetScore(obj.Value, c.Args[2], out var score1) || !ZSet.TryGetScore(obj.Value, c.Args[3], out var score2)
            || !GeoHash.DecodeScore(score1, out var lon1, out var lat1) || !GeoHash.DecodeScore(score2, out var lon2, out var lat2))
        {
            c.Reply.NullBulk();
            return;
        }
        WriteDistance(c.Reply, GeoHash.Distance(lon1, lat1, lon2, lat2) / toMeters);
    }

    /// <summary>geohashCommand: the 11-character standard geohash of each member, nil for a missing one.</summary>
    private static void GeoHashCommand(ExecContext c)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        c.Reply.ArrayHeader(c.Argc - 2);
        Span<byte> text = stackalloc byte[11];
        for (var j = 2; j < c.Argc; j++)
        {
            if (!obj.Exists || !ZSet.TryGetScore(obj.Value, c.Args[j], out var score) || !GeoHash.DecodeScore(score, out var lon, out var lat))
            {
                c.Reply.NullBulk();
                continue;
            }
            GeoHash.StandardString(lon, lat, text);
            c.Reply.Bulk(text);
        }
    }

    /// <summary>geoposCommand: each member's decoded position, a null array for a missing one.</summary>
    private static void GeoPos(ExecContext c)
    {
        var obj = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        c.Reply.ArrayHeader(c.Argc - 2);
        for (var j = 2; j < c.Argc; j++)
        {
            if (!obj.Exists || !ZSet.TryGetScore(obj.Value, c.Args[j], out var score) || !GeoHash.DecodeScore(score, out var lon, out var lat))
            {
                c.Reply.NullArray();
                continue;
            }
            WriteCoordinates(c.Reply, lon, lat);
        }
    }

    /// <summary>addReplyDoubleDistance: four decimals (fixedpoint_d2string), a bulk string in both protocols.</summary>
    private static void WriteDistance(RespWriter reply, double distance)
    {
        Span<byte> text = stackalloc byte[GeoFormat.MaxFastLength];
        reply.Bulk(text[..GeoFormat.FixedPoint(distance, 4, text)]);
    }

    /// <summary>Two addReplyHumanLongDouble: "%.17Lf" without trailing zeros, a bulk string in RESP2 and a double in RESP3.</summary>
    private static void WriteCoordinates(RespWriter reply, double longitude, double latitude)
    {
        reply.ArrayHeader(2);
        WriteHuman(reply, longitude);
        WriteHuman(reply, latitude);
    }

    private static void WriteHuman(RespWriter reply, double value)
    {
        Span<byte> text = stackalloc byte[GeoFormat.MaxFastLength];
        var n = GeoFormat.Human(value, text);
        if (reply.Protocol == 3)
        {
            reply.WriteRaw(","u8);
            reply.WriteRaw(text[..n]);
            reply.WriteRaw("\r\n"u8);
        }
        else reply.Bulk(text[..n]);
    }

    // ---- GEOSEARCH, GEOSEARCHSTORE, GEORADIUS* ----

    [Flags]
    private enum SearchFlags
    {
        /// <summary>RADIUS_COORDS: GEORADIUS key longitude latitude radius unit.</summary>
        Coordinates = 1,
        /// <summary>RADIUS_MEMBER: GEORADIUSBYMEMBER key member radius unit.</summary>
        Member = 2,
        /// <summary>RADIUS_NOSTORE: the _RO variants.</summary>
        NoStore = 4,
        /// <summary>GEOSEARCH's FROM... / BY... arguments.</summary>
        GeoSearch = 8,
        /// <summary>GEOSEARCHSTORE: a destination first, STOREDIST without an argument.</summary>
        GeoSearchStore = 16,
    }

    private enum Sort { None, Asc, Desc }

    /// <summary>A point found (geoPoint): its member (a slice of a listpack, never written once published, or a
    /// skip-list node's array), position, distance from the centre and score.</summary>
    private struct GeoPoint
    {
        public byte[] Array;
        public int Offset, Length;
        public double Longitude, Latitude, Distance, Score;

        public readonly ReadOnlySpan<byte> Member => Array.AsSpan(Offset, Length);
    }

    /// <summary>The points of the running search (a shard runs one command at a time on its thread).</summary>
    [ThreadStatic] private static GeoPoint[]? _points;
    [ThreadStatic] private static GeoPoint[]? _sortScratch;

    /// <summary>georadiusGeneric: the source key (its type first), the centre and size of the fixed forms, the options
    /// in any order, their conflicts, then the walk of the nine cells, the sort and the reply or the stored set.</summary>
    private static void Search(ExecContext c, int srcKeyIndex, SearchFlags flags)
    {
        var srcKey = c.Args[srcKeyIndex];
        var obj = c.Db(srcKey).Lookup(srcKey, c.Now);
        if (c.WrongType(obj, RedisType.ZSet)) return;
        var zset = obj.Exists ? obj.Value : null;

        var shape = new GeoShape();
        int baseArgs;
        var storeIndex = -1;
        var storeDist = false;
        if ((flags & SearchFlags.Coordinates) != 0)
        {
            baseArgs = 6;
            if (!TryReadLongLat(c, 2, out shape.Longitude, out shape.Latitude)) return;
            if (!TryReadRadius(c, 4, ref shape)) return;
        }
        else if ((flags & SearchFlags.Member) != 0)
        {
            baseArgs = 5;
            // Without a source key the arguments are still parsed, for the reply that STORE asks for.
            if (zset != null)
            {
                if (!TryMemberPosition(c, zset, 2, ref shape)) return;
                if (!TryReadRadius(c, 3, ref shape)) return;
            }
        }
        else
        {
            baseArgs = 2;
            if ((flags & SearchFlags.GeoSearchStore) != 0)
            {
                baseArgs = 3;
                storeIndex = 1;
            }
        }

        bool withDist = false, withHash = false, withCoord = false;
        bool fromMember = false, fromLonLat = false, byRadius = false, byBox = false, any = false;
        var sort = Sort.None;
        long count = 0;
        var geoSearch = (flags & SearchFlags.GeoSearch) != 0;
        var remaining = c.Argc - baseArgs;
        for (var i = 0; i < remaining; i++)
        {
            var at = baseArgs + i;
            if (c.ArgIs(at, "withdist")) withDist = true;
            else if (c.ArgIs(at, "withhash")) withHash = true;
            else if (c.ArgIs(at, "withcoord")) withCoord = true;
            else if (c.ArgIs(at, "any")) any = true;
            else if (c.ArgIs(at, "asc")) sort = Sort.Asc;
            else if (c.ArgIs(at, "desc")) sort = Sort.Desc;
            else if (c.ArgIs(at, "count") && i + 1 < remaining)
            {
                if (!TryGetLong(c, c.Args[at + 1], out count)) return;
                if (count <= 0)
                {
                    c.Reply.Error("ERR COUNT must be > 0");
                    return;
                }
                i++;
            }
            else if ((c.ArgIs(at, "store") || c.ArgIs(at, "storedist")) && i + 1 < remaining
                && (flags & (SearchFlags.NoStore | SearchFlags.GeoSearch)) == 0)
            {
                storeIndex = at + 1;
                storeDist = c.ArgIs(at, "storedist");
                i++;
            }
            else if (c.ArgIs(at, "storedist") && geoSearch && (flags & SearchFlags.GeoSearchStore) != 0) storeDist = true;
            else if (c.ArgIs(at, "frommember") && i + 1 < remaining && geoSearch && !fromLonLat)
            {
                // Without a source key the member is not looked up: the error comes when the arguments are done.
                if (zset != null && !TryMemberPosition(c, zset, at + 1, ref shape)) return;
                fromMember = true;
                i++;
            }
            else if (c.ArgIs(at, "fromlonlat") && i + 2 < remaining && geoSearch && !fromMember)
            {
                if (!TryReadLongLat(c, at + 1, out shape.Longitude, out shape.Latitude)) return;
                fromLonLat = true;
                i += 2;
            }
            else if (c.ArgIs(at, "byradius") && i + 2 < remaining && geoSearch && !byBox)
            {
                if (!TryReadRadius(c, at + 1, ref shape)) return;
                byRadius = true;
                i += 2;
            }
            else if (c.ArgIs(at, "bybox") && i + 3 < remaining && geoSearch && !byRadius)
            {
                if (!TryReadBox(c, at + 1, ref shape)) return;
                byBox = true;
                i += 3;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }

        if (storeIndex >= 0 && (withDist || withHash || withCoord))
        {
            c.Reply.Error((flags & SearchFlags.GeoSearchStore) != 0
                ? "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
                : "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
            return;
        }
        if (geoSearch && !(fromMember || fromLonLat))
        {
            c.Reply.Error($"ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {CommandName(c)}");
            return;
        }
        if (geoSearch && !(byRadius || byBox))
        {
            c.Reply.Error($"ERR exactly one of BYRADIUS and BYBOX can be specified for {CommandName(c)}");
            return;
        }
        if (any && count == 0)
        {
            c.Reply.Error("ERR the ANY argument requires COUNT argument");
            return;
        }

        if (zset == null)
        {
            if (storeIndex >= 0) StoreEmpty(c, c.Args[storeIndex]);
            else c.Reply.ArrayHeader(0);
            return;
        }

        // COUNT without an order means the nearest ones (ANY aside).
        if (count != 0 && sort == Sort.None && !any) sort = Sort.Asc;

        var cells = GeoHash.CalculateAreas(shape);
        var points = _points ??= new GeoPoint[16];
        var used = MembersOfAllNeighbors(zset, cells, shape, ref points, any ? count : 0);
        _points = points;
        try
        {
            if (used == 0 && storeIndex < 0)
            {
                c.Reply.ArrayHeader(0);
                return;
            }
            var returned = count == 0 || used < count ? used : (int)count;
            if (sort != Sort.None)
            {
                if (returned == used) StableSort(points, used, sort == Sort.Desc);
                else PartialQuickSort(points, 0, used, sort == Sort.Desc, 0, returned - 1);
            }

            if (storeIndex < 0)
            {
                var options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0);
                c.Reply.ArrayHeader(returned);
                for (var i = 0; i < returned; i++)
                {
                    ref var p = ref points[i];
                    if (options > 0) c.Reply.ArrayHeader(options + 1);
                    c.Reply.Bulk(p.Member);
                    if (withDist) WriteDistance(c.Reply, p.Distance / shape.Conversion);
                    if (withHash) c.Reply.Integer((long)p.Score);
                    if (withCoord) WriteCoordinates(c.Reply, p.Longitude, p.Latitude);
                }
            }
            else StoreResult(c, c.Args[storeIndex], points, returned, storeDist, shape.Conversion,
                geoSearch ? "geosearchstore" : "georadiusstore");
        }
        finally
        {
            // Drop the references to members so that a freed set is not kept alive by the scratch array.
            Array.Clear(points, 0, used);
        }
    }

    /// <summary>The command's name as the client typed it (Redis prints argv[0]).</summary>
    private static string CommandName(ExecContext c) => System.Text.Encoding.Latin1.GetString(c.Args[0]);

    /// <summary>longLatFromMember: the position of a member of the source set, or Redis's error.</summary>
    private static bool TryMemberPosition(ExecContext c, object zset, int index, ref GeoShape shape)
    {
        if (ZSet.TryGetScore(zset, c.Args[index], out var score) && GeoHash.DecodeScore(score, out shape.Longitude, out shape.Latitude))
            return true;
        c.Reply.Error(CouldNotDecodeMember);
        return false;
    }

    /// <summary>extractDistanceOrReply: radius and unit.</summary>
    private static bool TryReadRadius(ExecContext c, int index, ref GeoShape shape)
    {
        if (!ZSetCommands.TryParseScore(c.Args[index], out var radius))
        {
            c.Reply.Error("ERR need numeric radius");
            return false;
        }
        if (radius < 0)
        {
            c.Reply.Error("ERR radius cannot be negative");
            return false;
        }
        var toMeters = ReadUnit(c, index + 1);
        if (toMeters < 0) return false;
        shape.IsBox = false;
        shape.Radius = radius;
        shape.Conversion = toMeters;
        return true;
    }

    /// <summary>extractBoxOrReply: width, height and unit.</summary>
    private static bool TryReadBox(ExecContext c, int index, ref GeoShape shape)
    {
        if (!ZSetCommands.TryParseScore(c.Args[index], out var width))
        {
            c.Reply.Error("ERR need numeric width");
            return false;
        }
        if (!ZSetCommands.TryParseScore(c.Args[index + 1], out var height))
        {
            c.Reply.Error("ERR need numeric height");
            return false;
        }
        if (height < 0 || width < 0)
        {
            c.Reply.Error("ERR height or width cannot be negative");
            return false;
        }
        var toMeters = ReadUnit(c, index + 2);
        if (toMeters < 0) return false;
        shape.IsBox = true;
        shape.Width = width;
        shape.Height = height;
        shape.Conversion = toMeters;
        return true;
    }

    /// <summary>membersOfAllNeighbors: the centre cell and its neighbours in order, a zero cell skipped, and a cell
    /// equal to the one walked just before skipped too (huge radii make neighbours coincide); with ANY, stops once
    /// <paramref name="limit"/> points are found.</summary>
    private static int MembersOfAllNeighbors(object zset, in GeoSearchCells cells, in GeoShape shape, ref GeoPoint[] points, long limit)
    {
        var used = 0;
        var lastProcessed = -1;
        for (var i = 0; i < 9; i++)
        {
            var cell = cells[i];
            if (cell.IsZero) continue;
            if (lastProcessed > 0 && cell == cells[lastProcessed]) continue;
            if (used > 0 && limit != 0 && used >= limit) break;
            GeoHash.ScoresOfBox(cell, out var min, out var max);
            used = PointsInRange(zset, min, max, shape, ref points, used, limit);
            lastProcessed = i;
        }
        return used;
    }

    /// <summary>geoGetPointsInRange: the elements of score in [min, max) (zslFirstInRange, then forward while below
    /// max) that lie in the shape, appended after <paramref name="used"/> points; returns the new count.</summary>
    private static int PointsInRange(object zset, double min, double max, in GeoShape shape, ref GeoPoint[] points, int used, long limit)
    {
        if (zset is byte[] lp)
        {
            var offset = Listpack.First;
            var end = lp.Length;
            while (offset < end)
            {
                var member = Listpack.Read(lp, offset, out var scoreOffset);
                var memberStart = scoreOffset - member.Length;
                var score = ZSetListpack.ParseScore(Listpack.Read(lp, scoreOffset, out offset));
                if (score < min) continue;
                if (!(score < max)) break;
                if (Within(shape, score, out var lon, out var lat, out var distance))
                    Append(ref points, ref used, lp, memberStart, member.Length, lon, lat, distance, score);
                if (used > 0 && limit != 0 && used >= limit) break;
            }
            return used;
        }
        var set = (RedisSortedSet)zset;
        for (var node = set.FirstInRange(new ScoreRange(min, max, false, true)); node != null; node = node.Next)
        {
            if (!(node.Score < max)) break;
            if (Within(shape, node.Score, out var lon, out var lat, out var distance))
                Append(ref points, ref used, node.Member, 0, node.Member.Length, lon, lat, distance, node.Score);
            if (used > 0 && limit != 0 && used >= limit) break;
        }
        return used;
    }

    /// <summary>geoWithinShape: the score decoded and tested against the shape.</summary>
    private static bool Within(in GeoShape shape, double score, out double lon, out double lat, out double distance)
    {
        distance = 0;
        return GeoHash.DecodeScore(score, out lon, out lat) && GeoHash.WithinShape(shape, lon, lat, out distance);
    }

    private static void Append(ref GeoPoint[] points, ref int used, byte[] array, int offset, int length,
        double lon, double lat, double distance, double score)
    {
        if (used == points.Length) System.Array.Resize(ref points, points.Length * 2);
        points[used++] = new GeoPoint
        {
            Array = array, Offset = offset, Length = length, Longitude = lon, Latitude = lat, Distance = distance, Score = score,
        };
    }

    // ---- sorting: glibc's qsort (a stable merge sort) for the whole result, Redis's pqsort for a COUNT prefix ----

    /// <summary>sort_gp_asc / sort_gp_desc: by distance only, equal distances compare equal.</summary>
    private static int Compare(in GeoPoint a, in GeoPoint b, bool desc)
    {
        var r = a.Distance > b.Distance ? 1 : a.Distance == b.Distance ? 0 : -1;
        return desc ? -r : r;
    }

    /// <summary>glibc's qsort sorts with a merge sort (msort) when it can allocate: stable, so the result is the
    /// one any stable sort gives.</summary>
    private static void StableSort(GeoPoint[] points, int n, bool desc)
    {
        if (n < 2) return;
        var scratch = _sortScratch;
        if (scratch == null || scratch.Length < n) scratch = new GeoPoint[Math.Max(n, 16)];
        MergeSort(points, scratch, 0, n, desc);
        Array.Clear(scratch, 0, n);
        _sortScratch = scratch;
    }

    private static void MergeSort(GeoPoint[] a, GeoPoint[] tmp, int lo, int hi, bool desc)
    {
        if (hi - lo < 2) return;
        var mid = lo + (hi - lo) / 2;
        MergeSort(a, tmp, lo, mid, desc);
        MergeSort(a, tmp, mid, hi, desc);
        if (Compare(a[mid - 1], a[mid], desc) <= 0) return;
        Array.Copy(a, lo, tmp, lo, hi - lo);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi) a[k++] = Compare(tmp[j], tmp[i], desc) < 0 ? tmp[j++] : tmp[i++];
        while (i < mid) a[k++] = tmp[i++];
        while (j < hi) a[k++] = tmp[j++];
    }

    /// <summary>
    /// pqsort.c (NetBSD's Bentley-McIlroy qsort that only recurses into partitions overlapping the ranks
    /// <paramref name="lrange"/>..<paramref name="rrange"/>), over element indexes: it is not stable, so points at the
    /// same distance come out in its order, which is Redis's. Redis 7.0's copy has no switch to insertion sort when
    /// a partitioning swapped nothing (later NetBSD versions do): with it, ties come out differently.
    /// </summary>
    private static void PartialQuickSort(GeoPoint[] p, int a, int n, bool desc, int lrange, int rrange)
    {
        while (true)
        {
            if (n < 7)
            {
                InsertionSort(p, a, n, desc);
                return;
            }
            var pm = a + n / 2;
            if (n > 7)
            {
                var pl = a;
                var pn = a + n - 1;
                if (n > 40)
                {
                    var d = n / 8;
                    pl = Med3(p, pl, pl + d, pl + 2 * d, desc);
                    pm = Med3(p, pm - d, pm, pm + d, desc);
                    pn = Med3(p, pn - 2 * d, pn - d, pn, desc);
                }
                pm = Med3(p, pl, pm, pn, desc);
            }
            Swap(p, a, pm);
            int pa = a + 1, pb = a + 1;
            int pc = a + n - 1, pd = a + n - 1;
            while (true)
            {
                int cmp;
                while (pb <= pc && (cmp = Compare(p[pb], p[a], desc)) <= 0)
                {
                    if (cmp == 0)
                    {
                        Swap(p, pa, pb);
                        pa++;
                    }
                    pb++;
                }
                while (pb <= pc && (cmp = Compare(p[pc], p[a], desc)) >= 0)
                {
                    if (cmp == 0)
                    {
                        Swap(p, pc, pd);
                        pd--;
                    }
                    pc--;
                }
                if (pb > pc) break;
                Swap(p, pb, pc);
                pb++;
                pc--;
            }
            var end = a + n;
            var r = Math.Min(pa - a, pb - pa);
            VecSwap(p, a, pb - r, r);
            r = Math.Min(pd - pc, end - pd - 1);
            VecSwap(p, pb, end - r, r);
            if ((r = pb - pa) > 1 && Overlaps(a, r, lrange, rrange)) PartialQuickSort(p, a, r, desc, lrange, rrange);
            if ((r = pd - pc) > 1)
            {
                // Iterate rather than recurse, as pqsort does.
                a = end - r;
                n = r;
                if (Overlaps(a, n, lrange, rrange)) continue;
            }
            return;
        }
    }

    /// <summary>pqsort's test on a partition [start, start + n): skipped only when both range ends lie on one side of it.</summary>
    private static bool Overlaps(int start, int n, int lrange, int rrange) =>
        !((lrange < start && rrange < start) || (lrange >= start + n && rrange >= start + n));

    private static void InsertionSort(GeoPoint[] p, int a, int n, bool desc)
    {
        for (var pm = a + 1; pm < a + n; pm++)
            for (var pl = pm; pl > a && Compare(p[pl - 1], p[pl], desc) > 0; pl--)
                Swap(p, pl, pl - 1);
    }

    private static int Med3(GeoPoint[] p, int a, int b, int c, bool desc) =>
        Compare(p[a], p[b], desc) < 0
            ? (Compare(p[b], p[c], desc) < 0 ? b : Compare(p[a], p[c], desc) < 0 ? c : a)
            : (Compare(p[b], p[c], desc) > 0 ? b : Compare(p[a], p[c], desc) < 0 ? a : c);

    private static void Swap(GeoPoint[] p, int i, int j) => (p[i], p[j]) = (p[j], p[i]);

    private static void VecSwap(GeoPoint[] p, int i, int j, int n)
    {
        for (var k = 0; k < n; k++) Swap(p, i + k, j + k);
    }

    // ---- STORE / STOREDIST ----

    /// <summary>A missing source with a destination: the destination is deleted (dbDelete, expired or not), which
    /// replicates the command; the reply is 0.</summary>
    private static void StoreEmpty(ExecContext c, ReadOnlySpan<byte> destination)
    {
        var db = c.Db(destination);
        var existing = db.Find(destination, long.MinValue);
        if (existing.Exists)
        {
            db.Delete(existing);
            c.KeyModified(db, destination);
            c.Notify(ServerConfig.NotifyGeneric, "del", destination);
            c.Propagate();
        }
        c.Reply.Integer(0);
    }

    /// <summary>The result stored as a sorted set of geohashes (STORE) or distances in the unit (STOREDIST): built as a
    /// skip list, then made a listpack when it fits (zsetConvertToListpackIfNeeded), set with setKey; an empty result
    /// deletes the destination instead.</summary>
    private static void StoreResult(ExecContext c, ReadOnlySpan<byte> destination, GeoPoint[] points, int returned, bool storeDist, double conversion,
        string storeEvent)
    {
        if (returned == 0)
        {
            StoreEmpty(c, destination);
            return;
        }
        var set = new RedisSortedSet(returned);
        var longest = 0;
        for (var i = 0; i < returned; i++)
        {
            ref var p = ref points[i];
            set.Add(p.Member.ToArray(), storeDist ? p.Distance / conversion : p.Score);
            longest = Math.Max(longest, p.Length);
        }
        object value = set;
        if (returned <= c.Config.ZsetMaxListpackEntries && longest <= c.Config.ZsetMaxListpackValue)
        {
            var items = new List<ZItem>(returned);
            ZSet.ReadAll(set, items);
            value = ZSetListpack.FromSorted(items);
        }
        var db = c.Db(destination);
        // setKey looks the destination up for writing: an expired one is deleted (and its DEL propagated) first.
        db.LookupWrite(destination, c.Now);
        db.SetValue(destination, RedisType.ZSet, ZSet.EncodingOf(value), value, c.Now);
        c.KeyModified(db, destination); // setKey's signalModifiedKey
        c.Notify(ServerConfig.NotifyZset, storeEvent, destination);
        c.Propagate();
        c.Reply.Integer(returned);
    }
}

/// <summary>C's fixed-point printf formats for doubles, as geo.c prints them: "%.4f" (distances), "%f" (the range
/// error), "%.17Lf" without trailing zeros (ld2string's LD_STR_HUMAN, coordinates). Exact decimal expansion rounded
/// half to even, as glibc; allocation-free for the magnitudes geo replies use, BigInteger beyond.</summary>
public static class GeoFormat
{
    /// <summary>Room for any value the fast path formats (|value| &lt; 2^63 with up to 17 decimals).</summary>
    public const int MaxFastLength = 48;

    private static readonly ulong[] Pow10 =
    [
        1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000,
        1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000, 100000000000000000,
    ];

    /// <summary>printf("%.<paramref name="decimals"/>f") of a finite value whose magnitude is below 2^63 into
    /// <paramref name="output"/> (at least <see cref="MaxFastLength"/> bytes); returns the length.</summary>
    public static int Fixed(double value, int decimals, Span<byte> output)
    {
        if (!TryScale(value, decimals, out var scaled))
        {
            var s = FixedString(value, decimals);
            for (var i = 0; i < s.Length; i++) output[i] = (byte)s[i];
            return s.Length;
        }
        return Write(double.IsNegative(value), scaled, decimals, output);
    }

    /// <summary>The same, as a string, for any double (inf and nan as glibc prints them).</summary>
    public static string FixedString(double value, int decimals)
    {
        if (double.IsNaN(value)) return double.IsNegative(value) ? "-nan" : "nan";
        if (double.IsInfinity(value)) return value < 0 ? "-inf" : "inf";
        Span<byte> buffer = stackalloc byte[MaxFastLength];
        if (TryScale(value, decimals, out var scaled))
            return System.Text.Encoding.ASCII.GetString(buffer[..Write(double.IsNegative(value), scaled, decimals, buffer)]);
        // Big values: |value| is an integer m × 2^e (e > 10), exact in a BigInteger.
        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponent = (int)((bits >> 52) & 0x7FF) - 1075;
        var mantissa = (bits & 0xFFFFFFFFFFFFFL) | (1L << 52);
        var digits = (new BigInteger(mantissa) << exponent).ToString(CultureInfo.InvariantCulture);
        return (value < 0 ? "-" : "") + digits + (decimals > 0 ? "." + new string('0', decimals) : "");
    }

    /// <summary>
    /// fixedpoint_d2string (util.c), Redis 7.0's fast "%.<paramref name="decimals"/>f": the value times 10^decimals
    /// rounded by llrint (half to even on that product, not on the exact decimal expansion, so a distance just
    /// below a half may round up where printf would not), then printed with the point inserted; zero is "0.0000".
    /// </summary>
    public static int FixedPoint(double value, int decimals, Span<byte> output)
    {
        var p = 0;
        if (value == 0)
        {
            output[p++] = (byte)'0';
            output[p++] = (byte)'.';
            output.Slice(p, decimals).Fill((byte)'0');
            return p + decimals;
        }
        var product = Math.Round(value * Pow10[decimals], MidpointRounding.ToEven);
        // llrint of a NaN or out-of-range product gives LLONG_MIN, printed as its magnitude 2^63.
        var signed = double.IsNaN(product) || product >= 9223372036854775808.0 || product < -9223372036854775808.0 ? long.MinValue : (long)product;
        ulong magnitude;
        if (signed < 0)
        {
            output[p++] = (byte)'-';
            magnitude = signed == long.MinValue ? 1UL << 63 : (ulong)-signed;
        }
        else magnitude = (ulong)signed;
        Span<byte> digits = stackalloc byte[24];
        magnitude.TryFormat(digits, out var count, default, CultureInfo.InvariantCulture);
        var intDigits = count - decimals;
        if (intDigits < 1)
        {
            output[p++] = (byte)'0';
            output[p++] = (byte)'.';
            output.Slice(p, -intDigits).Fill((byte)'0');
            p += -intDigits;
            digits[..count].CopyTo(output[p..]);
            return p + count;
        }
        digits[..intDigits].CopyTo(output[p..]);
        p += intDigits;
        output[p++] = (byte)'.';
        digits[intDigits..count].CopyTo(output[p..]);
        return p + decimals;
    }

    /// <summary>"%.17Lf" of the value (a double is exact as a long double) with trailing zeros and a trailing '.'
    /// removed, "-0" made "0" (ld2string LD_STR_HUMAN).</summary>
    public static int Human(double value, Span<byte> output)
    {
        var n = Fixed(value, 17, output);
        if (output[..n].IndexOf((byte)'.') >= 0)
        {
            while (output[n - 1] == '0') n--;
            if (output[n - 1] == '.') n--;
        }
        if (n == 2 && output[0] == '-' && output[1] == '0')
        {
            output[0] = (byte)'0';
            n = 1;
        }
        return n;
    }

    /// <summary>|value| × 10^decimals rounded half to even, when it fits the fast path (UInt128 arithmetic).</summary>
    private static bool TryScale(double value, int decimals, out UInt128 scaled)
    {
        scaled = 0;
        if (!double.IsFinite(value) || decimals > 17) return false;
        var bits = BitConverter.DoubleToInt64Bits(value);
        var biased = (int)((bits >> 52) & 0x7FF);
        var mantissa = (ulong)(bits & 0xFFFFFFFFFFFFFL);
        int exponent;
        if (biased == 0) exponent = -1074; // subnormal
        else
        {
            mantissa |= 1UL << 52;
            exponent = biased - 1075;
        }
        if (mantissa == 0) return true;
        var product = (UInt128)mantissa * Pow10[decimals];
        if (exponent >= 0)
        {
            if (exponent > 10) return false;
            scaled = product << exponent;
            return true;
        }
        var shift = -exponent;
        if (shift > 120) return true; // below half a unit of the last place: rounds to 0
        scaled = product >> shift;
        var remainder = product - (scaled << shift);
        var half = (UInt128)1 << (shift - 1);
        if (remainder > half || (remainder == half && (scaled & 1) != 0)) scaled++;
        return true;
    }

    private static int Write(bool negative, UInt128 scaled, int decimals, Span<byte> output)
    {
        Span<byte> digits = stackalloc byte[48];
        scaled.TryFormat(digits, out var count, default, CultureInfo.InvariantCulture);
        var p = 0;
        if (negative) output[p++] = (byte)'-';
        var intDigits = count - decimals;
        if (intDigits <= 0)
        {
            output[p++] = (byte)'0';
            if (decimals > 0)
            {
                output[p++] = (byte)'.';
                for (var i = 0; i < -intDigits; i++) output[p++] = (byte)'0';
                digits[..count].CopyTo(output[p..]);
                p += count;
            }
            return p;
        }
        digits[..intDigits].CopyTo(output[p..]);
        p += intDigits;
        if (decimals > 0)
        {
            output[p++] = (byte)'.';
            digits[intDigits..count].CopyTo(output[p..]);
            p += decimals;
        }
        return p;
    }
}
