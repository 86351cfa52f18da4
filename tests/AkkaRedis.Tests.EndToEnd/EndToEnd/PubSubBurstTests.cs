using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// Issue 11's concurrency test (c): 1,000 subscribers on one channel each receive every message of a 100,000-message
/// PUBLISH burst, in order (raw sockets, sequence numbers checked), while a subscriber that never reads is cut off by
/// client-output-buffer-limit pubsub, and the server's RSS stays bounded. Own server process: the limit is lowered.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class PubSubBurstTests(ITestOutputHelper output)
{
    private static readonly int Subscribers = EnvInt("AKKAREDIS_BURST_SUBSCRIBERS", 1000);
    private static readonly int Messages = EnvInt("AKKAREDIS_BURST_MESSAGES", 100_000);
    private const int Chunk = 500;
    // Messages are sequence numbers written with 32 digits: 63-byte frames, 6.3 MB per subscriber, more than the
    // kernel can hold for the non-reader (a loopback send buffer grows to tcp_wmem's 4 MB) plus the hard limit.
    private const int PayloadDigits = 32;
    // The publisher stays at most this many messages ahead of the slowest reading subscriber (315 KB), below the
    // 512 KB hard limit, so a reader that is merely slow on this loaded machine is never cut off.
    private const int Window = 5_000;
    private const string HardLimit = "512kb";
    // The burst is 6.3 GB of output (100,000 frames of 63 bytes to 1,000 connections). What the server may hold
    // during it: the frames encoded once per pipelined chunk and shared by every subscriber (Window of them, ~315 KB),
    // the non-reader's queue up to its limit, mailbox envelopes, and the garbage collector's young generation and
    // slack. Holding even 3% of the burst would pass this bound.
    private const long RssMargin = 192L * 1024 * 1024;

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? v : fallback;

    [Fact]
    public async Task EverySubscriberGetsEveryMessageInOrderAndANonReaderIsCutOff()
    {
        using var server = AkkaRedisProcess.Started("--shards", "4");
        using var admin = server.Connect();
        Assert.Equal("+OK\\r\\n", admin.CallText("CONFIG", "SET", "client-output-buffer-limit", $"pubsub {HardLimit} 0 0"));

        var readers = new List<BurstReader>();
        try
        {
            for (var i = 0; i < Subscribers; i++) readers.Add(await BurstReader.Subscribe(server.Port, receiveBuffer: null));
            // Subscribed last and with a tiny receive window: what it is not sent piles up in the server.
            using var nonReader = await BurstReader.Subscribe(server.Port, receiveBuffer: 4096);
            Assert.Equal($"*2\\r\\n$1\\r\\nc\\r\\n:{Subscribers + 1}\\r\\n", admin.CallText("PUBSUB", "NUMSUB", "c"));

            var baseline = server.RssBytes();
            var peak = baseline;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, server.RssBytes());
                    await Task.Delay(50);
                }
            });
            var receiving = readers.Select(r => r.Run(Messages)).ToArray();
            var watch = Stopwatch.StartNew();
            await Publish(server.Port, readers, watch);
            var all = Task.WhenAll(receiving);
            var finished = await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60)));
            sampling.Cancel();
            await sampler;
            var slowest = readers.Min(r => r.Received);
            Assert.True(finished == all, $"after 60 s the slowest subscriber had {slowest} of {Messages} messages\n{server.Describe()}");
            await all; // surfaces an out-of-order or malformed message
            output.WriteLine($"{Subscribers} subscribers x {Messages} messages in {watch.Elapsed.TotalSeconds:F1} s; " +
                             $"RSS baseline {baseline / 1024 / 1024} MB, peak {peak / 1024 / 1024} MB");

            // The non-reader was cut off: it left the channel, and its connection ends with fewer messages than sent.
            Assert.True(Poll.Until(() => admin.CallText("PUBSUB", "NUMSUB", "c") == $"*2\\r\\n$1\\r\\nc\\r\\n:{Subscribers}\\r\\n",
                TimeSpan.FromSeconds(10)), "the non-reading subscriber was not disconnected by client-output-buffer-limit pubsub");
            var (got, closed) = await nonReader.DrainUntilClosed(TimeSpan.FromSeconds(10));
            Assert.True(closed, "the non-reading subscriber's connection was not closed");
            Assert.True(got < Messages, $"the non-reading subscriber received all {Messages} messages");
            Assert.True(peak - baseline <= RssMargin,
                $"RSS grew by {(peak - baseline) / 1024 / 1024} MB during the burst (allowed {RssMargin / 1024 / 1024} MB)");
            Assert.Contains("scheduled to be closed ASAP for overcoming of output buffer limits", server.Output);
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    /// <summary>PUBLISH c 0..Messages-1 in pipelined chunks, never more than <see cref="Window"/> ahead of the
    /// slowest reader; the replies are read as they come.</summary>
    private static async Task Publish(int port, List<BurstReader> readers, Stopwatch watch)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        var replies = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            var lines = 0;
            while (lines < Messages)
            {
                var n = await socket.ReceiveAsync(buffer);
                if (n == 0) throw new InvalidOperationException($"the publisher's connection closed after {lines} replies");
                for (var i = 0; i < n; i++)
                {
                    if (buffer[i] == '-') throw new InvalidOperationException("PUBLISH answered an error");
                    if (buffer[i] == '\n') lines++;
                }
            }
        });
        var request = new StringBuilder();
        for (var sent = 0; sent < Messages;)
        {
            while (sent - readers.Min(r => r.Received) > Window)
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"subscribers stalled at {readers.Min(r => r.Received)}");
                await Task.Delay(1);
            }
            request.Clear();
            var end = Math.Min(Messages, sent + Chunk);
            for (; sent < end; sent++)
            {
                var payload = sent.ToString("D" + PayloadDigits, System.Globalization.CultureInfo.InvariantCulture);
                request.Append("*3\r\n$7\r\nPUBLISH\r\n$1\r\nc\r\n$").Append(payload.Length).Append("\r\n").Append(payload).Append("\r\n");
            }
            await socket.SendAsync(Encoding.ASCII.GetBytes(request.ToString()));
        }
        await replies;
    }

    /// <summary>A subscriber on a raw socket that parses "message c &lt;n&gt;" frames and checks n counts up from 0.</summary>
    private sealed class BurstReader : IDisposable
    {
        private static readonly byte[] Prefix = "*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$"u8.ToArray();
        private readonly Socket _socket;
        private byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;
        public volatile int Received;

        private BurstReader(Socket socket) => _socket = socket;

        public static async Task<BurstReader> Subscribe(int port, int? receiveBuffer)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            if (receiveBuffer is { } size) socket.ReceiveBufferSize = size;
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            var reader = new BurstReader(socket);
            await socket.SendAsync("*2\r\n$9\r\nSUBSCRIBE\r\n$1\r\nc\r\n"u8.ToArray());
            var expected = "*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n"u8.ToArray();
            while (reader._end < expected.Length)
            {
                var n = await socket.ReceiveAsync(reader._buffer.AsMemory(reader._end));
                if (n == 0) throw new InvalidOperationException("closed while subscribing");
                reader._end += n;
            }
            Assert.Equal(Encoding.ASCII.GetString(expected), Encoding.ASCII.GetString(reader._buffer, 0, expected.Length));
            reader._start = expected.Length;
            return reader;
        }

        public async Task Run(int messages)
        {
            while (Received < messages)
            {
                Parse();
                if (Received >= messages) break;
                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
                var n = await _socket.ReceiveAsync(_buffer.AsMemory(_end));
                if (n == 0) throw new InvalidOperationException($"a subscriber's connection closed after {Received} messages");
                _end += n;
            }
            if (_end > _start) throw new InvalidOperationException($"a subscriber got {_end - _start} bytes after the last message");
        }

        private void Parse()
        {
            while (true)
            {
                var span = _buffer.AsSpan(_start, _end - _start);
                if (span.Length < Prefix.Length + 3) return;
                if (!span[..Prefix.Length].SequenceEqual(Prefix))
                    throw new InvalidOperationException($"unexpected frame after {Received} messages: {Resp.Escape(span[..Math.Min(60, span.Length)].ToArray())}");
                var at = Prefix.Length;
                var length = 0;
                while (at < span.Length && span[at] != '\r') length = length * 10 + (span[at++] - '0');
                var frame = at + 2 + length + 2;
                if (span.Length < frame) return;
                var value = 0;
                foreach (var b in span.Slice(at + 2, length)) value = value * 10 + (b - '0');
                if (value != Received) throw new InvalidOperationException($"message {value} arrived where {Received} was expected");
                Received++;
                _start += frame;
            }
        }

        /// <summary>Reads (and counts) whatever comes until the server closes the connection.</summary>
        public async Task<(int Messages, bool Closed)> DrainUntilClosed(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                while (true)
                {
                    Parse();
                    if (_start > 0)
                    {
                        Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                        _end -= _start;
                        _start = 0;
                    }
                    if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
                    var n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cts.Token);
                    if (n == 0) return (Received, true);
                    _end += n;
                }
            }
            catch (SocketException)
            {
                return (Received, true); // reset by the server: closed with output unsent
            }
            catch (OperationCanceledException)
            {
                return (Received, false);
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
