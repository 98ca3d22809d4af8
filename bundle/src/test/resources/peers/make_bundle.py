#!/usr/bin/env python3
"""Builds a bundle with stock tools only (Python's json, hashlib, tarfile, and gpg), straight from
the format text, as an independent peer of the Java writer.

  make_bundle.py v1     --gnupghome H --key FPR --tenant UUID --export UUID --docs N --out B.tar.gz
  make_bundle.py legacy --gnupghome H --key FPR --tenant UUID --export UUID --docs N --out B.tar.gz [--sign-other] [--files-unsorted]

v1:     manifest signed as in format §4: gpg --detach-sign over the JCS payload (for ASCII strings
        and integers, json.dumps(sort_keys, compact separators) is exactly RFC 8785).
legacy: as the original PRD's Python plan did: json.dump(manifest, indent=2), gpg --clearsign,
        no signature_version, no sizes. --sign-other clearsigns a different manifest; --files-unsorted
        lists the files in descending path order (the plan listed them as os.walk found them).
"""
import argparse, base64, hashlib, io, json, os, subprocess, sys, tarfile, tempfile, time, uuid


def gpg(home, *args, data=None):
    cmd = ["gpg", "--homedir", home, "--batch", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", ""] + list(args)
    return subprocess.run(cmd, input=data, check=True, capture_output=True).stdout


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["v1", "legacy"])
    p.add_argument("--gnupghome", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--tenant", required=True)
    p.add_argument("--export", required=True)
    p.add_argument("--docs", type=int, default=3)
    p.add_argument("--out", required=True)
    p.add_argument("--sign-other", action="store_true")
    p.add_argument("--files-unsorted", action="store_true")
    p.add_argument("--extra-listed", metavar="PATH", help="also hold and list this file (e.g. notes/a.json): legacy manifests may")
    p.add_argument("--content-bytes", nargs=2, type=int, metavar=("MIN", "MAX"),
                   help="English-like content of MIN..MAX bytes per document (benchmarks); default one sentence")
    p.add_argument("--level", type=int, help="gzip level (default: tarfile's own, 9)")
    a = p.parse_args()

    words = ("the quarterly report shows revenue growth in the northern region while costs of materials rose "
             "slightly and the board approved a new plan for customer support across all markets").split()
    rng = __import__("random").Random(20261126)
    files = {}
    for i in range(a.docs):
        doc_id = str(uuid.UUID(int=(i + 1) * 7919))
        content = "Quarterly report number %d for the northern region." % i
        if a.content_bytes:
            target = rng.randint(a.content_bytes[0], a.content_bytes[1])
            parts, size = [], 0
            while size < target:
                w = rng.choice(words)
                parts.append(w)
                size += len(w) + 1
            content = " ".join(parts)[:target]
        body = json.dumps({"id": doc_id, "tenant_id": a.tenant, "title": "Document %d" % i,
                           "content": content}, sort_keys=True)
        files["documents/%s.json" % doc_id] = body.encode("utf-8")

    if a.extra_listed:
        files[a.extra_listed] = b'{"note": "signed with the rest"}'
    manifest = {
        "format": "frostbyte-export",
        "export_id": a.export,
        "tenant_id": a.tenant,
        "created_at": "2026-11-22T08:15:30Z",
        "include_chunks": False,
        "document_count": sum(1 for k in files if k.startswith("documents/")),
        "chunk_count": 0,
    }
    if a.mode == "v1":
        manifest["signature_version"] = 1
        manifest["files"] = [{"path": k, "sha256": hashlib.sha256(v).hexdigest(), "size": len(v)} for k, v in sorted(files.items())]
        manifest["signer_fingerprint"] = a.key
        payload = json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        sig = gpg(a.gnupghome, "--local-user", a.key, "--digest-algo", "SHA256", "--detach-sign", "--output", "-", data=payload)
        manifest["signature"] = base64.b64encode(sig).decode("ascii")
        manifest_bytes = json.dumps(manifest, indent=2).encode("utf-8")
    else:
        manifest["files"] = [{"path": k, "sha256": hashlib.sha256(v).hexdigest()}
                             for k, v in sorted(files.items(), reverse=a.files_unsorted)]
        signed = dict(manifest)
        if a.sign_other:
            signed["document_count"] = manifest["document_count"] + 1
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "manifest.json")
            with open(path, "w") as f:
                json.dump(signed, f, indent=2)
            clear = gpg(a.gnupghome, "--local-user", a.key, "--clearsign", "--output", "-", path)
        manifest["signature"] = clear.decode("ascii")
        manifest_bytes = json.dumps(manifest, indent=2).encode("utf-8")

    with (tarfile.open(a.out, "w:gz", compresslevel=a.level) if a.level else tarfile.open(a.out, "w:gz")) as tar:
        root = tarfile.TarInfo(a.export)
        root.type = tarfile.DIRTYPE
        root.mode = 0o755
        tar.addfile(root)
        for name, data in sorted(files.items()) + [("manifest.json", manifest_bytes)]:
            info = tarfile.TarInfo("%s/%s" % (a.export, name))
            info.size = len(data)
            info.mode = 0o644
            info.mtime = int(time.time())
            tar.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    main()
