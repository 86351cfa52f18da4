using System.Text;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

/// <summary>The list's ring buffer against a plain List as the model, through wrap-around, growth and shrinking.</summary>
public sealed class RedisListTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static List<string> Contents(RedisList list)
    {
        var result = new List<string>();
        for (var i = 0; i < list.Count; i++) result.Add(Encoding.UTF8.GetString(list[i]));
        return result;
    }

    [Fact]
    public void Pushes_and_pops_at_both_ends_wrap_around_the_buffer()
    {
        var list = new RedisList();
        list.PushTail(B("b"));
        list.PushHead(B("a"));
        list.PushTail(B("c"));
        list.PushHead(B("z"));
        list.PushHead(B("y"));
        Assert.Equal(["y", "z", "a", "b", "c"], Contents(list));
        Assert.Equal("y", Encoding.UTF8.GetString(list.PopHead()));
        Assert.Equal("c", Encoding.UTF8.GetString(list.PopTail()));
        Assert.Equal(["z", "a", "b"], Contents(list));
    }

    [Fact]
    public void Insert_keeps_order_on_either_side()
    {
        var list = new RedisList();
        foreach (var s in new[] { "a", "b", "c", "d", "e" }) list.PushTail(B(s));
        list.Insert(1, B("x"));
        list.Insert(5, B("y"));
        list.Insert(0, B("h"));
        list.Insert(list.Count, B("t"));
        Assert.Equal(["h", "a", "x", "b", "c", "d", "y", "e", "t"], Contents(list));
    }

    [Theory]
    [InlineData(0, new[] { "b", "c", "b" })]
    [InlineData(2, new[] { "b", "c", "a", "b" })]
    [InlineData(-2, new[] { "a", "b", "c", "b" })]
    [InlineData(-10, new[] { "b", "c", "b" })]
    public void RemoveMatching_counts_from_the_head_or_the_tail(long limit, string[] expected)
    {
        var list = new RedisList();
        foreach (var s in new[] { "a", "b", "a", "c", "a", "b" }) list.PushTail(B(s));
        list.RemoveMatching(B("a"), limit);
        Assert.Equal(expected, Contents(list));
    }

    [Fact]
    public void Random_operations_match_a_plain_list()
    {
        var rng = new Random(42);
        var list = new RedisList();
        var model = new List<string>();
        for (var step = 0; step < 50_000; step++)
        {
            var value = rng.Next(6).ToString();
            switch (rng.Next(10))
            {
                case 0 or 1: list.PushHead(B(value)); model.Insert(0, value); break;
                case 2 or 3: list.PushTail(B(value)); model.Add(value); break;
                case 4 when model.Count > 0: Assert.Equal(model[0], Encoding.UTF8.GetString(list.PopHead())); model.RemoveAt(0); break;
                case 5 when model.Count > 0: Assert.Equal(model[^1], Encoding.UTF8.GetString(list.PopTail())); model.RemoveAt(model.Count - 1); break;
                case 6:
                    var at = rng.Next(model.Count + 1);
                    list.Insert(at, B(value));
                    model.Insert(at, value);
                    break;
                case 7:
                    var limit = rng.Next(-3, 4);
                    var expectedRemoved = RemoveFromModel(model, value, limit);
                    Assert.Equal(expectedRemoved, list.RemoveMatching(B(value), limit));
                    break;
                case 8 when model.Count > 0:
                    var head = rng.Next(Math.Min(3, model.Count) + 1);
                    list.RemoveHead(head);
                    model.RemoveRange(0, head);
                    var tail = rng.Next(Math.Min(3, model.Count) + 1);
                    list.RemoveTail(tail);
                    model.RemoveRange(model.Count - tail, tail);
                    break;
                case 9 when model.Count > 0:
                    var i = rng.Next(model.Count);
                    list[i] = B(value);
                    model[i] = value;
                    break;
            }
            Assert.Equal(model.Count, list.Count);
            if (step % 97 == 0) Assert.Equal(model, Contents(list));
        }
        Assert.Equal(model, Contents(list));
    }

    [Fact]
    public void A_deep_copy_shares_no_structure()
    {
        var list = new RedisList();
        list.PushTail(B("a"));
        list.PushTail(B("b"));
        var copy = (RedisList)list.DeepCopy();
        copy.PushTail(B("c"));
        copy[0] = B("z");
        Assert.Equal(["a", "b"], Contents(list));
        Assert.Equal(["z", "b", "c"], Contents(copy));
    }

    [Fact]
    public void A_large_list_emptied_gives_its_memory_back()
    {
        var list = new RedisList();
        for (var i = 0; i < 100_000; i++) list.PushTail(B("x"));
        Assert.True(list.Capacity >= 100_000);
        list.RemoveHead(99_990);
        Assert.Equal(10, list.Count);
        Assert.True(list.Capacity <= 64 * 2, $"capacity {list.Capacity} after trimming to 10 elements");
        for (var i = 0; i < 10; i++) list.PopTail();
        Assert.Equal(0, list.Count);
    }

    private static int RemoveFromModel(List<string> model, string value, int limit)
    {
        var max = limit == 0 ? int.MaxValue : Math.Abs(limit);
        var removed = 0;
        if (limit >= 0)
        {
            for (var i = 0; i < model.Count && removed < max;)
            {
                if (model[i] == value) { model.RemoveAt(i); removed++; }
                else i++;
            }
        }
        else
        {
            for (var i = model.Count - 1; i >= 0 && removed < max; i--)
                if (model[i] == value) { model.RemoveAt(i); removed++; }
        }
        return removed;
    }
}
