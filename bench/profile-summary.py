#!/usr/bin/env python3
"""Where the portal's time goes (thread time: running plus blocked inside native code such as SQLite's lock waits and fsync), from a dotnet-trace speedscope file (thread-time sampling).
Counts only running samples (CPU_TIME, or native code that is not a wait), then attributes each to
(a) the request phase it ran in (innermost portal frame that matches) and (b) the technology it ran in (innermost match).
Usage: bench/profile-summary.py <file.speedscope.json> <requests answered during the trace>"""
import collections, json, re, sys

WAITS = re.compile(r"LowLevelLifoSemaphore|WaitHandle\.Wait|SocketAsyncEngine\.EventLoop|TimerQueue\.TimerThread|Monitor\.Wait|"
                   r"Thread\.Sleep|WaitForSignal|SemaphoreSlim\.Wait|ManualResetEventSlim\.Wait|PollGC|FinalizerThread|"
                   # a thread parked in read() on inotify (configuration reload), not work
                   r"FileSystemWatcher\+RunningInstance\.TryReadEvent")
# A pool thread that has no work spins briefly before it parks: CPU spent, but on idleness, not on requests.
IDLE_LEAVES = re.compile(r"PortableThreadPool\+WorkerThread\.WorkerThreadStart\(|LowLevelLifoSemaphore\.Wait\(")
# The finalizer thread waiting for work is sampled as CPU_TIME under GC.RunFinalizers: about a whole thread's time in
# every trace, whatever the load, so it is counted as idle (the finalizers' own work is small beside it).
IDLE_THREADS = re.compile(r"\.NET Finalizer Thread")
PHASES = [  # innermost match wins (endpoint filters wrap the whole endpoint); the order is the request's order
    ("authentication (ApiAuthentication, session check)", r"ApiAuthentication|AuthenticationMiddleware"),
    ("rate limiter / permission filter", r"RateLimit|ApiPermissionFilter"),
    ("form parsing + CSR parse", r"StrictFormDecoder|ApiParameters|CsrParser|EnrolmentSources|TokenApi\+<ReadRequest"),
    ("owner resolution (Identity look-ups)", r"EnrolmentOwner"),
    ("policy resolution", r"Polic(y|ies).*Resolve"),
    ("CA connector look-up (registry, templates)", r"CaConnectorRegistry"),
    ("quota check", r"OwnerQuota"),
    ("signing (CA connector IssueAsync)", r"LocalCaConnector\+<IssueAsync|CertificateFactory"),
    ("record: token + ledger + audit, SaveChanges, commit", r"EnrolmentRecorder|GroupCommit"),
    ("response serialisation", r"TokenJson|ApiEnvelope|System\.Text\.Json"),
    ("enrolment use case, other (validation, token, result)", r"EnrolTokenCommand"),
    ("public CA routes (cert, CRL, OCSP)", r"CaPublication"),
    ("token listing", r"ListTokens|TokenQuery"),
]
TECH = [  # innermost match wins
    ("SQLite native (statements, commit, fsync)", r"^SQLitePCL|e_sqlite3|sqlite3_"),
    ("Microsoft.Data.Sqlite", r"^Microsoft\.Data\.Sqlite"),
    ("EF Core SaveChanges / change tracking", r"SaveChanges|ChangeTracking|StateManager|DetectChanges|InternalEntityEntry"),
    ("EF Core query pipeline", r"^Microsoft\.EntityFrameworkCore"),
    ("crypto (sign, verify, hash)", r"Cryptography|BouncyCastle"),
    ("ASP.NET Identity", r"Microsoft\.AspNetCore\.Identity|Microsoft\.Extensions\.Identity"),
    ("logging", r"Microsoft\.Extensions\.Logging"),
    ("JSON", r"System\.Text\.Json"),
    ("DI (scopes, activation)", r"Microsoft\.Extensions\.DependencyInjection"),
    ("Kestrel / HTTP", r"Kestrel|System\.Net\.|Microsoft\.AspNetCore\.(Http|Routing|Server)"),
    ("GC / runtime", r"^\?!\?|GC|JIT|Tiered"),
]

def main(path, requests):
    d = json.load(open(path))
    frames = [f["name"] for f in d["shared"]["frames"]]
    phase_of = [next((i for i, (_, rx) in enumerate(PHASES) if re.search(rx, f)), None) for f in frames]
    tech_of = [next((i for i, (_, rx) in enumerate(TECH) if re.search(rx, f)), None) for f in frames]
    waits = [bool(WAITS.search(f)) for f in frames]
    idle_thread = [bool(IDLE_THREADS.search(f)) for f in frames]
    by_phase, by_tech, total, idle = collections.Counter(), collections.Counter(), 0.0, 0.0
    for p in d["profiles"]:
        stack, last = [], None
        for e in p["events"]:
            t = e["at"]
            if stack and last is not None and t > last:
                leaf = frames[stack[-1]]
                running = leaf == "CPU_TIME" or (leaf == "UNMANAGED_CODE_TIME" and not any(waits[f] for f in stack))
                managed = next((frames[f] for f in reversed(stack) if frames[f] not in ("CPU_TIME", "UNMANAGED_CODE_TIME")), "")
                if running and (IDLE_LEAVES.search(managed) or any(idle_thread[f] for f in stack[:8])):
                    idle += t - last
                    running = False
                if running:
                    dt = t - last
                    total += dt
                    ph = next((phase_of[f] for f in reversed(stack) if phase_of[f] is not None), None)
                    te = next((tech_of[f] for f in reversed(stack) if tech_of[f] is not None), None)
                    by_phase[PHASES[ph][0] if ph is not None else "other (middleware, host, thread pool)"] += dt
                    by_tech[TECH[te][0] if te is not None else "other managed code"] += dt
            last = t
            if e["type"] == "O":
                stack.append(e["frame"])
            else:
                stack.pop()
    unit = d["profiles"][0].get("unit", "milliseconds")
    scale = 1.0 if unit == "milliseconds" else 1e-3
    print(f"running time sampled: {total * scale:.0f} ms over {requests} requests = {total * scale / requests:.2f} ms per request"
          f" (besides {idle * scale / requests:.2f} ms/request of idle threads: pool threads spinning before they park, the finalizer thread waiting)")
    for title, counter in (("by request phase", by_phase), ("by technology", by_tech)):
        print(f"\n{title}:          ms/request   share")
        for name, v in counter.most_common():
            print(f"  {name:52s} {v * scale / requests:6.3f}   {100 * v / total:5.1f}%")

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
