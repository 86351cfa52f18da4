using System.Buffers;
using System.Text;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaRedis.Actors.Session;
using AkkaRedis.Net.Resp;
using AkkaRedis.Net.Streams;
using Xunit;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.Actors;

/// <summary>Tests that measure the whole process's allocations run alone, after every parallel test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}

/// <summary>
/// Issue 8's allocation test: a pipelined batch of 1,000 GET/SET commands goes through the real framing stage
/// (parser), session stage (dispatch, reply order, output segments), the shard actors (execution) and their reply
/// writers (encoding), and the bytes allocated per command are pinned. Shards run on other threads, so the count
/// is the process's (<see cref="GC.GetTotalAllocatedBytes"/>, precise), with this test running alone.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class AllocationTests : KeyspaceTestBase
{
    /// <summary>The bound: allocations per command, averaged over the batches. What is allocated per batch (the
    /// messages to the shards and back, the offer to the stream) is a few hundred bytes over 1,000 commands;
    /// any allocation per command (a boxed value, a closure, a copied argument, a string) is at least 24 bytes.</summary>
    private const double MaxBytesPerCommand = 16;

    private const int CommandsPerBatch = 1000;
    private const int Keys = 100;

    private readonly ITestOutputHelper _output;

    public AllocationTests(ITestOutputHelper output) : base(4) => _output = output;

    /// <summary>SET over existing keys with values of their length (storage rewrites them in place) and GETs of
    /// them, alternating, as redis-benchmark's -P pipelines send them.</summary>
    private static byte[] Batch(int round)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < CommandsPerBatch; i++)
        {
            var key = "key:" + (i * 7 + round) % Keys;
            if (i % 2 == 0)
            {
                var value = "value-" + (round % 10) + new string('x', 9);
                sb.Append($"*3\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n${value.Length}\r\n{value}\r\n");
            }
            else sb.Append($"*2\r\n$3\r\nGET\r\n${key.Length}\r\n{key}\r\n");
        }
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    [Fact]
    public async Task A_pipelined_batch_of_GET_and_SET_allocates_at_most_a_few_bytes_per_command()
    {
        var limits = new RespLimits();
        var replies = 0L;
        var expected = 0L;
        TaskCompletionSource? done = null;
        var queue = Source.Queue<ReceivedChunk>(4, OverflowStrategy.Backpressure)
            .Via(Flow.FromGraph(new FramingStage(limits)))
            .Via(Flow.FromGraph(new SessionStage(Server, "127.0.0.1:50000", "127.0.0.1:6379", limits)))
            .To(Sink.ForEach<OutgoingBytes>(bytes =>
            {
                // Counts replies ('+', '$' lines) without copying: every reply here starts a segment or follows one.
                foreach (var segment in bytes.Segments)
                    foreach (var b in segment.AsSpan())
                        if (b is (byte)'+' or (byte)'$') replies++;
                if (replies >= expected) done!.TrySetResult();
            }))
            .Run(Sys.Materializer());

        async Task RunBatch(byte[] request)
        {
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            expected += CommandsPerBatch;
            // As the socket stage hands them over: received bytes in a buffer rented from the shared pool.
            var buffer = ArrayPool<byte>.Shared.Rent(request.Length);
            request.CopyTo(buffer, 0);
            await queue.OfferAsync(new ReceivedChunk { Buffer = buffer, Count = request.Length });
            await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // The values contain no '+' or '$', so counting those bytes counts replies. Warm-up: keys created (their
        // arrays are the only storage allocations), code jitted and tiered up, pools and writers at their sizes.
        var batches = Enumerable.Range(0, 10).Select(Batch).ToArray();
        for (var round = 0; round < 60; round++) await RunBatch(batches[round % batches.Length]);

        const int measured = 20;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var round = 0; round < measured; round++) await RunBatch(batches[round % batches.Length]);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        queue.Complete();

        var perCommand = (double)allocated / (measured * CommandsPerBatch);
        _output.WriteLine($"{allocated:N0} bytes over {measured} batches of {CommandsPerBatch} commands: {perCommand:F2} bytes per command");
        Assert.True(perCommand <= MaxBytesPerCommand,
            $"{perCommand:F1} bytes allocated per pipelined GET/SET (at most {MaxBytesPerCommand})");
    }
}
