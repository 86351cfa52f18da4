using Akka.Actor;
using Akka.Dispatch;
using Akka.TestKit.Xunit2;
using AkkaRedis.Net.Streams;
using Xunit;

namespace AkkaRedis.Tests.Unit;

/// <summary>Connections' actors run on the thread whose socket operation completed for them, and nowhere else inline.</summary>
public sealed class SocketThreadExecutorTests() : TestKit(ConnectionDispatcherConfig.Hocon)
{
    /// <summary>Records the thread it ran on; may schedule another runnable on the executor while it runs.</summary>
    private sealed class Probe(SocketThreadExecutor executor, Probe? nested = null) : IRunnable
    {
        public int Thread = -1;
        public readonly ManualResetEventSlim Done = new();

        public void Run()
        {
            Thread = Environment.CurrentManagedThreadId;
            if (nested != null) executor.Execute(nested);
            Done.Set();
        }

#if NET
        public void Execute() => Run();
#endif
    }

    [Fact]
    public void Outside_a_socket_completion_work_goes_to_the_thread_pool()
    {
        var executor = new SocketThreadExecutor("t");
        var probe = new Probe(executor);
        executor.Execute(probe);
        Assert.True(probe.Done.Wait(TimeSpan.FromSeconds(10)));
        Assert.NotEqual(Environment.CurrentManagedThreadId, probe.Thread);
    }

    [Fact]
    public void In_a_socket_completion_it_runs_at_once_on_that_thread_and_nested_work_is_queued()
    {
        var executor = new SocketThreadExecutor("t");
        var nested = new Probe(executor);
        var probe = new Probe(executor, nested);
        var caller = -1;
        SocketThreadExecutor.Completing<object?>(_ =>
        {
            caller = Environment.CurrentManagedThreadId;
            executor.Execute(probe);
            Assert.True(probe.Done.IsSet); // ran before Execute returned
        }, null);
        Assert.Equal(caller, probe.Thread);
        Assert.True(nested.Done.Wait(TimeSpan.FromSeconds(10)));
        Assert.NotEqual(caller, nested.Thread); // not on the stack of the first
    }

    private sealed class ThreadReporter : ReceiveActor
    {
        public ThreadReporter() => ReceiveAny(_ => Sender.Tell(Environment.CurrentManagedThreadId));
    }

    [Fact]
    public void An_actor_on_the_connection_dispatcher_runs_in_the_completion_that_tells_it()
    {
        var actor = Sys.ActorOf(Props.Create(() => new ThreadReporter()).WithDispatcher(SocketThreadExecutor.Id));
        actor.Tell("warm-up", TestActor);
        ExpectMsg<int>();
        var caller = -1;
        SocketThreadExecutor.Completing<object?>(_ =>
        {
            caller = Environment.CurrentManagedThreadId;
            actor.Tell("which thread?", TestActor);
        }, null);
        Assert.Equal(caller, ExpectMsg<int>());
        // Told from anywhere else, it runs on a pool thread.
        actor.Tell("and now?", TestActor);
        Assert.NotEqual(Environment.CurrentManagedThreadId, ExpectMsg<int>());
    }
}
