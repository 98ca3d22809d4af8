#!/usr/bin/env python3
"""Extracts bundles with the real extractors and reports what each one wrote.

Usage: extract.py BUNDLE...   (or the paths one per line on stdin with '-')

For every bundle and extractor prints one JSON line:
  {"bundle": path, "extractor": name, "ok": bool, "error": text,
   "files": {relative path: sha256 hex}, "dirs": [...], "other": [...]}
Extractors: GNU tar (tar -xzf), bsdtar (libarchive), Python tarfile extractall without a filter
and with filter='data'. Each extracts into a fresh temporary directory, removed afterwards.
"""
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile


def walk(root):
    files, dirs, other = {}, [], []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            if stat.S_ISDIR(st.st_mode):
                dirs.append(rel)
            elif stat.S_ISREG(st.st_mode):
                h = hashlib.sha256()
                with open(full, "rb") as f:
                    for block in iter(lambda: f.read(1 << 16), b""):
                        h.update(block)
                files[rel] = h.hexdigest()
            else:
                other.append(rel)
    return files, sorted(dirs), sorted(other)


def run_tool(argv):
    def extract(bundle, target):
        p = subprocess.run(argv + [bundle, "-C", target], capture_output=True, timeout=60)
        if p.returncode != 0:
            raise RuntimeError("exit %d: %s" % (p.returncode, p.stderr.decode("utf-8", "replace").strip()[:300]))
    return extract


def python_tarfile(filter_name):
    def extract(bundle, target):
        with tarfile.open(bundle, "r:gz") as t:
            if filter_name is None:
                t.extractall(target)
            else:
                t.extractall(target, filter=filter_name)
    return extract


EXTRACTORS = [
    ("gnu-tar", run_tool(["tar", "--no-same-owner", "--no-same-permissions", "-xzf"])),
    ("bsdtar", run_tool(["bsdtar", "--no-same-owner", "-xzf"])),
    ("python-tarfile", python_tarfile(None)),
    ("python-tarfile-data", python_tarfile("data")),
]


def main(args):
    if not hasattr(tarfile, "data_filter"):
        sys.exit("python %s has no tarfile extraction filters; 3.11.4 or later (or a Debian 3.11 with the backport) is needed"
                 % sys.version.split()[0])
    for tool in ("tar", "bsdtar"):
        if shutil.which(tool) is None:
            sys.exit("%s is not installed: run scripts/test (it installs it) or apt-get install %s"
                     % (tool, "libarchive-tools" if tool == "bsdtar" else "tar"))
    paths = [line.strip() for line in sys.stdin if line.strip()] if args == ["-"] else args
    base = tempfile.mkdtemp(prefix="frostbyte-extract-")
    try:
        for bundle in paths:
            for name, extract in EXTRACTORS:
                target = tempfile.mkdtemp(dir=base)
                result = {"bundle": bundle, "extractor": name, "ok": True, "error": ""}
                try:
                    extract(bundle, target)
                except Exception as e:  # every failure is a result, not a crash of the driver
                    result["ok"] = False
                    result["error"] = ("%s: %s" % (type(e).__name__, e))[:300]
                files, dirs, other = walk(target)
                result.update(files=files, dirs=dirs, other=other)
                print(json.dumps(result), flush=True)
                # Extractors may leave unwritable directories behind; make them removable.
                for dirpath, dirnames, _ in os.walk(target):
                    for d in dirnames:
                        try:
                            os.chmod(os.path.join(dirpath, d), 0o755, follow_symlinks=False)
                        except OSError:
                            pass
                shutil.rmtree(target, ignore_errors=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
