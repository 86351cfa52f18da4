using System.Diagnostics;
using System.Text;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Storage;

/// <summary>The stream's node layout (Redis's listpack nodes): splits at both limits, deleted flags and node removal,
/// exact and approximate trims with LIMIT, ranges both ways across nodes against a plain model, the rax node count,
/// the listpack codec, and a 1,000,000-entry stream.</summary>
public sealed class RedisStreamNodeTests
{
    private static CommandArgs Args(params string[] items) => CommandArgs.Of(items);

    private static RedisStream Build(int count, long maxBytes = 4096, long maxEntries = 100, Func<int, string[]>? pairs = null)
    {
        var s = new RedisStream();
        for (var i = 1; i <= count; i++)
            s.Append(new StreamId((ulong)i, 0), Args(pairs?.Invoke(i) ?? ["f", i.ToString(), "g", "v"]), 0, maxBytes, maxEntries);
        return s;
    }

    private static List<ulong> Ms(RedisStream s, StreamId a, StreamId b, bool reverse = false)
    {
        var ids = new List<ulong>();
        foreach (var e in s.GetRange(a, b, reverse)) ids.Add(e.Id.Ms);
        return ids;
    }

    [Fact]
    public void A_node_holds_at_most_stream_node_max_entries_entries()
    {
        var s = Build(250, maxEntries: 100);
        Assert.Equal(3, s.NodeCount);
        Assert.Equal(250, s.Length);
        Assert.Equal(Enumerable.Range(1, 250).Select(i => (ulong)i), Ms(s, StreamId.Min, StreamId.Max));
        // 0 means no limit on entries: only the byte limit splits.
        Assert.Equal(1, Build(150, maxBytes: 0, maxEntries: 0).NodeCount);
    }

    [Fact]
    public void A_node_stays_below_stream_node_max_bytes()
    {
        const long max = 120;
        var s = Build(60, maxBytes: max, maxEntries: 0);
        Assert.True(s.NodeCount > 5);
        foreach (var (bytes, _) in s.Nodes()) Assert.True(bytes < max + 40, $"node of {bytes} bytes");
        // Sealed nodes are shrunk to their size; the tail keeps Redis's up-front allocation (capped by the limit).
        var nodes = new List<(int Bytes, int Prealloc)>();
        foreach (var n in s.Nodes()) nodes.Add(n);
        Assert.All(nodes.SkipLast(1), n => Assert.Equal(0, n.Prealloc));
        Assert.Equal((int)max, nodes[^1].Prealloc);
    }

    [Fact]
    public void Entries_with_other_fields_than_the_master_entry_keep_their_own()
    {
        var s = new RedisStream();
        s.Append(new StreamId(1, 1), Args("a", "1", "b", "2"), 0, 4096, 100);
        s.Append(new StreamId(1, 2), Args("a", "3", "b", "4"), 0, 4096, 100);
        s.Append(new StreamId(1, 3), Args("x", "12345", "-7", "9223372036854775807"), 0, 4096, 100);
        s.Append(new StreamId(1, 4), Args("a", "", "", "01"), 0, 4096, 100);
        var text = new List<string>();
        foreach (var e in s.GetRange(StreamId.Min, StreamId.Max, reverse: true))
        {
            var parts = new List<string> { e.Id.ToString() };
            foreach (var f in e) parts.Add(Encoding.ASCII.GetString(f.Name) + "=" + Encoding.ASCII.GetString(f.Value));
            text.Add(string.Join(" ", parts));
        }
        Assert.Equal(["1-4 a= =01", "1-3 x=12345 -7=9223372036854775807", "1-2 a=3 b=4", "1-1 a=1 b=2"], text);
    }

    [Fact]
    public void Deleted_entries_are_flagged_until_their_node_has_none_left()
    {
        var s = Build(30, maxEntries: 10);
        Assert.Equal(3, s.NodeCount);
        for (ulong i = 11; i <= 19; i++) Assert.True(s.DeleteAndRecord(new StreamId(i, 0)));
        Assert.Equal(3, s.NodeCount); // one valid entry left in the middle node
        Assert.Equal([10UL, 20, 21], Ms(s, new StreamId(10, 0), new StreamId(21, 0)));
        Assert.Equal([21UL, 20, 10], Ms(s, new StreamId(10, 0), new StreamId(21, 0), reverse: true));
        Assert.True(s.DeleteAndRecord(new StreamId(20, 0)));
        Assert.Equal(2, s.NodeCount);
        Assert.False(s.Delete(new StreamId(20, 0)));
        Assert.Equal(new StreamId(20, 0), s.MaxDeletedId);
        Assert.Equal(20, s.Length);
        Assert.True(s.Delete(new StreamId(1, 0)));
        Assert.Equal(new StreamId(2, 0), s.FirstId);
        Assert.Equal(new StreamId(30, 0), s.LastValidId());
        Assert.True(s.Delete(new StreamId(30, 0)));
        Assert.Equal(new StreamId(29, 0), s.LastValidId());
        Assert.Equal(new StreamId(30, 0), s.LastId);
    }

    [Fact]
    public void Approximate_trims_remove_whole_nodes_only_and_stop_at_the_limit()
    {
        var s = Build(50, maxEntries: 10);
        Assert.Equal(0, s.Trim(byMinId: false, maxLen: 45, default, approx: true, limit: 0));
        Assert.Equal(10, s.Trim(byMinId: false, maxLen: 35, default, approx: true, limit: 0));
        Assert.Equal(0, s.Trim(byMinId: false, maxLen: 0, default, approx: true, limit: 5));
        Assert.Equal(20, s.Trim(byMinId: false, maxLen: 0, default, approx: true, limit: 25));
        Assert.Equal(20, s.Length);
        Assert.Equal(new StreamId(31, 0), s.FirstId);
        // MINID: a node goes when its last entry is below the ID.
        Assert.Equal(0, s.Trim(byMinId: true, 0, new StreamId(40, 0), approx: true, limit: 0));
        Assert.Equal(10, s.Trim(byMinId: true, 0, new StreamId(41, 0), approx: true, limit: 0));
        Assert.Equal(1, s.NodeCount);
    }

    [Fact]
    public void Exact_trims_flag_entries_inside_the_first_node_left()
    {
        var s = Build(30, maxEntries: 10);
        Assert.Equal(13, s.Trim(byMinId: false, maxLen: 17, default, approx: false, limit: 0));
        Assert.Equal(2, s.NodeCount);
        Assert.Equal(new StreamId(14, 0), s.FirstId);
        Assert.Equal(Enumerable.Range(14, 17).Select(i => (ulong)i), Ms(s, StreamId.Min, StreamId.Max));
        Assert.Equal(3, s.Trim(byMinId: true, 0, new StreamId(17, 0), approx: false, limit: 0));
        Assert.Equal(new StreamId(17, 0), s.FirstId);
        Assert.Equal(14, s.Length);
        Assert.Equal(14, s.Trim(byMinId: false, 0, default, approx: false, limit: 0));
        Assert.Equal(0, s.NodeCount);
        Assert.Equal(StreamId.Min, s.FirstId);
        Assert.Equal(new StreamId(30, 0), s.LastId);
    }

    [Fact]
    public void Ranges_across_nodes_match_a_model_both_ways()
    {
        var rng = new Random(7);
        var s = new RedisStream();
        var model = new SortedSet<ulong>();
        ulong next = 1;
        for (var step = 0; step < 3000; step++)
        {
            if (rng.Next(4) == 0 && model.Count > 0)
            {
                var victim = model.ElementAt(rng.Next(model.Count));
                Assert.True(s.Delete(new StreamId(victim, 0)));
                model.Remove(victim);
            }
            else
            {
                next += (ulong)rng.Next(1, 300);
                var fields = rng.Next(3) == 0 ? new[] { "x", "1", "y", new string('v', rng.Next(200)) } : ["f", next.ToString()];
                s.Append(new StreamId(next, 0), Args(fields), 0, 512, 7);
                model.Add(next);
            }
            if (step % 100 != 0) continue;
            var a = (ulong)rng.Next(0, (int)next + 10);
            var b = (ulong)rng.Next(0, (int)next + 10);
            var expected = model.Where(x => x >= a && x <= b).ToList();
            Assert.Equal(expected, Ms(s, new StreamId(a, 0), new StreamId(b, 0)));
            expected.Reverse();
            Assert.Equal(expected, Ms(s, new StreamId(a, 0), new StreamId(b, 0), reverse: true));
            Assert.Equal(model.Count, s.Length);
        }
    }

    [Fact]
    public void The_rax_node_count_follows_the_master_ids()
    {
        Assert.Equal(1, new RedisStream().RadixTreeNodes);
        var s = new RedisStream();
        s.Append(new StreamId(1, 1), Args("a", "1"), 0, 4096, 1);
        Assert.Equal(2, s.RadixTreeNodes); // compressed 16 bytes, leaf
        s.Append(new StreamId(1, 2), Args("a", "1"), 0, 4096, 1);
        Assert.Equal(4, s.RadixTreeNodes); // compressed 15 bytes, branch, two leaves
        s.Append(new StreamId(2, 0), Args("a", "1"), 0, 4096, 1);
        // compressed 7 bytes, branch at the ms's last byte; under 1: compressed 7, branch, 2 leaves; under 2: compressed 8, leaf
        Assert.Equal(8, s.RadixTreeNodes);
        Assert.Equal(3, s.RadixTreeKeys);
    }

    [Fact]
    public void Listpack_elements_round_trip_and_walk_backwards()
    {
        var lp = StreamListpack.New(8);
        long[] ints = [0, 127, 128, -1, -4096, 4095, 4096, -4097, 32767, -32768, 32768, 8388607, -8388608, 8388608,
            int.MaxValue, int.MinValue, (long)int.MaxValue + 1, long.MaxValue, long.MinValue];
        foreach (var v in ints) StreamListpack.AppendInteger(ref lp, v);
        string[] strings = ["", "a", new string('b', 63), new string('c', 64), new string('d', 4095), new string('e', 4096), new string('f', 20000), "-0", "01", "12a"];
        foreach (var t in strings) StreamListpack.Append(ref lp, Encoding.ASCII.GetBytes(t));
        var forward = new List<int>();
        for (var p = StreamListpack.First; !StreamListpack.IsEnd(lp, p); p = StreamListpack.Next(lp, p)) forward.Add(p);
        Assert.Equal(ints.Length + strings.Length, forward.Count);
        for (var i = 0; i < ints.Length; i++) Assert.Equal(ints[i], StreamListpack.GetInteger(lp, forward[i]));
        for (var i = 0; i < strings.Length; i++)
            Assert.Equal(strings[i], Encoding.ASCII.GetString(StreamListpack.Text(lp, forward[ints.Length + i])));
        var backward = new List<int>();
        for (var p = StreamListpack.Bytes(lp) - 1; p > StreamListpack.First;) backward.Add(p = StreamListpack.Prev(lp, p));
        backward.Reverse();
        Assert.Equal(forward, backward);
        Assert.Equal(forward.Count, StreamListpack.HeaderCount(lp));
        // Replacing an integer with one of another size moves what follows.
        StreamListpack.ReplaceInteger(ref lp, forward[0], 100000);
        Assert.Equal(100000, StreamListpack.GetInteger(lp, StreamListpack.First));
        Assert.Equal(127, StreamListpack.GetInteger(lp, StreamListpack.Next(lp, StreamListpack.First)));
    }

    [Fact]
    public void A_million_entries_are_built_and_walked_quickly()
    {
        var clock = Stopwatch.StartNew();
        var s = new RedisStream();
        var args = Args("field", "value");
        for (ulong i = 1; i <= 1_000_000; i++) s.Append(new StreamId(1_700_000_000_000 + i / 3, i % 3), args, 0, 4096, 100);
        long n = 0;
        foreach (var e in s.GetRange(StreamId.Min, StreamId.Max)) n += e.PairCount;
        long back = 0;
        foreach (var _ in s.GetRange(StreamId.Min, StreamId.Max, reverse: true)) back++;
        Assert.Equal(1_000_000, n);
        Assert.Equal(1_000_000, back);
        Assert.Equal(10_000, s.NodeCount);
        long bytes = 0;
        foreach (var (b, _) in s.Nodes()) bytes += b;
        Assert.True(bytes < 16_000_000, $"{bytes} bytes of listpacks"); // about 12 bytes an entry, as in Redis
        // About a second alone; the bound is loose because the suite runs tests in parallel on shared cores, and
        // only has to catch a walk that went quadratic (hours for a million entries).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"took {clock.Elapsed}");
    }
}
