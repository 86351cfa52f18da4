#!/usr/bin/env python3
"""scripts/bench --issue12-bgsave: SET latency while BGSAVE runs, AkkaRedis beside redis-server (which forks).

Per server (one at a time, each in an empty temp dir, persistence off but for the BGSAVEs we ask for):
  1. DEBUG POPULATE BENCH_KEYS (1,000,000) keys ("key:N" -> "value:N").
  2. without a save: redis-benchmark -c BENCH_CLIENTS -r BENCH_KEYSPACE -t set -n BENCH_N --csv -> rps, p50, p99;
  3. with saves: the same run while BGSAVEs are started back to back for the whole run (the next one as soon as
     rdb_bgsave_in_progress is 0 again), so the run's p99 is the p99 during a save; memory sampled every 50 ms as the
     server's RSS plus its children's private pages (redis-server's forked child shares pages with its parent until
     it copies them: each page counted once), growth = peak during the saves - before; also the saves' count and
     duration.
The two runs are interleaved BENCH_REPEAT times (without, with, without, with...) and the medians reported.
Prints a markdown table; with --write rewrites the bench-issue12-bgsave section of BENCHMARKS.md.
--only=akkaredis,redis picks the servers; akkaredis@/path/to/akkaredis-server runs another build as one more server
(an A/B of a change: e.g. a copy of src/Host/bin/Release/net10.0 made before it).
"""
import os, re, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
AKKA_BIN = os.path.join(ROOT, "src", "Host", "bin", "Release", "net10.0", "akkaredis-server")
KEYS = int(os.environ.get("BENCH_KEYS", "1000000"))
N = int(os.environ.get("BENCH_N", "1000000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
KEYSPACE = int(os.environ.get("BENCH_KEYSPACE", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "2"))
PORT_BASE = int(os.environ.get("BENCH_PORT", "7260"))


def log(msg):
    print(f"[bench-bgsave {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Client:
    """A minimal RESP client (inline replies only as far as this script needs)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=600)
        self.buf = b""

    def call(self, *args):
        out = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in (x.encode() for x in map(str, args)))
        self.sock.sendall(out)
        return self._reply()

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b":"):
            return rest.decode()
        if kind == b"-":
            return "ERR:" + rest.decode()
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self.buf += self.sock.recv(65536)
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data.decode(errors="replace")
        raise ValueError(line)

    def info(self, field):
        m = re.search(rf"(?m)^{field}:(\S*)", self.call("INFO", "persistence"))
        return m.group(1) if m else None


def pss_kib(pid):
    """Physical memory of pid and its descendants, each page once, KiB: the server's VmRSS plus its children's private
    pages (Private_Clean + Private_Dirty of smaps_rollup: what a forked child copied on write; the pages it still
    shares are in the parent's RSS). The server's own smaps_rollup is not read: walking it takes 4-9 ms for a .NET
    process (hundreds of mappings) under the process's mmap lock, which stalled the server's threads every sample and
    made the measure part of what it measured; a child's is small and short-lived."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
        todo = []
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                todo.extend(int(c) for c in f.read().split())
    except (FileNotFoundError, ProcessLookupError):
        return total
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith(("Private_Clean:", "Private_Dirty:")):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def benchmark(port):
    out = subprocess.run(["redis-benchmark", "-p", str(port), "-c", str(CLIENTS), "-r", str(KEYSPACE), "-n", str(N),
                          "-t", "set", "--csv"], capture_output=True, text=True, timeout=1800).stdout
    row = [l for l in out.splitlines() if l.startswith('"SET"')][0]
    cols = [c.strip('"') for c in row.split(",")]
    # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    return {"rps": float(cols[1]), "p50": float(cols[4]), "p99": float(cols[6])}


def with_saves(port, pid):
    """The benchmark while BGSAVEs run back to back; memory sampled meanwhile."""
    admin = Client(port)
    before = pss_kib(pid)
    done = threading.Event()
    stats = {"saves": 0, "peak": before, "durations": []}

    def saver():
        while not done.is_set():
            start = time.monotonic()
            reply = admin.call("BGSAVE")
            if reply.startswith("ERR"):
                time.sleep(0.01)
                continue
            while admin.info("rdb_bgsave_in_progress") != "0":
                stats["peak"] = max(stats["peak"], pss_kib(pid))
                time.sleep(0.05)
            stats["durations"].append(time.monotonic() - start)
            stats["saves"] += 1
            if admin.info("rdb_last_bgsave_status") != "ok":
                raise RuntimeError("BGSAVE failed")

    t = threading.Thread(target=saver)
    t.start()
    result = benchmark(port)
    done.set()
    t.join()
    result.update(saves=stats["saves"], growth_mib=(stats["peak"] - before) / 1024, before_mib=before / 1024,
                  save_s=statistics.median(stats["durations"]) if stats["durations"] else float("nan"))
    return result


def run_server(name, port):
    work = tempfile.mkdtemp(prefix=f"bgsave-bench-{name.split('@')[0]}-")
    if name.startswith("akkaredis"):
        # akkaredis@/path/to/akkaredis-server: another build side by side (an A/B of a change).
        cmd = [name.split("@", 1)[1] if "@" in name else AKKA_BIN, "--port", str(port), "--dir", work, "--save", "", "--enable-debug-command", "yes"]
    else:
        cmd = ["redis-server", "--port", str(port), "--dir", work, "--save", "", "--appendonly", "no",
               "--enable-debug-command", "yes", "--daemonize", "no"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work)
    try:
        deadline = time.time() + 60
        while True:
            try:
                c = Client(port)
                if c.call("PING") == "PONG":
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"{name} did not start")
            time.sleep(0.2)
        log(f"{name}: DEBUG POPULATE {KEYS}")
        assert c.call("DEBUG", "POPULATE", KEYS, "key") == "OK"
        assert c.call("DBSIZE") == str(KEYS)
        rows = {"without": [], "with": []}
        for r in range(REPEAT):
            log(f"{name}: run {r + 1}/{REPEAT} without a save")
            rows["without"].append(benchmark(port))
            log(f"{name}: run {r + 1}/{REPEAT} with BGSAVEs back to back")
            rows["with"].append(with_saves(port, proc.pid))
        size = os.path.getsize(os.path.join(work, "dump.rdb"))
        return rows, size
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)


def med(rows, key):
    return statistics.median(r[key] for r in rows)


def main():
    write = "--write" in sys.argv
    only = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--only=")), "akkaredis,redis").split(",")
    results = {}
    for i, name in enumerate(only):
        results[name] = run_server(name, PORT_BASE + i)
    lines = [
        f"BGSAVE of {KEYS:,} keys (DEBUG POPULATE) during `redis-benchmark -c {CLIENTS} -r {KEYSPACE} -n {N:,} -t set`, "
        f"BGSAVEs back to back for the whole run vs none; medians of {REPEAT} interleaved runs. Memory: the server's RSS "
        "plus its children's private pages (what the fork copied; each page counted once), peak during the saves minus "
        "before.",
        "",
        "| server | rps without | rps with | p99 without (ms) | p99 with (ms) | p99 with/without | saves in the run | save time (s) | memory before (MiB) | growth during save (MiB) | file (MB) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, (rows, size) in results.items():
        wo, w = rows["without"], rows["with"]
        ratio = med(w, "p99") / med(wo, "p99") if med(wo, "p99") > 0 else float("nan")
        lines.append(f"| {name} | {med(wo, 'rps'):,.0f} | {med(w, 'rps'):,.0f} | {med(wo, 'p99'):.3f} | {med(w, 'p99'):.3f} | "
                     f"{ratio:.2f}x | {med(w, 'saves'):.0f} | {med(w, 'save_s'):.2f} | {med(w, 'before_mib'):.0f} | "
                     f"{med(w, 'growth_mib'):.0f} | {size / 1e6:.1f} |")
    lines.append("")
    lines.append("Target (issue 12): AkkaRedis's p99 with a save within 2x its p99 without.")
    table = "\n".join(lines)
    print(table)
    if write:
        path = os.path.join(ROOT, "BENCHMARKS.md")
        text = open(path).read()
        start, end = "<!-- bench-issue12-bgsave:start -->", "<!-- bench-issue12-bgsave:end -->"
        cmd = "scripts/bench --issue12-bgsave"
        block = f"{start}\n`{cmd}` ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores shared with other work):\n\n{table}\n{end}"
        if start in text:
            text = text[:text.index(start)] + block + text[text.index(end) + len(end):]
        else:
            text = text.rstrip("\n") + "\n\n## Issue 12: BGSAVE under load\n\n" + block + "\n"
        open(path, "w").write(text)
        log("BENCHMARKS.md updated")


if __name__ == "__main__":
    main()
