#!/usr/bin/python3
"""Objects per second through entente's TAXII 2.1 server with the OASIS taxii2-client: one POST
of --post objects (indicators, unsigned, into a configured collection), then a paged GET (limit
1000) of --get objects. Uses the node set-up of tests/interop/taxii_conformance.py.

  /usr/bin/python3 bench/taxii_throughput.py --entente build/src/cli/entente \\
      --clients ../shared/clients/python [--post 10000] [--get 100000]
"""
import importlib.util
import os
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
args = sys.argv[1:]
post_n = int(args[args.index("--post") + 1]) if "--post" in args else 10000
get_n = int(args[args.index("--get") + 1]) if "--get" in args else 100000
for flag in ("--post", "--get"):
    if flag in args:
        i = args.index(flag)
        del args[i:i + 2]
sys.argv = [sys.argv[0]] + args
spec = importlib.util.spec_from_file_location(
    "conformance", os.path.join(HERE, "..", "tests", "interop", "taxii_conformance.py"))
conf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(conf)
from taxii2client.v21 import Server, as_pages  # noqa: E402


def indicators(n):
    out = []
    for i in range(n):
        t = "2026-01-02T03:04:05.%03dZ" % (i % 1000)
        out.append({"type": "indicator", "spec_version": "2.1",
                    "id": "indicator--" + str(uuid.uuid4()), "created": t, "modified": t,
                    "pattern": "[ipv4-addr:value = '10.%d.%d.%d']" % (
                        i // 65536 % 256, i // 256 % 256, i % 256),
                    "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"})
    return out


def main():
    node = conf.Node(os.path.abspath(conf.ARGS.entente), tempfile.mkdtemp(prefix="taxii-bench-"))
    try:
        node.setup()
        server = Server(node.url + "/taxii2/", user="octi", password=node.tokens["octi"],
                        verify=node.ca)
        col = next(c for c in server.default.collections if c.id == node.public)
        batch = indicators(post_n)
        t0 = time.time()
        st = col.add_objects({"objects": batch}, wait_for_completion=False)
        dt = time.time() - t0
        assert st.success_count == post_n, st.failures[:3] if st.failures else st.status
        print("POST %d objects in one envelope: %.2f s, %.0f objects/s" % (post_n, dt,
                                                                           post_n / dt))
        have = post_n
        while have < get_n:
            n = min(post_n, get_n - have)
            col.add_objects({"objects": indicators(n)}, wait_for_completion=False)
            have += n
        t0 = time.time()
        seen = pages = 0
        for env in as_pages(col.get_objects, per_request=1000):
            seen += len(env.get("objects", []))
            pages += 1
        dt = time.time() - t0
        assert seen >= get_n, seen
        print("paged GET of %d objects (%d pages of 1000): %.2f s, %.0f objects/s" % (
            seen, pages, dt, seen / dt))
    finally:
        node.stop()


if __name__ == "__main__":
    main()
