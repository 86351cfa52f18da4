using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Session;
using AkkaRedis.Net.Resp;
using AkkaRedis.Net.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;

namespace AkkaRedis.Host;

/// <summary>No console lifetime: the host stops when SHUTDOWN or a signal's shutdown asks it to
/// (<see cref="ServerContext.RequestShutdown"/>), never on its own.</summary>
internal sealed class SignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class Program
{
    private const string Version = ServerVersion.AkkaRedis;
    private const string RedisVersion = ServerVersion.Redis;
    /// <summary>How long shutdown waits for commands already received (well within docker stop's 10 s).</summary>
    private static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(5);

    public static async Task<int> Main(string[] args)
    {
        // Run socket completions on the I/O thread that observed them instead of queueing them to the thread
        // pool: with the connections' SocketThreadExecutor, that thread reads, runs and answers a request.
        // Must be set before the first socket is created.
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == null)
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        if (args.Length == 1 && args[0] is ("-v" or "--version"))
        {
            Console.WriteLine($"AkkaRedis server v={Version} (Redis {RedisVersion} compatible) bits=64");
            return 0;
        }
        if (args.Length == 1 && args[0] is ("-h" or "--help"))
        {
            Console.WriteLine("Usage: akkaredis-server [/path/to/redis.conf] [--name value ...] [--akka-config file.conf]");
            Console.WriteLine("Examples:\n  akkaredis-server --port 7777\n  akkaredis-server /etc/redis/6379.conf --loglevel verbose");
            return 0;
        }

        var config = new ServerConfig();
        Akka.Configuration.Config hocon;
        try
        {
            var akkaFile = args.SkipWhile(a => a != "--akka-config").Skip(1).FirstOrDefault();
            hocon = StartupConfig.LoadHocon(akkaFile);
            StartupConfig.Apply(config, hocon, args, out _);
            // io-threads: how many socket threads (event loops) run the connections; .NET reads it at the first
            // socket operation, which comes later. One, Redis's default, measured best on 2 cores shared with the
            // client (p99 at pipeline 1 about 1.5 ms against 3-5 ms with one per core: two busy loops time-slice).
            if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT") == null)
                Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", config.IoThreads.ToString());
        }
        catch (StartupConfig.FatalConfigError e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }

        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Is(config.LogLevel switch { "debug" => LogEventLevel.Debug, "verbose" => LogEventLevel.Verbose, "warning" => LogEventLevel.Warning, _ => LogEventLevel.Information })
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.With(new RedisLogFormat())
            .WriteTo.Console(outputTemplate: RedisLogFormat.Template)
            .CreateLogger();
        try
        {
            return await RunAsync(config, hocon);
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    private static async Task<int> RunAsync(ServerConfig config, Akka.Configuration.Config hocon)
    {
        Log.Information("oO0OoO0OoO0Oo AkkaRedis is starting oO0OoO0OoO0Oo");
        Log.Information("AkkaRedis version={Version} (Redis {RedisVersion} compatible), bits=64, pid={Pid}, just started", Version, RedisVersion, Environment.ProcessId);
        Log.Information(config.ConfigFile == null ? "Configuration loaded (defaults and arguments)" : $"Configuration loaded from {config.ConfigFile}");

        var server = new ServerContext(config, AkkaRedis.Actors.Session.Families.CreateTable());
        server.Tracer.Sink = new SerilogTraceSink(config);
        var host = new HostBuilder()
            .UseSerilog()
            // SIGTERM and SIGINT are Redis's to handle (shutdown-on-sigterm: the final save, and a failed one keeps the
            // server running), not the console lifetime's, which would stop the host at once.
            .ConfigureServices(services => services.AddSingleton<IHostLifetime, SignalLifetime>())
            .ConfigureServices(services => services.AddAkka("akkaredis", builder =>
            {
                builder.AddHocon(hocon.WithFallback(Akka.Streams.ActorMaterializer.DefaultConfig()), HoconAddMode.Prepend);
                builder.ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                });
                builder.WithActors((system, registry) =>
                {
                    var supervisor = system.ActorOf(AkkaRedis.Actors.ServerActors.Keyspace(server), "keyspace");
                    registry.Register<KeyspaceSupervisor>(supervisor);
                    system.ActorOf(ClientsCron.Props(server), "clients-cron");
                });
            }))
            .Build();

        await host.StartAsync();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var exitCode = 0;
        server.RequestShutdown = code =>
        {
            exitCode = code;
            lifetime.StopApplication();
        };
        var system = host.Services.GetRequiredService<ActorSystem>();
        var supervisor = host.Services.GetRequiredService<IRequiredActor<KeyspaceSupervisor>>().ActorRef;
        server.Keyspace = await supervisor.Ask<KeyspaceRefs>(new KeyspaceSupervisor.GetRefs(), TimeSpan.FromSeconds(30));
        Log.Information("Running mode=standalone, port={Port}, shards={Shards}.", config.Port, server.Keyspace.Shards.Length);
        Log.Information("Server initialized");
        var persistence = server.Keyspace.Persistence;
        server.Services.Persistence.RequestExit = server.RequestShutdown;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            persistence.Tell(new SignalShutdown("SIGTERM", config.ShutdownOnSigterm));
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            signal.Cancel = true;
            persistence.Tell(new SignalShutdown("SIGINT", config.ShutdownOnSigint));
        });
        // loadDataFromDisk: clients may connect meanwhile and are answered -LOADING; a bad file ends the process.
        var loaded = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await persistence.Ask<StartupLoadStarted>(new StartupLoad(loaded), TimeSpan.FromSeconds(30));
        _ = loaded.Task.ContinueWith(t =>
        {
            if (t.Result == null) return;
            Log.Warning("{Error}", t.Result);
            server.RequestShutdown(1);
        }, TaskScheduler.Default);

        // The AOF (issue 12): with appendonly yes it is loaded (every shard held) and opened before clients are
        // served; a corrupt or truncated AOF Redis would refuse stops the server here (exit code 1, as Redis's exit(1)).
        var aof = await server.Keyspace.Persistence.Ask<AofStartupDone>(AofStartup.Instance, Timeout.InfiniteTimeSpan);
        if (aof.Error != null)
        {
            Log.Warning("Could not load the append only file: {Error}. Exiting.", aof.Error);
            await host.StopAsync();
            return 1;
        }

        var materializer = system.Materializer();
        var listeners = new Listeners(materializer, server);
        if (!listeners.Start(config.Bind))
        {
            Log.Warning("Failed listening on port {Port} (TCP), aborting.", config.Port);
            await host.StopAsync();
            return 1;
        }
        if (listeners.Count == 0)
        {
            Log.Warning("Configured to not listen anywhere, exiting.");
            await host.StopAsync();
            return 1;
        }
        config.ApplyBind = listeners.Rebind;
        Log.Information("Ready to accept connections tcp");

        // Runs when SIGTERM/SIGINT or SHUTDOWN stops the host, before the actor system goes down: stop accepting,
        // let the commands already received be answered (a bounded wait), then let the host stop the actors.
        lifetime.ApplicationStopping.Register(() =>
        {
            Log.Warning("Received shutdown request, scheduling shutdown...");
            listeners.Stop();
            // After a final save every shard stays held: commands in flight will never be answered, and must not be.
            if (server.Services.Persistence.ShuttingDown) return;
            var deadline = DateTime.UtcNow + InFlightGrace;
            while (server.Clients.AnyInFlight() && DateTime.UtcNow < deadline) Thread.Sleep(10);
            if (server.Clients.AnyInFlight()) Log.Warning("Closing connections with commands still in flight after {Seconds} s", InFlightGrace.TotalSeconds);
        });
        await host.WaitForShutdownAsync();
        Log.Warning("AkkaRedis is now ready to exit, bye bye...");
        return exitCode;
    }
}
