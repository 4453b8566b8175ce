#!/usr/bin/env python3
"""Checks an audit of the sample company against its PLANTED.md manifest.

Every row of the "Planted" table must be found (same rule, same subject), and no finding of
severity high or above may exist that is not planted. Subjects in PLANTED.md are written for
people ("seat Slack jane@x", "pair Looker + Tableau"); they are turned into finding subject keys.
Usage: check_planted.py PLANTED.md findings.csv
"""
import csv
import re
import sys


def subject_key(text):
    kind, _, rest = text.strip().partition(' ')
    rest = rest.strip()
    if kind == 'tool':
        return 'tool:' + rest.lower()
    if kind == 'app':
        return 'app:' + rest.lower()
    if kind == 'seat':
        tool, _, email = rest.rpartition(' ')
        return f'seat:{tool.lower()}:{email.lower()}'
    if kind == 'owner':
        head, _, email = rest.rpartition(' ')
        tool, _, role = head.rpartition(' ')
        return f'owner:{tool.lower()}:{role}:{email.lower()}'
    if kind == 'pair':
        a, _, b = rest.partition(' + ')
        a, b = sorted([a.strip(), b.strip()], key=str.lower)
        return f'pair:{a.lower()}|{b.lower()}'
    if kind == 'integration':
        a, _, b = rest.partition(' > ')
        return f'integration:{a.strip().lower()}>{b.strip().lower()}'
    raise SystemExit(f'PLANTED.md: cannot read subject {text!r}')


def planted_rows(path):
    rows, in_planted = [], False
    for line in open(path, encoding='utf-8'):
        if line.startswith('## '):
            in_planted = line.lower().startswith('## planted')
            continue
        if not in_planted or not line.startswith('|'):
            continue
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) < 3 or cells[0] in ('rule', '') or set(cells[0]) <= set('-: '):
            continue
        rows.append((cells[0].strip('`'), subject_key(cells[2].strip('`'))))
    return rows


def main():
    planted = set(planted_rows(sys.argv[1]))
    findings = list(csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8')))
    found = {(f['rule_id'], f['subject']) for f in findings}
    missing = sorted(p for p in planted if p not in found)
    extra_high = sorted((f['rule_id'], f['subject']) for f in findings
                        if f['severity'] in ('high', 'critical') and (f['rule_id'], f['subject']) not in planted)
    for rule, subject in missing:
        print(f'planted but not found: {rule} {subject}')
    for rule, subject in extra_high:
        print(f'high finding that was not planted: {rule} {subject}')
    rules = {p[0] for p in planted}
    print(f'{len(planted)} planted problems over {len(rules)} rules; {len(findings)} findings; '
          f'{len(missing)} missing; {len(extra_high)} unplanted high')
    return 1 if missing or extra_high or not planted else 0


if __name__ == '__main__':
    sys.exit(main())
