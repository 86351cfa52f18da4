namespace AkkaRedis.Actors.Storage;

/// <summary>A geohash cell (GeoHashBits): <see cref="Step"/> bits per coordinate, interleaved (longitude on the odd
/// bits, latitude on the even ones). The zero value is geo.c's "no cell" (HASHISZERO / GZERO).</summary>
public readonly record struct GeoHashBits(ulong Bits, int Step)
{
    public bool IsZero => Bits == 0 && Step == 0;
}

/// <summary>A cell's extent (GeoHashArea).</summary>
public readonly record struct GeoHashArea(double LongitudeMin, double LongitudeMax, double LatitudeMin, double LatitudeMax);

/// <summary>What GEOSEARCH looks for (geo.h's GeoShape): a circle of <see cref="Radius"/> or a box of
/// <see cref="Width"/> × <see cref="Height"/> around (<see cref="Longitude"/>, <see cref="Latitude"/>), the sizes in
/// the request's unit, <see cref="Conversion"/> meters each.</summary>
public struct GeoShape
{
    public bool IsBox;
    public double Longitude, Latitude;
    public double Radius, Width, Height;
    public double Conversion;
}

/// <summary>The nine cells a search walks (GeoHashRadius): the centre's and its neighbours in membersOfAllNeighbors'
/// order (N, S, E, W, NE, NW, SE, SW); a zero cell is skipped.</summary>
public struct GeoSearchCells
{
    public GeoHashBits Center, North, South, East, West, NorthEast, NorthWest, SouthEast, SouthWest;
    public GeoHashArea Area;

    public readonly GeoHashBits this[int i] => i switch
    {
        0 => Center,
        1 => North,
        2 => South,
        3 => East,
        4 => West,
        5 => NorthEast,
        6 => NorthWest,
        7 => SouthEast,
        _ => SouthWest,
    };
}

/// <summary>
/// Redis's 52-bit geohash (geohash.c, geohash_helper.c), step by step with the same double operations and libm calls
/// so that scores, decoded coordinates and distances equal redis-server's to the last bit: a sorted-set score is the
/// interleaved 26-bit longitude and latitude cells over [-180,180] × [-85.05112878,85.05112878] (EPSG:900913's limits).
/// </summary>
public static class GeoHash
{
    public const double LongitudeMin = -180;
    public const double LongitudeMax = 180;
    public const double LatitudeMin = -85.05112878;
    public const double LatitudeMax = 85.05112878;
    /// <summary>GEO_STEP_MAX: 26 bits per coordinate, 52 in all (a double holds them exactly).</summary>
    public const int StepMax = 26;
    /// <summary>EARTH_RADIUS_IN_METERS: the quadratic mean radius of WGS-84 that Redis uses for every distance.</summary>
    public const double EarthRadiusMeters = 6372797.560856;
    private const double MercatorMax = 20037726.37;
    /// <summary>D_R = M_PI / 180.0 (deg_rad multiplies by it, rad_deg divides by it).</summary>
    private const double DegToRad = Math.PI / 180.0;

    private static double DegRad(double angle) => angle * DegToRad;
    private static double RadDeg(double angle) => angle / DegToRad;

    // ---- bit interleaving (interleave64 / deinterleave64, "Interleave bits by Binary Magic Numbers") ----

    private static ulong Interleave64(uint xlo, uint ylo)
    {
        ulong x = xlo, y = ylo;
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFUL;
        y = (y | (y << 16)) & 0x0000FFFF0000FFFFUL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFUL;
        y = (y | (y << 8)) & 0x00FF00FF00FF00FFUL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FUL;
        y = (y | (y << 4)) & 0x0F0F0F0F0F0F0F0FUL;
        x = (x | (x << 2)) & 0x3333333333333333UL;
        y = (y | (y << 2)) & 0x3333333333333333UL;
        x = (x | (x << 1)) & 0x5555555555555555UL;
        y = (y | (y << 1)) & 0x5555555555555555UL;
        return x | (y << 1);
    }

    private static ulong Deinterleave64(ulong interleaved)
    {
        var x = interleaved;
        var y = interleaved >> 1;
        x &= 0x5555555555555555UL;
        y &= 0x5555555555555555UL;
        x = (x | (x >> 1)) & 0x3333333333333333UL;
        y = (y | (y >> 1)) & 0x3333333333333333UL;
        x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FUL;
        y = (y | (y >> 2)) & 0x0F0F0F0F0F0F0F0FUL;
        x = (x | (x >> 4)) & 0x00FF00FF00FF00FFUL;
        y = (y | (y >> 4)) & 0x00FF00FF00FF00FFUL;
        x = (x | (x >> 8)) & 0x0000FFFF0000FFFFUL;
        y = (y | (y >> 8)) & 0x0000FFFF0000FFFFUL;
        x = (x | (x >> 16)) & 0x00000000FFFFFFFFUL;
        y = (y | (y >> 16)) & 0x00000000FFFFFFFFUL;
        return x | (y << 32);
    }

    /// <summary>C's conversion of a non-negative double to uint32_t (truncation; the offsets stay within 0..2^step).</summary>
    private static uint ToUInt32(double value) => (uint)(ulong)value;

    // ---- encode / decode ----

    /// <summary>geohashEncode over the given ranges; false for coordinates outside Redis's limits or the ranges.</summary>
    public static bool Encode(double longitudeMin, double longitudeMax, double latitudeMin, double latitudeMax,
        double longitude, double latitude, int step, out GeoHashBits hash)
    {
        hash = default;
        if (step > 32 || step == 0) return false;
        if (longitude > LongitudeMax || longitude < LongitudeMin || latitude > LatitudeMax || latitude < LatitudeMin) return false;
        if (latitude < latitudeMin || latitude > latitudeMax || longitude < longitudeMin || longitude > longitudeMax) return false;
        var latOffset = (latitude - latitudeMin) / (latitudeMax - latitudeMin);
        var longOffset = (longitude - longitudeMin) / (longitudeMax - longitudeMin);
        latOffset *= 1UL << step;
        longOffset *= 1UL << step;
        hash = new GeoHashBits(Interleave64(ToUInt32(latOffset), ToUInt32(longOffset)), step);
        return true;
    }

    /// <summary>geohashEncodeWGS84: over Redis's coordinate ranges.</summary>
    public static bool Encode(double longitude, double latitude, int step, out GeoHashBits hash) =>
        Encode(LongitudeMin, LongitudeMax, LatitudeMin, LatitudeMax, longitude, latitude, step, out hash);

    /// <summary>GEOADD's score: geohashEncodeWGS84 at GEO_STEP_MAX, aligned to 52 bits (the caller has range-checked).</summary>
    public static ulong Score(double longitude, double latitude)
    {
        Encode(longitude, latitude, StepMax, out var hash);
        return Align52Bits(hash);
    }

    /// <summary>geohashAlign52Bits.</summary>
    public static ulong Align52Bits(GeoHashBits hash) => hash.Bits << (52 - hash.Step * 2);

    /// <summary>geohashDecode over the given ranges; false for a zero cell.</summary>
    public static bool Decode(double longitudeMin, double longitudeMax, double latitudeMin, double latitudeMax,
        GeoHashBits hash, out GeoHashArea area)
    {
        area = default;
        if (hash.IsZero) return false;
        var separated = Deinterleave64(hash.Bits); // [LAT][LONG]
        var latScale = latitudeMax - latitudeMin;
        var longScale = longitudeMax - longitudeMin;
        var ilato = (uint)separated;
        var ilono = (uint)(separated >> 32);
        var cells = (double)(1UL << hash.Step);
        area = new GeoHashArea(
            longitudeMin + ilono * 1.0 / cells * longScale,
            longitudeMin + unchecked(ilono + 1u) * 1.0 / cells * longScale,
            latitudeMin + ilato * 1.0 / cells * latScale,
            latitudeMin + unchecked(ilato + 1u) * 1.0 / cells * latScale);
        return true;
    }

    public static bool Decode(GeoHashBits hash, out GeoHashArea area) =>
        Decode(LongitudeMin, LongitudeMax, LatitudeMin, LatitudeMax, hash, out area);

    /// <summary>decodeGeohash (geo.c) → geohashDecodeToLongLatWGS84: a score's cell centre, clamped to the limits
    /// (geohashDecodeAreaToLongLat); false for score 0 (a zero cell decodes to nothing, as in Redis).</summary>
    public static bool DecodeScore(double score, out double longitude, out double latitude)
    {
        longitude = latitude = 0;
        // (uint64_t)bits in C: scores written by GEOADD are exact non-negative integers; others saturate or wrap.
        if (!Decode(new GeoHashBits(ScoreToBits(score), StepMax), out var area)) return false;
        longitude = (area.LongitudeMin + area.LongitudeMax) / 2;
        if (longitude > LongitudeMax) longitude = LongitudeMax;
        if (longitude < LongitudeMin) longitude = LongitudeMin;
        latitude = (area.LatitudeMin + area.LatitudeMax) / 2;
        if (latitude > LatitudeMax) latitude = LatitudeMax;
        if (latitude < LatitudeMin) latitude = LatitudeMin;
        return true;
    }

    /// <summary>C's (uint64_t) cast of a score as gcc compiles it for x86-64: below 2^63 one signed truncation
    /// (cvttsd2si), otherwise a truncation of score - 2^63 with the top bit flipped; cvttsd2si gives
    /// 0x8000000000000000 for NaN and out-of-range values, so +inf, NaN and scores from 2^64 up become 0, and
    /// -inf and scores below -2^63 become 2^63.</summary>
    public static ulong ScoreToBits(double score)
    {
        const double Two63 = 9223372036854775808.0;
        if (score < Two63) return (ulong)Truncate(score);
        return (ulong)Truncate(score - Two63) ^ 0x8000000000000000UL;

        // cvttsd2si: the "integer indefinite" value for what does not fit (.NET's own conversion saturates).
        static long Truncate(double x) => x >= -Two63 && x < Two63 ? (long)x : long.MinValue;
    }

    // ---- neighbours (geohash_move_x / geohash_move_y) ----

    private static GeoHashBits MoveX(GeoHashBits hash, int d) => Move(hash, d, 0xaaaaaaaaaaaaaaaaUL, 0x5555555555555555UL);

    private static GeoHashBits MoveY(GeoHashBits hash, int d) => Move(hash, d, 0x5555555555555555UL, 0xaaaaaaaaaaaaaaaaUL);

    /// <summary>
    /// One cell along the coordinate whose interleaved bits are <paramref name="moving"/> (longitude: the odd bits,
    /// latitude: the even ones), the other's bits unchanged: the other's bits are set to ones in the moving value so
    /// that adding or subtracting one step carries across them, and masked out after (geohash_move_x/y).
    /// </summary>
    private static GeoHashBits Move(GeoHashBits hash, int d, ulong moving, ulong other)
    {
        if (d == 0) return hash;
        var m = hash.Bits & moving;
        var o = hash.Bits & other;
        var zz = other >> (64 - hash.Step * 2);
        if (d > 0) m += zz + 1;
        else
        {
            m |= zz;
            m -= zz + 1;
        }
        m &= moving >> (64 - hash.Step * 2);
        return hash with { Bits = m | o };
    }

    /// <summary>geohashNeighbors: the eight cells around <paramref name="hash"/> (wrapping around at the edges).</summary>
    public static void Neighbors(GeoHashBits hash, ref GeoSearchCells cells)
    {
        cells.East = MoveX(hash, 1);
        cells.West = MoveX(hash, -1);
        cells.South = MoveY(hash, -1);
        cells.North = MoveY(hash, 1);
        cells.NorthWest = MoveY(MoveX(hash, -1), 1);
        cells.NorthEast = MoveY(MoveX(hash, 1), 1);
        cells.SouthEast = MoveY(MoveX(hash, 1), -1);
        cells.SouthWest = MoveY(MoveX(hash, -1), -1);
    }

    // ---- the search area (geohash_helper.c) ----

    /// <summary>geohashEstimateStepsByRadius: the cell size whose 3×3 block covers the radius, coarser near the poles.</summary>
    public static int EstimateStepsByRadius(double rangeMeters, double latitude)
    {
        if (rangeMeters == 0) return 26;
        var step = 1;
        while (rangeMeters < MercatorMax)
        {
            rangeMeters *= 2;
            step++;
        }
        step -= 2; // make sure the range is included in most of the base cases
        if (latitude > 66 || latitude < -66)
        {
            step--;
            if (latitude > 80 || latitude < -80) step--;
        }
        if (step < 1) step = 1;
        if (step > 26) step = 26;
        return step;
    }

    /// <summary>geohashBoundingBox: min longitude, min latitude, max longitude, max latitude of the shape, the
    /// longitude span taken at the edge nearer the pole.</summary>
    public static void BoundingBox(in GeoShape shape, out double minLon, out double minLat, out double maxLon, out double maxLat)
    {
        var longitude = shape.Longitude;
        var latitude = shape.Latitude;
        var height = shape.Conversion * (shape.IsBox ? shape.Height / 2 : shape.Radius);
        var width = shape.Conversion * (shape.IsBox ? shape.Width / 2 : shape.Radius);
        var latDelta = RadDeg(height / EarthRadiusMeters);
        var longDeltaTop = RadDeg(width / EarthRadiusMeters / Math.Cos(DegRad(latitude + latDelta)));
        var longDeltaBottom = RadDeg(width / EarthRadiusMeters / Math.Cos(DegRad(latitude - latDelta)));
        var southern = latitude < 0;
        minLon = southern ? longitude - longDeltaBottom : longitude - longDeltaTop;
        maxLon = southern ? longitude + longDeltaBottom : longitude + longDeltaTop;
        minLat = latitude - latDelta;
        maxLat = latitude + latDelta;
    }

    /// <summary>geohashCalculateAreasByShapeWGS84: the centre cell at the estimated step (one coarser when a neighbour
    /// does not reach the bounding box's edge) and the neighbours the box needs (the others zeroed).</summary>
    public static GeoSearchCells CalculateAreas(in GeoShape shape)
    {
        BoundingBox(shape, out var minLon, out var minLat, out var maxLon, out var maxLat);
        var longitude = shape.Longitude;
        var latitude = shape.Latitude;
        // A box is covered by the circle through its corners.
        var radiusMeters = shape.IsBox
            ? Math.Sqrt(shape.Width / 2 * (shape.Width / 2) + shape.Height / 2 * (shape.Height / 2))
            : shape.Radius;
        radiusMeters *= shape.Conversion;
        var steps = EstimateStepsByRadius(radiusMeters, latitude);

        var cells = default(GeoSearchCells);
        Encode(longitude, latitude, steps, out var hash);
        Neighbors(hash, ref cells);
        Decode(hash, out var area);

        // Near a cell's edge the estimated step may be too fine for a neighbour to reach the search area's edge.
        Decode(cells.North, out var north);
        Decode(cells.South, out var south);
        Decode(cells.East, out var east);
        Decode(cells.West, out var west);
        var decrease = north.LatitudeMax < maxLat || south.LatitudeMin > minLat || east.LongitudeMax < maxLon || west.LongitudeMin > minLon;
        if (steps > 1 && decrease)
        {
            steps--;
            Encode(longitude, latitude, steps, out hash);
            Neighbors(hash, ref cells);
            Decode(hash, out area);
        }

        // Exclude the search areas that are useless.
        if (steps >= 2)
        {
            if (area.LatitudeMin < minLat)
            {
                cells.South = default;
                cells.SouthWest = default;
                cells.SouthEast = default;
            }
            if (area.LatitudeMax > maxLat)
            {
                cells.North = default;
                cells.NorthEast = default;
                cells.NorthWest = default;
            }
            if (area.LongitudeMin < minLon)
            {
                cells.West = default;
                cells.SouthWest = default;
                cells.NorthWest = default;
            }
            if (area.LongitudeMax > maxLon)
            {
                cells.East = default;
                cells.SouthEast = default;
                cells.NorthEast = default;
            }
        }
        cells.Center = hash;
        cells.Area = area;
        return cells;
    }

    /// <summary>scoresOfGeoHashBox: the scores [min, max) of the points inside a cell.</summary>
    public static void ScoresOfBox(GeoHashBits hash, out ulong min, out ulong max)
    {
        min = Align52Bits(hash);
        max = Align52Bits(hash with { Bits = hash.Bits + 1 });
    }

    // ---- distances ----

    /// <summary>geohashGetLatDistance: along a meridian, asin(sin(x)) simplified to x.</summary>
    public static double LatitudeDistance(double lat1, double lat2) => EarthRadiusMeters * Math.Abs(DegRad(lat2) - DegRad(lat1));

    /// <summary>geohashGetDistance: the haversine great-circle distance in meters (a meridian's one when the
    /// longitudes are practically the same).</summary>
    public static double Distance(double lon1, double lat1, double lon2, double lat2)
    {
        var lon1r = DegRad(lon1);
        var lon2r = DegRad(lon2);
        var v = Math.Sin((lon2r - lon1r) / 2);
        if (v == 0.0) return LatitudeDistance(lat1, lat2);
        var lat1r = DegRad(lat1);
        var lat2r = DegRad(lat2);
        var u = Math.Sin((lat2r - lat1r) / 2);
        var a = u * u + Math.Cos(lat1r) * Math.Cos(lat2r) * v * v;
        return 2.0 * EarthRadiusMeters * Math.Asin(Math.Sqrt(a));
    }

    /// <summary>geoWithinShape's test (geohashGetDistanceIfInRadiusWGS84 / geohashGetDistanceIfInRectangle): whether
    /// the point lies in the shape, with its distance from the centre.</summary>
    public static bool WithinShape(in GeoShape shape, double longitude, double latitude, out double distance)
    {
        if (!shape.IsBox)
        {
            distance = Distance(shape.Longitude, shape.Latitude, longitude, latitude);
            // Written as Redis's "distance > radius" test: a NaN distance counts as inside.
            return !(distance > shape.Radius * shape.Conversion);
        }
        distance = 0;
        // The latitude distance is cheaper, so it is checked first.
        var heightMeters = shape.Height * shape.Conversion;
        if (LatitudeDistance(latitude, shape.Latitude) > heightMeters / 2) return false;
        var widthMeters = shape.Width * shape.Conversion;
        if (Distance(longitude, latitude, shape.Longitude, latitude) > widthMeters / 2) return false;
        distance = Distance(shape.Longitude, shape.Latitude, longitude, latitude);
        return true;
    }

    // ---- the standard geohash string (GEOHASH) ----

    private static ReadOnlySpan<byte> Alphabet => "0123456789bcdefghjkmnpqrstuvwxyz"u8;

    /// <summary>geohashCommand's string: the point re-encoded over the standard [-180,180] × [-90,90] ranges at step
    /// 26, 5 bits per character, and an 11th character '0' (52 bits make 10.4 characters).</summary>
    public static void StandardString(double longitude, double latitude, Span<byte> output)
    {
        Encode(-180, 180, -90, 90, longitude, latitude, 26, out var hash);
        for (var i = 0; i < 11; i++)
        {
            var index = i == 10 ? 0 : (int)((hash.Bits >> (52 - (i + 1) * 5)) & 0x1f);
            output[i] = Alphabet[index];
        }
    }
}
