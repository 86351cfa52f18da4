using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Net.Resp;
using AkkaRedis.Net.Streams;

namespace AkkaRedis.Actors.Session;

public sealed partial class SessionStage
{
    /// <summary>The pause this session waited for has ended (ClientPause → session).</summary>
    private sealed class PauseEnded
    {
        public static readonly PauseEnded Instance = new();
    }

    /// <summary>The session's part of client control (networking.c): CLIENT PAUSE, client-side caching.</summary>
    private sealed partial class Logic
    {
        /// <summary>Registered with <see cref="ClientPause"/> while a command waits; made once.</summary>
        private Action? _resume;
        private bool _pauseWaiting;
        /// <summary>The open MULTI queued a command that may write or replicate (Redis's mstate.cmd_flags): its EXEC
        /// waits under CLIENT PAUSE WRITE.</summary>
        private bool _multiMayReplicate;
        /// <summary>The command at the cursor is a tracked read: its shard remembers its keys.</summary>
        private bool _rememberCurrent;
        /// <summary>Invalidation pushes caused by this connection's own commands, each sent right after the reply of the
        /// command that caused it (Redis's tracking_pending_keys, flushed in afterCommand).</summary>
        private List<(int Slot, byte[] Bytes)>? _deferredInvalidations;

        /// <summary>
        /// Redis's processCommand under CLIENT PAUSE: ALL holds every command, WRITE those that may write or replicate
        /// (is_may_replicate_command, EXEC of such a queue included); a held command waits (Redis blocks the client
        /// with BLOCKED_POSTPONE: flag 'b') and runs when the pause ends. Also where client-side caching decides, once
        /// per command, whether its keys are remembered (and CLIENT CACHING's one-command flag is used up).
        /// </summary>
        private Intercept InterceptPaused(CommandDef def, CommandArgs args)
        {
            _rememberCurrent = false;
            if (_client.MultiQueued < 0) _multiMayReplicate = false;
            else if (!_multiMayReplicate && MayReplicate(def)) _multiMayReplicate = true;
            var pause = _server.Services.Pause;
            if (pause.Mode != ClientPause.None && !_client.IsReplica && !_client.IsMaster && PausedFor(def, pause.Mode))
            {
                // What was sent before goes first; Run comes back here once it is answered.
                if (HasPendingShardWork())
                {
                    Dispatch(inline: false);
                    return Intercept.Hold;
                }
                _resume ??= ResumeAction();
                if (_pauseWaiting || pause.Wait(_resume))
                {
                    _pauseWaiting = true;
                    _client.IsBlocked = true;
                    _client.LastCommand = def.Name;
                    return Intercept.Hold;
                }
            }
            if (_client.Tracking is { } t) _rememberCurrent = Remembers(t, def);
            return Intercept.None;
        }

        private Action ResumeAction()
        {
            var self = _self;
            return () => self.Tell(PauseEnded.Instance, ActorRefs.NoSender);
        }

        private bool PausedFor(CommandDef def, int mode) =>
            mode == ClientPause.All || MayReplicate(def) || (_multiMayReplicate && def.Name == "exec");

        /// <summary>Redis's CMD_WRITE | CMD_MAY_REPLICATE (<see cref="CommandDef.MayReplicate"/>).</summary>
        private static bool MayReplicate(CommandDef def) => def.MayReplicate;

        /// <summary>Whether the command about to run is a tracked read, using up CLIENT CACHING (resetClient clears it
        /// after every command but CLIENT ones, and not inside MULTI).</summary>
        private bool Remembers(ClientTracking t, CommandDef def)
        {
            var remember = t.Remembers(def);
            if (t.Caching && !def.Name.StartsWith("client|", StringComparison.Ordinal) &&
                (_client.MultiQueued < 0 || def.Name is "exec" or "discard"))
                t.Caching = false;
            return remember;
        }

        /// <summary>Called once the command at the cursor was added to its shard's batch.</summary>
        private void OnShardCommand(ShardBatch batch)
        {
            if (_rememberCurrent) batch.RememberLast(_client.Id);
        }

        private bool OnClientControlMessage(object message)
        {
            switch (message)
            {
                case PauseEnded:
                    if (!_pauseWaiting) return true;
                    _pauseWaiting = false;
                    _client.IsBlocked = false;
                    if (_frames != null && _outstanding == 0) Run();
                    return true;
                case TrackingInvalidation invalidation:
                    OnInvalidation(invalidation);
                    return true;
                case TrackingRedirected redirected:
                    // sendTrackingMessage on the redirect client: RESP3 push, or a Pub/Sub message in RESP2.
                    if (_client.Protocol >= 3) PushOut(TrackingRegistry.PushFrame(redirected.Keys, redirected.NullProtocol));
                    else if (_client.IsPubSub) PushOut(TrackingRegistry.MessageFrame(redirected.Keys, redirected.NullProtocol));
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>trackingInvalidateKey's checks on the target (still tracking, in the mode the message is for,
        /// NOLOOP), then sendTrackingMessage.</summary>
        private void OnInvalidation(TrackingInvalidation m)
        {
            var t = _client.Tracking;
            if (t == null || (m.Keys != null && m.Bcast != t.Bcast)) return;
            var keys = m.Keys;
            var selfCaused = false;
            if (keys != null)
            {
                var kept = 0;
                for (var i = 0; i < keys.Length; i++)
                {
                    var mine = m.Modifiers[i] == _client.Id;
                    if (mine && t.NoLoop) continue;
                    selfCaused |= mine;
                    kept++;
                }
                if (kept == 0) return;
                if (kept < keys.Length)
                {
                    var filtered = new string[kept];
                    for (int i = 0, j = 0; i < keys.Length; i++)
                        if (m.Modifiers[i] != _client.Id) filtered[j++] = keys[i];
                    keys = filtered;
                }
            }
            else selfCaused = m.Modifiers[0] == _client.Id;
            // Its own command, still in this batch: the push waits for that command's reply.
            if (selfCaused && _frames != null && t.Redirect == 0 && _client.Protocol >= 3)
            {
                var slot = m.Position >= 0 ? m.Position : _cursor - 1;
                (_deferredInvalidations ??= new()).Add((slot, TrackingRegistry.PushFrame(keys, _client.Protocol)));
                return;
            }
            SendInvalidation(t, keys);
        }

        private void SendInvalidation(ClientTracking t, string[]? keys)
        {
            if (t.Redirect != 0)
            {
                var target = _server.Clients.Find(t.Redirect);
                if (target == null || target.Closing)
                {
                    t.BrokenRedirect = true;
                    if (_client.Protocol >= 3) PushOut(TrackingRegistry.RedirectBrokenFrame(t.Redirect));
                    return;
                }
                target.Post(new TrackingRedirected(keys, _client.Protocol));
                return;
            }
            // RESP2 without a redirect: no way to push anything on this connection.
            if (_client.Protocol >= 3) PushOut(TrackingRegistry.PushFrame(keys, _client.Protocol));
        }

        /// <summary>FinishBatch: the pushes deferred until the reply at <paramref name="slot"/> follow it; their size.</summary>
        private int InvalidationsAfter(int slot, OutgoingBytes output)
        {
            var bytes = 0;
            var deferred = _deferredInvalidations!;
            for (var i = 0; i < deferred.Count; i++)
            {
                if (deferred[i].Slot != slot) continue;
                output.Add(deferred[i].Bytes);
                bytes += deferred[i].Bytes.Length;
                deferred.RemoveAt(i--);
            }
            return bytes;
        }

        /// <summary>The batch's replies are on their way: what its own commands invalidated after them (BCAST) follows.</summary>
        private void AfterBatchReplies()
        {
            if (_deferredInvalidations is not { Count: > 0 } deferred) return;
            foreach (var (_, bytes) in deferred) PushOut(bytes);
            deferred.Clear();
        }

        /// <summary>The connection is closing: its tracking state goes (freeClient's disableTracking), and it stops
        /// waiting for a pause to end.</summary>
        private void StopClientControl()
        {
            ClientTrackingControl.Disable(_server, _client);
            if (_pauseWaiting && _resume != null) _server.Services.Pause.Forget(_resume);
        }
    }
}
