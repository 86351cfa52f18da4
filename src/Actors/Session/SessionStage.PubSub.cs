using System.Text;
using Akka.Actor;
using Akka.Event;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Session;

public sealed partial class SessionStage
{
    /// <summary>The session's part of Pub/Sub (pubsub.c): subscribed mode, delivered messages, and the output held for
    /// the connection (networking.c's reply list) checked against client-output-buffer-limit.</summary>
    private sealed partial class Logic
    {
        /// <summary>Held back while a subscription change of the batch under way waits for its replies to leave: a
        /// message must never reach the client before the confirmation of the subscription it came through.</summary>
        private bool _pushesHeld;
        /// <summary>Bytes handed to the socket stage that it has not written yet (it pulls again once it has).</summary>
        private long _unsentBytes;
        /// <summary>Bytes of pushed output (messages) waiting in the push queue.</summary>
        private long _queuedPushBytes;
        private OutputBufferLimits _outputLimits;

        /// <summary>RESP2 subscribed mode: only (P|S)(UN)SUBSCRIBE, PING, QUIT and RESET are allowed (processCommand).</summary>
        private Intercept InterceptSubscribed(CommandDef def, CommandArgs args)
        {
            // Deliveries of the PUBLISHes just run leave before anything else runs (see PublishBatch).
            if (_client.Publishes is { HasPending: true } publishes && def.Name is not ("publish" or "spublish")) publishes.Flush();
            if (!_client.IsPubSub || _client.Protocol != 2 || AllowedWhenSubscribed(def)) return Intercept.None;
            Rejected(def, $"ERR Can't execute '{def.FullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return Intercept.Done;
        }

        private static bool AllowedWhenSubscribed(CommandDef def) =>
            def.Name is "ping" or "subscribe" or "ssubscribe" or "unsubscribe" or "sunsubscribe" or "psubscribe"
                or "punsubscribe" or "quit" or "reset";

        /// <summary>After a session command: when it changed subscriptions, the PubSub actor applies them first and the
        /// batch goes on when it sends them back (true: wait).</summary>
        private bool AwaitSubscriptionChange()
        {
            var subscriptions = _client.Subscriptions;
            if (subscriptions?.Pending is not { } update) return false;
            subscriptions.Pending = null;
            _pushesHeld = true;
            _outstanding++;
            _server.Keyspace.PubSub.Tell(update, _self);
            return true;
        }

        private Action<PubSubPush>? _takePush;
        /// <summary>The output buffer limit closed the connection while taking messages: nothing more is flushed.</summary>
        private bool _outputClosed;

        private void TakePush(PubSubPush push)
        {
            if (_outputClosed || _client.Subscriptions?.Subscriber.Closed == true) return; // closing: nothing more
            PushOutput.Add(push.Bytes);
            _queuedPushBytes += push.Bytes.Count;
            if (OutputLimitReached()) _outputClosed = true;
        }

        private bool OnPubSubMessage(object message)
        {
            switch (message)
            {
                case PubSubPush push:
                    TakePush(push);
                    if (!_pushesHeld && !_outputClosed) FlushPushOutput();
                    return true;
                case Subscriber subscriber:
                    // Every message delivered since the last drain, then one flush.
                    if (ReferenceEquals(subscriber, _client.Subscriptions?.Subscriber)) _client.Subscriptions!.Drain(_takePush ??= TakePush);
                    if (!_pushesHeld && !_outputClosed) FlushPushOutput();
                    return true;
                case PubSubUpdate update when ReferenceEquals(update.Subscriber, _client.Subscriptions?.Subscriber):
                    if (--_outstanding == 0) Run();
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>FinishBatch is about to emit the batch's replies: gathered deliveries leave, held messages may
        /// follow the replies.</summary>
        private void BeforeBatchOutput()
        {
            _client.Publishes?.Flush();
            _pushesHeld = false;
        }

        /// <summary>The socket stage pulled: everything it was handed is written.</summary>
        private void OutputWritten()
        {
            _unsentBytes = 0;
            _client.OutputMemory = _queuedPushBytes;
        }

        /// <summary>Output handed to the socket stage (<paramref name="fromPushQueue"/>: the push queue, emptied).</summary>
        private void OutputHandedOver(long bytes, bool fromPushQueue)
        {
            _unsentBytes += bytes;
            if (fromPushQueue) _queuedPushBytes = 0;
            _client.OutputMemory = _unsentBytes + _queuedPushBytes;
        }

        /// <summary>A batch's replies (<paramref name="replyBytes"/>) join the output held for the client; true when
        /// that passes its output buffer limit and the connection was closed instead.</summary>
        private bool BatchOutputLimitReached(long replyBytes)
        {
            _unsentBytes += replyBytes;
            return OutputLimitReached();
        }

        /// <summary>Redis's closeClientOnOutputBufferLimitReached: over the limit, the connection is closed at once,
        /// its unsent output dropped, with Redis's log line.</summary>
        private bool OutputLimitReached()
        {
            var used = _unsentBytes + _queuedPushBytes;
            _client.OutputMemory = used;
            if (used == 0 || !_outputLimits.Reached(_server.Config, _client.Type, used, ServerContext.UnixMs())) return false;
            var info = new StringBuilder();
            ClientCommands.AppendClientInfo(info, _client, _call, ServerContext.UnixMs());
            Log.Warning(OutputBufferLimits.LogLine(info.ToString()));
            if (_client.Subscriptions is { } subscriptions) subscriptions.Subscriber.Closed = true;
            _pushOutputList?.Clear();
            _queuedPushBytes = 0;
            _client.Close();
            CompleteStage();
            return true;
        }

        /// <summary>The connection is closing: its subscriptions go (freeClient's pubsubUnsubscribeAll*).</summary>
        private void StopPubSub()
        {
            _client.Publishes?.Flush();
            var subscriptions = _client.Subscriptions;
            if (subscriptions == null) return;
            subscriptions.Subscriber.Closed = true;
            PubSubCommands.UnsubscribeAll(_client);
            if (subscriptions.Pending is { } update)
            {
                subscriptions.Pending = null;
                _server.Keyspace.PubSub.Tell(update, ActorRefs.NoSender);
            }
        }
    }
}
