using AkkaRedis.Actors.Persistence;

namespace AkkaRedis.Tests.Unit.Persistence;

/// <summary>The manifest as Redis 7.0 writes and reads it (aof.c: getAofManifestAsString, aofLoadManifestFromFile).</summary>
public sealed class AofManifestTests
{
    [Fact]
    public void Formats_base_history_then_incr_lines_as_redis()
    {
        var m = new AofManifest();
        m.NewBase("appendonly.aof", rdb: true);
        m.NewIncr("appendonly.aof");
        m.NewBase("appendonly.aof", rdb: false); // the first base becomes history
        m.NewIncr("appendonly.aof");
        Assert.Equal(
            "file appendonly.aof.2.base.aof seq 2 type b\n" +
            "file appendonly.aof.1.base.rdb seq 1 type h\n" +
            "file appendonly.aof.1.incr.aof seq 1 type i\n" +
            "file appendonly.aof.2.incr.aof seq 2 type i\n", m.Format());
        m.MarkRewrittenIncrAsHistory(keepLast: true);
        Assert.Equal(["appendonly.aof.2.incr.aof"], m.Incr.Select(i => i.Name));
        Assert.Equal(2, m.History.Count);
    }

    [Fact]
    public void Quotes_names_that_need_it_as_sdscatrepr_and_reads_them_back()
    {
        var m = new AofManifest { Base = new AofFileInfo("my file\t\"x\"\u0001.rdb", 1, AofFileType.Base), BaseSeq = 1 };
        var text = m.Format();
        Assert.Equal("file \"my file\\t\\\"x\\\"\\x01.rdb\" seq 1 type b\n", text);
        var back = AofManifest.Parse(text);
        Assert.Equal(m.Base.Name, back.Base!.Name);
        // A plain name is written as it is.
        Assert.False(AofManifest.NeedsRepr("appendonly.aof.1.incr.aof"));
    }

    [Fact]
    public void Parses_what_redis_writes_with_comments_any_key_order_and_extra_keys()
    {
        var m = AofManifest.Parse(
            "# a comment\n" +
            "file appendonly.aof.3.base.rdb seq 3 type b\n" +
            "seq 7 type i file 'appendonly.aof.7.incr.aof'\n" +
            "file appendonly.aof.8.incr.aof seq 8 type i future-key value\n");
        Assert.Equal("appendonly.aof.3.base.rdb", m.Base!.Name);
        Assert.Equal(3, m.BaseSeq);
        Assert.Equal([7L, 8L], m.Incr.Select(i => i.Seq));
        Assert.Equal(8, m.IncrSeq);
        Assert.Equal("appendonly.aof.9.incr.aof", m.NewIncr("appendonly.aof").Name);
    }

    [Theory]
    [InlineData("", "Found an empty AOF manifest")]
    [InlineData("\n", "Invalid AOF manifest file format")]
    [InlineData("file a seq 1\n", "Invalid AOF manifest file format")]
    [InlineData("file a seq 1 type b", "The AOF manifest file contains too long line")]
    [InlineData("file \"a seq 1 type b\n", "Invalid AOF manifest file format")]
    [InlineData("file a seq 0 type b\n", "Invalid AOF manifest file format")]
    [InlineData("file dir/a seq 1 type b\n", "File can't be a path, just a filename")]
    [InlineData("file a seq 1 type b\nfile b seq 2 type b\n", "Found duplicate base file information")]
    [InlineData("file a seq 2 type i\nfile b seq 2 type i\n", "Found a non-monotonic sequence number")]
    [InlineData("file a seq 1 type x\n", "Unknown AOF file type")]
    public void Rejects_bad_manifests_with_redis_messages(string text, string message)
    {
        var e = Assert.Throws<AofManifestException>(() => AofManifest.Parse(text));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Splits_arguments_as_sdssplitargs()
    {
        Assert.Equal(["a", "b c", "d'e", "\n\u00ff"], AofManifest.SplitArgs("a \"b c\" 'd\\'e' \"\\n\\xff\""));
        Assert.Null(AofManifest.SplitArgs("\"unterminated"));
        Assert.Null(AofManifest.SplitArgs("\"closing\"quote"));
    }
}
