using System.Diagnostics;
using System.Globalization;
using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// The Docker image as a user meets it: built with scripts/docker-build (which installs docker.io and debootstrap
/// when missing, starts dockerd and builds its base image offline), run with a published port and
/// `--requirepass` as container arguments, used with redis-cli on the host, then stopped with `docker stop`.
/// About 2 minutes on a machine without Docker, under a minute once the base image exists.
/// </summary>
[Trait("Category", "Docker")]
public sealed class DockerImageTests(ITestOutputHelper output)
{
    private const string Password = "secret";
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan DockerTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public void ContainerServesRedisCliEnforcesRequirePassAndStopsCleanly()
    {
        var root = AkkaRedisProcess.RepoRoot();
        // A tag of this run's own: test runs of other checkouts on the same Docker daemon never swap images.
        var port = ServerProcess.FreePort();
        var image = $"akkaredis:e2e-{Environment.ProcessId}-{port}";
        var container = $"akkaredis-e2e-{Environment.ProcessId}-{port}";
        var build = ToolProcess.Run(Path.Combine(root, "scripts", "docker-build"), ["--tag", image], BuildTimeout);
        output.WriteLine($"scripts/docker-build: {build.Elapsed.TotalSeconds:0} s");
        foreach (var line in build.Stderr.Split('\n'))
            if (line.StartsWith("[docker-build", StringComparison.Ordinal)) output.WriteLine(line);
        Assert.True(build.ExitCode == 0, $"scripts/docker-build --tag {image}: {build}");

        try
        {
            var run = Docker("run", "-d", "--name", container, "-p", $"127.0.0.1:{port}:6379", image, "--requirepass", Password);
            Assert.True(run.ExitCode == 0, $"docker run: {run}");

            // docker-proxy accepts connections before the server listens: wait for a real PONG.
            ToolProcess.Result? lastPing = null;
            var ready = Poll.Until(() =>
            {
                Assert.True(IsRunning(container), $"the container exited during startup\n{Logs(container)}");
                lastPing = Cli(port, "-a", Password, "--no-auth-warning", "ping");
                return lastPing.Stdout == "PONG\n";
            }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
            Assert.True(ready, $"no PONG within 60 s; last redis-cli: {lastPing}\n{Logs(container)}");

            // Authentication (requirepass passed as a container argument). Asserted at the end, so that a server
            // without AUTH still shows whether everything else works.
            var withoutPassword = Cli(port, "ping");
            var wrongPassword = Cli(port, "-a", "wrong", "--no-auth-warning", "ping");

            var ping = Cli(port, "-a", Password, "--no-auth-warning", "ping");
            Assert.Equal("PONG\n", ping.Stdout);
            Assert.Equal("OK\n", Cli(port, "-a", Password, "--no-auth-warning", "set", "docker:key", "hello docker").Stdout);
            Assert.Equal("hello docker\n", Cli(port, "-a", Password, "--no-auth-warning", "get", "docker:key").Stdout);

            // The image's HEALTHCHECK command finds the port and accepts the server's answer.
            var health = Docker("exec", container, "docker-healthcheck");
            Assert.True(health.ExitCode == 0, $"docker-healthcheck in the container: {health}");

            // docker stop: SIGTERM to PID 1 (the server, exec'd by the entrypoint), SIGKILL after 10 s.
            var watch = Stopwatch.StartNew();
            var stop = Docker("stop", "-t", "10", container);
            watch.Stop();
            Assert.True(stop.ExitCode == 0, $"docker stop: {stop}");
            var logs = Logs(container);
            output.WriteLine($"docker stop: {watch.Elapsed.TotalSeconds:0.0} s\n{logs}");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"docker stop took {watch.Elapsed.TotalSeconds:0.0} s\n{logs}");
            var exitCode = Docker("inspect", "-f", "{{.State.ExitCode}}", container);
            Assert.True(exitCode.ExitCode == 0, $"docker inspect: {exitCode}");
            Assert.True(exitCode.Stdout.Trim() == "0", $"container exit code {exitCode.Stdout.Trim()} (137 = killed after the timeout)\n{logs}");
            Assert.Contains("ready to exit", logs);

            Assert.True(withoutPassword.Stdout.Trim() == "NOAUTH Authentication required.",
                $"redis-cli ping without a password: {withoutPassword}");
            Assert.True(wrongPassword.Stdout.Trim() == "NOAUTH Authentication required." &&
                        wrongPassword.Stderr.Contains("AUTH failed: WRONGPASS invalid username-password pair or user is disabled.", StringComparison.Ordinal),
                $"redis-cli -a wrong ping: {wrongPassword}");
            Assert.True(!ping.Stderr.Contains("AUTH failed", StringComparison.Ordinal), $"redis-cli -a {Password} ping: {ping}");
        }
        finally
        {
            // The image goes too; the base image stays, so the next run only rebuilds the few layers on top of it.
            foreach (var cleanup in new[] { new[] { "rm", "-f", container }, new[] { "rmi", "-f", image } })
            {
                try
                {
                    Docker(cleanup);
                }
                catch (TimeoutException e)
                {
                    output.WriteLine($"docker {string.Join(' ', cleanup)}: {e.Message}");
                }
            }
        }
    }

    private static ToolProcess.Result Docker(params string[] args) => ToolProcess.Run(RealRedisProcess.Tool("docker"), args, DockerTimeout);

    private static ToolProcess.Result Cli(int port, params string[] args) =>
        ToolProcess.Run(RealRedisProcess.Tool("redis-cli"), ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), .. args], CliTimeout);

    private static bool IsRunning(string container) => Docker("inspect", "-f", "{{.State.Running}}", container).Stdout.Trim() == "true";

    private static string Logs(string container)
    {
        var logs = Docker("logs", container);
        return $"--- docker logs ---\n{logs.Stdout}{logs.Stderr}";
    }
}
