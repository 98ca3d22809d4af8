#!/usr/bin/env bash
# Format §4's stock-tool recipe, verbatim: checks a bundle's manifest signature with tar, jq and gpg.
# Usage: GNUPGHOME=... gpg_verify_recipe.sh BUNDLE EXPORT_ID WORKDIR
set -euo pipefail
B="$1"; X="$2"; cd "$3"
tar -xzf "$B" "$X/manifest.json"
jq -cjS 'del(.signature)' "$X/manifest.json" > payload
jq -r .signature "$X/manifest.json" | base64 -d > payload.sig
gpg --batch --verify payload.sig payload
