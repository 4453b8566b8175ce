#!/usr/bin/env python3
"""Runs the examples of a Markdown document and checks their output against the document.

Every ```console block is a sequence of commands, each on a line starting with "$ ", followed by
the output it prints on stdout. A block whose output is a single "..." line only has its exit
code checked. Commands run with bash in WORKDIR, where the bundled sample company has been
copied to northwind/, with `stackaudit` on PATH. A command's expected exit code is 0 unless the
line after its output is "[exit N]".

    doc_examples.py DOC STACKAUDIT SOURCE_DIR WORKDIR [--update]

--update rewrites the outputs in DOC from what the commands print (review the diff); to keep a
long output out of the document, end the command with `| head -N` or write "..." by hand.
"""
import os
import re
import shutil
import subprocess
import sys

BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def parse(block):
    """[(command, expected_output, expected_exit)] of one console block."""
    items, command, out = [], None, []
    for line in block.splitlines(keepends=True):
        if line.startswith("$ "):
            if command is not None:
                items.append(finish(command, out))
            command, out = line[2:].rstrip("\n"), []
        elif command is not None:
            out.append(line)
    if command is not None:
        items.append(finish(command, out))
    return items


def finish(command, out):
    code = 0
    if out and re.fullmatch(r"\[exit \d+\]\n?", out[-1]):
        code = int(re.search(r"\d+", out[-1]).group())
        out = out[:-1]
    return command, "".join(out), code


def render(items):
    text = ""
    for command, out, code in items:
        text += "$ " + command + "\n" + out
        if code != 0:
            text += "[exit %d]\n" % code
    return text


def main():
    args = [a for a in sys.argv[1:] if a != "--update"]
    update = "--update" in sys.argv
    doc, binary, source, work = args
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    shutil.copytree(os.path.join(source, "sample_data", "northwind"), os.path.join(work, "northwind"))
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(os.path.abspath(binary)) + os.pathsep + env["PATH"]
    env["COLUMNS"] = "120"
    text = open(doc, encoding="utf-8").read()
    failures, ran = [], 0

    def check(match):
        nonlocal ran
        items = parse(match.group(1))
        fresh = []
        for command, expected, code in items:
            proc = subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True)
            ran += 1
            got = proc.stdout
            if expected == "...\n" or expected == "...":
                got = "...\n"
            if proc.returncode != code:
                failures.append("%s\n  exit %d, the document says %d\n  stderr: %s" %
                                (command, proc.returncode, code, proc.stderr.strip()[:2000]))
            elif got != expected and not update:
                failures.append("%s\n  output differs from the document:\n--- document\n%s--- actual\n%s" %
                                (command, expected, got))
            fresh.append((command, proc.stdout if update else expected, proc.returncode))
        return "```console\n" + render(fresh) + "```"

    new_text = BLOCK.sub(check, text)
    if ran == 0:
        print("%s has no console examples" % doc)
        return 1
    if update:
        open(doc, "w", encoding="utf-8").write(new_text)
        print("updated %d examples in %s" % (ran, doc))
        return 1 if failures else 0
    for f in failures:
        print("FAILED: " + f + "\n")
    print("%d examples, %d failed (%s)" % (ran, len(failures), doc))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
