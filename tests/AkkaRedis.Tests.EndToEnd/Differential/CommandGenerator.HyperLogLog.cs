using System.Globalization;

namespace AkkaRedis.Tests.EndToEnd.Differential;

// The random differential's commands of the HyperLogLog (hyperloglog.c). They work on a few HLL keys of their own
// (h0, h1, and {t}h in the slot of the {t} string keys) and now and then on the shared key space,
// where strings that are not HLLs give the HLL WRONGTYPE and lists the usual one. PFADD draws from a pool of 3000
// elements, sometimes 200 at a time, so HLLs grow past hll-sparse-max-bytes (3000) and turn dense during a run.
// SETRANGE writes a few bytes over an HLL's header or first opcodes: the corrupted HLLs then take the
// INVALIDOBJ / WRONGTYPE paths, or decode into other registers, exactly as on redis-server. GET compares the bytes.
// PFSELFTEST is left to the scripts: redis-server takes 1.5 s over it.
public sealed partial class CommandGenerator
{
    private static readonly string[] HllKeys = ["h0", "h1", "{t}h"];
    private static readonly string[] HllDebug = ["ENCODING", "DECODE", "TODENSE", "GETREG", "encoding", "todense", "NOSUCH"];
    private static readonly string[] HllPatches = ["\x7f", "\x7f\xff", "\x00", "\x01", "\x02", "\x80", "\x3f\x3f", "HYLL", "Z", "\x40\x00\x40"];

    partial void BuildHyperLogLog()
    {
        Add("pfadd", 10, () => [Cmd("PFADD"), HllKey(), .. HllElements()]);
        Add("pfcount", 6, () => [Cmd("PFCOUNT"), .. HllKeyList(1, 3)]);
        Add("pfmerge", 3, () => [Cmd("PFMERGE"), HllKey(), .. HllKeyList(0, 3)]);
        Add("pfdebug", 2, () => [Cmd("PFDEBUG"), Pick(HllDebug), HllKey()]);
        Add("get-hll", 2, () => [Cmd("GET"), HllKey()]);
        Add("setrange-hll", 1, () =>
            [Cmd("SETRANGE"), Pick(HllKeys), (_rng.Next(4) == 0 ? _rng.Next(16) : 16 + _rng.Next(8)).ToString(CultureInfo.InvariantCulture), Pick(HllPatches)]);
    }

    /// <summary>An HLL key, or (one time in five) any key of the shared key space.</summary>
    private string HllKey() => _rng.Next(5) == 0 ? Key() : Pick(HllKeys);

    private List<string> HllKeyList(int min, int max)
    {
        var n = min + _rng.Next(max - min + 1);
        var keys = new List<string>(n);
        for (var i = 0; i < n; i++) keys.Add(HllKey());
        return keys;
    }

    private List<string> HllElements()
    {
        var n = _rng.Next(10) == 0 ? 200 : _rng.Next(4);
        var elements = new List<string>(n);
        for (var i = 0; i < n; i++) elements.Add(_rng.Next(10) == 0 ? Pick(Values) : "e" + _rng.Next(3000).ToString(CultureInfo.InvariantCulture));
        return elements;
    }
}
