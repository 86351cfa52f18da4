using AkkaRedis.Actors.Commands;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Session;

public sealed partial class SessionStage
{
    /// <summary>The session's part of Pub/Sub (pubsub.c): subscribed mode, delivered messages.</summary>
    private sealed partial class Logic
    {
        /// <summary>RESP2 subscribed mode: only (P|S)(UN)SUBSCRIBE, PING, QUIT and RESET are allowed.</summary>
        private Intercept InterceptSubscribed(CommandDef def, CommandArgs args) => Intercept.None;

        private bool OnPubSubMessage(object message) => false;

        /// <summary>The connection is closing: its subscriptions go.</summary>
        private void StopPubSub()
        {
        }
    }
}
