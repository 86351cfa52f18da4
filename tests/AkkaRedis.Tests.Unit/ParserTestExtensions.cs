using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit;

/// <summary>Tests read parsed requests as copied arrays: the parser's own output is slices of pooled memory.</summary>
internal static class ParserTestExtensions
{
    public static bool Feed(this RespParser parser, ReadOnlySpan<byte> data, List<byte[][]> output)
    {
        var batch = new CommandBatch();
        var ok = parser.Feed(data, batch);
        output.AddRange(batch.ToArrays());
        batch.Clear();
        return ok;
    }
}
