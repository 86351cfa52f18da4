#!/usr/bin/env python3
"""Helpers for scripts/bench (stdlib only).

Sub-commands:
  freeport                     print a TCP port that is currently free on 127.0.0.1 and *
  peakrss PID [reset]          peak RSS (KiB) of PID and its descendants since the last reset (-1: unreadable)
  cputicks PID                 print utime+stime (clock ticks, /proc/<pid>/stat fields 14+15)
                               summed over PID and all its live descendants; "-1" if PID is gone
  busy [SECONDS]               print the % of total CPU time that was busy over SECONDS (default 1)
  csv FILE TEST                parse redis-benchmark --csv output, print "rps avg p50 p99" for TEST
                               (TEST "*": the only row, that of a custom command)
  custom TEST                  print the redis-benchmark custom command of an issue-10 test (exit 1: none)
  preload PORT TEST            load what TEST needs on the server at PORT (exit 3: the server does not
                               know a command of the preload, e.g. Garnet without GEOADD)
  render META RESULTS MD|-     print the markdown report; if MD is not "-", rewrite the
                               generated section of MD between the bench markers (scripts/bench --issue11's
                               results, meta "mode" issue11, have tables of their own: render_issue11)
"""
import csv
import hashlib
import os
import random
import socket
import statistics
import sys
import tempfile

# The BENCHMARKS.md section a run rewrites: "bench" (the main one) unless BENCH_SECTION names another, e.g.
# scripts/bench --collections writes "bench-collections", so that one run does not replace the other's table.
SECTION = os.environ.get("BENCH_SECTION") or "bench"
START = f"<!-- {SECTION}:start -->"
END = f"<!-- {SECTION}:end -->"
SERVERS = ["akkaredis", "baseline", "redis", "garnet"]
BUSY_WARN = 15  # % of total CPU busy with other work before a server starts


# ---------------------------------------------------------------- freeport
def _port_free(port):
    for host in ("127.0.0.1", "0.0.0.0"):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind((host, port))
        except OSError:
            return False
        finally:
            s.close()
    return True


def cmd_freeport(_args):
    # Stay out of the ephemeral range (redis-benchmark's client sockets live there). BENCH_PORTS=LO-HI narrows the
    # range (a session sharing the machine with others keeps to its own ports).
    lo, hi = (int(x) for x in (os.environ.get("BENCH_PORTS") or "20000-29999").split("-", 1))
    rnd = random.Random()
    for _ in range(500):
        port = rnd.randint(lo, hi)
        if _port_free(port):
            print(port)
            return 0
    print("no free port found", file=sys.stderr)
    return 1


# ---------------------------------------------------------------- cputicks
def _stat_fields(pid):
    with open(f"/proc/{pid}/stat", "rb") as f:
        data = f.read().decode("ascii", "replace")
    # comm (field 2) may contain spaces/parens: split after the last ')'.
    rest = data[data.rindex(")") + 2:].split()
    # rest[0] is field 3 (state); field k is rest[k-3].
    return rest


def cmd_cputicks(args):
    root = int(args[0])
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            ppid = int(_stat_fields(name)[1])  # field 4
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(name))
    total, todo, seen = 0, [root], set()
    root_alive = False
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            f = _stat_fields(pid)
        except (OSError, ValueError):
            continue
        if f[0] == "Z":  # zombie: counts nothing useful, and means "dead" for the root
            continue
        if pid == root:
            root_alive = True
        total += int(f[11]) + int(f[12])  # fields 14 (utime) and 15 (stime)
        todo.extend(children.get(pid, []))
    print(total if root_alive else -1)
    return 0


# ---------------------------------------------------------------- peak RSS
def _tree(root):
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                children.setdefault(int(_stat_fields(name)[1]), []).append(int(name))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def cmd_peakrss(args):
    """peakrss PID [reset]: the sum of VmHWM (peak RSS, KiB) over PID and its descendants; "reset" first clears the
    peaks (writing 5 to /proc/PID/clear_refs, Linux 4.0+) so that the next read is the peak of what ran between.
    Prints -1 when the peaks cannot be read or cleared (not our process, no permission)."""
    pids = _tree(int(args[0]))
    try:
        if len(args) > 1 and args[1] == "reset":
            for pid in pids:
                with open(f"/proc/{pid}/clear_refs", "w") as f:
                    f.write("5")
            print(0)
            return 0
        total = 0
        for pid in pids:
            with open(f"/proc/{pid}/status") as f:
                total += next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
        print(total)
    except (OSError, StopIteration, ValueError):
        print(-1)
    return 0


# ---------------------------------------------------------------- busy
def _cpu_times():
    with open("/proc/stat") as f:
        vals = [int(x) for x in f.readline().split()[1:]]
    idle = vals[3] + (vals[4] if len(vals) > 4 else 0)  # idle + iowait
    return sum(vals[:8]), idle  # exclude guest time (already counted in user)


def cmd_busy(args):
    import time
    t0, i0 = _cpu_times()
    time.sleep(float(args[0]) if args else 1.0)
    t1, i1 = _cpu_times()
    dt = t1 - t0
    print(f"{100.0 * (1 - (i1 - i0) / dt):.0f}" if dt > 0 else "0")
    return 0


# ---------------------------------------------------------------- csv
def cmd_csv(args):
    path, test = args[0], args[1].upper()
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    # redis-benchmark names some rows with a note ("LRANGE_100 (first 100 elements)", "MSET (10 keys)") and runs
    # preloads of its own before some tests ("LPUSH (needed to benchmark LRANGE)"): the row of TEST is the one
    # named TEST, else the one named "TEST (...)" that is not a preload.
    def name(row):
        return (row.get("test") or "").upper()
    if test == "*":  # a custom command: redis-benchmark names its one row by the command line
        match = rows[:1]
    else:
        match = [r for r in rows if name(r) == test] or \
                [r for r in rows if name(r).startswith(test + " (") and "NEEDED TO" not in name(r)]
    for row in match:
        print(row["rps"], row.get("avg_latency_ms", "nan"),
              row.get("p50_latency_ms", "nan"), row.get("p99_latency_ms", "nan"))
        return 0
    print(f"no row for test {test} in {path}", file=sys.stderr)
    return 1


# ---------------------------------------------------------------- issue 10's tests
# scripts/bench --issue10 measures commands redis-benchmark 7.0.15 has no -t test for (its -t xadd came with 7.2)
# as custom commands, each table row named like a redis-benchmark row. -r applies to them: every __rand_int__ is
# replaced by its own random number, written as 12 zero-padded digits. Redis refuses such a number as an integer
# argument (string2ll takes no leading zeros), so SETBIT's offset is fixed (the key varies); as a float it is fine
# after a "13." prefix (GEOADD's coordinates: 13.000000012345).
def _resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def _preload_bitmap():
    # A 4 KiB bitmap of seeded random bytes: BITCOUNT's popcount over a realistic page of bits.
    rnd = random.Random(10)
    return [_resp("SET", "bench:bitmap", bytes(rnd.getrandbits(8) for _ in range(4096)))]


def _preload_geo():
    # 1000 seeded points around Palermo (13.36, 38.12), +-1 degree: GEOSEARCH's radius finds a few hundred.
    rnd = random.Random(10)
    cmds = []
    for batch in range(10):
        args = ["GEOADD", "geo:points"]
        for i in range(100):
            args += [f"{13.361389 + rnd.uniform(-1, 1):.6f}", f"{38.115556 + rnd.uniform(-1, 1):.6f}", f"p{batch * 100 + i}"]
        cmds.append(_resp(*args))
    return cmds


# scripts/bench --issue13-evalsha: EVALSHA of a script doing one GET and one SET of its key (the shape of a
# read-modify-write script), loaded by SCRIPT LOAD on each server before the warm-up. The SHA1 is the script's, as
# Redis computes it (sha1hex of the body), so the custom command can name it before the server is asked.
EVALSHA_SCRIPT = "redis.call('GET', KEYS[1]); return redis.call('SET', KEYS[1], ARGV[1])"
EVALSHA_SHA = hashlib.sha1(EVALSHA_SCRIPT.encode()).hexdigest()


def _preload_evalsha():
    return [_resp("SCRIPT", "LOAD", EVALSHA_SCRIPT)]


CUSTOM = {
    # redis-benchmark 7.2's own xadd test: one stream, one 3-byte field (-d 3).
    "xadd": ("XADD mystream * myfield xxx", None),
    "pfadd": ("PFADD hll __rand_int__", None),
    "setbit": ("SETBIT bits:__rand_int__ 1000 1", None),
    "bitcount": ("BITCOUNT bench:bitmap", _preload_bitmap),
    "geoadd": ("GEOADD geo 13.__rand_int__ 38.__rand_int__ member:__rand_int__", None),
    "geosearch": ("GEOSEARCH geo:points FROMLONLAT 13.361389 38.115556 BYRADIUS 50 km COUNT 10", _preload_geo),
    # --issue13-evalsha: a random key of -r's keyspace per request, and one hot key for every request.
    "evalsha": (f"EVALSHA {EVALSHA_SHA} 1 key:__rand_int__ v", _preload_evalsha),
    "evalsha_hot": (f"EVALSHA {EVALSHA_SHA} 1 bench:evalsha:hot v", _preload_evalsha),
}

# What a server answers to a command it does not have (Redis/AkkaRedis, Garnet): the row says "unsupported".
UNSUPPORTED = ("unknown command", "not supported", "unsupported", "not implemented")


def cmd_custom(args):
    entry = CUSTOM.get(args[0].lower())
    if entry is None:
        return 1
    print(entry[0])
    return 0


def cmd_preload(args):
    port, test = int(args[0]), args[1].lower()
    entry = CUSTOM.get(test)
    if entry is None or entry[1] is None:
        return 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        f = s.makefile("rb")
        for cmd in entry[1]():
            s.sendall(cmd)
            line = f.readline()
            if line.startswith(b"-"):
                msg = line[1:].strip().decode("utf-8", "replace")
                print(f"preload of {test}: {msg}", file=sys.stderr)
                return 3 if any(u in msg.lower() for u in UNSUPPORTED) else 1
            if line.startswith(b"$") and int(line[1:]) >= 0:
                payload = f.read(int(line[1:]) + 2)[:-2]
                # SCRIPT LOAD must answer the SHA1 the custom command names, else every EVALSHA is a NOSCRIPT.
                if cmd.startswith(b"*3\r\n$6\r\nSCRIPT") and payload.decode() != EVALSHA_SHA:
                    print(f"preload of {test}: SCRIPT LOAD answered {payload!r}, not {EVALSHA_SHA}", file=sys.stderr)
                    return 1
    return 0


# ---------------------------------------------------------------- render
def _read_meta(path):
    meta = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if "\t" in line:
                k, v = line.split("\t", 1)
                meta[k] = v
    return meta


def _read_results(path):
    """-> {(server, test, pipeline): [ {rps, cpu_us} or None per run ]}"""
    res = {}
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 9 or p[0] == "server":
                continue
            server, test, pipeline, _rep, n, status, rps, ticks, clk = p[:9]
            key = (server, test.upper(), int(pipeline))
            if status == "unsupported":
                res.setdefault(key, []).append("unsupported")
                continue
            if status != "ok":
                res.setdefault(key, []).append(None)
                continue
            n, rps, ticks, clk = int(n), float(rps), int(ticks), int(clk)
            cpu_us = ticks / clk * 1e6 / n if ticks >= 0 else None
            res.setdefault(key, []).append({"rps": rps, "cpu_us": cpu_us})
    return res


def _median(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def _fmt_rps(v):
    return "fail" if v is None else v if isinstance(v, str) else f"{v:,.0f}"


def _fmt_ratio(a, b):
    return "–" if not isinstance(a, float) or not isinstance(b, float) or b == 0 else f"{a / b:.2f}"


def _fmt_cpu(v):
    return "n/a" if v is None else v if isinstance(v, str) else f"{v:.2f}"


def render(meta, results):
    servers = [s for s in SERVERS if s in meta["servers"].split(",")]
    tests = [t.upper() for t in meta["tests"].split(",")]
    pipelines = [int(p) for p in meta["pipelines"].split(",")]
    base, others = servers[0], servers[1:]

    head = ["test", "pipeline"] + [f"{s} req/s" for s in servers]
    head += [f"{base}/{o}" for o in others]
    head += [f"{s} CPU µs/req" for s in servers]
    align = ["---", "---:"] + ["---:"] * (len(head) - 2)
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    for t in tests:
        for p in pipelines:
            rps, cpu = {}, {}
            for s in servers:
                runs = results.get((s, t, p), [None])
                if "unsupported" in runs:
                    rps[s] = cpu[s] = "unsupported"
                    continue
                ok = [r for r in runs if r is not None]
                # A cell is valid only if every repetition succeeded.
                if len(ok) == len(runs):
                    rps[s] = _median([r["rps"] for r in ok])
                    cpu[s] = _median([r["cpu_us"] for r in ok])
                else:
                    rps[s] = cpu[s] = None
            row = [t, str(p)] + [_fmt_rps(rps[s]) for s in servers]
            row += [_fmt_ratio(rps[base], rps[o]) for o in others]
            row += [_fmt_cpu(cpu[s]) for s in servers]
            lines.append("| " + " | ".join(row) + " |")

    versions = "; ".join(meta.get(f"version_{s}", s) for s in servers)
    n_desc = ", ".join(f"P{p}: {meta.get(f'n_p{p}', '?')}" for p in pipelines)
    reps = int(meta.get("repeat", "1"))
    out = [
        "## Latest benchmark run" if SECTION == "bench" else f"## Latest benchmark run ({SECTION})",
        "",
        f"_Generated by `scripts/bench`; everything between the `{SECTION}:start`/`{SECTION}:end` "
        "markers is rewritten on each run._",
        "",
        f"- **Date:** {meta['date']}",
        f"- **Command:** `{meta['cmdline']}`",
        f"- **Machine:** {meta['nproc']} CPUs (nproc), {meta['cpu_model']}, "
        f"{meta['mem']} RAM, Linux {meta['kernel']}, .NET SDK {meta['dotnet']}",
        f"- **Servers:** {versions}",
        f"- **Load:** {meta['benchmark_version']}: `{meta['bench_template']}` "
        f"(requests per run — {n_desc}); "
        + (f"median of {reps} runs per cell; " if reps > 1 else "")
        + ("repetitions interleaved, in ABBA order (each server restarted and warmed up for every repetition); "
           if meta.get("interleave") == "1" else "")
        + "servers run one at a time, each after a warm-up, on loopback; "
        "the client shares the same cores.",
        "- **CPU µs/req:** server utime+stime from `/proc/<pid>/stat` (incl. child processes) "
        f"sampled just before and after each run, ÷ requests (clock tick = "
        f"{1e6 / int(meta['clk_tck']):.0f} µs, so small runs are coarse).",
    ]
    customs = [(t, meta[f"custom_{t.lower()}"]) for t in tests if f"custom_{t.lower()}" in meta]
    if customs:
        out.append("- **Custom commands** (redis-benchmark's arguments instead of `-t TEST`; -r applies to "
                   "`__rand_int__`; preloads from `scripts/bench.d/benchlib.py` on every server before the warm-up): "
                   + "; ".join(f"{t}: `{c}`" for t, c in customs)
                   + ". A server without the command shows `unsupported`.")
    if "target" in meta:
        out.append(f"- **Target:** {meta['target']}")
    if "note" in meta:
        out.append(f"- **Note:** {meta['note']}")
    busy = [(s, meta[f"busy_{s}"]) for s in servers if f"busy_{s}" in meta]
    if any(int(b) >= BUSY_WARN for _, b in busy):
        out.append("- **⚠ Background load:** CPU already busy before starting each server "
                   "(measured over 1 s, other processes): "
                   + ", ".join(f"{s} {b}%" for s, b in busy)
                   + " — numbers from this run are unreliable.")
    out.append("")
    return "\n".join(out + lines) + "\n"


# ---------------------------------------------------------------- render --issue11
# The issue's Done item: each row at least 0.8x redis-server's throughput with a p99 at most 1.5x its p99. The
# calibration and the no-subscriber reference are not targets.
I11_TARGET_ROWS = ("publish-1sub", "publish-100sub", "multi-exec-10incr", "blpop-pingpong")
I11_UNITS = {"calibrate-incr": "INCR/s", "publish-0sub": "PUBLISH/s", "publish-1sub": "PUBLISH/s",
             "publish-100sub": "PUBLISH/s", "multi-exec-10incr": "EXEC/s", "blpop-pingpong": "rounds/s"}


def _read_results_issue11(path):
    """-> (rows in order, {(server, scenario, variant): [ {ops, cpu_us, p50, p99, delivered} | None | "unsupported" ]})"""
    res, rows = {}, []
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 6 or p[0] == "server":
                continue
            p += [""] * (15 - len(p))
            server, scen, var, _rep, n, status, ops, ticks, clk, _avg, p50, p99, delivered, ccpu, rss = p[:15]
            if (scen, var) not in rows:
                rows.append((scen, var))
            cell = res.setdefault((server, scen, var), [])
            if status != "ok":
                cell.append("unsupported" if status == "unsupported" else None)
                continue
            n, ticks, clk = int(n), int(ticks), int(clk)
            cell.append({"ops": float(ops), "cpu_us": ticks / clk * 1e6 / n if ticks >= 0 and n else None,
                         "p50": float(p50), "p99": float(p99),
                         "delivered": float(delivered) if delivered not in ("", "-") else None,
                         "client_cpu": float(ccpu) if ccpu not in ("", "nan", "NaN") else None,
                         "rss_mb": int(rss) / 1024 if rss not in ("", "-1") else None})
    return rows, res


def _cell_issue11(runs):
    """The median of each metric over the repetitions; "unsupported"; or None if any repetition failed."""
    if not runs:
        return None
    if "unsupported" in runs:
        return "unsupported"
    if any(r is None for r in runs):
        return None
    return {k: _median([r[k] for r in runs]) for k in ("ops", "cpu_us", "p50", "p99", "delivered", "client_cpu", "rss_mb")}


def _fmt_ms(v):
    return "–" if v is None else f"{v:.3f}"


def render_issue11(meta, results_path):
    servers = [s for s in SERVERS if s in meta["servers"].split(",")]
    base, others = servers[0], servers[1:]
    rows, res = _read_results_issue11(results_path)
    cells = {(s, r): _cell_issue11(res.get((s,) + r, [])) for s in servers for r in rows}

    def val(s, r, k):
        c = cells[(s, r)]
        return c if isinstance(c, str) or c is None else c[k]

    def fmt(v, f):
        return "fail" if v is None else v if isinstance(v, str) else f(v)

    def ratio(a, b):
        return "–" if not isinstance(a, float) or not isinstance(b, float) or b == 0 else f"{a / b:.2f}"

    targets = base == "akkaredis" and "redis" in servers

    # Throughput
    head = ["scenario", "variant", "unit"] + [f"{s}" for s in servers] + [f"{base}/{o}" for o in others]
    head += [f"{s} CPU µs/op" for s in servers]
    if targets:
        head.append("target ≥0.8x, p99 ≤1.5x")
    t1 = ["| " + " | ".join(head) + " |", "| " + " | ".join(["---"] * 3 + ["---:"] * (len(head) - 3)) + " |"]
    for r in rows:
        line = [r[0], r[1], I11_UNITS.get(r[0], "ops/s")]
        line += [fmt(val(s, r, "ops"), _fmt_rps) for s in servers]
        line += [ratio(val(base, r, "ops"), val(o, r, "ops")) for o in others]
        line += [fmt(val(s, r, "cpu_us"), _fmt_cpu) for s in servers]
        if targets:
            a_ops, r_ops, a99, r99 = val(base, r, "ops"), val("redis", r, "ops"), val(base, r, "p99"), val("redis", r, "p99")
            if r[0] not in I11_TARGET_ROWS:
                verdict = "(reference)"
            elif "unsupported" in (a_ops, r_ops):
                verdict = "unsupported"
            elif all(isinstance(v, float) for v in (a_ops, r_ops, a99, r99)) and r_ops > 0 and r99 > 0:
                ok = a_ops / r_ops >= 0.8 and a99 / r99 <= 1.5
                detail = f"{a_ops / r_ops:.2f}x, p99 {a99 / r99:.2f}x"
                # PUBLISH's throughput is what reaches the subscribers: a server that answers PUBLISH at once but
                # delivers later only buffers (its keep-up falls below 1), so delivered messages/s count too.
                a_del, r_del = val(base, r, "delivered"), val("redis", r, "delivered")
                if isinstance(a_del, float) and isinstance(r_del, float) and r_del > 0:
                    ok = ok and a_del / r_del >= 0.8
                    detail += f", delivered {a_del / r_del:.2f}x"
                verdict = ("met" if ok else "**not met**") + f" ({detail})"
            else:
                verdict = "–"
            line.append(verdict)
        t1.append("| " + " | ".join(line) + " |")

    # Latency
    head = ["scenario", "variant"] + [f"{s} p50 ms" for s in servers] + [f"{s} p99 ms" for s in servers]
    head += [f"p99 {base}/{o}" for o in others]
    t2 = ["| " + " | ".join(head) + " |", "| " + " | ".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + " |"]
    for r in rows:
        line = [r[0], r[1]] + [fmt(val(s, r, "p50"), _fmt_ms) for s in servers]
        line += [fmt(val(s, r, "p99"), _fmt_ms) for s in servers]
        line += [ratio(val(base, r, "p99"), val(o, r, "p99")) for o in others]
        t2.append("| " + " | ".join(line) + " |")

    # Delivery (publish rows with subscribers): messages/s all subscribers received, and that rate over
    # PUBLISH/s x subscribers (1.00: the readers kept up with what the server sent).
    sub_rows = [r for r in rows if r[0].startswith("publish-") and r[0] != "publish-0sub"]
    t3 = []
    if sub_rows:
        head = ["scenario", "variant"] + [f"{s} delivered msg/s" for s in servers] + [f"{s} keep-up" for s in servers]
        t3 = ["| " + " | ".join(head) + " |", "| " + " | ".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + " |"]
        for r in sub_rows:
            subs = int(r[0][len("publish-"):-len("sub")])
            line = [r[0], r[1]] + [fmt(val(s, r, "delivered"), _fmt_rps) for s in servers]
            for s in servers:
                d, o = val(s, r, "delivered"), val(s, r, "ops")
                line.append(f"{d / (o * subs):.2f}" if isinstance(d, float) and isinstance(o, float) and o > 0 else
                            fmt(d if not isinstance(d, float) else None, str))
            t3.append("| " + " | ".join(line) + " |")

    # The server's peak RSS during the measured run (messages a server holds for slow subscribers show here), and
    # the client side's CPU: the generator's against redis-benchmark's (calibrate-incr) is its cost.
    def opt(s, r, k, f):
        c = cells[(s, r)]
        return "n/a" if isinstance(c, dict) and c[k] is None else fmt(val(s, r, k), f)

    head = ["scenario", "variant"] + [f"{s} peak RSS MB" for s in servers] + [f"client CPU µs/op ({s})" for s in servers]
    t4 = ["| " + " | ".join(head) + " |", "| " + " | ".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + " |"]
    for r in rows:
        t4.append("| " + " | ".join([r[0], r[1]] + [opt(s, r, "rss_mb", lambda v: f"{v:,.0f}") for s in servers]
                                    + [opt(s, r, "client_cpu", _fmt_cpu) for s in servers]) + " |")

    versions = "; ".join(meta.get(f"version_{s}", s) for s in servers)
    reps = int(meta.get("repeat", "1"))
    out = [
        f"## Latest benchmark run ({SECTION})",
        "",
        f"_Generated by `scripts/bench --issue11`; everything between the `{SECTION}:start`/`{SECTION}:end` "
        "markers is rewritten on each run._",
        "",
        f"- **Date:** {meta['date']}",
        f"- **Command:** `{meta['cmdline']}`",
        f"- **Machine:** {meta['nproc']} CPUs (nproc), {meta['cpu_model']}, "
        f"{meta['mem']} RAM, Linux {meta['kernel']}, .NET SDK {meta['dotnet']}",
        f"- **Servers:** {versions}",
        f"- **Load:** `scripts/bench.d/Bench11` (C#, async sockets, RESP2; {meta['benchmark_version']} publishes): "
        f"calibrate-incr, PUBLISH and multi-exec-10incr with {meta['clients']} clients, one request (or one "
        f"transaction) in flight per client unless pipelined (P16), -r {meta['keyspace']}; N = "
        f"{meta.get('n_p1', '?')} (P1) / {meta.get('n_p16', '?')} (P16) PUBLISH or INCR, {meta['n_multi']} "
        f"transactions, {meta['n_pingpong']} ping-pong rounds (split over the pairs); {meta['payload']}-byte messages; "
        f"each row after a pilot run of N/100 and a warm-up run of {meta['warmup_percent']}% of its N; "
        + (f"median of {reps} runs per cell; " if reps > 1 else "")
        + ("repetitions interleaved in ABBA order, each server restarted for every repetition; "
           if meta.get("interleave") == "1" else "")
        + "servers run one at a time on loopback; the generator and redis-benchmark share the same cores.",
        "- **Checks in every run** (a failed one fails the run): every subscriber receives every message byte for "
        "byte and in order, the last PUBLISH counts every subscriber; hot EXECs answer 10 consecutive integers and "
        "the counter ends at 10 x N; every BLPOP pops the round's own value.",
        "- **CPU µs/op:** server utime+stime from `/proc/<pid>/stat` around the measured run ÷ its operations "
        f"(clock tick = {1e6 / int(meta['clk_tck']):.0f} µs). Latency: per request (redis-benchmark's for "
        "PUBLISH), per transaction, per ping-pong round trip.",
    ]
    notes = {}  # (server, error) -> scenarios: PUBLISH's one error stands for the three publish rows
    for s in servers:
        for k, v in meta.items():
            if k.startswith(f"unsupported_{s}_"):
                notes.setdefault((s, v.strip()), []).append(k[len(f"unsupported_{s}_"):])
    if notes:
        out.append("- **Unsupported** (the error the probe got): "
                   + "; ".join(f"{s} {', '.join(scens)}: `{msg}`" for (s, msg), scens in notes.items()) + ".")
    lowered = [(s, k[len(f"lowered_{s}_"):], v) for s in servers for k, v in meta.items()
               if k.startswith(f"lowered_{s}_")]
    if lowered:
        out.append(f"- **N lowered** (the warm-up's rate would have needed more than {meta['row_seconds']} s for N): "
                   + "; ".join(f"{s} {row.replace('_', ' ', 1)}: {int(v):,}" for s, row, v in lowered) + ".")
    if "target" in meta:
        out.append(f"- **Target:** {meta['target']}")
    if "note" in meta:
        out.append(f"- **Note:** {meta['note']}")
    busy = [(s, meta[f"busy_{s}"]) for s in servers if f"busy_{s}" in meta]
    if any(int(b) >= BUSY_WARN for _, b in busy):
        out.append("- **⚠ Background load:** CPU already busy before starting each server "
                   "(measured over 1 s, other processes): " + ", ".join(f"{s} {b}%" for s, b in busy)
                   + " — numbers from this run are unreliable.")
    out += ["", "Throughput (ops/s in the row's unit):", ""] + t1 + ["", "Latency:", ""] + t2
    if t3:
        out += ["", "Pub/Sub delivery (keep-up: delivered ÷ (PUBLISH/s × subscribers); 1.00 means the subscribers "
                "received as fast as PUBLISH went):", ""] + t3
    out += ["", "Resources: the server's peak RSS during the measured run (VmHWM, reset before it through "
            "/proc/PID/clear_refs), and the client side's CPU (user+sys of the generator and of redis-benchmark where "
            "it runs, getrusage) ÷ operations:", ""] + t4
    return "\n".join(out) + "\n"


def rewrite_md(path, section):
    block = f"{START}\n{section}\n{END}\n"
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        s, e = text.find(START), text.find(END)
        if s >= 0 and e > s:
            tail = text[e + len(END):]
            if tail.startswith("\n"):
                tail = tail[1:]
            new = text[:s] + block + tail
        elif s < 0 and e < 0:
            new = text.rstrip("\n") + "\n\n" + block
        else:
            raise SystemExit(f"{path}: malformed bench markers (start/end missing or out of "
                             "order); fix the file by hand, refusing to overwrite")
    else:
        new = f"# Benchmarks\n\n{block}\n## Notes\n\n"
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".BENCHMARKS.", dir=d)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(new)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def cmd_render(args):
    meta = _read_meta(args[0])
    section = render_issue11(meta, args[1]) if meta.get("mode") == "issue11" else render(meta, _read_results(args[1]))
    sys.stdout.write(section)
    if len(args) > 2 and args[2] != "-":
        rewrite_md(args[2], section)
    return 0


def main(argv):
    cmds = {"freeport": cmd_freeport, "cputicks": cmd_cputicks, "busy": cmd_busy, "csv": cmd_csv,
            "custom": cmd_custom, "preload": cmd_preload, "render": cmd_render,
            "peakrss": cmd_peakrss}
    if len(argv) < 2 or argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    return cmds[argv[1]](argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
