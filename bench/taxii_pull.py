#!/usr/bin/python3
"""TAXII pull throughput through the policy check, against a peer run side by side.

A node holds --persons entente records (persons, TLP:GREEN, terrorism) and a configured
collection that publishes them under an agreement, granted to one analyst. After one read has
published the collection (Ed25519 signatures, once), the bench runs in turn, --runs times:

  A  pull    the whole collection with the OASIS taxii2-client over HTTPS, pages of 1000:
             every object goes through the policy check (clearance, and for an entente record
             its provenance service and releasability: the record is decoded)
  B  export  `entente export --format stix` of the same records to a bundle file: the same
             records read from the store and written as STIX 2.1, no network, no policy check
  C  plain   the same pull of as many unsigned indicators from a plain collection (objects
             that are not entente records: no record to decode), for scale

and prints each one's median wall time, objects per second, the server's CPU time during the
pulls (the rest of a pull's wall time is the Python client parsing JSON, and TLS), and the
ratios A/B and A/C, pair by pair (A B C A B C ..., so that the machine's drift moves all three).

  /usr/bin/python3 bench/taxii_pull.py --entente build/src/cli/entente \\
      --clients ../shared/clients/python [--persons 100000] [--runs 3]
"""
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
args = sys.argv[1:]


def take(flag, default):
    if flag not in args:
        return default
    i = args.index(flag)
    value = args[i + 1]
    del args[i:i + 2]
    return int(value)


PERSONS = take("--persons", 100000)
RUNS = take("--runs", 3)
sys.argv = [sys.argv[0]] + args
spec = importlib.util.spec_from_file_location(
    "conformance", os.path.join(HERE, "..", "tests", "interop", "taxii_conformance.py"))
conf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(conf)
from taxii2client.v21 import Collection, as_pages  # noqa: E402


def persons_csv(path, n):
    with open(path, "w") as f:
        f.write("id,name,type,category\n")
        for i in range(n):
            f.write("p%d,Person%d BENCHNAME%d,person,terrorism\n" % (i, i, i % 977))


def indicators(n):
    return [{"type": "indicator", "spec_version": "2.1", "id": "indicator--" + str(uuid.uuid4()),
             "created": "2026-01-02T03:04:05.000Z", "modified": "2026-01-02T03:04:05.000Z",
             "pattern": "[ipv4-addr:value = '10.%d.%d.%d']" % (i // 65536 % 256,
                                                                i // 256 % 256, i % 256),
             "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"} for i in range(n)]


def setup(node):
    node.run("pki", "--dir", node.pki, "init")
    node.add_user("reader", "analyst", "AMBER", conf.SERVICE)
    node.add_user("feeder", "analyst", "AMBER", conf.SERVICE)
    node.run("share", "keygen")
    agreement = ('[partner]\nname = "bench"\nservice = "BENCH"\nprincipals = ["bench"]\n'
                 '[share]\ncategories = ["*"]\nmax_tlp = "AMBER"\n')
    node.run("share", "set-agreement", node.write("bench.toml", agreement))
    csv = os.path.join(node.dir, "persons.csv")
    persons_csv(csv, PERSONS)
    node.run("import", "--format", "csv", "--tlp", "GREEN", "--reliability", "B",
             "--credibility", "2", "--quiet", csv)
    node.published, node.plain = str(uuid.uuid4()), str(uuid.uuid4())
    node.run("taxii", "collections", "add", "--id", node.published, "--title", "Published",
             "--agreement", "bench")
    node.run("taxii", "collections", "grant", node.published, "user:reader", "read")
    node.run("taxii", "collections", "add", "--id", node.plain, "--title", "Indicators")
    node.run("taxii", "collections", "grant", node.plain, "user:reader", "read")
    node.run("taxii", "collections", "grant", node.plain, "user:feeder", "write")
    node.start()


def collection(node, user, cid):
    return Collection(node.url + "/taxii2/entente/collections/" + cid + "/", user=user,
                      password=node.tokens[user], verify=node.ca)


def server_cpu(node):
    """CPU seconds (user + system) the `entente serve` process has used so far."""
    with open("/proc/%d/stat" % node.proc.pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


SERVER_CPU = {"pull": [], "plain": []}


def pull(node, cid, name):
    t0, c0 = time.time(), server_cpu(node)
    seen = 0
    for env in as_pages(collection(node, "reader", cid).get_objects, per_request=1000):
        seen += len(env.get("objects", []))
    SERVER_CPU[name].append(server_cpu(node) - c0)
    return time.time() - t0, seen


def export(node):
    out = os.path.join(node.dir, "bundle.json")
    t0 = time.time()
    node.run("export", "--format", "stix", out)
    return time.time() - t0, PERSONS


def main():
    node = conf.Node(os.path.abspath(conf.ARGS.entente), tempfile.mkdtemp(prefix="taxii-pull-"))
    try:
        t0 = time.time()
        setup(node)
        feeder = collection(node, "feeder", node.plain)
        for start in range(0, PERSONS, 10000):
            feeder.add_objects({"objects": indicators(min(10000, PERSONS - start))},
                               wait_for_completion=False)
        print("set-up (import, %d indicators posted): %.1f s" % (PERSONS, time.time() - t0))
        t0 = time.time()
        collection(node, "reader", node.published).get_objects(limit=1)
        print("first read (publishes %d records, signed): %.1f s" % (PERSONS, time.time() - t0))
        rows = {"pull": [], "export": [], "plain": []}
        for run in range(RUNS):
            for name, f in (("pull", lambda: pull(node, node.published, "pull")),
                            ("export", lambda: export(node)),
                            ("plain", lambda: pull(node, node.plain, "plain"))):
                seconds, count = f()
                assert count >= PERSONS, "%s got %d of %d" % (name, count, PERSONS)
                rows[name].append(seconds)
                print("run %d %-6s %7.2f s  %8.0f objects/s" % (run + 1, name, seconds,
                                                                  count / seconds), flush=True)
        for name, label in (("pull", "A pull of entente records (policy check)"),
                            ("export", "B export to a STIX bundle file (peer)"),
                            ("plain", "C pull of plain indicators")):
            m = statistics.median(rows[name])
            print("%-42s median %7.2f s  %8.0f objects/s" % (label, m, PERSONS / m))
        for name in ("pull", "plain"):
            m = statistics.median(SERVER_CPU[name])
            print("server CPU during %-5s median %6.2f s  %5.1f us per object" % (
                name, m, m / PERSONS * 1e6))
        ab = statistics.median(a / b for a, b in zip(rows["pull"], rows["export"]))
        ac = statistics.median(a / c for a, c in zip(rows["pull"], rows["plain"]))
        print("A/B (pull vs export), median of pairs: %.2f" % ab)
        print("A/C (records vs plain indicators), median of pairs: %.2f" % ac)
    finally:
        node.stop()
        shutil.rmtree(node.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
