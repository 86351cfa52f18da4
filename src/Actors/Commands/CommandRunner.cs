using System.Diagnostics;
using AkkaRedis.Actors.Server;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>Runs one keyspace command: the one place where handlers are called, timed, counted and contained.</summary>
public static class CommandRunner
{
    /// <param name="startTimestamp">When the command starts, if the caller knows it: a batch passes the end of the
    /// command it ran just before (0: read the clock). Two clock reads per command were 3-4% of the server's samples at
    /// pipeline 16 on this machine's virtual clock; Redis's call() reads it twice too, but its clock is cheaper.</param>
    /// <returns>When the command ended (its statistics' end), or 0 when it was not counted now.</returns>
    public static long Run(ExecContext ctx, CommandDef def, CommandArgs args, RespWriter writer, int db, ClientLabel? client = null,
        long startTimestamp = 0)
    {
        ctx.Args = args;
        ctx.Command = def;
        ctx.Reply = writer;
        ctx.DbIndex = db;
        ctx.Client = client;
        var t0 = startTimestamp != 0 ? startTimestamp : Stopwatch.GetTimestamp();
        ctx.Now = ctx.ScriptNow != 0 ? ctx.ScriptNow : ServerClock.UnixMsAt(t0);
        var start = writer.Length;
        var errorsBefore = writer.ErrorCount;
        var effectsBefore = ctx.Effects.Count;
        try
        {
            def.Handler!(ctx);
        }
        catch (Exception ex)
        {
            // A bug in one handler answers its client and leaves the shard and its data as they are.
            writer.Truncate(start);
            writer.Error("ERR " + ex.Message);
        }
        // One command, one atomic unit on the replica (Redis's call() -> propagatePendingCommands). A future EXEC or
        // script must wrap its whole body once instead, as Redis does not nest MULTI (EXEC does: InExec).
        if (!ctx.InExec) ctx.Effects.WrapAsTransaction(effectsBefore);
        // DEBUG SLEEP holds the shards after its handler returns; Redis's call() times the sleep as part of the command.
        if (ctx.HoldFor is { } hold && hold > TimeSpan.Zero) t0 -= (long)(hold.TotalSeconds * Stopwatch.Frequency);
        // A request that blocks is counted once, when it is answered (Redis's call() skips blocked clients' stats).
        if (ctx.Request is { Blocked: true }) return 0;
        // A script that must run again (holding every shard, or on its shard's actor) is counted when it does.
        if (ctx.RerunHoldingEveryShard || ctx.YieldToShardActor) return 0;
        // A script's error that a redis.call raised was counted by that command (Redis's ignore_error_stats_update).
        var errorCounted = ctx.ScriptErrorCounted;
        ctx.ScriptErrorCounted = false;
        return Record(ctx.Services, ctx.Stats, def, writer, errorsBefore, t0, args, client, errorCounted);
    }

    /// <summary>A scatter-gather command's part on one shard: its Scatter over the context's part of the keyspace, or
    /// the exception it threw (the gather answers it as an error). Counted once, by whoever gathers.</summary>
    public static object? RunPart(ExecContext ctx, CommandDef def, CommandArgs args, int db)
    {
        ctx.Args = args;
        ctx.Command = def;
        ctx.DbIndex = db;
        ctx.Now = ServerClock.UnixMs();
        try
        {
            return def.Scatter!(ctx);
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>Merges the parts into <paramref name="writer"/> and counts the command once (in the gatherer's
    /// cell, its time from the scatter to the merge).</summary>
    public static void Gather(CommandServices services, StatsCell stats, CommandDef def, object?[] parts, RespWriter writer,
        long startTimestamp, CommandArgs args, ClientLabel? client)
    {
        var errorsBefore = writer.ErrorCount;
        var start = writer.Length;
        var failure = Array.Find(parts, p => p is Exception) as Exception;
        try
        {
            if (failure != null) writer.Error("ERR " + failure.Message);
            else def.Gather!(parts, writer);
        }
        catch (Exception ex)
        {
            writer.Truncate(start);
            writer.Error("ERR " + ex.Message);
        }
        Record(services, stats, def, writer, errorsBefore, startTimestamp, args, client);
    }

    /// <param name="args">The request, for the slow log (null: not logged).</param>
    /// <param name="client">The connection that sent it, for the slow log's client address and name.</param>
    /// <param name="errorCounted">The command's error reply was already counted in errorstats (a script's error
    /// raised by a redis.call): only failed_calls counts it.</param>
    /// <returns>The end timestamp the duration was taken at.</returns>
    public static long Record(CommandServices server, StatsCell stats, CommandDef def, RespWriter writer, int errorsBefore, long startTimestamp,
        CommandArgs? args = null, ClientLabel? client = null, bool errorCounted = false)
    {
        var end = Stopwatch.GetTimestamp();
        var us = (long)Stopwatch.GetElapsedTime(startTimestamp, end).TotalMicroseconds;
        var error = writer.ErrorCount > errorsBefore ? writer.LastErrorCode ?? "ERR" : null;
        // The caller's own cell: plain increments, summed when INFO/COMMAND/LATENCY read them.
        stats.Called(def, us, error, server.Diagnostics.LatencyTracking, countError: !errorCounted);
        server.Diagnostics.AfterCommand(def, args, us, client);
        return end;
    }
}
