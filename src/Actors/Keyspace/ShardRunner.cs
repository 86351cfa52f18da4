using System.Diagnostics;
using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Tracing;

namespace AkkaRedis.Actors.Keyspace;

/// <summary>
/// Runs batches of commands against one shard's data: for the shard's actor, and, when the shard is idle, inline on
/// the thread of the session that sent them (no mailbox, no thread hand-off: a request at pipeline 1 otherwise
/// crosses three threads, and the switches cost more than the command). A gate makes the two exclusive: the actor
/// takes it for each message (and keeps it while the Transaction actor holds the shard), a session only when the
/// gate is free and the actor has nothing waiting, so inline work never overtakes queued work (Dragonfly runs a
/// single-shard command inline on its connection fiber in the same spirit).
/// </summary>
public sealed class ShardRunner
{
    private readonly CommandServices _server;
    private int _gate; // 0: free; 1: taken by the actor or by one session
    private MessageQueues? _queue;

    public ShardRunner(CommandServices server, ShardData data, ShardData[] everyShard)
    {
        _server = server;
        Data = data;
        Context = new ExecContext(server, KeyspaceView.ForShard(data, everyShard.Length, everyShard), server.Stats.NewCell());
    }

    public ShardData Data { get; }
    public ExecContext Context { get; }

    /// <summary>The actor's path, as traces name the shard.</summary>
    public string Path { get; private set; } = "";

    /// <summary>Binds the runner to the shard's actor (whose mailbox a session checks before running inline).</summary>
    internal void Bind(IActorRef actor)
    {
        Path = actor.Path.ToString();
        _queue = new MessageQueues(actor);
    }

    /// <summary>Takes the gate if it is free and the actor has no message waiting; the caller must <see cref="Exit"/>.</summary>
    public bool TryEnterInline() =>
        Volatile.Read(ref _gate) == 0 && _queue is { IsEmpty: true } && Interlocked.CompareExchange(ref _gate, 1, 0) == 0;

    /// <summary>The actor takes the gate, waiting for an inline batch to finish (microseconds; never a sleep).</summary>
    internal void Enter()
    {
        if (Interlocked.CompareExchange(ref _gate, 1, 0) == 0) return;
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _gate, 1, 0) != 0) spin.SpinOnce(sleep1Threshold: -1);
    }

    public void Exit() => Volatile.Write(ref _gate, 0);

    /// <summary>Runs every command of the batch's current segment, writing replies into its writer, then publishes
    /// the batch's write effects. Call with the gate taken.</summary>
    public void Execute(ShardBatch batch)
    {
        Context.Effects.Enabled = _server.Effects.Active;
        try
        {
            ExecuteCommands(batch);
        }
        finally
        {
            // Before the replies go back: a client that reads its reply and then subscribes sees nothing older.
            _server.Effects.Publish(Data.Index, Context.Effects);
        }
    }

    private void ExecuteCommands(ShardBatch batch)
    {
        var writer = batch.Writer;
        Data.BatchesProcessed++;
        Data.CommandsProcessed += batch.Commands.Count - batch.SegmentStart;
        var traced = batch.Traces is { Count: > 0 };
        var received = traced ? Stopwatch.GetTimestamp() : 0;
        for (var i = batch.SegmentStart; i < batch.Commands.Count; i++)
        {
            batch.Starts.Add(writer.Length);
            var trace = traced ? batch.TraceAt(i) : null;
            if (trace == null)
            {
                CommandRunner.Run(Context, batch.Defs[i], batch.Commands[i], writer, batch.Db, batch.Client);
                continue;
            }
            var start = Stopwatch.GetTimestamp();
            _server.Tracer.Hop(trace, Hops.ShardReceive, Path, nameof(ShardBatch), start, CommandTrace.Micros(received - trace.SentTimestamp));
            CommandRunner.Run(Context, batch.Defs[i], batch.Commands[i], writer, batch.Db, batch.Client);
            var end = Stopwatch.GetTimestamp();
            _server.Tracer.Hop(trace, Hops.ShardExecute, Path, nameof(ShardBatch), end, CommandTrace.Micros(end - start));
            CommandTracer.ChildSpan(trace, Hops.ShardExecute, Path, start, end);
        }
        batch.End = writer.Length;
    }

    /// <summary>The actor's mailbox queue, read racily: "empty" only needs to be right when nothing is being sent.</summary>
    private sealed class MessageQueues(IActorRef actor)
    {
        private Akka.Dispatch.MessageQueues.IMessageQueue? _queue;

        public bool IsEmpty
        {
            get
            {
                _queue ??= actor is ActorRefWithCell { Underlying: ActorCell cell } ? cell.Mailbox.MessageQueue : null;
                return _queue == null || !_queue.HasMessages;
            }
        }
    }
}
