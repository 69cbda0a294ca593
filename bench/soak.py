#!/usr/bin/env python3
"""Mixed load on the running app for the soak benchmark (bench/soak.sh starts the app and runs this).

80% consumptions, the rest orders, settings changes, reports, exports and portal page loads, from THREADS
keep-alive connections for DURATION seconds. Every minute it prints throughput, p50/p99 per kind, errors, the
server's RSS and the WAL's size. An error is any answer other than 2xx, except 503 (the writer refusing under
deliberate overload) and 429 (too many exports at once), which are counted apart.
"""
import http.client, json, os, random, sys, threading, time

url, support_key, pid, wal, duration, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
host, port = url.replace("http://", "").split(":")
port = int(port)
MIX = [("consume", 80), ("order", 3), ("settings", 5), ("report", 5), ("export", 2), ("page", 5)]


def request(conn, method, path, key=None, body=None):
    headers = {"Content-Type": "application/json"}
    if key: headers["Authorization"] = "Bearer " + key
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    r = conn.getresponse()
    data = r.read()
    return r.status, data


def setup():
    c = http.client.HTTPConnection(host, port, timeout=60)
    accounts = []
    for n in range(4):
        s, d = request(c, "POST", "/api/v1/accounts", support_key, {"name": f"Soak {n}", "productTypes": ["Ticketing"]})
        assert s == 201, (s, d)
        acc = json.loads(d)["id"]
        lists = []
        for l in range(3):
            s, d = request(c, "POST", f"/api/v1/accounts/{acc}/lists", support_key, {"name": f"List {l}"})
            lists.append(json.loads(d)["id"])
        s, d = request(c, "POST", f"/api/v1/accounts/{acc}/adjustments", support_key,
                       {"channel": "Email", "quantity": 1_000_000_000, "reason": "soak credits"})
        assert s == 201, (s, d)
        s, d = request(c, "POST", f"/api/v1/accounts/{acc}/api-keys", support_key, {"name": "soak"})
        assert s == 201, (s, d)
        accounts.append((acc, lists, json.loads(d)["key"]))
    return accounts


accounts = setup()
lock = threading.Lock()
stats = {}        # kind -> list of latencies (ms) this minute
counts = {}       # (kind, outcome) -> n this minute
totals = {}       # (kind, outcome) -> n overall
stop = time.time() + duration
seq = [0]


def one(conn, kind):
    acc, lists, key = random.choice(accounts)
    with lock:
        seq[0] += 1
        n = seq[0]
    if kind == "consume":
        return request(conn, "POST", f"/api/v1/accounts/{acc}/consumptions", key,
                       {"channel": "Email", "listId": random.choice(lists), "quantity": random.randint(1, 5), "idempotencyKey": f"soak-{n}"})
    if kind == "order":
        return request(conn, "POST", f"/api/v1/accounts/{acc}/orders", key,
                       {"packId": "email-10000", "paymentToken": "tok_ok", "idempotencyKey": f"soak-order-{n}"})
    if kind == "settings":
        return request(conn, "PUT", f"/api/v1/accounts/{acc}/settings", key, {"holdWhenOutOfCredits": bool(n % 2)})
    if kind == "report":
        return request(conn, "GET", f"/api/v1/accounts/{acc}/reports/consumption?from=2026-01-01&to=2026-12-31&groupBy=day", key)
    if kind == "export":
        return request(conn, "GET", f"/api/v1/accounts/{acc}/reports/consumption?from=2026-01-01&to=2026-12-31&format=xlsx", key)
    return request(conn, "GET", "/account/login")


def worker():
    conn = http.client.HTTPConnection(host, port, timeout=60)
    kinds = [k for k, w in MIX for _ in range(w)]
    while time.time() < stop:
        kind = random.choice(kinds)
        t0 = time.perf_counter()
        try:
            status, _ = one(conn, kind)
            outcome = "ok" if 200 <= status < 300 else ("busy" if status in (503, 429) else f"error {status}")
        except Exception as e:  # a dropped connection is an error too
            outcome = f"error {type(e).__name__}"
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
        ms = (time.perf_counter() - t0) * 1000
        with lock:
            stats.setdefault(kind, []).append(ms)
            counts[(kind, outcome)] = counts.get((kind, outcome), 0) + 1
            totals[(kind, outcome)] = totals.get((kind, outcome), 0) + 1


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] if values else 0


def rss_mib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"): return int(line.split()[1]) / 1024
    return 0


workers = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
for w in workers: w.start()
start = time.time()
minute = 0
print("minute  requests/s  " + "  ".join(f"{k:>16}" for k, _ in MIX) + "  busy  errors  RSS MiB  WAL MiB", flush=True)
while any(w.is_alive() for w in workers):
    time.sleep(min(60, max(0.1, stop - time.time())) if time.time() < stop else 0.5)
    with lock:
        cur_stats = {k: v[:] for k, v in stats.items()}; stats.clear()
        cur_counts = dict(counts); counts.clear()
    minute += 1
    elapsed = 60 if time.time() < stop else max(1, (time.time() - start) - 60 * (minute - 1))
    total = sum(cur_counts.values())
    busy = sum(n for (k, o), n in cur_counts.items() if o == "busy")
    errors = sum(n for (k, o), n in cur_counts.items() if o.startswith("error"))
    wal_mib = os.path.getsize(wal) / 1048576 if os.path.exists(wal) else 0
    cells = "  ".join(f"{pct(cur_stats.get(k, []), 50):6.1f}/{pct(cur_stats.get(k, []), 99):7.1f}ms" for k, _ in MIX)
    print(f"{minute:6d}  {total / elapsed:10.0f}  {cells}  {busy:4d}  {errors:6d}  {rss_mib():7.1f}  {wal_mib:7.1f}", flush=True)
    if not any(w.is_alive() for w in workers): break

print("\ntotals per kind and outcome:")
for (kind, outcome), n in sorted(totals.items()):
    print(f"  {kind:10s} {outcome:20s} {n}")
errors = sum(n for (k, o), n in totals.items() if o.startswith("error"))
print(f"ERRORS={errors}")
