namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's geo commands (geo.c). A geo set is a sorted set, so they share the key space and the
// members of the sorted-set entries (ZADD's odd scores decode to odd positions, ZRANGE reads GEOADD's geohashes).
// Positions cluster in a small area (a few kilometres apart) with some at the limits, radii span metres to the
// whole earth, and every option comes in random order, the conflicting ones included. Sets stay small (listpacks),
// and every reply is deterministic: unsorted searches come in geohash-box walk order, COUNT in pqsort's order.
public sealed partial class CommandGenerator
{
    private static readonly string[] GeoLongitudes =
        ["13.361389", "13.37", "13.4", "13.35", "13.361389", "15.087269", "0", "-180", "180", "179.999", "181", "abc", "-0.5", ""];

    private static readonly string[] GeoLatitudes =
        ["38.115556", "38.12", "38.1", "38.2", "38.115556", "37.502669", "0", "85.05112878", "-85.05112878", "85.06", "abc", "-1"];

    private static readonly string[] GeoRadii = ["0", "1", "500", "2", "10", "100", "1000", "20000", "1e7", "-1", "abc", "inf"];

    private static readonly string[] GeoUnits = ["m", "km", "KM", "mi", "ft", "m", "km", "yd"];

    partial void BuildGeo()
    {
        Add("geoadd", 8, GeoAdd);
        Add("geopos", 3, () => [Cmd("GEOPOS"), Key(), .. Enumerable.Range(0, 1 + _rng.Next(3)).Select(_ => Pick(ZMembers))]);
        Add("geohash", 3, () => [Cmd("GEOHASH"), Key(), .. Enumerable.Range(0, 1 + _rng.Next(3)).Select(_ => Pick(ZMembers))]);
        Add("geodist", 3, () => _rng.Next(3) == 0
            ? [Cmd("GEODIST"), Key(), Pick(ZMembers), Pick(ZMembers)]
            : [Cmd("GEODIST"), Key(), Pick(ZMembers), Pick(ZMembers), Word(Pick(GeoUnits))]);
        Add("geosearch", 6, () => [Cmd("GEOSEARCH"), Key(), .. GeoSearchArgs(store: false)]);
        Add("geosearchstore", 3, () => [Cmd("GEOSEARCHSTORE"), Key(), Key(), .. GeoSearchArgs(store: true)]);
        Add("georadius", 3, () => [Cmd("GEORADIUS"), Key(), Pick(GeoLongitudes), Pick(GeoLatitudes), Pick(GeoRadii), Word(Pick(GeoUnits)), .. GeoRadiusOptions(store: true)]);
        Add("georadius_ro", 2, () => [Cmd("GEORADIUS_RO"), Key(), Pick(GeoLongitudes), Pick(GeoLatitudes), Pick(GeoRadii), Word(Pick(GeoUnits)), .. GeoRadiusOptions(store: false)]);
        Add("georadiusbymember", 3, () => [Cmd("GEORADIUSBYMEMBER"), Key(), Pick(ZMembers), Pick(GeoRadii), Word(Pick(GeoUnits)), .. GeoRadiusOptions(store: true)]);
        Add("georadiusbymember_ro", 2, () => [Cmd("GEORADIUSBYMEMBER_RO"), Key(), Pick(ZMembers), Pick(GeoRadii), Word(Pick(GeoUnits)), .. GeoRadiusOptions(store: false)]);
    }

    /// <summary>GEOADD key [NX|XX] [CH] (options sometimes conflicting or misplaced) and 1-3 triples, sometimes
    /// short of an argument.</summary>
    private List<string> GeoAdd()
    {
        var args = new List<string> { Cmd("GEOADD"), Key() };
        foreach (var option in new[] { "NX", "XX", "CH" })
            if (_rng.Next(6) == 0) args.Add(Word(option));
        var triples = 1 + _rng.Next(3);
        for (var i = 0; i < triples; i++)
        {
            args.Add(_rng.Next(8) == 0 ? Pick(GeoLongitudes) : Pick(GeoLongitudes[..6]));
            args.Add(_rng.Next(8) == 0 ? Pick(GeoLatitudes) : Pick(GeoLatitudes[..6]));
            args.Add(Pick(ZMembers));
        }
        if (_rng.Next(20) == 0) args.RemoveAt(args.Count - 1);
        return args;
    }

    /// <summary>GEOSEARCH's FROM... and BY... parts (sometimes missing or doubled) and options, in random order.</summary>
    private List<string> GeoSearchArgs(bool store)
    {
        var parts = new List<List<string>>();
        var from = _rng.Next(10);
        if (from < 5) parts.Add([Word("FROMMEMBER"), Pick(ZMembers)]);
        else if (from < 9) parts.Add([Word("FROMLONLAT"), Pick(GeoLongitudes), Pick(GeoLatitudes)]);
        if (_rng.Next(15) == 0) parts.Add([Word("FROMLONLAT"), "13", "38"]);
        var by = _rng.Next(10);
        if (by < 5) parts.Add([Word("BYRADIUS"), Pick(GeoRadii), Word(Pick(GeoUnits))]);
        else if (by < 9) parts.Add([Word("BYBOX"), Pick(GeoRadii), Pick(GeoRadii), Word(Pick(GeoUnits))]);
        if (_rng.Next(15) == 0) parts.Add([Word("BYRADIUS"), "1", "km"]);
        parts.AddRange(GeoOptions(withs: !store || _rng.Next(8) == 0));
        if (store && _rng.Next(2) == 0) parts.Add([Word("STOREDIST")]);
        if (!store && _rng.Next(20) == 0) parts.Add([Word("STOREDIST")]);
        return Shuffled(parts);
    }

    /// <summary>GEORADIUS*'s options after the unit, STORE/STOREDIST key where the command takes them (and
    /// sometimes where it does not).</summary>
    private List<string> GeoRadiusOptions(bool store)
    {
        var parts = GeoOptions(withs: !store || _rng.Next(3) != 0);
        if ((store && _rng.Next(3) == 0) || _rng.Next(25) == 0)
            parts.Add([Word(_rng.Next(2) == 0 ? "STORE" : "STOREDIST"), Key()]);
        return Shuffled(parts);
    }

    /// <summary>WITH* flags, ASC/DESC, COUNT n [ANY] (counts at or beyond the set's size included, so that both
    /// the full sort and the partial one are compared).</summary>
    private List<List<string>> GeoOptions(bool withs)
    {
        var parts = new List<List<string>>();
        if (withs)
            foreach (var flag in new[] { "WITHDIST", "WITHCOORD", "WITHHASH" })
                if (_rng.Next(3) == 0) parts.Add([Word(flag)]);
        if (_rng.Next(3) == 0) parts.Add([Word(_rng.Next(2) == 0 ? "ASC" : "DESC")]);
        if (_rng.Next(3) == 0) parts.Add([Word("COUNT"), Pick(["1", "2", "3", "5", "100", "0", "-1", "abc"])]);
        if (_rng.Next(8) == 0) parts.Add([Word("ANY")]);
        return parts;
    }

    private List<string> Shuffled(List<List<string>> parts)
    {
        for (var i = parts.Count - 1; i > 0; i--)
        {
            var j = _rng.Next(i + 1);
            (parts[i], parts[j]) = (parts[j], parts[i]);
        }
        return parts.SelectMany(p => p).ToList();
    }
}
