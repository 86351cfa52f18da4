using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Tracing;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Session;

public sealed partial class SessionStage
{
    /// <summary>The session's part of transactions (multi.c): the MULTI queue, EXEC, WATCH state.</summary>
    private sealed partial class Logic
    {
        /// <summary>In MULTI: queue the command (+QUEUED) or flag the transaction; None outside MULTI and for
        /// EXEC/DISCARD/MULTI/WATCH/QUIT/RESET.</summary>
        private Intercept InterceptMulti(CommandDef def, CommandArgs args) => Intercept.None;

        /// <summary>EXEC (a barrier: everything before it has been answered).</summary>
        private Intercept InterceptExec(CommandDef def, CommandArgs args, CommandTrace? trace) => Intercept.None;

        /// <summary>A command was rejected before it ran (unknown, arity, NOAUTH...): Redis's flagTransaction.</summary>
        private void OnRejected()
        {
        }

        private bool OnTransactionMessage(object message) => false;

        /// <summary>The connection is closing: its watches and anything it holds go.</summary>
        private void StopTransactions()
        {
        }
    }
}
