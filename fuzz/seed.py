#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets from the project's own data.

Usage: fuzz/seed.py OUT_DIR [TARGET ...]   (OUT_DIR/<target>/ gets the seeds; default: all targets)

Sources: sample_data/northwind/ (CSV inputs, the Okta System Log split into small pieces,
stackaudit.yaml), rules/*.yaml and tests/rules/data/, docs/examples/waivers.yaml, the recorded
vendor pages in tests/connectors/data/api/<vendor>/ (their routes.json give Link and
Retry-After headers) and a few hand-written spellings. Each seed is written in the input
format of its harness (fuzz/fuzz_<target>.cpp): a selector byte, then the payload, with the
parts of multi-file inputs separated by '\\x1e'. Seed names are content hashes, so running
it again over an existing corpus adds nothing twice.
"""
import hashlib
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "northwind"
API = ROOT / "tests" / "connectors" / "data" / "api"
CONNECTOR_DATA = ROOT / "tests" / "connectors" / "data"
SEP = b"\x1e"
MAX_SEED = 64 * 1024  # larger inputs only slow the fuzzer down

try:
    import yaml  # PyYAML, for the rules' test facts; seeds are still made without it
except ImportError:  # pragma: no cover
    yaml = None


def head_lines(path, n):
    with open(path, "rb") as f:
        return b"".join(line for _, line in zip(range(n), f))


def read(path, limit=MAX_SEED):
    data = Path(path).read_bytes()
    return data[:limit]


class Corpus:
    def __init__(self, out):
        self.out = out
        self.out.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def add(self, data):
        if isinstance(data, str):
            data = data.encode()
        name = hashlib.sha1(data).hexdigest()
        (self.out / name).write_bytes(data)
        self.count += 1


def connector_payload(policy, settings, files):
    """connector_support.hpp: policy byte, settings part, then one part per file."""
    parts = [settings.encode() if isinstance(settings, str) else settings] + list(files)
    return bytes([policy]) + SEP.join(parts)


# ---- csv ---------------------------------------------------------------------------------------

SEATS_COLUMNS = {}  # file name -> settings text, from the sample company's stackaudit.yaml


def load_seat_columns():
    if yaml is None:
        return
    config = yaml.safe_load((SAMPLE / "stackaudit.yaml").read_text())
    for seat in config["inputs"]["seats"]:
        settings = [f"tool={seat['tool']}"] + [f"column.{k}={v}" for k, v in seat.get("columns", {}).items()]
        SEATS_COLUMNS[Path(seat["path"]).name] = "\n".join(settings)


def seed_csv(c):
    csvs = sorted(SAMPLE.glob("*.csv")) + sorted((SAMPLE / "seats").glob("*.csv")) + \
        sorted(CONNECTOR_DATA.glob("*.csv")) + sorted((CONNECTOR_DATA / "seats").glob("*.csv"))
    for path in csvs:
        text = head_lines(path, 12)
        c.add(bytes([0, 0]) + text)  # reader, ',' delimiter
        c.add(bytes([0, 4]) + text)  # reader, tight limits
        c.add(bytes([0, 1]) + text.replace(b",", b";"))
    c.add(bytes([1]) + b"Email,Name,Last Login\r\na@x.example,A,2026-01-01\r\n\"b@x.example\",\"B, b\",\r\n")
    c.add(bytes([1]) + b"\xef\xbb\xbfname,EMAIL\nA,a@x.example\nB,b@x.example,extra\n")
    c.add(bytes([0, 0]) + b'a,"b ""quoted""",c\r\n"multi\nline",,"x"\r\n')
    for choice, name in ((2, "directory"), (3, "catalog"), (4, "integrations")):
        for path in [SAMPLE / f"{name}.csv"] + sorted(CONNECTOR_DATA.glob(f"{name}*.csv")):
            for policy in (0, 2):
                c.add(bytes([choice]) + connector_payload(policy, "", [head_lines(path, 15)]))
        c.add(bytes([choice]) + connector_payload(2, "delimiter=;", [head_lines(SAMPLE / f"{name}.csv", 8).replace(b",", b";")]))
    for path in sorted((SAMPLE / "seats").glob("*.csv")) + sorted((CONNECTOR_DATA / "seats").glob("*.csv")):
        settings = SEATS_COLUMNS.get(path.name, "tool=Fuzz Tool")
        c.add(bytes([5]) + connector_payload(2, settings, [head_lines(path, 15)]))


# ---- okta_log ----------------------------------------------------------------------------------

def seed_okta_log(c):
    lines = (SAMPLE / "okta_system_log.jsonl").read_bytes().splitlines(keepends=True)
    # Pieces of a few events each, from across the log (different event types), with the
    # buffer size and the policy varied.
    for i, start in enumerate(range(0, len(lines), max(1, len(lines) // 40))):
        piece = b"".join(lines[start:start + 1 + i % 4])
        c.add(bytes([0, i % 8, i % 3]) + piece)
        if i % 5 == 0:  # the same events as a JSON array
            events = [l.strip() for l in lines[start:start + 3] if l.strip()]
            c.add(bytes([1, (i + 3) % 8, 2]) + b"[\n" + b",\n".join(events) + b"\n]\n")
    for path, form in ((CONNECTOR_DATA / "okta_log.jsonl", 0), (CONNECTOR_DATA / "okta_log_array.json", 1)):
        for chunk in (0, 3, 7):
            c.add(bytes([form, chunk, 2]) + read(path))
    pages = [read(p) for p in sorted((API / "okta" / "logs").glob("page-*.json"))]
    for chunk in (2, 7):
        c.add(bytes([2, chunk, 2]) + SEP.join(pages))


# ---- vendor pages and exports ------------------------------------------------------------------

# Mirrors the case tables of fuzz_vendor_pages.cpp: (vendor data folder, files in order, settings).
PAGE_CASES = [
    ("okta", ["users/page-00001.json", "apps/page-00001.json", "app_users/0oa1sfdc9X8y7W6v5u4/page-00001.json",
              "users/page-00002.json"], ""),
    ("m365", ["subscribed_skus/page-00001.json", "users/page-00001.json", "active_users/page-00001.csv",
              "users/page-00002.json"], "sku_tools=POWER_BI_PRO: Power BI; FLOW_FREE: -"),
    ("google_workspace", ["users/page-00001.json", "licenses/page-00001.json", "login_activity/page-00001.json",
                          "users/page-00002.json"], ""),
    ("salesforce", ["user_licenses/page-00001.json", "users/page-00001.json", "users/page-00002.json"], ""),
    ("slack", ["users/page-00001.json", "billable_info/page-00001.json", "access_logs/page-00001.json",
               "users/page-00002.json"], ""),
    ("hubspot", ["users/page-00001.json", "logins/page-00001.json", "users/page-00002.json"], ""),
    ("adobe", ["users/page-00001.json", "groups/page-00001.json", "users/page-00002.json"], ""),
    ("zoom", ["users/page-00001.json", "users/page-00002.json"], ""),
    ("zendesk", ["users/page-00001.json", "users/page-00002.json"], ""),
    ("json", ["seats.json"], "tool=Figma\nemail=/email\nlicense_type=seat_type\nlast_activity=last_active\n"
                             "assigned_date=$.created_at"),
    ("json", ["saved/records/page-00001.json", "saved/records/page-00002.json"],
     "tool=Figma\nemail=/email\nlicense_type=seat_type\nlast_activity=last_active"),
]

EXPORT_CASES = [
    ("salesforce", API / "salesforce" / "users_export.csv"),
    ("slack", API / "slack" / "members_export.csv"),
    ("adobe", API / "adobe" / "export" / "adobe_users.csv"),
    ("m365", SAMPLE / "seats" / "m365_active_users.csv"),
]


def seed_vendor_pages(c):
    for choice, (vendor, files, settings) in enumerate(PAGE_CASES):
        contents = [read(API / vendor / f) if (API / vendor / f).exists() else b"" for f in files]
        for policy in (0, 2):
            c.add(bytes([choice]) + connector_payload(policy, settings, contents))
        # Only the first (required) file, and each page on its own.
        c.add(bytes([choice]) + connector_payload(2, settings, contents[:1]))
    # The generic json connector on its malformed fixture and with records_pointer.
    json_choice = next(i for i, case in enumerate(PAGE_CASES) if case[0] == "json")
    c.add(bytes([json_choice]) + connector_payload(2, "tool=Figma\nemail=/email", [read(API / "json" / "bad.json")]))
    c.add(bytes([json_choice]) + connector_payload(
        2, "tool=Figma\nrecords_pointer=/data\nemail=/member/profile/mail\nlicense_type=license.plan\n"
           "last_activity=/activity/lastSignIn",
        [b'{"data": [{"member": {"profile": {"mail": "a@x.example"}}, "license": {"plan": "pro"},'
         b' "activity": {"lastSignIn": "2026-10-01T00:00:00Z"}}], "next": null}']))


def seed_vendor_exports(c):
    for choice, (vendor, path) in enumerate(EXPORT_CASES):
        text = head_lines(path, 20)
        for policy in (0, 2):
            c.add(bytes([choice]) + connector_payload(policy, "", [text]))
        c.add(bytes([choice]) + connector_payload(2, "delimiter=tab", [text.replace(b",", b"\t")]))
    # The sample company's seat exports, mapped as its stackaudit.yaml maps them.
    for name, choice in (("salesforce_users.csv", 0), ("slack_members.csv", 1), ("adobe_users.csv", 2)):
        settings = "\n".join(l for l in SEATS_COLUMNS.get(name, "").splitlines() if not l.startswith("tool="))
        c.add(bytes([choice]) + connector_payload(2, settings, [head_lines(SAMPLE / "seats" / name, 15)]))


# ---- pull --------------------------------------------------------------------------------------

# The connectors with an ApiSpec, in registry order (connectors/registry.cpp); fuzz_pull.cpp's
# selector byte indexes this list.
API_KINDS = ["okta_log", "okta", "m365", "google_workspace", "salesforce", "slack", "hubspot", "adobe", "zoom",
             "zendesk", "json"]


def response_part(route, folder):
    """fuzz_pull.cpp's response format: "STATUS<TAB>name: value...\n" + body."""
    head = [str(route.get("status", 200))]
    for name, value in (route.get("headers") or {}).items():
        for v in value if isinstance(value, list) else [value]:
            head.append(f"{name}: {str(v).replace('{{BASE}}', 'https://api.fuzz.example')}")
    body = b""
    if route.get("body_file") and (folder / route["body_file"]).exists():
        body = read(folder / route["body_file"], 16 * 1024)
    elif "body" in route:
        body = json.dumps(route["body"]).encode() if not isinstance(route["body"], str) else route["body"].encode()
    return "\t".join(head).encode() + b"\n" + body


def seed_pull(c):
    for choice, kind in enumerate(API_KINDS):
        folder = API / ("okta" if kind == "okta_log" else kind)
        routes_file = folder / "routes.json"
        if not routes_file.exists():
            continue
        routes = json.loads(routes_file.read_text()).get("routes", [])
        if kind == "okta_log":
            routes = [r for r in routes if r.get("path", "").endswith("/logs")]
        elif kind == "okta":
            routes = [r for r in routes if not r.get("path", "").endswith("/logs")]
        parts = [response_part(r, folder) for r in routes]
        c.add(bytes([choice]) + SEP.join(parts))
        c.add(bytes([choice]) + SEP.join(parts[:1]))
        # A rate limit first, then the pages.
        c.add(bytes([choice]) + SEP.join([b"429\tretry-after: 2\tx-rate-limit-remaining: 0\n{}"] + parts[:2]))
        c.add(bytes([choice]) + b"401\n{\"errorSummary\": \"Invalid token provided\"}")


# ---- expressions -------------------------------------------------------------------------------

SUBJECT_KINDS = []  # in catalog order; read from docs/facts.md


def load_subject_kinds():
    # The "Subject kinds" table of docs/facts.md is generated from the catalog, in its order.
    text = (ROOT / "docs" / "facts.md").read_text()
    section = text.split("## Subject kinds", 1)[-1].split("\n## ", 1)[0]
    SUBJECT_KINDS.extend(re.findall(r"^\|\s*`([a-z_]+)`\s*\|", section, re.M))


def literal(value):
    """A YAML test-case value written as an expression literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return f'date("{text}")'
    return json.dumps(text)


def rule_expressions(rule):
    exprs = [rule.get("condition", ""), rule.get("money", ""), rule.get("owners", "")]
    exprs += [e for e in rule.get("evidence", []) or [] if isinstance(e, str)]
    exprs += re.findall(r"\{\{(.*?)\}\}", rule.get("message", "") or "", re.S)
    return [e for e in exprs if isinstance(e, str) and e.strip()]


def seed_expr(c, kinds):
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        if yaml is None:
            break
        rule = yaml.safe_load(path.read_text())
        subject = rule.get("subject", "")
        choice = kinds.index(subject) if subject in kinds else 0
        params = "\n".join(f"{name}={literal(p.get('default') if isinstance(p, dict) else p)}"
                           for name, p in (rule.get("params") or {}).items())
        cases = rule.get("tests") or [{}]
        for expr in rule_expressions(rule):
            for case in cases[:2]:
                facts = "\n".join(f"{k}={literal(v)}" for k, v in (case.get("facts") or {}).items())
                c.add(bytes([choice]) + SEP.join([expr.encode(), facts.encode(), params.encode()]))
    for text in ["1 + 2 * 3 - 4 / 2 % 3", "-(9223372036854775807) - 2", "\"a\" + 'b' == \"ab\"",
                 "[1, 2, 3] intersects [3]", "size([\"a\", \"b\"]) in [2, 3]", "not true or false and !null",
                 "matches(\"abc\", \"^a.*c$\")", "days_between(date(\"2026-01-01\"), date(\"2026-11-01\"))",
                 "coalesce(null, 1.5e3)", "round(percent(0.333))", "money(12345.678)",
                 "join(intersection([\"x\", \"y\"], [\"y\"]), \", \")", "min(1, 2) < max(3, 4) ? lower(\"A\") : upper(\"b\")",
                 "starts_with(\"abc\", \"a\") && ends_with(\"abc\", \"c\") || contains(\"abc\", \"b\")",
                 "has([1], 1)", "days_since(date(\"2026-10-01\")) >= 31", "1 / 0", "7 % 0", "2.5 / 0"]:
        c.add(bytes([0]) + text.encode())


# ---- yaml --------------------------------------------------------------------------------------

def seed_yaml(c):
    for path in sorted((ROOT / "rules").glob("*.yaml")) + sorted((ROOT / "tests" / "rules" / "data").rglob("*.yaml")):
        c.add(bytes([0]) + read(path))
    for path in [ROOT / "docs" / "examples" / "waivers.yaml"]:
        if path.exists():
            c.add(bytes([1]) + read(path))
    c.add(bytes([1]) + b"waivers:\n  - rule: idle-seat\n    subject: \"seat:salesforce:*\"\n    reason: r\n"
                       b"    approver: cio@northwind.example\n    expires: 2025-01-01\n")
    c.add(bytes([2]) + read(SAMPLE / "stackaudit.yaml"))
    c.add(bytes([2]) + b"company: X\ninputs:\n  directory: {path: directory.csv}\n  catalog: {path: catalog.csv}\n"
                       b"rules:\n  params: {idle_days: 90, idle-seat.new_seat_grace_days: 10}\n"
                       b"  disable: [shadow-it]\n  severity: {no-owner: high}\nwaivers: waivers.yaml\n"
                       b"history: {db: h.db}\nscorecard: {utilisation_floor: 0.4}\n")


# ---- http headers ------------------------------------------------------------------------------

def seed_http_headers(c):
    for value in ["7", " 120 ", "0", "1.5", "Mon, 02 Nov 2026 02:00:30 GMT", "Monday, 02-Nov-26 02:01:00 GMT",
                  "Mon Nov  2 02:00:05 2026", "2026-11-02T03:00:00Z", "2026-11-02T02:00:10.000+0000", "soon",
                  "99999999999999999999", "1e9"]:
        c.add(bytes([0]) + value.encode())
    links = set()
    for routes in sorted(API.glob("*/routes.json")):
        for route in json.loads(routes.read_text()).get("routes", []):
            for name, value in (route.get("headers") or {}).items():
                values = value if isinstance(value, list) else [value]
                if name.lower() == "link":
                    links.add("\n".join(v.replace("{{BASE}}", "https://api.example") for v in values))
                elif name.lower() in ("retry-after", "x-rate-limit-reset"):
                    c.add(bytes([0]) + str(values[0]).encode())
    links |= {"<https://a.example/p?page=1>; rel=\"prev\", <https://a.example/p?page=3>; rel=\"next\"",
              "<https://a.example/x?c=2>; type=\"application/json\"; rel=next; title=\"more, please\"",
              "<https://a.example/y>; rel=\"next self\""}
    for link in sorted(links):
        c.add(bytes([1]) + link.encode())
    for base, nxt in [("https://a.example/v1/users?x=1", "/services/data/v60.0/query/01g-2000"),
                      ("https://a.example/a/b/c", "../d?e=f#g"), ("https://a.example", "?page=2"),
                      ("https://a.example/x", "//cdn.example/y"), ("https://a.example/a/./b/../c/", "./d/../e")]:
        c.add(bytes([2]) + f"{base}\n{nxt}".encode())
    c.add(bytes([3]) + b"Authorization: SSWS 00abcDEF123\nGET /x?token=s3cr3t&api_key=k" + SEP + b"00abcDEF123")
    c.add(bytes([3]) + b"Basic dXNlcjpwYXNzd29yZA== and user:password" + SEP + b"user:password")
    c.add(bytes([4]) + b"https://user:pw@A.Example:443/p?q=1 2\ncursor\ndXNlcj0x/+=")
    for routes in sorted(API.glob("*/routes.json")):
        for route in json.loads(routes.read_text()).get("routes", [])[:2]:
            body_file = route.get("body_file")
            if body_file and body_file.endswith(".json") and (routes.parent / body_file).exists():
                body = read(routes.parent / body_file, 8192)
                for pointer in ("/paging/next/after", "/nextRecordsUrl", "/@odata.nextLink", "/done", "/0/id",
                                "response_metadata.next_cursor", "/meta/has_more", "/lastPage"):
                    c.add(bytes([5]) + pointer.encode() + b"\n" + body)
                break


# ---- time --------------------------------------------------------------------------------------

def seed_time(c):
    for value in ["2013-06-24T17:39:19.000Z", "2019-12-16T18:02:48Z", "2013-05-20T20:49:32.000+0000",
                  "2024-03-01T09:00:00+01:00", "2024-03-01 09:00:00", "2024-03-01", "1700000000",
                  "1700000000000", "never", "null", "N/A", "-", "0", "1970-01-01T00:00:00.000Z", "3/7/2026",
                  "12/31/1999", " 2026-11-01T09:30:00Z ", "2026-02-29", "2024-02-29T23:59:60Z",
                  "2026-11-01T09:30:00 UTC", "2026-11-01t09:30z", "0001-01-01T00:00:00+01:00",
                  "9999-12-31T23:59:59-23:59"]:
        c.add(value)


TARGETS = {
    "csv": seed_csv,
    "okta_log": seed_okta_log,
    "vendor_pages": seed_vendor_pages,
    "vendor_exports": seed_vendor_exports,
    "pull": seed_pull,
    "expr": None,  # needs the subject kinds
    "yaml": seed_yaml,
    "http_headers": seed_http_headers,
    "time": seed_time,
}


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(sys.argv[1])
    wanted = sys.argv[2:] or list(TARGETS)
    load_seat_columns()
    for target in wanted:
        if target not in TARGETS:
            print(f"seed.py: unknown target {target}; targets: {', '.join(TARGETS)}", file=sys.stderr)
            return 2
        corpus = Corpus(out / target)
        if target == "expr":
            kinds = os.environ.get("STACKAUDIT_SUBJECT_KINDS", "").split()
            if not kinds:
                load_subject_kinds()
                kinds = SUBJECT_KINDS
            seed_expr(corpus, kinds)
        else:
            TARGETS[target](corpus)
        print(f"seed.py: {target}: {corpus.count} seeds in {corpus.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
