using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Tracing;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Session;

public sealed partial class SessionStage
{
    /// <summary>
    /// The session's part of transactions (multi.c): the MULTI queue, EXEC, WATCH state.
    /// <para>
    /// EXEC runs its queue in one of two ways, both atomic (no client sees part of it: every shard it touches is
    /// held from the first command to the last, and its effects are published before they are released):
    /// a queue of keyspace commands whose keys (and the watched keys) all live on one shard goes to that shard as one
    /// <see cref="ExecRequest"/> (one hop, as a single command: the benchmarked case); anything else (keys on several
    /// shards, whole-keyspace commands, connection commands such as SELECT that change how the later commands run) is
    /// run here, by the session, against the view the Transaction actor hands over once it holds every shard the queue
    /// needs (<see cref="TransactionRequest.HandOver"/>). The session rather than the actor runs it because only the
    /// session can run connection commands, in their place in the queue; it releases the shards in the same turn, and a
    /// connection that closes while waiting for them tells the actor, which releases them as soon as they are held.
    /// </para>
    /// </summary>
    private sealed partial class Logic
    {
        private ExecRequest? _execRequest;
        private TransactionRequest? _execHandOver;
        /// <summary>The single-shard EXEC writer holds replies of this received batch (reset at the first use in it).</summary>
        private bool _execUsed;
        /// <summary>A hand-over request is with the Transaction actor: its ShardsHeld has not come back yet.</summary>
        private bool _execWaiting;
        /// <summary>A single-shard EXEC is at its shard, reading the queue and the watch list.</summary>
        private bool _execInFlight;
        private long _execStarted;
        private CommandDef? _execDef;
        private CommandArgs _execArgs;

        /// <summary>In MULTI: queue the command (+QUEUED) or flag the transaction; None outside MULTI and for
        /// EXEC/DISCARD/MULTI/WATCH/QUIT/RESET.</summary>
        private Intercept InterceptMulti(CommandDef def, CommandArgs args)
        {
            if (_client.MultiQueued < 0)
            {
                // The keys join the connection's watch before WATCH is routed to their shards (which register them).
                if (def.Name == "watch")
                    for (var i = 1; i < args.Length; i++) _client.Transaction.AddWatch(_client, _client.Db, args[i]);
                return Intercept.None;
            }
            switch (def.Name)
            {
                // processCommand runs these at once even in MULTI.
                case "exec" or "discard" or "multi" or "quit" or "reset":
                    return Intercept.None;
                case "watch":
                    // watchCommand's own error: not a rejection, the transaction stays good.
                    _client.LastCommand = def.Name;
                    LocalReply().Error(TransactionCommands.WatchInsideMulti);
                    EndLocalReply();
                    return Intercept.Done;
            }
            _client.LastCommand = def.Name;
            if ((def.Flags & CommandFlags.NoMulti) != 0)
            {
                Stats.Rejected(def);
                RejectLocal(TransactionCommands.NotAllowed);
                return Intercept.Done;
            }
            _client.Transaction.Queue.Add(def, args);
            _client.MultiQueued++;
            LocalReply().SimpleString("QUEUED"u8);
            EndLocalReply();
            return Intercept.Done;
        }

        private RespWriter LocalReply()
        {
            ref var slot = ref _slots[_cursor];
            slot.Writer = _local;
            slot.Start = _local.Length;
            _local.Protocol = _client.Protocol;
            return _local;
        }

        private void EndLocalReply() => _slots[_cursor].End = _local.Length;

        /// <summary>EXEC (a barrier: everything before it has been answered) of a transaction that was not flagged.</summary>
        private Intercept InterceptExec(CommandDef def, CommandArgs args, CommandTrace? trace)
        {
            if (_client.MultiQueued < 0 || def.Name != "exec" || _client.Transaction.Flagged) return Intercept.None;
            if (trace != null) CommandTracer.End(trace);
            _execStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            _execDef = def;
            _execArgs = args;
            var shard = PlanExec(out var needsShards);
            if (shard >= 0) return SendSingleShardExec(shard) ? Intercept.Sent : Intercept.Done;
            if (!needsShards)
            {
                // Connection commands only (and nothing watched): nothing to hold.
                LocalReply();
                RunExecQueue(null);
                EndLocalReply();
                FinishExec(def);
                return Intercept.Done;
            }
            if (RanExecAcrossShardsInline(def)) return Intercept.Done;
            var request = _execHandOver ??= new TransactionRequest { HandOver = true };
            request.Def = def;
            request.Args = args;
            request.Db = _client.Db;
            request.Client = _client.Label;
            _execWaiting = true;
            _outstanding++;
            _server.Keyspace.Transactions.Tell(request, _self);
            return Intercept.Sent;
        }

        /// <summary>
        /// An EXEC whose keys span some shards (not every one: no script, no whole-keyspace command, no DEBUG in it) runs
        /// here when all of them are free, holding their gates (Keyspace.CrossShardRun), under the same conditions as a
        /// single-shard batch runs inline: what <see cref="RunHeldExec"/> does once the Transaction actor hands the
        /// shards over, without the messages.
        /// </summary>
        private bool RanExecAcrossShardsInline(CommandDef exec)
        {
            var shards = _execHandOver!.Shards;
            if (shards.Count == 0 || !MayRunInlineNow(shards)) return false;
            foreach (var def in _client.Transaction.Queue.Defs)
                if (def.HoldsShards) return false;
            var run = CrossShardRun.ForCurrentThread(_server.Services, _server.Keyspace.ShardData);
            if (!run.TryHold(shards, wait: false, static (ctx, self) =>
                {
                    self.LocalReply();
                    self.RunExecQueue(ctx);
                    self.EndLocalReply();
                }, this))
                return false;
            FinishExec(exec);
            return true;
        }

        /// <summary>
        /// The shard that can run the whole EXEC alone, or -1: then <paramref name="needsShards"/> says whether the
        /// session must run it with shards held (the hand-over request's Shards list them; empty = every shard).
        /// </summary>
        private int PlanExec(out bool needsShards)
        {
            var tx = _client.Transaction;
            var queue = tx.Queue;
            var shards = (_execHandOver ??= new TransactionRequest { HandOver = true }).Shards;
            shards.Clear();
            var count = _shards.Length;
            var all = false;
            var sessionRuns = false;
            for (var i = 0; i < queue.Count && !all; i++)
            {
                var def = queue.Defs[i];
                var args = queue.Args[i];
                switch (def.Execution)
                {
                    case Execution.Session:
                        sessionRuns = true;
                        break;
                    case Execution.Shard when def.Route != null:
                        AddShard(shards, def.Route(args, count));
                        break;
                    case Execution.Shard:
                        KeyIndexes.Clear();
                        def.GetKeys(args, KeyIndexes);
                        // Keys that may be anywhere (SORT's patterns) need every shard.
                        if (def.RoutingKeys != null && !def.RoutingKeys(args, KeyIndexes)) all = true;
                        // A script may reach keys it did not declare and cannot be re-run alone inside EXEC: every
                        // shard is held for an EXEC that runs one (Commands.Scripting.ScriptRun).
                        else if ((def.Acl & AclCategories.Scripting) != 0) all = true;
                        // A keyless keyspace command runs on shard 0, as outside MULTI.
                        else if (KeyIndexes.Count == 0) AddShard(shards, 0);
                        else foreach (var k in KeyIndexes) AddShard(shards, HashSlot.ShardOf(args[k], count));
                        break;
                    default:
                        // Whole-keyspace commands (FLUSHALL, SWAPDB, KEYS, DBSIZE...) hold every shard.
                        all = true;
                        break;
                }
            }
            foreach (var w in tx.Watched) AddShard(shards, HashSlot.ShardOf(w.Key, count));
            if (all)
            {
                shards.Clear();
                needsShards = true;
                return -1;
            }
            needsShards = shards.Count > 0;
            if (!sessionRuns && shards.Count == 1) return shards[0];
            shards.Sort();
            return -1;
        }

        private static void AddShard(List<int> shards, int shard)
        {
            if (!shards.Contains(shard)) shards.Add(shard);
        }

        /// <summary>Runs the EXEC in its one shard: here if the shard is free (ShardGate.TryExec, false returned: answered),
        /// else as a message to it (true: wait for it).</summary>
        private bool SendSingleShardExec(int shard)
        {
            var request = _execRequest ??= new ExecRequest();
            if (!_execUsed)
            {
                request.Writer.Reset();
                _execUsed = true;
            }
            var tx = _client.Transaction;
            request.Writer.Protocol = _client.Protocol;
            request.Queue = tx.Queue;
            request.Watcher = tx.Watcher;
            request.Watched = tx.Watched;
            request.Db = _client.Db;
            request.Client = _client.Label;
            if (MayRunInlineNow(shard) && _server.Keyspace.ShardData[shard].Gate.TryExec(request))
            {
                ExecAnswered(request, ref _slots[_cursor]);
                return false;
            }
            _execInFlight = true;
            _outstanding++;
            _shards[shard].Tell(request, _self);
            _client.QueuedAt(shard);
            return true;
        }

        /// <summary>A single-shard EXEC ran (sent, or inline): its reply goes to <paramref name="slot"/>.</summary>
        private void ExecAnswered(ExecRequest exec, ref ReplySlot slot)
        {
            slot.Writer = exec.Writer;
            slot.Start = exec.ReplyStart;
            slot.End = exec.ReplyEnd;
            if (_server.Monitors.Active)
                for (var i = 0; i < exec.Queue.Count; i++) _server.Monitors.Feed(_client, exec.Db, exec.Queue.Defs[i], exec.Queue.Args[i]);
            FinishExec(_execDef!);
        }

        /// <summary>Runs the queue into _local: keyspace commands against <paramref name="ctx"/> (the held shards),
        /// connection commands here, each in its place (SELECT changes the database of those after it).</summary>
        private void RunExecQueue(ExecContext? ctx)
        {
            var tx = _client.Transaction;
            var queue = tx.Queue;
            if (ctx == null)
            {
                _local.ArrayHeader(queue.Count);
                for (var i = 0; i < queue.Count; i++)
                {
                    InvokeSessionCommand(queue.Defs[i], queue.Args[i]);
                    if (_server.Monitors.Active) _server.Monitors.Feed(_client, _client.Db, queue.Defs[i], queue.Args[i]);
                }
                return;
            }
            if (!MultiExec.Begin(ctx, tx.Watcher, tx.Watched, _local, queue.Count, out var effectsStart)) return;
            KeyPrefetch.FirstKeys(ctx.Keyspace, _client.Db, queue.Defs, queue.Args, 0);
            try
            {
                // A keyspace command that follows another starts when that one ended (one clock read per command).
                long end = 0;
                for (var i = 0; i < queue.Count; i++)
                {
                    var def = queue.Defs[i];
                    var args = queue.Args[i];
                    switch (def.Execution)
                    {
                        case Execution.Session:
                            InvokeSessionCommand(def, args);
                            end = 0;
                            break;
                        case Execution.ScatterGather:
                            RunScatterInExec(ctx, def, args);
                            end = 0;
                            break;
                        case Execution.Actor:
                            // No dedicated actor's command can be queued today; one would need the queue to wait for it.
                            _local.Error($"ERR '{def.Name}' cannot run inside MULTI");
                            break;
                        default:
                            end = CommandRunner.Run(ctx, def, args, _local, _client.Db, _client.Label, end);
                            break;
                    }
                    if (_server.Monitors.Active) _server.Monitors.Feed(_client, _client.Db, def, args);
                }
            }
            finally
            {
                MultiExec.End(ctx, effectsStart);
                _local.Protocol = _client.Protocol;
            }
        }

        /// <summary>A scatter-gather read inside EXEC: each held shard's part, then the usual merge.</summary>
        private void RunScatterInExec(ExecContext ctx, CommandDef def, CommandArgs args)
        {
            var view = (KeyspaceView)ctx.Keyspace;
            var parts = new object?[view.PartCount];
            var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            for (var i = 0; i < parts.Length; i++)
            {
                var part = view.Shard(i)!;
                var partContext = new ExecContext(_server.Services, KeyspaceView.ForShard(part, parts.Length), ctx.Stats);
                parts[i] = CommandRunner.RunPart(partContext, def, args, _client.Db);
            }
            CommandRunner.Gather(_server.Services, Stats, def, parts, _local, t0, args, _client.Label);
        }

        /// <summary>EXEC answered: MULTI is over, the watch was removed under the hold; EXEC itself is counted.</summary>
        private void FinishExec(CommandDef exec)
        {
            // call() feeds monitors after the command: EXEC follows the commands it ran.
            if (_server.Monitors.Active) _server.Monitors.Feed(_client, _client.Db, exec, _execArgs);
            _client.Transaction.ClearQueue(_client);
            _client.Transaction.ForgetWatch(_client);
            CommandRunner.Record(_server.Services, Stats, exec, _local, _local.ErrorCount, _execStarted);
        }

        /// <summary>A command was rejected before it ran (unknown, arity, NOAUTH...): Redis's flagTransaction; a
        /// rejected EXEC itself answers execCommandAbort's error and discards the transaction.</summary>
        private void OnRejected()
        {
            var args = _frames!.Commands[_cursor];
            if (args.Length > 0 && Keywords.Is(args[0], "exec"))
            {
                ref var slot = ref _slots[_cursor];
                var error = System.Text.Encoding.Latin1.GetString(_local.Written[(slot.Start + 1)..(slot.End - 2)]);
                // rejectCommandFormat's messages have no ERR of their own (addReplyError adds it); shared errors keep
                // their code (NOAUTH).
                if (error.StartsWith("ERR ", StringComparison.Ordinal)) error = error[4..];
                _local.Truncate(slot.Start);
                _local.Error("EXECABORT Transaction discarded because of: " + error);
                slot.End = _local.Length;
                TransactionCommands.DiscardTransaction(_server, _client);
                return;
            }
            if (_client.MultiQueued >= 0) _client.Transaction.Flagged = true;
        }

        private bool OnTransactionMessage(object message)
        {
            switch (message)
            {
                case ExecRequest exec:
                    _execInFlight = false;
                    ExecAnswered(exec, ref _slots[_cursor - 1]);
                    if (--_outstanding == 0) Run();
                    return true;
                case ShardsHeld held:
                    RunHeldExec(held);
                    return true;
                default:
                    return false;
            }
        }

        private void RunHeldExec(ShardsHeld held)
        {
            _execWaiting = false;
            var ctx = held.Context;
            ref var slot = ref _slots[_cursor - 1];
            slot.Writer = _local;
            slot.Start = _local.Length;
            _local.Protocol = _client.Protocol;
            try
            {
                RunExecQueue(ctx);
                // While the shards are still held: nothing they do next can reach a replica before this block.
                _server.Effects.Publish(-1, ctx.Effects, atomic: true);
            }
            finally
            {
                _server.Keyspace.Transactions.Tell(new ReleaseShards(held.Request, held.TransactionId, ctx.HoldFor), _self);
            }
            slot.End = _local.Length;
            FinishExec(held.Request.Def);
            if (--_outstanding == 0) Run();
        }

        /// <summary>The batch's replies are sent: the single-shard EXEC writer's memory goes back to the pool.</summary>
        private void ReleaseExecMemory() => _execRequest?.Writer.Release();

        /// <summary>The connection is closing: its watches and anything it holds go.</summary>
        private void StopTransactions()
        {
            // The shard running it unwatches in that turn; the queue and the list it reads die with the connection.
            if (_execInFlight) return;
            if (_execWaiting) _server.Keyspace.Transactions.Tell(new ReleaseShards(_execHandOver!, 0), ActorRefs.NoSender);
            if (_client.MultiQueued >= 0 || _client.Label.Watch != null) TransactionCommands.DiscardTransaction(_server, _client);
        }
    }
}
