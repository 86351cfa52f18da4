using System.Diagnostics;
using System.Text;

namespace AkkaRedis.Tests.EndToEnd.Infrastructure;

/// <summary>Runs a command-line tool (redis-cli, redis-benchmark) to completion with a timeout.</summary>
public static class ToolProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit code {ExitCode} after {Elapsed.TotalSeconds:0.0} s\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
    }

    public static Result Run(string fileName, IEnumerable<string> args, TimeSpan timeout, string? stdin = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data != null) lock (stdout) stdout.Append(e.Data).Append('\n');
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data != null) lock (stderr) stderr.Append(e.Data).Append('\n');
        };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (stdin != null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}");
        }
        p.WaitForExit(); // flushes the asynchronous output readers
        lock (stdout) lock (stderr) return new Result(p.ExitCode, stdout.ToString(), stderr.ToString(), watch.Elapsed);
    }
}
