using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AkkaRedis.Tests.EndToEnd.Infrastructure;

/// <summary>
/// A server process on a free port: started, polled with PING until it answers (with a deadline), its stdout and
/// stderr captured, killed on dispose.
/// </summary>
public abstract class ServerProcess : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _output = new();
    private Process? _process;

    public int Port { get; private set; }
    public string Name { get; }
    public string FileName { get; }
    public IReadOnlyList<string> ExtraArgs { get; }

    protected ServerProcess(string name, string fileName, IReadOnlyList<string> extraArgs)
    {
        Name = name;
        FileName = fileName;
        ExtraArgs = extraArgs;
    }

    protected abstract IEnumerable<string> Arguments(int port);

    public int Pid => _process?.Id ?? throw new InvalidOperationException($"{Name} is not started");
    public bool HasExited => _process == null || _process.HasExited;

    /// <summary>Everything the process wrote so far (stdout and stderr, interleaved as received).</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts on a free port; retries with another port when the chosen one was taken meanwhile.</summary>
    /// <summary>Starts <paramref name="process"/>, disposing it when it does not come up.</summary>
    protected static T StartOrDispose<T>(T process) where T : ServerProcess
    {
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return process;
    }

    public void Start()
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                StartOnce(FreePort());
                return;
            }
            catch (ServerStartException e) when (e.Exited)
            {
                last = e;
            }
        }
        throw last!;
    }

    private void StartOnce(int port)
    {
        Port = port;
        var psi = new ProcessStartInfo(FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in Arguments(port)) psi.ArgumentList.Add(a);
        lock (_output) _output.Clear();
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        // If the test host exits without disposing the fixtures (a crash, Ctrl+C), do not leave servers behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        WaitUntilReady(process);
    }

    private void Append(string? line)
    {
        if (line == null) return;
        lock (_output) _output.AppendLine(line);
    }

    private void WaitUntilReady(Process process)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        var lastError = "";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                process.WaitForExit();
                throw new ServerStartException($"{Name} exited with code {process.ExitCode} before answering PING on port {Port}.\n{Describe()}", exited: true);
            }
            try
            {
                using var c = RawRespClient.Connect(Port, TimeSpan.FromSeconds(2));
                var reply = c.Call("PING");
                // A server started with requirepass answers, just not PONG.
                if (reply.AsSpan().SequenceEqual("+PONG\r\n"u8) || reply.AsSpan().StartsWith("-NOAUTH "u8)) return;
                lastError = "PING replied " + Resp.Escape(reply);
            }
            catch (Exception e) when (e is SocketException or IOException or TimeoutException or AggregateException)
            {
                lastError = e.GetBaseException().Message;
            }
            Thread.Sleep(50); // polling interval while the process starts, not a synchronisation
        }
        Kill();
        throw new ServerStartException($"{Name} did not answer PING on port {Port} within {StartTimeout.TotalSeconds} s (last: {lastError}).\n{Describe()}", exited: false);
    }

    public string Describe() =>
        $"{Name}: {FileName} {string.Join(' ', Arguments(Port))} (pid {(_process == null ? "-" : _process.Id.ToString(CultureInfo.InvariantCulture))}" +
        $"{(_process is { HasExited: true } ? $", exited with {_process.ExitCode}" : "")})\n--- output ---\n{Tail(Output, 4000)}--- end of output ---";

    private static string Tail(string s, int max) => s.Length <= max ? s : "..." + s[^max..];

    /// <summary>Resident set size of the process (VmRSS in /proc/pid/status), in bytes.</summary>
    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException("VmRSS not found");
    }

    public RawRespClient Connect(TimeSpan? timeout = null) => RawRespClient.Connect(Port, timeout);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Sends SIGTERM, as `kill` or `docker stop` do.</summary>
    public void Terminate()
    {
        if (SendSignal(Pid, 15) != 0) throw new InvalidOperationException($"kill -TERM {Pid} failed");
    }

    /// <summary>The exit code once the process has exited within <paramref name="timeout"/>, else null.</summary>
    public int? WaitForExit(TimeSpan timeout)
    {
        var p = _process ?? throw new InvalidOperationException($"{Name} is not started");
        if (!p.WaitForExit(timeout)) return null;
        p.WaitForExit(); // flushes the asynchronous output readers
        return p.ExitCode;
    }

    private void Kill()
    {
        var p = _process;
        if (p == null) return;
        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        _process = null;
        GC.SuppressFinalize(this);
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public sealed class ServerStartException(string message, bool exited) : Exception(message)
    {
        public bool Exited { get; } = exited;
    }
}
