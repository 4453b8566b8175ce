#!/usr/bin/env python3
"""Peer: the Python script a person would write with the standard json module.

Same aggregation as bench/reference: successful SSO events (eventType user.authentication.sso,
outcome.result SUCCESS) up to --as-of, per (AppInstance id, actor.id): last sign-in and the count
within the window. Prints the same summary line as bench_reference.

usage: python_json.py FILE [--as-of 2026-11-01T00:00:00Z] [--window-days 30]
"""
import argparse
import calendar
import json
import sys


def epoch(text):
    # "2026-10-30T14:05:09.123Z" -> whole seconds since 1970 (UTC), as stackaudit truncates them.
    return calendar.timegm((int(text[0:4]), int(text[5:7]), int(text[8:10]),
                            int(text[11:13]), int(text[14:16]), int(text[17:19]), 0, 0, 0))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--as-of", default="2026-11-01T00:00:00Z")
    parser.add_argument("--window-days", type=int, default=30)
    args = parser.parse_args()
    as_of_text = args.as_of if len(args.as_of) > 10 else args.as_of + "T00:00:00Z"
    as_of = epoch(as_of_text)
    window_start = as_of - args.window_days * 86400

    pairs = {}  # (app, user) -> [last, events, in_window]
    errors = 0
    with open(args.file, "rb") as log:
        for line in log:
            if not line.strip():
                continue
            try:
                event = json.loads(line)
            except ValueError:
                errors += 1
                continue
            if event.get("eventType") != "user.authentication.sso":
                continue
            if (event.get("outcome") or {}).get("result") != "SUCCESS":
                continue
            when = epoch(event["published"])
            if when > as_of:
                continue
            user = (event.get("actor") or {}).get("id")
            app = next((t.get("id") for t in (event.get("target") or []) if t.get("type") == "AppInstance"), None)
            if app is None or user is None:
                continue
            stats = pairs.get((app, user))
            if stats is None:
                pairs[(app, user)] = [when, 1, 1 if when >= window_start else 0]
            else:
                stats[0] = max(stats[0], when)
                stats[1] += 1
                stats[2] += 1 if when >= window_start else 0

    events = sum(s[1] for s in pairs.values())
    in_window = sum(s[2] for s in pairs.values())
    last_sum = sum(s[0] for s in pairs.values())
    print(f"pairs={len(pairs)} events={events} in_window={in_window} last_seen_sum={last_sum} errors={errors}")


if __name__ == "__main__":
    sys.exit(main())
