using System.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

/// <summary>Redis's geohash (geohash.c, geohash_helper.c) and geo.c's number formats: every expected value here was
/// read from redis-server 7.0.15 (GEOADD's replicated ZADD scores, GEOPOS, GEOHASH, GEODIST, STOREDIST).</summary>
public sealed class GeoHashTests
{
    private static string Human(double value)
    {
        Span<byte> text = stackalloc byte[GeoFormat.MaxFastLength];
        return Encoding.ASCII.GetString(text[..GeoFormat.Human(value, text)]);
    }

    private static string Distance4(double value)
    {
        Span<byte> text = stackalloc byte[GeoFormat.MaxFastLength];
        return Encoding.ASCII.GetString(text[..GeoFormat.FixedPoint(value, 4, text)]);
    }

    private static string Standard(double lon, double lat)
    {
        Span<byte> text = stackalloc byte[11];
        GeoHash.StandardString(lon, lat, text);
        return Encoding.ASCII.GetString(text);
    }

    [Theory]
    [InlineData(13.361389, 38.115556, 3479099956230698UL)]
    [InlineData(15.087269, 37.502669, 3479447370796909UL)]
    [InlineData(15, 37.502669, 3479446833958349UL)]
    [InlineData(0, 0, 3377699720527872UL)]
    [InlineData(-180, -85.05112878, 0UL)]
    // The exact upper limits give offsets of 2^26: a 54-bit score, outside every search box, as in Redis.
    [InlineData(180, 85.05112878, 13510798882111488UL)]
    public void ScoresAreRedisScores(double lon, double lat, ulong score) => Assert.Equal(score, GeoHash.Score(lon, lat));

    [Theory]
    [InlineData(3479099956230698UL, "13.36138933897018433", "38.11555639549629859")]
    [InlineData(3479447370796909UL, "15.08726745843887329", "37.50266842333162032")]
    [InlineData(3377699720527872UL, "0.00000268220901489", "0.00000126736058093")]
    [InlineData(0UL, "-179.99999731779098511", "-85.05112751263942528")]
    // Decoded beyond the limits, then clamped (geohashDecodeAreaToLongLat).
    [InlineData(13510798882111488UL, "180", "85.0511287799999991")]
    public void DecodedPositionsPrintAsRedis(ulong score, string lon, string lat)
    {
        Assert.True(GeoHash.DecodeScore(score, out var x, out var y));
        Assert.Equal(lon, Human(x));
        Assert.Equal(lat, Human(y));
    }

    [Fact]
    public void EncodeDecodeRoundTrips()
    {
        var rng = new Random(7);
        for (var i = 0; i < 10000; i++)
        {
            var lon = rng.NextDouble() * 360 - 180;
            var lat = rng.NextDouble() * 2 * GeoHash.LatitudeMax - GeoHash.LatitudeMax;
            var score = GeoHash.Score(lon, lat);
            Assert.True(score < 1UL << 52);
            Assert.True(GeoHash.DecodeScore(score, out var x, out var y));
            // The centre of the cell is within half a cell of the point and encodes to the same cell.
            Assert.True(Math.Abs(x - lon) <= 360.0 / (1 << 27) && Math.Abs(y - lat) <= 170.2 / (1 << 27));
            Assert.Equal(score, GeoHash.Score(x, y));
        }
    }

    [Theory]
    [InlineData(13.361389, 38.115556, "sqc8b49rny0")]
    [InlineData(15.087269, 37.502669, "sqdtr74hyu0")]
    [InlineData(180, 85.0511287799999991, "bp05b5048p0")]
    [InlineData(-179.99999731779098511, -85.05112751263942528, "00bh0hbj200")]
    [InlineData(0.00000268220901489, 0.00000126736058093, "s0000000000")]
    public void StandardGeohashStrings(double lon, double lat, string expected) => Assert.Equal(expected, Standard(lon, lat));

    [Fact]
    public void DistancesAsRedis()
    {
        GeoHash.DecodeScore(3479099956230698, out var lon1, out var lat1);
        GeoHash.DecodeScore(3479447370796909, out var lon2, out var lat2);
        Assert.Equal("166274.1516", Distance4(GeoHash.Distance(lon1, lat1, lon2, lat2)));
        Assert.Equal("166.2742", Distance4(GeoHash.Distance(lon1, lat1, lon2, lat2) / 1000));
        Assert.Equal("103.3182", Distance4(GeoHash.Distance(lon1, lat1, lon2, lat2) / 1609.34));
        // From (15, 37) to Catania, as GEOSEARCHSTORE ... STOREDIST stores it in km.
        Assert.Equal(56.441257870158204, GeoHash.Distance(15, 37, lon2, lat2) / 1000);
        // Pole to pole across the antimeridian.
        GeoHash.DecodeScore(13510798882111488, out var lonNe, out var latNe);
        GeoHash.DecodeScore(0, out var lonSw, out var latSw);
        Assert.Equal("18919844.5891", Distance4(GeoHash.Distance(lonNe, latNe, lonSw, latSw)));
        Assert.Equal("62072980.9353", Distance4(GeoHash.Distance(lonNe, latNe, lonSw, latSw) / 0.3048));
        // Same longitude: the meridian shortcut (geohashGetLatDistance), which Redis 7.0.15 takes.
        Assert.Equal(GeoHash.LatitudeDistance(10, 11.3), GeoHash.Distance(10, 10, 10, 11.3));
        Assert.Equal(0, GeoHash.Distance(5, 5, 5, 5));
    }

    [Fact]
    public void FixedPointRoundsTheScaledProductAsRedis()
    {
        // 18903013.5855499990... × 10^4 rounds to ...5855.5 as a double, then to even: Redis prints ...5856
        // where printf("%.4f") would print ...5855.
        Assert.Equal("18903013.5856", Distance4(18903013.58555));
        Assert.Equal("0.0000", Distance4(0));
        Assert.Equal("0.0000", Distance4(-0.0));
        Assert.Equal("0.0003", Distance4(0.00025075201913196747));
        Assert.Equal("1.5000", Distance4(1.5));
        Assert.Equal("-2.2500", Distance4(-2.25));
        Assert.Equal("200.000000", GeoFormat.FixedString(200, 6));
        Assert.Equal("-180.000000", GeoFormat.FixedString(-180.0000000001, 6));
        Assert.Equal("0.000000", GeoFormat.FixedString(1e-300, 6));
        Assert.Equal("-0.000000", GeoFormat.FixedString(-0.0, 6));
        Assert.Equal("inf", GeoFormat.FixedString(double.PositiveInfinity, 6));
        Assert.Equal("1000000000000000019884624838656.000000", GeoFormat.FixedString(1e30, 6));
    }

    [Fact]
    public void ScoreCastsAsGccCompilesIt()
    {
        Assert.Equal(0UL, GeoHash.ScoreToBits(double.PositiveInfinity));
        Assert.Equal(0UL, GeoHash.ScoreToBits(double.NaN));
        Assert.Equal(0UL, GeoHash.ScoreToBits(1e300));
        Assert.Equal(1UL << 63, GeoHash.ScoreToBits(double.NegativeInfinity));
        Assert.Equal(ulong.MaxValue, GeoHash.ScoreToBits(-1));
        Assert.Equal(10000000000000000000UL, GeoHash.ScoreToBits(1e19));
        Assert.Equal(2UL, GeoHash.ScoreToBits(2.9));
    }

    [Fact]
    public void StepsByRadius()
    {
        Assert.Equal(26, GeoHash.EstimateStepsByRadius(0, 0));
        Assert.Equal(1, GeoHash.EstimateStepsByRadius(5e7, 0));
        // 200 km: doubled 7 times to pass 20037726.37, 8 - 2 = 6; one less above 66°, two less above 80°.
        Assert.Equal(6, GeoHash.EstimateStepsByRadius(200000, 38));
        Assert.Equal(5, GeoHash.EstimateStepsByRadius(200000, -70));
        Assert.Equal(4, GeoHash.EstimateStepsByRadius(200000, 85));
        Assert.Equal(26, GeoHash.EstimateStepsByRadius(0.001, 0));
    }

    [Fact]
    public void NeighboursWrapAndReturn()
    {
        Assert.True(GeoHash.Encode(13.361389, 38.115556, 10, out var hash));
        var cells = default(GeoSearchCells);
        GeoHash.Neighbors(hash, ref cells);
        var back = default(GeoSearchCells);
        GeoHash.Neighbors(cells.East, ref back);
        Assert.Equal(hash, back.West);
        GeoHash.Neighbors(cells.NorthEast, ref back);
        Assert.Equal(hash, back.SouthWest);
        GeoHash.Decode(hash, out var area);
        GeoHash.Decode(cells.North, out var north);
        Assert.Equal(area.LatitudeMax, north.LatitudeMin);
        Assert.Equal(area.LongitudeMin, north.LongitudeMin);
        // At the antimeridian the east neighbour wraps around to -180.
        Assert.True(GeoHash.Encode(179.9, 0, 5, out var edge));
        GeoHash.Neighbors(edge, ref cells);
        GeoHash.Decode(cells.East, out var wrapped);
        Assert.Equal(-180, wrapped.LongitudeMin);
    }

    [Fact]
    public void SearchCellsCoverTheRadiusAndDropUselessOnes()
    {
        var shape = new GeoShape { Longitude = 15, Latitude = 37, Radius = 200, Conversion = 1000 };
        var cells = GeoHash.CalculateAreas(shape);
        Assert.Equal(6, cells.Center.Step);
        GeoHash.BoundingBox(shape, out var minLon, out var minLat, out var maxLon, out var maxLat);
        Assert.True(minLon < 15 && maxLon > 15 && minLat < 37 && maxLat > 37);
        // A tiny radius: the neighbours on the sides the bounding box does not reach are zeroed (here the three
        // on one side: the point lies near one corner of its cell).
        var tiny = GeoHash.CalculateAreas(new GeoShape { Longitude = 15, Latitude = 37, Radius = 1, Conversion = 1 });
        var zeroed = Enumerable.Range(1, 8).Count(i => tiny[i].IsZero);
        Assert.Equal(3, zeroed);
        Assert.False(tiny.Center.IsZero);
    }

    [Fact]
    public void BoxTestChecksLatitudeThenLongitude()
    {
        var box = new GeoShape { IsBox = true, Longitude = 0, Latitude = 0, Width = 200, Height = 100, Conversion = 1000 };
        Assert.True(GeoHash.WithinShape(box, 0.8, 0.4, out var d));
        Assert.Equal(GeoHash.Distance(0, 0, 0.8, 0.4), d);
        Assert.False(GeoHash.WithinShape(box, 0, 0.5, out _));
        Assert.False(GeoHash.WithinShape(box, 0.95, 0, out _));
        var circle = new GeoShape { Longitude = 0, Latitude = 0, Radius = 100, Conversion = 1000 };
        Assert.True(GeoHash.WithinShape(circle, 0.8, 0.4, out _));
        Assert.False(GeoHash.WithinShape(circle, 0.8, 0.6, out _));
    }
}
