#!/usr/bin/python3
"""TAXII 2.1 conformance of `entente serve`, checked with the OASIS reference clients.

Starts a real node (its own SQLite store, CA and HTTPS on loopback), gives it a partner
"opencti" whose users authenticate with HTTP Basic (user name and API token), then drives it
with taxii2-client (every endpoint, filter and header), checks what comes back with
stix2.parse(allow_custom=False) and the stix2-validator, and checks the error answers and the
permissions with plain requests. Prints one PASS/FAIL line per check and a count; exits 1 when
a check fails.

  /usr/bin/python3 tests/interop/taxii_conformance.py --entente build/src/cli/entente \
      --clients ../shared/clients/python

The clients need Debian packages (scripts/setup.sh installs them); PyPI is never used.
"""

import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid

SERVICE = "DGSN-DGST"
TAXII = "application/taxii+json;version=2.1"
TLP_GREEN = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
TLP_AMBER = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
TLP_RED = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--entente", required=True, help="the entente binary")
    p.add_argument("--clients", required=True, help="../shared/clients/python")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return p.parse_args()


ARGS = parse_args()
# requests lets these override a session's own CA file: the node's CA must be the one used.
for var in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
    os.environ.pop(var, None)
for sub in ("taxii2-client", "stix2", "stix2-patterns", "stix2-validator", "cpe"):
    sys.path.insert(0, os.path.join(ARGS.clients, sub))

import requests  # noqa: E402
import stix2  # noqa: E402
import stix2validator  # noqa: E402
from stix2validator import validator as stix_validator  # noqa: E402
from taxii2client.v21 import Collection, Server, as_pages  # noqa: E402


# --- the node under test -------------------------------------------------------------------

class Node:
    def __init__(self, entente, workdir):
        self.entente = entente
        self.dir = workdir
        self.db = os.path.join(workdir, "node.db")
        self.pki = os.path.join(workdir, "pki")
        self.tokens = {}
        self.proc = None
        self.url = None

    def run(self, *args, check=True):
        cmd = [self.entente, "--db", self.db, "--service", SERVICE] + list(args)
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if check and r.returncode != 0:
            raise RuntimeError("%s: exit %d\n%s%s" % (" ".join(args), r.returncode, r.stdout,
                                                     r.stderr))
        return r

    def add_user(self, name, role, clearance, service):
        r = self.run("users", "add", name, "--role", role, "--clearance", clearance,
                     "--user-service", service)
        self.tokens[name] = r.stdout.strip().splitlines()[-1].strip()

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def setup(self):
        self.run("pki", "--dir", self.pki, "init")
        self.add_user("octi", "partner", "AMBER", "OPENCTI")
        self.add_user("octi-green", "partner", "GREEN", "OPENCTI")
        self.add_user("cni", "partner", "GREEN", "CNI")
        # Staff of the node (and one of another service) reaching collections by their grants.
        self.add_user("ana", "analyst", "AMBER", SERVICE)
        self.add_user("cleo", "analyst", "CLEAR", SERVICE)
        self.add_user("rita", "screening-officer", "AMBER", SERVICE)
        self.add_user("nog", "analyst", "AMBER", SERVICE)
        self.add_user("ext", "analyst", "AMBER", "CNI")
        self.add_user("adm", "admin", "AMBER", SERVICE)
        self.run("share", "keygen")
        self.run("share", "set-agreement", self.write("opencti.toml", """
[partner]
name = "opencti"
service = "OPENCTI"
principals = ["octi", "octi-green"]
[share]
categories = ["*"]
max_tlp = "AMBER"
[receive]
may_write = true
"""))
        self.run("share", "set-agreement", self.write("cni.toml", """
[partner]
name = "cni"
service = "CNI"
principals = ["cni"]
[share]
categories = ["*"]
max_tlp = "GREEN"
"""))
        csv = self.write("records.csv",
                         "id,name,type,category\n"
                         "g1,Karim GREENFIELD,person,terrorism\n")
        self.run("import", "--format", "csv", "--tlp", "GREEN", "--reliability", "B",
                 "--credibility", "2", "--quiet", csv)
        csv = self.write("amber.csv",
                         "id,name,type,category\n"
                         "a1,Youssef AMBERTON,person,terrorism\n")
        self.run("import", "--format", "csv", "--tlp", "AMBER", "--reliability", "B",
                 "--credibility", "2", "--quiet", csv)
        csv = self.write("released.csv",
                         "id,name,type,category\n"
                         "r1,Rania RELEASEDTO,person,terrorism\n")
        self.run("import", "--format", "csv", "--tlp", "AMBER", "--releasable-to", "OPENCTI",
                 "--reliability", "B", "--credibility", "2", "--quiet", csv)
        # Collections granted to staff: a desk the analyst writes and others only read, and
        # one publishing the opencti agreement's records, read by analysts of two services.
        self.desk = str(uuid.uuid4())
        self.published = str(uuid.uuid4())
        self.run("taxii", "collections", "add", "--id", self.desk, "--title", "Analyst desk")
        self.run("taxii", "collections", "grant", self.desk, "user:ana", "read-write")
        self.run("taxii", "collections", "grant", self.desk, "user:cleo", "read")
        self.run("taxii", "collections", "grant", self.desk, "user:rita", "read")
        self.run("taxii", "collections", "grant", self.desk, "user:adm", "read")
        self.run("taxii", "collections", "add", "--id", self.published, "--title",
                 "What OpenCTI gets", "--agreement", "opencti")
        self.run("taxii", "collections", "grant", self.published, "user:ana", "read")
        self.run("taxii", "collections", "grant", self.published, "user:ext", "read")
        # Configured collections: one that OpenCTI's account reads and writes and its GREEN
        # account only reads; one every partner account reads and only OpenCTI writes.
        self.community = str(uuid.uuid4())
        self.public = str(uuid.uuid4())
        self.run("taxii", "collections", "add", "--id", self.community, "--title",
                 "Community indicators", "--description", "Indicators shared with OpenCTI")
        self.run("taxii", "collections", "grant", self.community, "user:octi", "read-write")
        self.run("taxii", "collections", "grant", self.community, "user:octi-green", "read")
        self.run("taxii", "collections", "add", "--id", self.public, "--title", "Public feed")
        self.run("taxii", "collections", "grant", self.public, "role:partner", "read")
        self.run("taxii", "collections", "grant", self.public, "user:octi", "read-write")
        # A collection whose first objects only the AMBER account may read (paging checks).
        self.paged = str(uuid.uuid4())
        self.run("taxii", "collections", "add", "--id", self.paged, "--title", "Mixed markings")
        self.run("taxii", "collections", "grant", self.paged, "user:octi", "read-write")
        self.run("taxii", "collections", "grant", self.paged, "user:octi-green", "read")
        # A second API root with its own collection: octi writes it, ana only reads it.
        self.run("taxii", "roots", "add", "community", "--title", "Community root",
                 "--description", "Collections shared with the community")
        self.rooted = str(uuid.uuid4())
        self.run("taxii", "collections", "add", "--root", "community", "--id", self.rooted,
                 "--title", "Community root feed")
        self.run("taxii", "collections", "grant", self.rooted, "user:octi", "read-write")
        self.run("taxii", "collections", "grant", self.rooted, "user:ana", "read")
        self.start()

    def start(self):
        """Starts `entente serve` over HTTPS on a free loopback port (self.url once it listens)."""
        config = self.write("serve.toml",
                            '[server]\nservice = "%s"\n[tls]\ncert = "%s/server.crt"\n'
                            'key = "%s/server.key"\n' % (SERVICE, self.pki, self.pki))
        self.proc = subprocess.Popen(
            [self.entente, "--db", self.db, "--service", SERVICE, "serve", "--config", config,
             "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 60
        seen = []
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            m = re.search(r"entente serving on (\S+)", line)
            if m:
                self.url = m.group(1).rstrip("/")
                break
        if not self.url:
            raise RuntimeError("the server did not start:\n" + "".join(seen))
        # Keep draining its output so that it never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()

    def stop(self):
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    @property
    def ca(self):
        return os.path.join(self.pki, "ca.crt")


# --- helpers -------------------------------------------------------------------------------

RESULTS = []


def check(name):
    def wrap(f):
        def run(*a, **k):
            try:
                f(*a, **k)
                RESULTS.append((name, True, ""))
                print("PASS", name, flush=True)
            except Exception as e:  # every failure is reported, the run goes on
                msg = ("%s: %s" % (type(e).__name__, e)).replace("\n", " ")[:400]
                RESULTS.append((name, False, msg))
                print("FAIL", name, "--", msg, flush=True)
        run.check_name = name
        return run
    return wrap


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


def now_stix(offset_ms=0):
    t = time.time() + offset_ms / 1000.0
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%06dZ" % (
        int((t % 1) * 1e6))


def load_validator_schemas():
    """Loads every 2.1 schema into the validator's store, keyed by $id: no network."""
    root = os.path.join(os.path.dirname(stix2validator.__file__), "schemas-2.1")
    for base, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".json"):
                continue
            with open(os.path.join(base, name)) as f:
                try:
                    schema = json.load(f)
                except ValueError:
                    continue
            if isinstance(schema, dict) and schema.get("$id"):
                stix_validator.SCHEMA_STORE[schema["$id"]] = schema


VALIDATION = stix2validator.ValidationOptions(version="2.1",
                                              disabled="mime-type,protocols,ipfix")


def validate_stix(obj):
    """stix2.parse without custom content, then the OASIS validator's MUST checks."""
    stix2.parse(copy.deepcopy(obj), allow_custom=False, version="2.1")
    result = stix2validator.validate_instance(copy.deepcopy(obj), VALIDATION)
    expect(result.is_valid, "%s: %s" % (obj.get("id"), "; ".join(str(e) for e in result.errors)))


def is_taxii_error(resp, status):
    expect(resp.status_code == status, "HTTP %d, expected %d: %s" % (
        resp.status_code, status, resp.text[:200]))
    ct = resp.headers.get("Content-Type", "").replace(" ", "")
    expect(ct == TAXII, "Content-Type %r is not %s" % (ct, TAXII))
    body = resp.json()
    expect(isinstance(body, dict) and isinstance(body.get("title"), str) and body["title"],
           "not a TAXII error message: %r" % body)
    if "http_status" in body:
        expect(str(body["http_status"]) == str(status), "http_status %r" % body["http_status"])


# --- the conformance run ---------------------------------------------------------------------

class Conformance:
    def __init__(self, node):
        self.node = node
        self.base = node.url + "/taxii2/"
        self.server = Server(self.base, user="octi", password=node.tokens["octi"], verify=node.ca)
        self.root = None
        self.inbound = None    # readable and writable
        self.outbound = None   # what the node publishes
        self.posted = {}       # id -> the latest version posted
        self.versions = {}     # id -> every version posted, oldest first
        self.status_id = None
        self.ids = {}

    def session(self, user="octi"):
        s = requests.Session()
        s.verify = self.node.ca
        if user:
            s.auth = (user, self.node.tokens[user])
        return s

    def objects_url(self, collection):
        return self.root.url + "collections/" + collection.id + "/objects/"

    # discovery, api root, collections

    @check("discovery: title, default and api_roots")
    def discovery(self):
        expect(self.server.title, "no title")
        expect(self.server.api_roots, "no api_roots")
        self.root = self.server.default or self.server.api_roots[0]
        expect(self.root.url.startswith(self.base), "api root %s" % self.root.url)

    @check("api root: versions and max_content_length")
    def api_root(self):
        expect(TAXII in [v.replace(" ", "") for v in self.root.versions],
               "versions %r" % self.root.versions)
        expect(int(self.root.max_content_length) > 0, "max_content_length")

    @check("collections: listed with id, title, can_read, can_write, media_types")
    def collections(self):
        cols = self.root.collections
        expect(cols, "no collections")
        for c in cols:
            expect(c.id and c.title is not None, "collection fields")
            expect(any("stix+json" in m for m in (c.media_types or [])), "media_types")
        self.outbound = next((c for c in cols if c.can_read and not c.can_write), None)
        self.inbound = next((c for c in cols if c.can_write), None)
        expect(self.outbound is not None, "no readable collection of the node's records")
        expect(self.inbound is not None, "no writable collection")

    @check("collections: one collection both readable and writable")
    def read_write(self):
        expect(self.inbound is not None and self.inbound.can_read and self.inbound.can_write,
               "the writable collection answers can_read=%s" % (
                   self.inbound.can_read if self.inbound else None))

    @check("get a collection by id")
    def one_collection(self):
        c = self.inbound
        r = self.session().get(self.root.url + "collections/" + c.id + "/",
                               headers={"Accept": TAXII})
        expect(r.status_code == 200, "HTTP %d" % r.status_code)
        expect(r.json()["id"] == c.id, "id")

    # add objects

    def envelope(self):
        t0 = now_stix()
        org = "identity--" + str(uuid.uuid4())
        ind = "indicator--" + str(uuid.uuid4())
        actor = "threat-actor--" + str(uuid.uuid4())
        marking = "marking-definition--" + str(uuid.uuid4())
        ip = "ipv4-addr--" + str(uuid.uuid5(uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7"),
                                            '{"value":"198.51.100.7"}'))
        self.ids = {"org": org, "indicator": ind, "actor": actor, "marking": marking, "ip": ip}
        objs = [
            {"type": "marking-definition", "spec_version": "2.1", "id": marking,
             "created": "2026-01-02T03:04:05.000Z", "definition_type": "statement",
             "definition": {"statement": "Copyright OpenCTI test"}},
            {"type": "identity", "spec_version": "2.1", "id": org,
             "created": "2026-01-02T03:04:05.123456Z", "modified": "2026-01-02T03:04:05.123456Z",
             "name": "OpenCTI test platform", "identity_class": "organization"},
            {"type": "indicator", "spec_version": "2.1", "id": ind, "created_by_ref": org,
             "created": t0, "modified": t0, "name": "C2 address",
             "indicator_types": ["malicious-activity"],
             "pattern": "[ipv4-addr:value = '198.51.100.7']", "pattern_type": "stix",
             "valid_from": "2026-01-01T00:00:00Z", "object_marking_refs": [TLP_GREEN, marking],
             "labels": ["c2"], "confidence": 80},
            {"type": "threat-actor", "spec_version": "2.1", "id": actor, "created_by_ref": org,
             "created": "2025-12-31T23:59:59.999Z", "modified": "2025-12-31T23:59:59.999Z",
             "name": "Crimson Harbour", "threat_actor_types": ["crime-syndicate"],
             "aliases": ["CH-7"], "object_marking_refs": [TLP_GREEN]},
            {"type": "ipv4-addr", "spec_version": "2.1", "id": ip, "value": "198.51.100.7"},
            {"type": "relationship", "spec_version": "2.1",
             "id": "relationship--" + str(uuid.uuid4()), "created": t0, "modified": t0,
             "relationship_type": "indicates", "source_ref": ind, "target_ref": actor,
             "object_marking_refs": [TLP_GREEN]},
        ]
        return objs

    @check("add objects: status complete, every object a success")
    def add_objects(self):
        objs = self.envelope()
        status = self.inbound.add_objects({"objects": objs}, wait_for_completion=True,
                                          poll_interval=0.2, timeout=10)
        self.status_id = status.id
        for o in objs:
            self.posted[o["id"]] = o
            self.versions[o["id"]] = [o]
        expect(status.status == "complete", "status %s" % status.status)
        expect(status.total_count == len(objs), "total_count %s" % status.total_count)
        expect(status.success_count == len(objs),
               "success_count %s of %d; failures %s" % (status.success_count, len(objs),
                                                         status.failures))

    @check("status resource: per-object successes with id and version")
    def status(self):
        expect(self.status_id, "no status id")
        st = self.root.get_status(self.status_id)
        expect(st.status == "complete", st.status)
        ids = {s["id"] for s in (st.successes or [])}
        expect(ids == set(self.posted), "successes %s" % sorted(ids))
        for s in st.successes:
            expect(s.get("version"), "success %s has no version" % s["id"])

    @check("unsigned objects become records marked unsigned, with the partner's service")
    def unsigned_record(self):
        uuid_part = self.ids["org"].split("--", 1)[1]
        r = self.node.run("get", "organization--" + uuid_part, check=False)
        expect(r.returncode == 0, "no record: %s" % (r.stdout + r.stderr).strip())
        record = json.loads(r.stdout)
        prov = record.get("provenance") or record.get("meta", {}).get("provenance", {})
        expect(prov.get("source") == "taxii:opencti:unsigned", "provenance %r" % prov)
        expect(prov.get("service") == "OPENCTI", "provenance %r" % prov)

    @check("status resource: failures with a reason")
    def status_failures(self):
        bad = {"type": "indicator", "spec_version": "2.1", "id": "indicator--not-a-uuid",
               "created": now_stix(), "modified": now_stix(), "pattern": "x"}
        st = self.inbound.add_objects({"objects": [bad]}, wait_for_completion=False)
        expect(st.failure_count == 1, "failure_count %s" % st.failure_count)
        f = st.failures[0]
        expect(f["id"] == bad["id"] and f.get("message"), "failure %r" % f)

    # get objects

    def all_objects(self, collection, **filters):
        env = collection.get_objects(**filters)
        return env.get("objects", [])

    @check("get objects: every posted object comes back")
    def get_objects(self):
        got = {o["id"] for o in self.all_objects(self.inbound)}
        missing = set(self.posted) - got
        expect(not missing, "missing %s" % sorted(missing))

    @check("get objects: exact round trip of every property and timestamp")
    def round_trip(self):
        got = {o["id"]: o for o in self.all_objects(self.inbound)}
        for oid, o in self.posted.items():
            expect(got.get(oid) == o, "%s came back as %s" % (oid, json.dumps(got.get(oid))))

    @check("marking definition posted is stored and served")
    def marking_stored(self):
        r = self.inbound.get_object(self.ids["marking"])
        expect([o["id"] for o in r["objects"]] == [self.ids["marking"]], "objects")

    @check("objects served pass stix2.parse(allow_custom=False) and stix2-validator")
    def valid_served(self):
        objs = self.all_objects(self.inbound) + self.all_objects(self.outbound)
        expect(objs, "nothing served")
        for o in objs:
            validate_stix(o)

    @check("entente-signed objects of the node's collection pass the validator")
    def outbound_valid(self):
        objs = self.all_objects(self.outbound)
        names = {o.get("name") for o in objs}
        expect("Karim GREENFIELD" in names, "no published record in %s" % sorted(
            str(n) for n in names))
        for o in objs:
            validate_stix(o)

    @check("get an object by id")
    def get_object(self):
        r = self.inbound.get_object(self.ids["actor"])
        expect([o["id"] for o in r["objects"]] == [self.ids["actor"]], "objects %r" % r)

    @check("get an unknown object: 404 TAXII error")
    def get_unknown(self):
        r = self.session().get(self.objects_url(self.inbound) + "indicator--" +
                               str(uuid.uuid4()) + "/", headers={"Accept": TAXII})
        is_taxii_error(r, 404)

    def post_new_version(self):
        old = self.posted[self.ids["indicator"]]
        new = dict(old)
        new["modified"] = now_stix(5)
        new["name"] = "C2 address (confirmed)"
        self.inbound.add_objects({"objects": [new]}, wait_for_completion=False)
        self.posted[new["id"]] = new
        self.versions[new["id"]].append(new)

    @check("object versions: every version, oldest first")
    def object_versions(self):
        self.post_new_version()
        vs = self.inbound.object_versions(self.ids["indicator"])
        want = [v["modified"] for v in self.versions[self.ids["indicator"]]]
        expect(vs.get("versions") == want, "versions %r, expected %r" % (vs.get("versions"), want))

    @check("match[version]: last (default), first, all, and one timestamp")
    def match_version(self):
        oid = self.ids["indicator"]
        first, last = self.versions[oid][0], self.versions[oid][-1]
        latest = self.inbound.get_object(oid)["objects"]
        expect([o["modified"] for o in latest] == [last["modified"]], "default")
        f = self.inbound.get_object(oid, version="first")["objects"]
        expect([o["modified"] for o in f] == [first["modified"]], "first")
        a = self.inbound.get_object(oid, version="all")["objects"]
        expect(len(a) == 2, "all: %d" % len(a))
        one = self.inbound.get_object(oid, version=first["modified"])["objects"]
        expect([o["modified"] for o in one] == [first["modified"]], "timestamp")

    @check("match[type] and match[id] filters")
    def match_type_id(self):
        objs = self.all_objects(self.inbound, type=["threat-actor", "ipv4-addr"])
        expect({o["type"] for o in objs} == {"threat-actor", "ipv4-addr"},
               "types %r" % [o["type"] for o in objs])
        objs = self.all_objects(self.inbound, id=[self.ids["org"], self.ids["ip"]])
        expect({o["id"] for o in objs} == {self.ids["org"], self.ids["ip"]}, "ids")

    @check("match[spec_version] filter")
    def match_spec_version(self):
        objs = self.all_objects(self.inbound, spec_version="2.1")
        expect(set(self.posted) <= {o["id"] for o in objs}, "2.1")
        objs = self.all_objects(self.inbound, spec_version="2.0")
        expect(objs == [], "2.0 gave %d" % len(objs))

    @check("manifest: id, date_added, version, media_type; SCO version not empty")
    def manifest(self):
        m = self.inbound.get_manifest()
        rows = {r["id"]: r for r in m.get("objects", [])}
        expect(set(self.posted) <= set(rows), "manifest lacks objects")
        for r in rows.values():
            expect(r.get("date_added") and r.get("version") and r.get("media_type"),
                   "manifest row %r" % r)
        expect(rows[self.ids["ip"]]["version"], "SCO version")

    @check("date_added: millisecond precision, strictly increasing")
    def date_added(self):
        m = self.inbound.get_manifest(version="all")
        stamps = [r["date_added"] for r in m.get("objects", [])]
        for s in stamps:
            expect(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3,6}Z$", s), "stamp %s" % s)
        expect(all(a < b for a, b in zip(stamps, stamps[1:])), "not increasing: %s" % stamps)

    @check("X-TAXII-Date-Added-First/Last headers on objects and manifest")
    def date_headers(self):
        for env in (self.inbound.get_objects(), self.inbound.get_manifest()):
            first = env.headers.get("X-TAXII-Date-Added-First")
            last = env.headers.get("X-TAXII-Date-Added-Last")
            expect(first and last and first <= last, "headers %r %r" % (first, last))

    @check("added_after filter")
    def added_after(self):
        m = self.inbound.get_manifest(version="all")["objects"]
        cut = m[1]["date_added"]
        objs = self.inbound.get_manifest(added_after=cut, version="all")["objects"]
        expect([r["date_added"] for r in objs] == [r["date_added"] for r in m[2:]],
               "after %s" % cut)

    @check("pagination: limit with more/next covers every object once")
    def pagination(self):
        seen = []
        pages = 0
        for env in as_pages(self.inbound.get_objects, per_request=2):
            pages += 1
            objs = env.get("objects", [])
            expect(len(objs) <= 2, "page of %d" % len(objs))
            seen += [o["id"] for o in objs]
            if pages > 100:
                break
        expect(len(seen) == len(set(seen)), "repeats")
        expect(set(self.posted) <= set(seen), "missing %s" % (set(self.posted) - set(seen)))
        expect(pages >= 3, "%d pages" % pages)

    @check("pagination of the manifest")
    def manifest_pages(self):
        seen = []
        for env in as_pages(self.inbound.get_manifest, per_request=3):
            seen += [r["id"] for r in env.get("objects", [])]
        expect(set(self.posted) <= set(seen) and len(seen) == len(set(seen)), "manifest pages")

    @check("delete one version of an object")
    def delete_version(self):
        oid = self.ids["indicator"]
        first = self.versions[oid][0]["modified"]
        self.inbound.delete_object(oid, version=first)
        vs = self.inbound.object_versions(oid).get("versions")
        expect(vs == [self.versions[oid][-1]["modified"]], "versions after delete %r" % vs)

    @check("delete an object")
    def delete_object(self):
        oid = self.ids["actor"]
        self.inbound.delete_object(oid)
        r = self.session().get(self.objects_url(self.inbound) + oid + "/",
                               headers={"Accept": TAXII})
        is_taxii_error(r, 404)
        del self.posted[oid]

    # errors

    @check("unknown API root: 404 TAXII error")
    def unknown_root(self):
        is_taxii_error(self.session().get(self.base + "nope/", headers={"Accept": TAXII}), 404)

    @check("unmatched path under /taxii2/: 404 TAXII error")
    def unmatched(self):
        is_taxii_error(self.session().get(self.root.url + "bogus/", headers={"Accept": TAXII}),
                       404)

    @check("unknown collection: 404 TAXII error")
    def unknown_collection(self):
        is_taxii_error(self.session().get(self.root.url + "collections/" + str(uuid.uuid4()) +
                                          "/", headers={"Accept": TAXII}), 404)

    @check("unknown status: 404 TAXII error")
    def unknown_status(self):
        is_taxii_error(self.session().get(self.root.url + "status/" + str(uuid.uuid4()) + "/",
                                          headers={"Accept": TAXII}), 404)

    @check("no credentials: 401 TAXII error")
    def unauthenticated(self):
        is_taxii_error(self.session(None).get(self.base, headers={"Accept": TAXII}), 401)

    @check("wrong Accept: 406 TAXII error")
    def not_acceptable(self):
        is_taxii_error(self.session().get(self.root.url + "collections/",
                                          headers={"Accept": "text/html"}), 406)

    @check("wrong Content-Type on POST: 415 TAXII error")
    def unsupported_type(self):
        is_taxii_error(self.session().post(self.objects_url(self.inbound), data="{}",
                                           headers={"Accept": TAXII,
                                                    "Content-Type": "application/json"}), 415)

    @check("body beyond max_content_length: 413 TAXII error")
    def too_large(self):
        size = int(self.root.max_content_length) + 1
        body = b'{"objects":[' + b" " * (size - 14) + b"]}"
        is_taxii_error(self.session().post(self.objects_url(self.inbound), data=body,
                                           headers={"Accept": TAXII, "Content-Type": TAXII}), 413)

    @check("bad filter values: 400 TAXII error")
    def bad_filters(self):
        s = self.session()
        for q in ("limit=abc", "limit=0", "added_after=yesterday", "next=zz",
                  "match[version]=sometime"):
            is_taxii_error(s.get(self.objects_url(self.inbound) + "?" + q,
                                 headers={"Accept": TAXII}), 400)

    @check("not JSON, or not an envelope: 400/422 TAXII error")
    def bad_envelopes(self):
        s = self.session()
        h = {"Accept": TAXII, "Content-Type": TAXII}
        is_taxii_error(s.post(self.objects_url(self.inbound), data="{nope", headers=h), 400)
        r = s.post(self.objects_url(self.inbound), data='{"objects": 3}', headers=h)
        expect(r.status_code in (400, 422), "HTTP %d" % r.status_code)
        is_taxii_error(r, r.status_code)

    # permissions

    @check("read-only collection: POST and DELETE answer 403 TAXII errors")
    def read_only(self):
        s = self.session()
        h = {"Accept": TAXII, "Content-Type": TAXII}
        is_taxii_error(s.post(self.objects_url(self.outbound), data='{"objects": []}', headers=h),
                       403)
        objs = self.all_objects(self.outbound)
        is_taxii_error(s.delete(self.objects_url(self.outbound) + objs[-1]["id"] + "/",
                                headers={"Accept": TAXII}), 403)

    @check("another partner sees none of these collections")
    def foreign_partner(self):
        s = self.session("cni")
        r = s.get(self.root.url + "collections/", headers={"Accept": TAXII})
        expect(r.status_code == 200, "HTTP %d" % r.status_code)
        theirs = {c["id"] for c in r.json().get("collections", [])}
        expect(self.inbound.id not in theirs and self.outbound.id not in theirs, "listed")
        for c in (self.inbound, self.outbound):
            r = s.get(self.objects_url(c), headers={"Accept": TAXII})
            expect(r.status_code in (403, 404), "objects of %s: HTTP %d" % (c.id, r.status_code))
            is_taxii_error(r, r.status_code)

    @check("no object above the reader's clearance")
    def clearance(self):
        amber = self.session("octi").get(self.objects_url(self.outbound),
                                         headers={"Accept": TAXII}).json()["objects"]
        green = self.session("octi-green").get(self.objects_url(self.outbound),
                                               headers={"Accept": TAXII}).json()["objects"]
        names = lambda objs: {o.get("name") for o in objs}  # noqa
        expect("Youssef AMBERTON" in names(amber), "the AMBER reader lacks the AMBER record")
        expect("Youssef AMBERTON" not in names(green), "a GREEN reader got an AMBER record")
        expect("Karim GREENFIELD" in names(green), "the GREEN reader lacks the GREEN record")

    # configured collections and their grants

    def configured(self, user, cid):
        r = self.session(user).get(self.root.url + "collections/", headers={"Accept": TAXII})
        expect(r.status_code == 200, "HTTP %d" % r.status_code)
        return next((c for c in r.json().get("collections", []) if c["id"] == cid), None)

    @check("configured collection: read-write for one user, read-only for another")
    def configured_rights(self):
        c = self.configured("octi", self.node.community)
        expect(c and c["can_read"] and c["can_write"], "octi: %r" % c)
        expect(c["title"] == "Community indicators", "title %r" % c)
        g = self.configured("octi-green", self.node.community)
        expect(g and g["can_read"] and not g["can_write"], "octi-green: %r" % g)

    @check("configured collection: written by one user, read by another, clearance applies")
    def configured_exchange(self):
        url = self.root.url + "collections/" + self.node.community + "/objects/"
        h = {"Accept": TAXII, "Content-Type": TAXII}
        green = dict(self.posted[self.ids["org"]])
        amber = {"type": "threat-actor", "spec_version": "2.1",
                 "id": "threat-actor--" + str(uuid.uuid4()), "created": now_stix(),
                 "modified": now_stix(), "name": "Amber Harbour",
                 "object_marking_refs": [TLP_AMBER]}
        r = self.session("octi").post(url, data=json.dumps({"objects": [green, amber]}),
                                      headers=h)
        expect(r.status_code == 202 and r.json()["success_count"] == 2, r.text[:300])
        got = self.session("octi-green").get(url, headers={"Accept": TAXII}).json()
        ids = {o["id"] for o in got.get("objects", [])}
        expect(green["id"] in ids, "the reader lacks the GREEN object")
        expect(amber["id"] not in ids, "a GREEN reader got an AMBER object")
        ids = {o["id"] for o in self.session("octi").get(url, headers={"Accept": TAXII})
               .json().get("objects", [])}
        expect(amber["id"] in ids, "the AMBER writer cannot read back its AMBER object")

    @check("configured collection: read-only user's POST and DELETE answer 403")
    def configured_read_only(self):
        url = self.root.url + "collections/" + self.node.community + "/objects/"
        s = self.session("octi-green")
        h = {"Accept": TAXII, "Content-Type": TAXII}
        is_taxii_error(s.post(url, data='{"objects": []}', headers=h), 403)
        is_taxii_error(s.delete(url + self.ids["org"] + "/", headers={"Accept": TAXII}), 403)

    @check("configured collection: no grant, not listed and 404 (as a missing one)")
    def configured_hidden(self):
        expect(self.configured("cni", self.node.community) is None, "listed for cni")
        url = self.root.url + "collections/" + self.node.community + "/"
        is_taxii_error(self.session("cni").get(url, headers={"Accept": TAXII}), 404)
        is_taxii_error(self.session("cni").get(url + "objects/", headers={"Accept": TAXII}), 404)

    # grants for staff (analysts, screening officers), not only partner accounts

    def client_collection(self, user, cid):
        return Collection(self.root.url + "collections/" + cid + "/", user=user,
                          password=self.node.tokens[user], verify=self.node.ca)

    @check("granted analyst writes and reads back with taxii2-client")
    def analyst_granted(self):
        c = self.client_collection("ana", self.node.desk)
        expect(c.can_read and c.can_write, "ana: can_read=%s can_write=%s" % (c.can_read,
                                                                          c.can_write))
        clear = {"type": "indicator", "spec_version": "2.1",
                 "id": "indicator--" + str(uuid.uuid4()), "created": now_stix(),
                 "modified": now_stix(), "name": "Desk clear indicator",
                 "pattern": "[ipv4-addr:value = '198.51.100.7']", "pattern_type": "stix",
                 "valid_from": now_stix()}
        amber = {"type": "threat-actor", "spec_version": "2.1",
                 "id": "threat-actor--" + str(uuid.uuid4()), "created": now_stix(),
                 "modified": now_stix(), "name": "Desk Amber Actor",
                 "object_marking_refs": [TLP_AMBER]}
        red = {"type": "threat-actor", "spec_version": "2.1",
               "id": "threat-actor--" + str(uuid.uuid4()), "created": now_stix(),
               "modified": now_stix(), "name": "Desk Red Actor",
               "object_marking_refs": [TLP_RED]}
        st = c.add_objects({"objects": [clear, amber, red]}, wait_for_completion=False)
        expect(st.success_count == 2, "success_count %s: %s" % (st.success_count, st.failures))
        expect(st.failure_count == 1 and st.failures[0]["id"] == red["id"] and
               "clearance" in st.failures[0].get("message", ""),
               "an AMBER analyst's RED object: %r" % st.failures)
        self.desk_ids = {"clear": clear["id"], "amber": amber["id"]}
        got = {o["id"]: o for o in c.get_objects().get("objects", [])}
        expect(got.get(clear["id"]) == clear and got.get(amber["id"]) == amber,
               "ana reads back %s" % sorted(got))
        listed = self.configured("ana", self.node.desk)
        expect(listed and listed["can_write"], "ana's listing: %r" % listed)

    @check("CLEAR analyst with a read grant sees no AMBER object")
    def analyst_clear(self):
        c = self.client_collection("cleo", self.node.desk)
        expect(c.can_read and not c.can_write, "cleo: %s/%s" % (c.can_read, c.can_write))
        ids = {o["id"] for o in c.get_objects().get("objects", [])}
        expect(self.desk_ids["clear"] in ids, "cleo lacks the CLEAR object")
        expect(self.desk_ids["amber"] not in ids, "a CLEAR analyst got an AMBER object")
        manifest = {o["id"] for o in c.get_manifest().get("objects", [])}
        expect(self.desk_ids["amber"] not in manifest, "AMBER object in cleo's manifest")
        url = self.root.url + "collections/" + self.node.desk + "/objects/"
        is_taxii_error(self.session("cleo").get(url + self.desk_ids["amber"] + "/",
                                                headers={"Accept": TAXII}), 404)

    @check("read-only grant: reads, but POST and DELETE answer 403; write grant deletes")
    def analyst_read_only(self):
        c = self.client_collection("rita", self.node.desk)
        ids = {o["id"] for o in c.get_objects().get("objects", [])}
        expect(self.desk_ids["amber"] in ids, "an AMBER screening officer lacks the object")
        url = self.root.url + "collections/" + self.node.desk + "/objects/"
        h = {"Accept": TAXII, "Content-Type": TAXII}
        s = self.session("rita")
        is_taxii_error(s.post(url, data='{"objects": []}', headers=h), 403)
        is_taxii_error(s.delete(url + self.desk_ids["clear"] + "/", headers={"Accept": TAXII}),
                       403)
        r = self.session("ana").delete(url + self.desk_ids["clear"] + "/",
                                       headers={"Accept": TAXII})
        expect(r.status_code == 200, "ana's DELETE: HTTP %d %s" % (r.status_code, r.text[:200]))
        ids = {o["id"] for o in c.get_objects().get("objects", [])}
        expect(self.desk_ids["clear"] not in ids, "the deleted object is still served")

    @check("analyst without a grant: not listed, 404 TAXII errors (as a missing collection)")
    def analyst_ungranted(self):
        expect(self.configured("nog", self.node.desk) is None, "listed for nog")
        url = self.root.url + "collections/" + self.node.desk + "/"
        s = self.session("nog")
        for path in ("", "objects/", "manifest/", "objects/" + self.desk_ids["amber"] + "/"):
            is_taxii_error(s.get(url + path, headers={"Accept": TAXII}), 404)
        is_taxii_error(s.post(url + "objects/", data='{"objects": []}',
                              headers={"Accept": TAXII, "Content-Type": TAXII}), 404)
        # No agreement collection either: only partner accounts act for an agreement.
        r = s.get(self.root.url + "collections/", headers={"Accept": TAXII})
        expect(r.status_code == 200 and not r.json().get("collections"), r.text[:300])
        is_taxii_error(s.get(self.objects_url(self.outbound), headers={"Accept": TAXII}), 404)

    @check("a role without collections.access (admin) gets a 403 TAXII error despite a grant")
    def admin_refused(self):
        url = self.root.url + "collections/" + self.node.desk + "/objects/"
        is_taxii_error(self.session("adm").get(url, headers={"Accept": TAXII}), 403)

    @check("granted analysts read a published collection within their service's releasability")
    def analyst_service(self):
        names = lambda user: {o.get("name") for o in  # noqa
                              self.client_collection(user, self.node.published)
                              .get_objects().get("objects", [])}
        own, other = names("ana"), names("ext")
        expect({"Karim GREENFIELD", "Youssef AMBERTON", "Rania RELEASEDTO"} <= own,
               "the node's analyst reads %s" % sorted(n for n in own if n))
        expect("Karim GREENFIELD" in other and "Youssef AMBERTON" in other,
               "the CNI analyst reads %s" % sorted(n for n in other if n))
        expect("Rania RELEASEDTO" not in other,
               "an analyst of CNI got a record releasable to OPENCTI only")

    @check("configured collection: a role grant reaches every account of the role")
    def configured_role(self):
        c = self.configured("cni", self.node.public)
        expect(c and c["can_read"] and not c["can_write"], "cni: %r" % c)
        c = self.configured("octi", self.node.public)
        expect(c and c["can_read"] and c["can_write"], "octi: %r" % c)

    @check("status of another caller's POST: 404")
    def foreign_status(self):
        r = self.session("cni").get(self.root.url + "status/" + self.status_id + "/",
                                    headers={"Accept": TAXII})
        is_taxii_error(r, 404)

    @check("405 TAXII error for a known path with another method")
    def wrong_method(self):
        r = self.session().put(self.root.url + "collections/", data="{}",
                               headers={"Accept": TAXII, "Content-Type": TAXII})
        is_taxii_error(r, 405)

    def refused(self, cases):
        """Each (command, needle): the CLI exits non-zero and its output names the reason."""
        for args, needle in cases:
            r = self.node.run(*args, check=False)
            out = r.stdout + r.stderr
            expect(r.returncode != 0, "%s: exit 0" % " ".join(args))
            expect(needle in out, "%s: %r lacks %r" % (" ".join(args), out.strip(), needle))

    @check("CLI: bad collection commands are refused with the reason")
    def cli_bad_input(self):
        cases = [
            (["taxii", "collections", "add", "--id", "not-a-uuid", "--title", "x"], "UUID"),
            (["taxii", "collections", "add", "--title", " "], "title"),
            (["taxii", "collections", "add", "--title", "x", "--media-type", "text/csv"],
             "media type"),
            (["taxii", "collections", "add", "--title", "x", "--agreement", "nobody"],
             "agreement"),
            (["taxii", "collections", "add", "--id", self.node.community, "--title", "x"],
             "already exists"),
            (["taxii", "collections", "grant", self.node.community, "ana", "read"], "user:NAME"),
            (["taxii", "collections", "grant", self.node.community, "role:boss", "read"],
             "unknown role"),
            (["taxii", "collections", "grant", self.node.community, "user:ana", "all"],
             "read-write"),
            (["taxii", "collections", "grant", str(uuid.uuid4()), "user:ana", "read"],
             "no configured collection"),
        ]
        self.refused(cases)
        listing = self.node.run("taxii", "collections", "list").stdout
        expect(self.node.community in listing and "user:octi" in listing, listing)

    # entente's own sync, pulling a collection the standard client filled (unsigned objects)

    def puller(self, name, accept_unsigned, collection=None):
        """A second node (service CNI) whose agreement pulls the community collection as octi."""
        workdir = os.path.join(self.node.dir, name)
        os.makedirs(workdir)
        b = Node(self.node.entente, workdir)
        b.run("share", "keygen")
        token = b.write("octi.token", self.node.tokens["octi"])
        receive = "[receive]\naccept_unsigned = true\n" if accept_unsigned else ""
        b.run("share", "set-agreement", b.write("dgst.toml", """
[partner]
name = "dgst"
service = "%s"
url = "%s/taxii2/"
user = "octi"
token_file = "%s"
ca_cert = "%s"
collection = "%s"
[share]
categories = ["*"]
max_tlp = "GREEN"
%s""" % (SERVICE, self.node.url, token, self.node.ca, collection or self.node.community,
         receive)))
        return b

    @staticmethod
    def sync(b, counter):
        """Runs `entente sync dgst` on node b: exit code, output, and the count before `counter`."""
        r = b.run("sync", "dgst", check=False)
        out = r.stdout + r.stderr
        m = re.search(r"(\d+) " + counter, out)
        return r.returncode, out, int(m.group(1)) if m else -1

    def pulled_org(self, b):
        uuid_part = self.ids["org"].split("--", 1)[1]
        r = b.run("get", "organization--" + uuid_part, check=False)
        return json.loads(r.stdout) if r.returncode == 0 else None

    @check("entente sync pulls a collection filled by taxii2-client: unsigned refused by default")
    def sync_refuses_unsigned(self):
        b = self.puller("pull-default", False)
        code, out, rejected = self.sync(b, "rejected")
        expect(rejected > 0, "the sync does not count what it refused: %s" % out.strip())
        expect(code == 6, "exit %d (6: objects refused): %s" % (code, out))
        expect(self.pulled_org(b) is None, "an unsigned object became a record: %s" % out)

    @check("entente sync with [receive] accept_unsigned keeps them, marked unsigned")
    def sync_accepts_unsigned(self):
        b = self.puller("pull-unsigned", True)
        code, out, created = self.sync(b, "created")
        expect(created > 0, "sync created nothing (exit %d): %s" % (code, out.strip()))
        record = self.pulled_org(b)
        expect(record is not None, "the posted organization was not pulled: %s" % out.strip())
        prov = record.get("provenance") or record.get("meta", {}).get("provenance", {})
        expect(prov.get("source") == "taxii:dgst:unsigned", "provenance %r" % prov)
        expect(prov.get("service") == SERVICE, "provenance %r" % prov)
        names = json.dumps(record)
        expect(self.posted[self.ids["org"]]["name"] in names, "name lost: %s" % names[:300])
        # Pulling again changes nothing (the cursor is past what was applied).
        _, out2, objects = self.sync(b, "objects")
        expect(objects == 0, "second sync: %s" % out2.strip())

    # pages filled through the policy check

    @check("a reader's pages hold what it may read: objects it may not read do not end paging")
    def paging_clearance(self):
        url = self.root.url + "collections/" + self.node.paged + "/objects/"
        h = {"Accept": TAXII, "Content-Type": TAXII}
        hidden = [{"type": "threat-actor", "spec_version": "2.1",
                   "id": "threat-actor--" + str(uuid.uuid4()), "created": now_stix(),
                   "modified": now_stix(), "name": "Amber %d" % i,
                   "object_marking_refs": [TLP_AMBER]} for i in range(5)]
        seen = {"type": "threat-actor", "spec_version": "2.1",
                "id": "threat-actor--" + str(uuid.uuid4()), "created": now_stix(),
                "modified": now_stix(), "name": "Green after amber",
                "object_marking_refs": [TLP_GREEN]}
        r = self.session("octi").post(url, data=json.dumps({"objects": hidden + [seen]}),
                                      headers=h)
        expect(r.status_code == 202 and r.json()["success_count"] == 6, r.text[:300])
        r = self.session("octi-green").get(url + "?limit=2", headers={"Accept": TAXII})
        expect(r.status_code == 200, "HTTP %d" % r.status_code)
        body = r.json()
        ids = [o["id"] for o in body.get("objects", [])]
        expect(ids == [seen["id"]] and not body.get("more"),
               "first page of limit 2 for the GREEN reader: %r, more=%r" % (ids, body.get("more")))
        expect(r.headers.get("X-TAXII-Date-Added-Last"), "no X-TAXII-Date-Added-Last")
        c = self.client_collection("octi-green", self.node.paged)
        got = [o["id"] for env in as_pages(c.get_objects, per_request=2)
               for o in env.get("objects", [])]
        expect(got == [seen["id"]], "taxii2-client pages: %r" % got)
        m = self.session("octi-green").get(self.root.url + "collections/" + self.node.paged +
                                           "/manifest/?limit=1", headers={"Accept": TAXII})
        expect([o["id"] for o in m.json().get("objects", [])] == [seen["id"]],
               "manifest page: %s" % m.text[:300])

    # several API roots

    def root_url(self, name):
        return self.base + name + "/"

    @check("discovery lists every API root; the default stays /taxii2/entente/")
    def roots_discovery(self):
        r = self.session("ana").get(self.base, headers={"Accept": TAXII})
        body = r.json()
        expect(body.get("default") == "/taxii2/entente/", "default %r" % body.get("default"))
        expect(body.get("api_roots") == ["/taxii2/entente/", "/taxii2/community/"],
               "api_roots %r" % body.get("api_roots"))
        server = Server(self.base, user="octi", password=self.node.tokens["octi"],
                        verify=self.node.ca)
        titles = sorted(root.title for root in server.api_roots)
        expect(titles == ["Community root", "entente"], "titles %r" % titles)

    @check("each API root lists its own collections only")
    def roots_collections(self):
        def listed(user, root):
            r = self.session(user).get(self.root_url(root) + "collections/",
                                       headers={"Accept": TAXII})
            expect(r.status_code == 200, "HTTP %d %s" % (r.status_code, r.text[:200]))
            return {c["id"] for c in r.json().get("collections", [])}
        octi_b, octi_a = listed("octi", "community"), listed("octi", "entente")
        expect(octi_b == {self.node.rooted}, "octi under community: %r" % octi_b)
        expect(self.node.rooted not in octi_a, "the community collection under entente")
        expect(self.inbound.id in octi_a and self.node.community in octi_a,
               "the default root lost octi's collections: %r" % octi_a)
        expect(listed("ana", "community") == {self.node.rooted}, "ana under community")
        expect(self.node.desk in listed("ana", "entente"), "ana's desk left the default root")
        # A root holding no collection the caller may see answers as a missing root.
        r = self.session("cni").get(self.root_url("community") + "collections/",
                                    headers={"Accept": TAXII})
        is_taxii_error(r, 404)
        r = self.session("cni").get(self.base, headers={"Accept": TAXII})
        expect("/taxii2/community/" not in r.json().get("api_roots", []),
               "cni (no grant) is told of the community root: %r" % r.json())

    @check("taxii2-client writes and reads back under a second API root; status stays there")
    def roots_exchange(self):
        server = Server(self.base, user="octi", password=self.node.tokens["octi"],
                        verify=self.node.ca)
        root = next(r for r in server.api_roots if r.url.endswith("/community/"))
        expect(root.max_content_length and TAXII in root.versions, "api root %r" % root.title)
        c = next(c for c in root.collections if c.id == self.node.rooted)
        expect(c.can_read and c.can_write, "octi: %s/%s" % (c.can_read, c.can_write))
        obj = {"type": "indicator", "spec_version": "2.1",
               "id": "indicator--" + str(uuid.uuid4()), "created": now_stix(),
               "modified": now_stix(), "name": "Community C2",
               "pattern": "[ipv4-addr:value = '203.0.113.9']", "pattern_type": "stix",
               "valid_from": now_stix()}
        st = c.add_objects({"objects": [obj]}, wait_for_completion=True, poll_interval=0.2,
                           timeout=10)
        expect(st.success_count == 1, "success_count %s: %s" % (st.success_count, st.failures))
        self.rooted_status = st.id
        got = c.get_objects().get("objects", [])
        expect(got == [obj], "read back %r" % got)
        expect(root.get_status(st.id).status == "complete", "status under community")
        r = self.session("octi").get(self.root.url + "status/" + st.id + "/",
                                     headers={"Accept": TAXII})
        is_taxii_error(r, 404)
        r = self.session("octi").get(self.root_url("community") + "status/" + self.status_id +
                                     "/", headers={"Accept": TAXII})
        is_taxii_error(r, 404)
        ana = Collection(self.root_url("community") + "collections/" + self.node.rooted + "/",
                         user="ana", password=self.node.tokens["ana"], verify=self.node.ca)
        expect([o["id"] for o in ana.get_objects().get("objects", [])] == [obj["id"]],
               "ana (read grant) under community")
        h = {"Accept": TAXII, "Content-Type": TAXII}
        is_taxii_error(self.session("ana").post(self.root_url("community") + "collections/" +
                                                self.node.rooted + "/objects/",
                                                data=json.dumps({"objects": [obj]}), headers=h),
                       403)

    @check("a collection asked under another API root is unknown there (404), grants or not")
    def roots_crossed(self):
        s = self.session("ana")
        for root, cid in (("community", self.node.desk), ("entente", self.node.rooted),
                          ("community", self.inbound.id)):
            for path in ("", "objects/", "manifest/", "objects/" + self.ids["org"] + "/",
                         "objects/" + self.ids["org"] + "/versions/"):
                r = s.get(self.root_url(root) + "collections/" + cid + "/" + path,
                          headers={"Accept": TAXII})
                is_taxii_error(r, 404)
        h = {"Accept": TAXII, "Content-Type": TAXII}
        r = self.session("octi").post(self.root_url("entente") + "collections/" +
                                      self.node.rooted + "/objects/", data='{"objects": []}',
                                      headers=h)
        is_taxii_error(r, 404)
        r = self.session("octi").delete(self.root_url("community") + "collections/" +
                                        self.inbound.id + "/objects/" + self.ids["org"] + "/",
                                        headers={"Accept": TAXII})
        is_taxii_error(r, 404)

    @check("unknown API root: 404 TAXII error on every endpoint and method under it")
    def roots_unknown(self):
        s = self.session("octi")
        base = self.root_url("nope")
        cid = self.node.community
        for path in ("", "collections/", "collections/" + cid + "/",
                     "collections/" + cid + "/objects/", "collections/" + cid + "/manifest/",
                     "status/" + self.status_id + "/", "bogus/"):
            r = s.get(base + path, headers={"Accept": TAXII})
            is_taxii_error(r, 404)
            expect("community" in r.json().get("description", ""),
                   "the error does not name the roots served: %r" % r.text[:200])
        h = {"Accept": TAXII, "Content-Type": TAXII}
        is_taxii_error(s.post(base + "collections/" + cid + "/objects/", data='{"objects": []}',
                              headers=h), 404)
        is_taxii_error(s.delete(base + "collections/" + cid + "/objects/" + self.ids["org"] +
                                "/", headers={"Accept": TAXII}), 404)

    @check("crafted collection ids and object ids: TAXII errors, never a 500")
    def crafted_ids(self):
        s = self.session("octi")
        for cid in ("..", "%2e%2e", "x' OR '1'='1", "%00", "a" * 5000,
                    self.node.community.upper(), self.node.community + "%2f..",
                    "%252e%252e"):
            r = s.get(self.root.url + "collections/" + cid + "/objects/",
                      headers={"Accept": TAXII})
            expect(r.status_code in (400, 403, 404), "%r: HTTP %d" % (cid[:40], r.status_code))
            is_taxii_error(r, r.status_code)
        for oid in ("%2e%2e", "indicator--' OR 1=1 --", "x" * 5000, "%00"):
            r = s.get(self.objects_url(self.inbound) + oid + "/", headers={"Accept": TAXII})
            expect(r.status_code in (400, 404), "%r: HTTP %d" % (oid[:40], r.status_code))
            is_taxii_error(r, r.status_code)

    @check("entente sync pulls a collection under a second API root (named by id)")
    def roots_sync(self):
        org = {"type": "identity", "spec_version": "2.1", "id": "identity--" + str(uuid.uuid4()),
               "created": now_stix(), "modified": now_stix(), "name": "Rooted Harbour SARL",
               "identity_class": "organization"}
        url = self.root_url("community") + "collections/" + self.node.rooted + "/objects/"
        r = self.session("octi").post(url, data=json.dumps({"objects": [org]}),
                                      headers={"Accept": TAXII, "Content-Type": TAXII})
        expect(r.status_code == 202 and r.json()["success_count"] == 1, r.text[:300])
        b = self.puller("pull-rooted", True, self.node.rooted)
        code, out, created = self.sync(b, "created")
        expect(code == 0 and created >= 1, "exit %d: %s" % (code, out.strip()))
        got = b.run("get", "organization--" + org["id"].split("--", 1)[1], check=False)
        expect(got.returncode == 0 and "Rooted Harbour SARL" in got.stdout,
               "not pulled: %s" % (got.stdout + got.stderr)[:300])

    @check("OpenCTI's TAXII POST connector: a bundle as application/stix+json, bearer or basic")
    def opencti_post(self):
        """The request OpenCTI's taxii-post stream connector makes for each stream event:
        POST {TAXII_URL}/{TAXII_API_ROOT}/collections/{TAXII_COLLECTION_ID}/objects/ with a
        one-object bundle, Content-Type application/stix+json; version=2.1."""
        taxii_url = self.node.url + "/taxii2"
        for api_root, cid, auth in (("entente", self.node.community, "bearer"),
                                    ("community", self.node.rooted, "basic")):
            obj = {"type": "indicator", "spec_version": "2.1",
                   "id": "indicator--" + str(uuid.uuid4()), "created": now_stix(),
                   "modified": now_stix(), "name": "Pushed by OpenCTI (%s)" % auth,
                   "pattern": "[domain-name:value = 'c2.example.org']", "pattern_type": "stix",
                   "valid_from": now_stix()}
            bundle = {"type": "bundle", "spec_version": "2.1",
                      "id": "bundle--" + str(uuid.uuid4()), "objects": [obj]}
            headers = {"Content-Type": "application/stix+json; version=2.1",
                       "Accept": "application/taxii+json; version=2.1"}
            s = requests.Session()
            s.verify = self.node.ca
            if auth == "bearer":
                headers["Authorization"] = "Bearer " + self.node.tokens["octi"]
            else:
                s.auth = ("octi", self.node.tokens["octi"])
            url = taxii_url + "/" + api_root + "/collections/" + cid + "/objects/"
            r = s.post(url, headers=headers, json=bundle)
            expect(r.status_code == 202, "%s: HTTP %d %s" % (auth, r.status_code, r.text[:300]))
            expect(r.json().get("success_count") == 1, "%s: %s" % (auth, r.text[:300]))
            c = Collection(self.root_url(api_root) + "collections/" + cid + "/", user="octi",
                           password=self.node.tokens["octi"], verify=self.node.ca)
            got = c.get_object(obj["id"])["objects"]
            expect(got == [obj], "%s: read back %r" % (auth, got))
        r = self.session("octi").post(
            taxii_url + "/entente/collections/" + self.node.community + "/objects/",
            data=json.dumps({"type": "bundle", "objects": []}),
            headers={"Content-Type": "application/stix+json; version=2.0", "Accept": TAXII})
        is_taxii_error(r, 415)

    @check("a body nested 200,000 deep: 400 TAXII error, and the server still answers")
    def deep_body(self):
        depth = 200000
        body = '{"objects":[' + "[" * depth + "]" * depth + "]}"
        h = {"Accept": TAXII, "Content-Type": TAXII}
        try:
            r = self.session("octi").post(self.objects_url(self.inbound), data=body, headers=h)
        except requests.exceptions.ConnectionError as e:
            raise AssertionError("the server dropped the connection: %s" % e)
        is_taxii_error(r, 400)
        expect("deeper than" in r.json().get("description", ""), r.text[:300])
        r = self.session("octi").get(self.base, headers={"Accept": TAXII})
        expect(r.status_code == 200, "after the deep body: HTTP %d" % r.status_code)

    @check("a chunked body beyond max_content_length (no Content-Length): 413 TAXII error")
    def too_large_chunked(self):
        size = int(self.root.max_content_length) + (1 << 20)

        def chunks():
            yield b'{"objects":['
            sent = 12
            block = b" " * (1 << 20)
            while sent < size:
                yield block
                sent += len(block)
            yield b"]}"
        h = {"Accept": TAXII, "Content-Type": TAXII}
        try:
            r = self.session("octi").post(self.objects_url(self.inbound), data=chunks(),
                                          headers=h)
        except requests.exceptions.ConnectionError:
            r = None  # the server may close the connection once it has said 413
        if r is not None:
            is_taxii_error(r, 413)
        r = self.session("octi").get(self.base, headers={"Accept": TAXII})
        expect(r.status_code == 200, "after the chunked body: HTTP %d" % r.status_code)

    @check("CLI: bad API roots are refused with the reason; --root must exist")
    def roots_cli(self):
        cases = [
            (["taxii", "roots", "add", "Big Root", "--title", "x"], "a-z 0-9"),
            (["taxii", "roots", "add", ".x", "--title", "x"], "a-z 0-9"),
            (["taxii", "roots", "add", "a/b", "--title", "x"], "a-z 0-9"),
            (["taxii", "roots", "add", "r" * 65, "--title", "x"], "1 to 64"),
            (["taxii", "roots", "add", "fresh", "--title", " "], "title"),
            (["taxii", "roots", "add", "entente", "--title", "x"], "already exists"),
            (["taxii", "roots", "add", "community", "--title", "x"], "already exists"),
            (["taxii", "collections", "add", "--root", "nope", "--title", "x"],
             "no API root nope"),
        ]
        self.refused(cases)
        listing = self.node.run("taxii", "roots", "list").stdout
        expect("community" in listing and "/taxii2/community/" in listing, listing)
        listing = self.node.run("taxii", "collections", "list").stdout
        row = next((line for line in listing.splitlines() if self.node.rooted in line), "")
        expect("community" in row, "the collection's root is not listed: %r" % row)

    def run(self):
        steps = [self.discovery, self.api_root, self.collections, self.read_write,
                 self.one_collection, self.add_objects, self.status, self.unsigned_record, self.status_failures,
                 self.get_objects, self.round_trip, self.marking_stored, self.valid_served,
                 self.outbound_valid, self.get_object, self.get_unknown, self.object_versions,
                 self.match_version, self.match_type_id, self.match_spec_version, self.manifest,
                 self.date_added, self.date_headers, self.added_after, self.pagination,
                 self.manifest_pages, self.delete_version, self.delete_object,
                 self.unknown_root, self.unmatched, self.unknown_collection,
                 self.unknown_status, self.unauthenticated, self.not_acceptable,
                 self.unsupported_type, self.too_large, self.bad_filters, self.bad_envelopes,
                 self.read_only, self.foreign_partner, self.clearance, self.configured_rights,
                 self.configured_exchange, self.configured_read_only, self.configured_hidden,
                 self.analyst_granted, self.analyst_clear, self.analyst_read_only,
                 self.analyst_ungranted, self.admin_refused, self.analyst_service,
                 self.configured_role, self.foreign_status, self.wrong_method,
                 self.cli_bad_input, self.sync_refuses_unsigned, self.sync_accepts_unsigned,
                 self.paging_clearance, self.roots_discovery, self.roots_collections,
                 self.roots_exchange, self.roots_crossed, self.roots_unknown, self.crafted_ids,
                 self.roots_sync, self.opencti_post, self.deep_body, self.too_large_chunked,
                 self.roots_cli]
        for step in steps:
            step()


def main():
    load_validator_schemas()
    workdir = tempfile.mkdtemp(prefix="entente-taxii-")
    node = Node(os.path.abspath(ARGS.entente), workdir)
    try:
        node.setup()
        Conformance(node).run()
    finally:
        node.stop()
        if ARGS.keep:
            print("kept", workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    passed = sum(1 for _, ok, _ in RESULTS if ok)
    print("taxii conformance: %d/%d checks passed" % (passed, len(RESULTS)))
    for name, ok, msg in RESULTS:
        if not ok:
            print("  failed:", name, "--", msg)
    return 0 if passed == len(RESULTS) and RESULTS else 1


if __name__ == "__main__":
    sys.exit(main())
