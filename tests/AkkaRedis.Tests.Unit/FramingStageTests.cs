using System.Text;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using AkkaRedis.Net.Resp;
using AkkaRedis.Net.Streams;

namespace AkkaRedis.Tests.Unit;

public class FramingStageTests : TestKit
{
    private sealed record Frame(List<string[]> Commands, string? Error, bool CloseWithoutReply, long QueryBufferBytes, RequestFrames Instance);

    private static ByteString Bs(string s) => ByteString.FromBytes(Encoding.Latin1.GetBytes(s));

    /// <summary>Copies a frame, then gives it back as the session does once its requests have run.</summary>
    private static Frame Copy(RequestFrames f)
    {
        var cmds = new List<string[]>();
        foreach (var c in f.Commands)
        {
            var a = new string[c.Length];
            for (var i = 0; i < c.Length; i++) a[i] = Encoding.Latin1.GetString(c[i]);
            cmds.Add(a);
        }
        var frame = new Frame(cmds, f.ProtocolError, f.CloseWithoutReply, f.QueryBufferBytes, f);
        f.Release();
        return frame;
    }

    private List<Frame> Run(IEnumerable<ByteString> chunks, RespLimits? limits = null)
    {
        var task = Source.From(chunks)
            .Select(b => ReceivedChunk.Of(b.ToArray()))
            .Via(Flow.FromGraph(new FramingStage(limits ?? new RespLimits())))
            .Select(Copy) // the stage reuses its RequestFrames: copy before the next pull
            .RunWith(Sink.Seq<Frame>(), Sys.Materializer());
        Assert.True(task.Wait(TimeSpan.FromSeconds(10)), "stream did not complete");
        return task.Result.ToList();
    }

    [Fact]
    public void Pushes_one_frame_per_chunk_with_all_its_commands()
    {
        var frames = Run(new[]
        {
            Bs("*1\r\n$4\r\nPING\r\nECHO a\r\n"),
            Bs("*2\r\n$3\r\nGET"),          // incomplete: no frame
            Bs("\r\n$1\r\nk\r\nPING\r\n*1\r\n$4\r\nPI"),
            Bs("NG\r\n"),
        });
        Assert.Equal(3, frames.Count);
        Assert.Equal(new[] { new[] { "PING" }, new[] { "ECHO", "a" } }, frames[0].Commands);
        Assert.Equal(new[] { new[] { "GET", "k" }, new[] { "PING" } }, frames[1].Commands);
        Assert.Equal(2, frames[1].QueryBufferBytes); // "*1" and "$4" headers consumed, "PI" pending
        Assert.Equal(new[] { new[] { "PING" } }, frames[2].Commands);
        Assert.Equal(0, frames[2].QueryBufferBytes);
        Assert.All(frames, f => Assert.Null(f.Error));
        Assert.All(frames, f => Assert.False(f.CloseWithoutReply));
    }

    [Fact]
    public void Chunks_without_commands_produce_no_frames()
    {
        var frames = Run(new[] { Bs("\r\n"), ByteString.Empty, Bs("*0\r\n"), Bs("PI"), Bs("NG") });
        Assert.Empty(frames);
    }

    [Fact]
    public void Protocol_error_pushes_final_frame_with_preceding_commands_then_completes()
    {
        var frames = Run(new[]
        {
            Bs("PING\r\n"),
            Bs("ECHO x\r\n*1\r\n$-1\r\nPING\r\n"),
            Bs("PING\r\n"), // never parsed
        });
        Assert.Equal(2, frames.Count);
        Assert.Equal(new[] { new[] { "ECHO", "x" } }, frames[1].Commands);
        Assert.Equal("ERR Protocol error: invalid bulk length", frames[1].Error);
        Assert.False(frames[1].CloseWithoutReply);
    }

    [Fact]
    public void Protocol_error_without_commands_still_pushes_a_frame()
    {
        var frames = Run(new[] { Bs("ECHO \"unbalanced\r\n") });
        var f = Assert.Single(frames);
        Assert.Empty(f.Commands);
        Assert.Equal("ERR Protocol error: unbalanced quotes in request", f.Error);
    }

    [Fact]
    public void Query_buffer_limit_closes_without_reply()
    {
        var limits = new RespLimits { QueryBufferLimit = 1000 };
        var chunks = new List<ByteString> { Bs("PING\r\n*2\r\n$4\r\nECHO\r\n$100000\r\n") };
        for (var i = 0; i < 10; i++) chunks.Add(ByteString.FromBytes(new byte[400]));
        var frames = Run(chunks, limits);
        Assert.Equal(2, frames.Count);
        Assert.Equal(new[] { new[] { "PING" } }, frames[0].Commands);
        Assert.Empty(frames[1].Commands);
        Assert.True(frames[1].CloseWithoutReply);
        Assert.Null(frames[1].Error);
        Assert.Equal(1200, frames[1].QueryBufferBytes);
    }

    [Fact]
    public void A_big_bulk_split_over_odd_sized_reads_is_parsed()
    {
        var payload = new string('z', 150_000);
        var data = "*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$150000\r\n" + payload + "\r\nECHO hi\r\n";
        var bytes = Encoding.Latin1.GetBytes(data);
        // Build a non-compact ByteString out of many odd-sized pieces.
        // Reads of odd sizes, so the big bulk and the requests around it are split anywhere.
        var reads = new List<ByteString>();
        var rnd = new Random(7);
        for (var off = 0; off < bytes.Length;)
        {
            var n = Math.Min(bytes.Length - off, rnd.Next(1, 40_000));
            reads.Add(ByteString.CopyFrom(bytes, off, n));
            off += n;
        }
        reads.Add(Bs("PING\r\n"));

        var all = Run(reads).SelectMany(f => f.Commands).ToList();
        Assert.Equal(4, all.Count);
        Assert.Equal(new[] { "PING" }, all[0]);
        Assert.Equal(new[] { "SET", "k", payload }, all[1]);
        Assert.Equal(new[] { "ECHO", "hi" }, all[2]);
        Assert.Equal(new[] { "PING" }, all[3]);
    }

    [Fact]
    public void Many_small_chunks_of_a_pipeline()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 2000; i++) sb.Append("*2\r\n$4\r\nINCR\r\n$").Append(("k" + i).Length).Append("\r\nk").Append(i).Append("\r\n");
        var bytes = Encoding.Latin1.GetBytes(sb.ToString());
        var chunks = new List<ByteString>();
        for (var off = 0; off < bytes.Length; off += 333)
            chunks.Add(ByteString.CopyFrom(bytes, off, Math.Min(333, bytes.Length - off)));

        var frames = Run(chunks);
        var all = frames.SelectMany(f => f.Commands).ToList();
        Assert.Equal(2000, all.Count);
        for (var i = 0; i < 2000; i++) Assert.Equal(new[] { "INCR", "k" + i }, all[i]);
    }

    [Fact]
    public void Upstream_failure_fails_the_stream()
    {
        var task = Source.Failed<ReceivedChunk>(new InvalidOperationException("boom"))
            .Via(Flow.FromGraph(new FramingStage(new RespLimits())))
            .Select(Copy)
            .RunWith(Sink.Seq<Frame>(), Sys.Materializer());
        var ex = Assert.ThrowsAny<Exception>(() => task.Wait(TimeSpan.FromSeconds(10)));
        Assert.Contains("boom", ex.ToString());
    }
}
