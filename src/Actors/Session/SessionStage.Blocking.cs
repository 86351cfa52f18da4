using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Tracing;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Session;

public sealed partial class SessionStage
{
    /// <summary>The session's part of blocking commands (blocked.c): the request that waits in a shard.</summary>
    private sealed partial class Logic
    {
        /// <summary>The request this connection waits on (answered requests are dropped); read by CLIENT UNBLOCK from
        /// another connection's thread through <see cref="ClientSession.Unblock"/>.</summary>
        private volatile BlockedRequest? _blocked;

        /// <summary>CLIENT UNBLOCK, posted from the connection that ran it.</summary>
        private sealed record UnblockBlocked(BlockedRequest Request, bool WithError);

        /// <summary>Whether this command, with these arguments, may block (a barrier: BLPOP, XREAD BLOCK...). XREAD and
        /// XREADGROUP block only with a BLOCK option (before STREAMS); WAIT is not a keyspace wait.</summary>
        private bool IsBlockingRequest(CommandDef def, CommandArgs args)
        {
            if ((def.Flags & CommandFlags.Blocking) == 0 || def.Handler == null) return false;
            if (def.Name is not ("xread" or "xreadgroup")) return true;
            for (var i = 1; i < args.Length - 1; i++)
            {
                if (Keywords.Is(args[i], "streams")) return false;
                if (Keywords.Is(args[i], "block")) return true;
                if (Keywords.Is(args[i], "count")) i++;
                else if (Keywords.Is(args[i], "group")) i += 2;
            }
            return false;
        }

        /// <summary>
        /// Attempts a blocking command in the shard that owns its keys, here when the shard is free (ShardGate) or else
        /// as a message to it, or sends it to the Transaction actor when its keys span shards; its reply comes as a
        /// message when served, timed out or unblocked, and nothing after it in the batch runs until then (Redis stops
        /// reading a blocked client's requests).
        /// </summary>
        private Intercept InterceptBlocking(CommandDef def, CommandArgs args, int shard, CommandTrace? trace)
        {
            if (!IsBlockingRequest(def, args)) return Intercept.None;
            // The request may outlive this batch's receive memory (its client may leave while it is parked).
            var request = new BlockedRequest(CommandArgs.Of(args.ToArrays()), def, _client.Db, _client.Label, _self, _client.Protocol)
            {
                ShardActors = _shards,
                Transactions = _server.Keyspace.Transactions,
            };
            if (shard >= 0) request.Shards = [shard];
            else
            {
                KeyIndexes.Clear();
                def.GetKeys(args, KeyIndexes);
                var shards = new List<int>();
                foreach (var k in KeyIndexes)
                {
                    var s = HashSlot.ShardOf(args[k], _shards.Length);
                    if (!shards.Contains(s)) shards.Add(s);
                }
                shards.Sort();
                request.Shards = shards.ToArray();
                // A move whose destination lives elsewhere: serving it later needs both shards held.
                request.CrossShardServe = def.Name is "blmove" or "brpoplpush";
            }
            if (trace != null) CommandTracer.End(trace);
            var inline = request.Shards.Length == 1 && MayRunInlineNow(request.Shards[0]);
            _blocked = request;
            _outstanding++;
            if (request.Shards.Length > 1) _server.Keyspace.Transactions.Tell(request, _self);
            else
            {
                var owner = request.Shards[0];
                if (!inline || !_server.Keyspace.ShardData[owner].Gate.TryAttempt(request))
                {
                    _shards[owner].Tell(request, _self);
                    _client.QueuedAt(owner);
                }
            }
            // After the send: a client that sees this one blocked (INFO, CLIENT LIST) and then writes to the key
            // reaches the shard after the request. Across shards the write could reach a shard before the Transaction
            // actor's hold: blocked once parked.
            if (request.Shards.Length > 1) _client.BlockedOnceParked(request);
            else _client.IsBlocked = true;
            _client.Unblock ??= withError =>
            {
                var waiting = _blocked;
                if (waiting == null || waiting.IsClaimed) return false;
                _client.Post(new UnblockBlocked(waiting, withError));
                return true;
            };
            if (_server.Monitors.Active) _server.Monitors.Feed(_client, _client.Db, def, args);
            return Intercept.Sent;
        }

        private bool OnBlockingMessage(object message)
        {
            switch (message)
            {
                case BlockedRequest request:
                    Answered(request);
                    return true;
                case UnblockBlocked unblock:
                    // CLIENT UNBLOCK: answered here as a timeout or -UNBLOCKED, unless it was served meanwhile.
                    if (unblock.Request != _blocked || !unblock.Request.TryClaim()) return true;
                    if (unblock.WithError) unblock.Request.AnswerUnblocked();
                    else unblock.Request.AnswerTimeout();
                    Forget(unblock.Request);
                    Answered(unblock.Request);
                    return true;
                default:
                    return false;
            }
        }

        private void Answered(BlockedRequest request)
        {
            if (request != _blocked) return;
            _blocked = null;
            _client.IsBlocked = false;
            ref var slot = ref _slots[_cursor - 1];
            slot.Writer = request.Writer;
            slot.Start = request.ReplyStart;
            slot.End = request.ReplyEnd;
            if (--_outstanding == 0) Run();
        }

        /// <summary>The shards the request waits on drop it.</summary>
        private void Forget(BlockedRequest request)
        {
            foreach (var shard in request.Shards) _shards[shard].Tell(new ForgetBlocked(request), ActorRefs.NoSender);
        }

        /// <summary>The connection is closing: its waiting request leaves every queue (unless a shard is answering it
        /// right now: that answer goes nowhere, as a pop served to a client that just left is lost in Redis too).</summary>
        private void StopBlocking()
        {
            var request = _blocked;
            _blocked = null;
            _client.IsBlocked = false;
            if (request != null && request.TryClaim()) Forget(request);
        }
    }
}
