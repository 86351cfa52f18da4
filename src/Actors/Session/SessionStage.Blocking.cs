using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Tracing;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Session;

public sealed partial class SessionStage
{
    /// <summary>The session's part of blocking commands (blocked.c): the request that waits in a shard.</summary>
    private sealed partial class Logic
    {
        /// <summary>Whether this command, with these arguments, may block (a barrier: BLPOP, XREAD BLOCK...).</summary>
        private bool IsBlockingRequest(CommandDef def, CommandArgs args) => false;

        /// <summary>Sends a blocking command to its shard(s); its reply comes when served, timed out or unblocked.</summary>
        private Intercept InterceptBlocking(CommandDef def, CommandArgs args, int shard, CommandTrace? trace) => Intercept.None;

        private bool OnBlockingMessage(object message) => false;

        /// <summary>The connection is closing: its waiting request leaves every queue.</summary>
        private void StopBlocking()
        {
        }
    }
}
