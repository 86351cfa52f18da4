using System.Text;
using AkkaRedis.Actors.Persistence;

namespace AkkaRedis.Tests.Unit.Persistence;

/// <summary>AOF commands read as loadSingleAppendOnlyFile reads them, and a file cut at every offset.</summary>
public sealed class AofReaderTests
{
    private static readonly byte[] File = Encoding.ASCII.GetBytes(
        "#TS:1700000000\r\n" +
        "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n" +
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv\r\nxx\r\n" +
        "*1\r\n$5\r\nMULTI\r\n" +
        "*2\r\n$4\r\nINCR\r\n$0\r\n\r\n" +
        "*1\r\n$4\r\nEXEC\r\n");

    /// <summary>The end offset of each whole command in <see cref="File"/>.</summary>
    private static List<long> CommandEnds()
    {
        var reader = new AofReader(new MemoryStream(File));
        var args = new List<byte[]>();
        var ends = new List<long>();
        while (reader.Next(args) == AofReadStatus.Command) ends.Add(reader.Position);
        return ends;
    }

    [Fact]
    public void Reads_every_command_skipping_annotations()
    {
        var reader = new AofReader(new MemoryStream(File));
        var args = new List<byte[]>();
        var commands = new List<string>();
        AofReadStatus status;
        while ((status = reader.Next(args)) == AofReadStatus.Command)
            commands.Add(string.Join(" ", args.Select(a => Encoding.ASCII.GetString(a))));
        Assert.Equal(AofReadStatus.End, status);
        Assert.Equal(["SELECT 0", "SET k v\r\nxx", "MULTI", "INCR ", "EXEC"], commands);
        Assert.Equal(File.Length, reader.Position);
    }

    [Fact]
    public void A_file_cut_at_any_offset_reads_the_whole_commands_before_the_cut_then_a_short_read()
    {
        var ends = CommandEnds();
        for (var cut = 0; cut <= File.Length; cut++)
        {
            var reader = new AofReader(new MemoryStream(File, 0, cut));
            var args = new List<byte[]>();
            var read = 0;
            long validUpTo = 0;
            AofReadStatus status;
            while ((status = reader.Next(args)) == AofReadStatus.Command)
            {
                read++;
                validUpTo = reader.Position;
            }
            var whole = ends.Count(e => e <= cut);
            Assert.True(whole == read, $"cut at {cut}: {read} commands read, {whole} expected");
            // Inside the annotation line: fgets returns what is there, a "#" line, skipped as Redis skips it.
            var atBoundary = cut <= 16 || ends.Contains(cut);
            Assert.True(atBoundary ? status == AofReadStatus.End : status == AofReadStatus.Truncated,
                $"cut at {cut}: {status}");
            Assert.Equal(whole == 0 ? 0 : ends[whole - 1], validUpTo);
        }
    }

    [Theory]
    [InlineData("SET k v\r\n")]
    [InlineData("*0\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("*1\r\nSET\r\n")]
    [InlineData("*1\r\n$-5\r\n")]
    public void Anything_else_is_a_format_error(string text)
    {
        var reader = new AofReader(new MemoryStream(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(AofReadStatus.BadFormat, reader.Next(new List<byte[]>()));
    }
}
