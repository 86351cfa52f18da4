using AkkaRedis.Actors.Commands;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Session;

public sealed partial class SessionStage
{
    /// <summary>The session's part of client control (networking.c): CLIENT PAUSE, client-side caching.</summary>
    private sealed partial class Logic
    {
        /// <summary>CLIENT PAUSE ALL, or WRITE for commands that may write: the command waits (Hold) until unpaused.</summary>
        private Intercept InterceptPaused(CommandDef def, CommandArgs args) => Intercept.None;

        private bool OnClientControlMessage(object message) => false;

        /// <summary>The connection is closing: its tracking state goes.</summary>
        private void StopClientControl()
        {
        }
    }
}
