using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Dispatch;
using AkkaRedis.Net.Streams;

namespace AkkaRedis.Tests.Unit;

/// <summary>
/// A connection woken by another one running on a socket thread through <see cref="SocketThreadExecutor.AfterRound"/> runs
/// on that thread after the epoll round (<see cref="LoopTail"/>), not nested in the first nor on a pool thread. Checked in
/// a child process: the socket engine reads its settings (inline completions, one engine) once per process, and the
/// server sets them at start.
/// </summary>
public sealed class LoopTailTests
{
    [Fact]
    public void Work_scheduled_during_a_socket_completion_runs_after_it_on_the_same_socket_thread()
    {
        var assembly = typeof(LoopTailTests).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("loop-tail-probe");
        start.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1";
        start.Environment["DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT"] = "1";
        using var probe = Process.Start(start)!;
        var output = probe.StandardOutput.ReadToEndAsync();
        var errors = probe.StandardError.ReadToEndAsync();
        Assert.True(probe.WaitForExit(60_000), "the probe did not finish within 60 s");
        Assert.True(probe.ExitCode == 0, $"probe exit {probe.ExitCode}: {output.Result}{errors.Result}");
        Assert.Contains("deferred ran after the completion, on its thread", output.Result);
    }

    /// <summary>Records where and when it ran; may schedule another runnable on the executor while it runs.</summary>
    private sealed class Recorder(SocketThreadExecutor executor, Recorder? next = null) : IRunnable
    {
        public int Thread = -1;
        public bool NextRanInside;
        public readonly ManualResetEventSlim Done = new();

        public void Run()
        {
            Thread = Environment.CurrentManagedThreadId;
            if (next != null)
            {
                SocketThreadExecutor.AfterRound(new WakeUp(executor, next));
                NextRanInside = next.Done.IsSet;
            }
            Done.Set();
        }

#if NET
        public void Execute() => Run();
#endif
    }

    /// <summary>A wake-up of another connection (as a subscriber's post): schedules its runnable.</summary>
    private sealed class WakeUp(SocketThreadExecutor executor, IRunnable run) : IAfterRound
    {
        public void RunAfterRound() => executor.Execute(run);
    }

    /// <summary>Runs in the child process: a socket receive completes on the engine's thread and runs a connection
    /// there, which schedules another one.</summary>
    internal static int Probe()
    {
        LoopTail.Install();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (LoopTail.Threads == 0)
        {
            if (DateTime.UtcNow > deadline) return Fail("no socket thread claimed a marker");
            Thread.Sleep(10);
        }
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();

        var executor = new SocketThreadExecutor("probe");
        var second = new Recorder(executor);
        var first = new Recorder(executor, second);
        var completionThread = -1;
        var secondRanBeforeCompletionEnded = false;
        var receive = new SocketAsyncEventArgs();
        receive.SetBuffer(new byte[16], 0, 16);
        receive.Completed += (_, _) => SocketThreadExecutor.Completing<object?>(_ =>
        {
            completionThread = Environment.CurrentManagedThreadId;
            executor.Execute(first);
            secondRanBeforeCompletionEnded = second.Done.IsSet;
        }, null);
        if (!server.ReceiveAsync(receive)) return Fail("the receive completed before anything was sent");
        client.Send([1]);
        if (!second.Done.Wait(TimeSpan.FromSeconds(20))) return Fail("the deferred run never ran");
        if (first.Thread != completionThread) return Fail($"the first ran on {first.Thread}, not the completion's thread {completionThread}");
        if (first.NextRanInside) return Fail("the second ran nested inside the first");
        if (secondRanBeforeCompletionEnded) return Fail("the second ran before the completion ended");
        if (second.Thread != completionThread) return Fail($"the second ran on {second.Thread}, not the socket thread {completionThread}");
        Console.WriteLine("deferred ran after the completion, on its thread");
        return 0;
    }

    private static int Fail(string why)
    {
        Console.WriteLine("FAILED: " + why);
        return 1;
    }
}
