using System.Text;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

public sealed class ListpackTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static List<string> All(byte[] lp)
    {
        var result = new List<string>();
        foreach (var e in Listpack.Entries(lp)) result.Add(Encoding.UTF8.GetString(e));
        return result;
    }

    [Fact]
    public void Inserts_removes_and_replaces_keep_order_and_count()
    {
        var lp = Listpack.Create();
        Assert.Equal(0, Listpack.Count(lp));
        lp = Listpack.Insert(lp, Listpack.End(lp), B("f1"), B("v1"), pair: true);
        lp = Listpack.Insert(lp, Listpack.End(lp), B("f2"), B(new string('x', 200)), pair: true);
        lp = Listpack.Insert(lp, Listpack.First, B(""));
        Assert.Equal(5, Listpack.Count(lp));
        Assert.Equal(["", "f1", "v1", "f2", new string('x', 200)], All(lp));

        lp = Listpack.Remove(lp, Listpack.First);
        var f2 = Listpack.Find(lp, B("f2"), stride: 2);
        Assert.Equal(Listpack.Seek(lp, 2), f2);
        var value = Listpack.Next(lp, f2);
        lp = Listpack.Replace(lp, value, B("short"));
        Assert.Equal(["f1", "v1", "f2", "short"], All(lp));
        lp = Listpack.Remove(lp, Listpack.Seek(lp, 0), entries: 2);
        Assert.Equal(["f2", "short"], All(lp));
        Assert.Equal(2, Listpack.Count(lp));
    }

    [Fact]
    public void Find_with_stride_two_only_matches_fields()
    {
        var lp = Listpack.From([B("a"), B("b"), B("b"), B("c")]);
        Assert.Equal(Listpack.Seek(lp, 2), Listpack.Find(lp, B("b"), stride: 2));
        Assert.Equal(Listpack.Seek(lp, 1), Listpack.Find(lp, B("b")));
        Assert.Equal(-1, Listpack.Find(lp, B("c"), stride: 2));
        Assert.Equal(-1, Listpack.Find(Listpack.Create(), B("a")));
    }

    [Fact]
    public void Replace_with_equal_bytes_keeps_the_array()
    {
        var lp = Listpack.From([B("a"), B("b")]);
        Assert.Same(lp, Listpack.Replace(lp, Listpack.First, B("a")));
        Assert.NotSame(lp, Listpack.Replace(lp, Listpack.First, B("z")));
    }

    [Fact]
    public void Small_entries_cost_one_length_byte()
    {
        var lp = Listpack.From([B("field1"), B("value1")]);
        Assert.Equal(4 + 7 + 7, lp.Length);
        Assert.Equal(2 + 128, Listpack.EncodedSize(128));
    }
}
