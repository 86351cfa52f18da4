using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Keyspace;

namespace AkkaRedis.Actors.Session;

/// <summary>
/// INFO's text: Redis 7.0's sections, field names and order; values are this server's own (memory is the .NET
/// heap, CPU the process's times...). Statistics are read racily from other threads, as INFO may.
/// </summary>
public static class InfoBuilder
{
    /// <summary>Every section, in the order INFO prints them.</summary>
    public static readonly string[] Sections =
        ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace", "shards"];

    private static readonly string[] DefaultSections =
        ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace"];

    /// <summary>Which sections INFO's arguments select: none = "default"; "all" = every Redis section; "everything" =
    /// those plus the sections that are not Redis's own (Redis adds modules' sections there; ours is "shards");
    /// other words name sections, case-insensitively.</summary>
    public static HashSet<string> SelectSections(IReadOnlyList<string> args)
    {
        var selected = new HashSet<string>(StringComparer.Ordinal);
        if (args.Count == 0)
        {
            selected.UnionWith(DefaultSections);
            return selected;
        }
        foreach (var arg in args)
        {
            var word = arg.ToLowerInvariant();
            if (word == "default") selected.UnionWith(DefaultSections);
            else if (word == "all") selected.UnionWith(Sections.Where(section => section != "shards"));
            else if (word == "everything") selected.UnionWith(Sections);
            else if (word == "module_list") selected.Add("modules");
            else selected.Add(word);
        }
        return selected;
    }

    public static string Build(ServerContext server, IReadOnlyList<string> args)
    {
        var selected = SelectSections(args);
        var sb = new StringBuilder(4096);
        var sections = 0;
        foreach (var section in Sections)
        {
            if (!selected.Contains(section)) continue;
            if (sections++ > 0) sb.Append("\r\n");
            switch (section)
            {
                case "server": Server(sb, server); break;
                case "clients": Clients(sb, server); break;
                case "memory": Memory(sb, server); break;
                case "persistence": Persistence(sb, server); break;
                case "stats": Stats(sb, server); break;
                case "replication": Replication(sb, server); break;
                case "cpu": Cpu(sb); break;
                case "modules": sb.Append("# Modules\r\n"); break;
                case "commandstats": CommandStats(sb, server); break;
                case "errorstats": ErrorStats(sb, server); break;
                case "latencystats": LatencyStats(sb, server); break;
                case "cluster": sb.Append("# Cluster\r\ncluster_enabled:0\r\n"); break;
                case "keyspace": Keyspace(sb, server); break;
                case "shards": Shards(sb, server); break;
            }
        }
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string name, string value) => sb.Append(name).Append(':').Append(value).Append("\r\n");
    private static void Line(StringBuilder sb, string name, long value) => Line(sb, name, value.ToString(CultureInfo.InvariantCulture));
    private static string F2(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    private static void Server(StringBuilder sb, ServerContext server)
    {
        var now = DateTimeOffset.UtcNow;
        var uptime = (long)Stopwatch.GetElapsedTime(server.StartTimestamp).TotalSeconds;
        sb.Append("# Server\r\n");
        Line(sb, "redis_version", ServerVersion.Redis);
        Line(sb, "redis_git_sha1", "00000000");
        Line(sb, "redis_git_dirty", 0);
        Line(sb, "redis_build_id", BuildId);
        Line(sb, "redis_mode", "standalone");
        Line(sb, "os", OsName);
        Line(sb, "arch_bits", IntPtr.Size * 8);
        Line(sb, "monotonic_clock", "POSIX clock_gettime");
        Line(sb, "multiplexing_api", OperatingSystem.IsLinux() ? "epoll" : OperatingSystem.IsWindows() ? "iocp" : "kqueue");
        Line(sb, "atomicvar_api", "c11-builtin");
        Line(sb, "gcc_version", "0.0.0");
        Line(sb, "process_id", Environment.ProcessId);
        Line(sb, "process_supervised", "no");
        Line(sb, "run_id", server.RunId);
        Line(sb, "tcp_port", server.Config.Port);
        Line(sb, "server_time_usec", now.ToUnixTimeMilliseconds() * 1000 + now.Ticks / 10 % 1000);
        Line(sb, "uptime_in_seconds", uptime);
        Line(sb, "uptime_in_days", uptime / 86400);
        Line(sb, "hz", server.Config.Hz);
        Line(sb, "configured_hz", server.Config.Hz);
        Line(sb, "lru_clock", now.ToUnixTimeMilliseconds() / 1000 & ((1 << 24) - 1));
        Line(sb, "executable", Environment.ProcessPath ?? "");
        Line(sb, "config_file", server.Config.ConfigFile ?? "");
        Line(sb, "io_threads_active", 0);
        Line(sb, "akkaredis_version", ServerVersion.AkkaRedis);
    }

    private static readonly string BuildId =
        Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(ServerVersion.AkkaRedis + RuntimeInformation.FrameworkDescription)))
            .ToLowerInvariant()[..15];

    /// <summary>uname's "sysname release machine", as Redis prints it.</summary>
    private static readonly string OsName = ComputeOsName();

    private static string ComputeOsName()
    {
        var machine = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "aarch64",
            Architecture.X86 => "i686",
            Architecture.Arm => "armv7l",
            var a => a.ToString().ToLowerInvariant(),
        };
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return $"Linux {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()} {machine}";
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        var sysname = OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "Darwin" : RuntimeInformation.OSDescription;
        return $"{sysname} {Environment.OSVersion.Version} {machine}";
    }

    private static void Clients(StringBuilder sb, ServerContext server)
    {
        long maxInput = 0, maxOutput = 0;
        var blocked = 0;
        foreach (var client in server.Clients.All)
        {
            maxInput = Math.Max(maxInput, client.QueryBufferBytes);
            maxOutput = Math.Max(maxOutput, client.OutputBufferBytes + client.OutputMemory);
            // Blocking commands and commands held by CLIENT PAUSE (Redis's BLOCKED_POSTPONE counts too).
            if (client.IsBlocked) blocked++;
        }
        sb.Append("# Clients\r\n");
        Line(sb, "connected_clients", server.Clients.Count);
        Line(sb, "cluster_connections", 0);
        Line(sb, "maxclients", server.Config.MaxClients);
        Line(sb, "client_recent_max_input_buffer", maxInput);
        Line(sb, "client_recent_max_output_buffer", maxOutput);
        Line(sb, "blocked_clients", blocked);
        Line(sb, "tracking_clients", server.Tracking.Clients);
        Line(sb, "clients_in_timeout_table", 0);
    }

    private static void Memory(StringBuilder sb, ServerContext server)
    {
        var runtime = server.Runtime;
        var used = GC.GetTotalMemory(false);
        var rss = Environment.WorkingSet;
        var peak = runtime.UpdatePeakMemory(used);
        var gc = GC.GetGCMemoryInfo();
        var startup = Math.Min(runtime.StartupMemory, used);
        var dataset = used - startup;
        var maxMemory = server.Config.MaxMemory;
        var allocated = Math.Max(gc.HeapSizeBytes, used);
        var active = Math.Max(gc.TotalCommittedBytes, allocated);
        sb.Append("# Memory\r\n");
        Line(sb, "used_memory", used);
        Line(sb, "used_memory_human", BytesToHuman((ulong)used));
        Line(sb, "used_memory_rss", rss);
        Line(sb, "used_memory_rss_human", BytesToHuman((ulong)rss));
        Line(sb, "used_memory_peak", peak);
        Line(sb, "used_memory_peak_human", BytesToHuman((ulong)peak));
        Line(sb, "used_memory_peak_perc", F2(peak == 0 ? 0 : used * 100.0 / peak) + "%");
        Line(sb, "used_memory_overhead", startup);
        Line(sb, "used_memory_startup", startup);
        Line(sb, "used_memory_dataset", dataset);
        Line(sb, "used_memory_dataset_perc", F2(dataset * 100.0 / Math.Max(1, used - startup)) + "%");
        Line(sb, "allocator_allocated", allocated);
        Line(sb, "allocator_active", active);
        Line(sb, "allocator_resident", rss);
        Line(sb, "total_system_memory", gc.TotalAvailableMemoryBytes);
        Line(sb, "total_system_memory_human", BytesToHuman((ulong)gc.TotalAvailableMemoryBytes));
        // EVAL's Lua states and script cache, the function libraries and their VMs (issue 13;
        // Commands.Scripting.ScriptEngine and FunctionRegistry): read racily.
        var scripts = server.Services.Scripts;
        var evalVm = scripts.EvalVms.UsedMemory;
        var functions = server.Services.Functions;
        var functionsVm = functions.VmMemory;
        var functionsMemory = functions.UsedMemory;
        Line(sb, "used_memory_lua", evalVm);
        Line(sb, "used_memory_vm_eval", evalVm);
        Line(sb, "used_memory_lua_human", BytesToHuman((ulong)evalVm));
        Line(sb, "used_memory_scripts_eval", scripts.Cache.Memory);
        Line(sb, "number_of_cached_scripts", scripts.Cache.Count);
        Line(sb, "number_of_functions", functions.Current.Functions.Count);
        Line(sb, "number_of_libraries", functions.Current.Libraries.Count);
        Line(sb, "used_memory_vm_functions", functionsVm);
        Line(sb, "used_memory_vm_total", evalVm + functionsVm);
        Line(sb, "used_memory_vm_total_human", BytesToHuman((ulong)(evalVm + functionsVm)));
        Line(sb, "used_memory_functions", functionsMemory);
        Line(sb, "used_memory_scripts", scripts.Cache.Memory + functionsMemory);
        Line(sb, "used_memory_scripts_human", BytesToHuman((ulong)(scripts.Cache.Memory + functionsMemory)));
        Line(sb, "maxmemory", maxMemory.ToString(CultureInfo.InvariantCulture));
        Line(sb, "maxmemory_human", BytesToHuman(maxMemory));
        Line(sb, "maxmemory_policy", server.Config.MaxMemoryPolicy);
        Line(sb, "allocator_frag_ratio", F2(allocated == 0 ? 0 : (double)active / allocated));
        Line(sb, "allocator_frag_bytes", active - allocated);
        Line(sb, "allocator_rss_ratio", F2(active == 0 ? 0 : (double)rss / active));
        Line(sb, "allocator_rss_bytes", rss - active);
        Line(sb, "rss_overhead_ratio", F2(1));
        Line(sb, "rss_overhead_bytes", 0);
        Line(sb, "mem_fragmentation_ratio", F2(used == 0 ? 0 : (double)rss / used));
        Line(sb, "mem_fragmentation_bytes", rss - used);
        Line(sb, "mem_not_counted_for_evict", 0);
        Line(sb, "mem_replication_backlog", 0);
        Line(sb, "mem_total_replication_buffers", 0);
        Line(sb, "mem_clients_slaves", 0);
        Line(sb, "mem_clients_normal", 0);
        Line(sb, "mem_cluster_links", 0);
        Line(sb, "mem_aof_buffer", 0);
        Line(sb, "mem_allocator", "dotnet-gc");
        Line(sb, "active_defrag_running", 0);
        Line(sb, "lazyfree_pending_objects", 0);
        Line(sb, "lazyfreed_objects", 0);
    }

    /// <summary>Redis's bytesToHuman: B below 1K, else two decimals with K/M/G/T/P.</summary>
    public static string BytesToHuman(ulong n)
    {
        const double k = 1024;
        if (n < 1024) return n.ToString(CultureInfo.InvariantCulture) + "B";
        if (n < 1024UL * 1024) return F2(n / k) + "K";
        if (n < 1024UL * 1024 * 1024) return F2(n / (k * k)) + "M";
        if (n < 1024UL * 1024 * 1024 * 1024) return F2(n / (k * k * k)) + "G";
        if (n < 1024UL * 1024 * 1024 * 1024 * 1024) return F2(n / (k * k * k * k)) + "T";
        if (n < 1024UL * 1024 * 1024 * 1024 * 1024 * 1024) return F2(n / (k * k * k * k * k)) + "P";
        return n.ToString(CultureInfo.InvariantCulture) + "B";
    }

    private static void Persistence(StringBuilder sb, ServerContext server)
    {
        sb.Append("# Persistence\r\n");
        var status = server.Services.Persistence;
        long dirty = 0;
        if (server.Keyspace?.ShardData is { } shards)
            foreach (var shard in shards) dirty += Volatile.Read(ref shard.Stats.Dirty);
        var nowSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Line(sb, "loading", status.Loading ? 1 : 0);
        Line(sb, "async_loading", 0);
        Line(sb, "current_cow_peak", 0);
        Line(sb, "current_cow_size", 0);
        Line(sb, "current_cow_size_age", 0);
        Line(sb, "current_fork_perc", "0.00");
        Line(sb, "current_save_keys_processed", 0);
        Line(sb, "current_save_keys_total", 0);
        Line(sb, "rdb_changes_since_last_save", status.ChangesSinceLastSave(dirty));
        Line(sb, "rdb_bgsave_in_progress", status.BgsaveInProgress ? 1 : 0);
        Line(sb, "rdb_last_save_time", server.Runtime.LastSaveUnixSeconds);
        Line(sb, "rdb_last_bgsave_status", status.LastBgsaveOk ? "ok" : "err");
        Line(sb, "rdb_last_bgsave_time_sec", status.LastBgsaveTimeSec);
        Line(sb, "rdb_current_bgsave_time_sec", status.CurrentBgsaveTimeSec(AkkaRedis.Actors.Server.ServerClock.UnixMs()));
        Line(sb, "rdb_saves", status.RdbSaves);
        Line(sb, "rdb_last_cow_size", status.LastCowSize);
        Line(sb, "rdb_last_load_keys_expired", status.LastLoadKeysExpired);
        Line(sb, "rdb_last_load_keys_loaded", status.LastLoadKeysLoaded);
        var aof = server.Services.Persistence;
        Line(sb, "aof_enabled", aof.AofEnabled ? 1 : 0);
        Line(sb, "aof_rewrite_in_progress", aof.AofRewriteInProgress ? 1 : 0);
        Line(sb, "aof_rewrite_scheduled", aof.AofRewriteScheduled ? 1 : 0);
        Line(sb, "aof_last_rewrite_time_sec", aof.AofLastRewriteTimeSec);
        Line(sb, "aof_current_rewrite_time_sec", aof.AofCurrentRewriteTimeSec(ServerClock.UnixMs()));
        Line(sb, "aof_last_bgrewrite_status", aof.AofLastBgrewriteOk ? "ok" : "err");
        Line(sb, "aof_rewrites", aof.AofRewrites);
        Line(sb, "aof_rewrites_consecutive_failures", aof.AofRewritesConsecutiveFailures);
        Line(sb, "aof_last_write_status", aof.AofWriteError == null ? "ok" : "err");
        Line(sb, "aof_last_cow_size", 0);
        Line(sb, "module_fork_in_progress", 0);
        Line(sb, "module_fork_last_cow_size", 0);
        if (aof.AofEnabled)
        {
            // genRedisInfoString's "if (server.aof_enabled)" block.
            Line(sb, "aof_current_size", aof.AofCurrentSize);
            Line(sb, "aof_base_size", aof.AofBaseSize);
            Line(sb, "aof_pending_rewrite", aof.AofRewriteScheduled ? 1 : 0);
            Line(sb, "aof_buffer_length", aof.AofBufferLength);
            Line(sb, "aof_pending_bio_fsync", aof.AofPendingFsync ? 1 : 0);
            Line(sb, "aof_delayed_fsync", aof.AofDelayedFsync);
        }
        // Then, while a file loads, the loading_* fields.
        if (status.Loading) LoadingFields(sb, status, nowSeconds);
    }

    /// <summary>The loading_* fields INFO persistence ends with while a file loads.</summary>
    private static void LoadingFields(StringBuilder sb, PersistenceStatus status, long nowSeconds)
    {
        var elapsed = nowSeconds - status.LoadingStartTime;
        var total = status.LoadingTotalBytes;
        var loaded = status.LoadingLoadedBytes;
        var perc = total == 0 ? 0 : (double)loaded / total * 100;
        // Redis's estimate: elapsed time scaled by what is left, 1 until anything is loaded.
        var eta = loaded == 0 || elapsed == 0 ? 1 : (long)((total - loaded) / (loaded / (double)elapsed));
        Line(sb, "loading_start_time", status.LoadingStartTime);
        Line(sb, "loading_total_bytes", total);
        Line(sb, "loading_rdb_used_mem", 0);
        Line(sb, "loading_loaded_bytes", loaded);
        Line(sb, "loading_loaded_perc", perc.ToString("F2", CultureInfo.InvariantCulture));
        Line(sb, "loading_eta_seconds", eta);
    }

    private static void Stats(StringBuilder sb, ServerContext server)
    {
        var stats = server.Stats;
        long hits = 0, misses = 0, expired = 0;
        var shards = server.Keyspace?.ShardData;
        if (shards != null)
        {
            foreach (var shard in shards)
            {
                hits += Volatile.Read(ref shard.Stats.KeyspaceHits);
                misses += Volatile.Read(ref shard.Stats.KeyspaceMisses);
                expired += Volatile.Read(ref shard.Stats.ExpiredKeys);
            }
        }
        var totalCommands = server.CommandStats.TotalCommands;
        var net = stats.NetBytes(server.Clients);
        var rates = server.Runtime.InstantaneousRates(totalCommands,
            net.Input, net.Output);
        sb.Append("# Stats\r\n");
        Line(sb, "total_connections_received", Interlocked.Read(ref stats.TotalConnectionsReceived));
        Line(sb, "total_commands_processed", totalCommands);
        Line(sb, "instantaneous_ops_per_sec", rates.OpsPerSec);
        Line(sb, "total_net_input_bytes", net.Input);
        Line(sb, "total_net_output_bytes", net.Output);
        Line(sb, "total_net_repl_input_bytes", 0);
        Line(sb, "total_net_repl_output_bytes", 0);
        Line(sb, "instantaneous_input_kbps", F2(rates.InputKbps));
        Line(sb, "instantaneous_output_kbps", F2(rates.OutputKbps));
        Line(sb, "instantaneous_input_repl_kbps", "0.00");
        Line(sb, "instantaneous_output_repl_kbps", "0.00");
        Line(sb, "rejected_connections", Interlocked.Read(ref stats.RejectedConnections));
        Line(sb, "sync_full", 0);
        Line(sb, "sync_partial_ok", 0);
        Line(sb, "sync_partial_err", 0);
        Line(sb, "expired_keys", expired);
        Line(sb, "expired_stale_perc", "0.00");
        Line(sb, "expired_time_cap_reached_count", 0);
        Line(sb, "expire_cycle_cpu_milliseconds", 0);
        Line(sb, "evicted_keys", 0);
        Line(sb, "evicted_clients", 0);
        Line(sb, "total_eviction_exceeded_time", 0);
        Line(sb, "current_eviction_exceeded_time", 0);
        Line(sb, "keyspace_hits", hits);
        Line(sb, "keyspace_misses", misses);
        Line(sb, "pubsub_channels", server.PubSub.ChannelCount);
        Line(sb, "pubsub_patterns", server.PubSub.PatternCount);
        Line(sb, "pubsubshard_channels", server.PubSub.ShardChannelCount);
        Line(sb, "latest_fork_usec", 0);
        Line(sb, "total_forks", 0);
        Line(sb, "migrate_cached_sockets", 0);
        Line(sb, "slave_expires_tracked_keys", 0);
        Line(sb, "active_defrag_hits", 0);
        Line(sb, "active_defrag_misses", 0);
        Line(sb, "active_defrag_key_hits", 0);
        Line(sb, "active_defrag_key_misses", 0);
        Line(sb, "total_active_defrag_time", 0);
        Line(sb, "current_active_defrag_time", 0);
        Line(sb, "tracking_total_keys", server.Tracking.TotalKeys);
        Line(sb, "tracking_total_items", server.Tracking.TotalItems);
        Line(sb, "tracking_total_prefixes", server.Tracking.TotalPrefixes);
        Line(sb, "unexpected_error_replies", 0);
        Line(sb, "total_error_replies", server.CommandStats.TotalErrorReplies);
        Line(sb, "dump_payload_sanitizations", 0);
        Line(sb, "total_reads_processed", 0);
        Line(sb, "total_writes_processed", 0);
        Line(sb, "io_threaded_reads_processed", 0);
        Line(sb, "io_threaded_writes_processed", 0);
        Line(sb, "reply_buffer_shrinks", 0);
        Line(sb, "reply_buffer_expands", 0);
    }

    private static void Replication(StringBuilder sb, ServerContext server)
    {
        sb.Append("# Replication\r\n");
        Line(sb, "role", "master");
        Line(sb, "connected_slaves", 0);
        Line(sb, "master_failover_state", "no-failover");
        Line(sb, "master_replid", server.Runtime.MasterReplId);
        Line(sb, "master_replid2", "0000000000000000000000000000000000000000");
        Line(sb, "master_repl_offset", 0);
        Line(sb, "second_repl_offset", -1);
        Line(sb, "repl_backlog_active", 0);
        Line(sb, "repl_backlog_size", server.Config.ReplBacklogSize);
        Line(sb, "repl_backlog_first_byte_offset", 0);
        Line(sb, "repl_backlog_histlen", 0);
    }

    private static void Cpu(StringBuilder sb)
    {
        using var process = Process.GetCurrentProcess();
        var sys = Seconds(process.PrivilegedProcessorTime);
        var user = Seconds(process.UserProcessorTime);
        sb.Append("# CPU\r\n");
        Line(sb, "used_cpu_sys", sys);
        Line(sb, "used_cpu_user", user);
        Line(sb, "used_cpu_sys_children", "0.000000");
        Line(sb, "used_cpu_user_children", "0.000000");
        // There is no single main thread: the process's times stand for it.
        Line(sb, "used_cpu_sys_main_thread", sys);
        Line(sb, "used_cpu_user_main_thread", user);
    }

    /// <summary>"%ld.%06ld" seconds and microseconds.</summary>
    private static string Seconds(TimeSpan t)
    {
        var us = t.Ticks / 10;
        return $"{us / 1_000_000}.{us % 1_000_000:D6}";
    }

    private static void CommandStats(StringBuilder sb, ServerContext server)
    {
        sb.Append("# Commandstats\r\n");
        var sums = server.CommandStats.All();
        foreach (var def in server.Commands.AllWithSubcommands)
        {
            if (def.Id >= sums.Length) continue;
            var s = sums[def.Id];
            var (calls, failed, rejected, usec) = (s.Calls, s.Failed, s.Rejected, s.Microseconds);
            if (calls == 0 && failed == 0 && rejected == 0) continue;
            sb.Append("cmdstat_").Append(def.Name).Append(":calls=").Append(calls)
                .Append(",usec=").Append(usec)
                .Append(",usec_per_call=").Append(F2(calls == 0 ? 0 : (float)usec / calls))
                .Append(",rejected_calls=").Append(rejected)
                .Append(",failed_calls=").Append(failed).Append("\r\n");
        }
    }

    /// <summary>latency_percentiles_usec_&lt;command&gt;:p50=...,p99=...: the configured percentiles of each command's
    /// histogram, in µs with 3 decimals; empty while latency-tracking is off.</summary>
    private static void LatencyStats(StringBuilder sb, ServerContext server)
    {
        sb.Append("# Latencystats\r\n");
        var diagnostics = server.Diagnostics;
        if (!diagnostics.LatencyTracking) return;
        var percentiles = diagnostics.Percentiles();
        foreach (var def in server.Commands.AllWithSubcommands)
        {
            if (server.CommandStats.Histogram(def) is not { } histogram) continue;
            sb.Append("latency_percentiles_usec_").Append(def.Name).Append(':');
            for (var j = 0; j < percentiles.Length; j++)
            {
                if (j > 0) sb.Append(',');
                sb.Append('p').Append(FormatPercentile(percentiles[j])).Append('=')
                    .Append((histogram.ValueAtPercentile(percentiles[j]) / 1000.0).ToString("F3", CultureInfo.InvariantCulture));
            }
            sb.Append("\r\n");
        }
    }

    /// <summary>"%f" without trailing zeros (Redis's trimDoubleString): 50, 99.9.</summary>
    private static string FormatPercentile(double p)
    {
        var text = p.ToString("F6", CultureInfo.InvariantCulture);
        if (text.Contains('.')) text = text.TrimEnd('0').TrimEnd('.');
        return text;
    }

    private static void ErrorStats(StringBuilder sb, ServerContext server)
    {
        sb.Append("# Errorstats\r\n");
        foreach (var (code, count) in server.CommandStats.Errors())
            sb.Append("errorstat_").Append(code).Append(":count=").Append(count).Append("\r\n");
    }

    private static void Keyspace(StringBuilder sb, ServerContext server)
    {
        sb.Append("# Keyspace\r\n");
        var shards = server.Keyspace?.ShardData;
        if (shards == null) return;
        for (var db = 0; db < server.Config.Databases; db++)
        {
            long keys = 0, expires = 0, ttlWeighted = 0;
            foreach (var shard in shards)
            {
                if (db >= shard.Databases.Length) continue;
                var database = shard.Databases[db];
                var count = database.Count;
                var volatileCount = database.VolatileCount;
                keys += count;
                expires += volatileCount;
                if (volatileCount > 0) ttlWeighted += Volatile.Read(ref database.AvgTtl) * volatileCount;
            }
            if (keys == 0) continue;
            var avgTtl = expires == 0 ? 0 : ttlWeighted / expires;
            sb.Append(CultureInfo.InvariantCulture, $"db{db}:keys={keys},expires={expires},avg_ttl={avgTtl}\r\n");
        }
    }

    /// <summary>AkkaRedis's own section (in INFO everything, or INFO shards): each shard actor's keys, mailbox
    /// depth and work done, and whether it is falling behind (see KeyspaceSupervisor's health check).</summary>
    private static void Shards(StringBuilder sb, ServerContext server)
    {
        sb.Append("# Shards\r\n");
        var refs = server.Keyspace;
        if (refs == null) return;
        var behind = 0;
        foreach (var shard in refs.ShardData)
            if (shard.Behind) behind++;
        Line(sb, "shards", refs.ShardData.Length);
        Line(sb, "shards_behind", behind);
        Line(sb, "shard_mailbox_warn_threshold", server.Config.ShardMailboxWarnThreshold);
        Line(sb, "transactions_mailbox", AkkaRedis.Actors.Keyspace.Mailboxes.Depth(refs.Transactions));
        for (var i = 0; i < refs.ShardData.Length; i++)
        {
            var shard = refs.ShardData[i];
            long keys = 0, expires = 0;
            foreach (var db in shard.Databases)
            {
                keys += db.Count;
                expires += db.VolatileCount;
            }
            sb.Append(CultureInfo.InvariantCulture,
                $"shard{i}:keys={keys},expires={expires},mailbox={(i < refs.Shards.Length ? AkkaRedis.Actors.Keyspace.Mailboxes.Depth(refs.Shards[i]) : 0)},batches={shard.BatchesProcessed},commands={shard.CommandsProcessed},behind={(shard.Behind ? 1 : 0)}\r\n");
        }
    }
}
