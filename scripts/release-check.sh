#!/usr/bin/env bash
# scripts/release-check.sh (make release-check): proves the release pipeline, as CI runs it.
#  1. A throwaway CA and code-signing certificate (openssl), in a temporary directory.
#  2. scripts/release.sh for every platform, the Windows binaries signed with that certificate
#     (the PFX password only in the environment) and verified against the CA.
#  3. osslsigncode verify again, and against another CA, where it must fail.
#  4. sha256sum -c SHA256SUMS, and tools/release verify: the manifests parse and hold the hashes.
#  5. Two platforms built again from another clone in another directory, unsigned: their
#     binaries and SBOMs must be identical, byte for byte, to the first build's.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
CHECK_PLATFORMS=${RELEASE_CHECK_PLATFORMS:-linux/amd64 windows/amd64}

command -v osslsigncode >/dev/null || { echo "release-check: osslsigncode is not installed" >&2; exit 1; }
command -v openssl >/dev/null || { echo "release-check: openssl is not installed" >&2; exit 1; }

# Both releases are of one commit, whatever happens to the work tree meanwhile.
RELEASE_COMMIT=$(git rev-parse HEAD)
export RELEASE_COMMIT
tmp=$(mktemp -d "${TMPDIR:-/tmp}/exoprobe-release-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "== release-check: a throwaway CA and code-signing certificate"
mk_ca() { # mk_ca NAME: a CA certificate NAME.pem and its key NAME.key
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/$1.key" -out "$tmp/$1.pem" -days 2 \
		-subj "/CN=exoprobe release-check $1" -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
mk_ca ca
mk_ca other-ca
openssl req -newkey rsa:2048 -nodes -keyout "$tmp/sign.key" -out "$tmp/sign.csr" \
	-subj "/O=exoprobe release-check/CN=exoprobe test code signing" 2>/dev/null
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n' >"$tmp/sign.ext"
openssl x509 -req -in "$tmp/sign.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial -days 2 \
	-extfile "$tmp/sign.ext" -out "$tmp/sign.pem" 2>/dev/null
EXOPROBE_SIGN_PFX_PASSWORD=$(openssl rand -hex 16)
export EXOPROBE_SIGN_PFX_PASSWORD
openssl pkcs12 -export -inkey "$tmp/sign.key" -in "$tmp/sign.pem" -certfile "$tmp/ca.pem" \
	-passout env:EXOPROBE_SIGN_PFX_PASSWORD -out "$tmp/sign.pfx"

echo "== release-check: every platform, signed"
EXOPROBE_SIGN_PFX=$tmp/sign.pfx EXOPROBE_SIGN_CAFILE=$tmp/ca.pem GO=$GO scripts/release.sh "$tmp/a"
unset EXOPROBE_SIGN_PFX_PASSWORD

echo "== release-check: the signatures"
for exe in "$tmp"/a/exoprobe-windows-*.exe; do
	osslsigncode verify -CAfile "$tmp/ca.pem" -in "$exe" | grep -E '^Signature verification: ok$' >/dev/null ||
		{ echo "release-check: $(basename "$exe") does not verify against the test CA" >&2; exit 1; }
	if osslsigncode verify -CAfile "$tmp/other-ca.pem" -in "$exe" >/dev/null 2>&1; then
		echo "release-check: $(basename "$exe") verifies against a CA that did not sign it" >&2
		exit 1
	fi
	echo "release-check: $(basename "$exe"): Authenticode signature verifies against the test CA, and not against another"
done
grep -q 'signed with Authenticode by `' "$tmp/a/RELEASE-NOTES.md" ||
	{ echo "release-check: RELEASE-NOTES.md does not name the signer" >&2; exit 1; }

echo "== release-check: SHA256SUMS and the manifests"
(cd "$tmp/a" && sha256sum --quiet -c SHA256SUMS)
(cd "$tmp/a" && sha256sum -c SHA256SUMS | sed 's/^/release-check: /' | grep -c ': OK$' | sed 's/$/ files match SHA256SUMS/')
$GO run ./tools/release verify -dist "$tmp/a"
for p in windows/amd64 windows/arm64 linux/amd64 linux/arm64 darwin/amd64 darwin/arm64; do
	f=exoprobe-${p%/*}-${p#*/}
	[ "${p%/*}" = windows ] && f=$f.exe
	[ -s "$tmp/a/$f" ] && [ -s "$tmp/a/$f.cdx.json" ] ||
		{ echo "release-check: $f or its SBOM is missing" >&2; exit 1; }
	grep -q '"bomFormat": "CycloneDX"' "$tmp/a/$f.cdx.json" ||
		{ echo "release-check: $f.cdx.json is not a CycloneDX SBOM" >&2; exit 1; }
done

echo "== release-check: the stamps of the binary for this machine"
host_bin=$tmp/a/exoprobe-$($GO env GOOS)-$($GO env GOARCH)
[ "$($GO env GOOS)" = windows ] && host_bin=$host_bin.exe
if [ -x "$host_bin" ]; then
	stamps=$("$host_bin" version -o json)
	for want in "\"commit\": \"$RELEASE_COMMIT\"" '"reproducible": true' "\"go_version\": \"$($GO env GOVERSION)\"" \
		"\"build_time\": \"$(TZ=UTC git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd "$RELEASE_COMMIT")\""; do
		case $stamps in *"$want"*) ;; *) echo "release-check: exoprobe version -o json lacks $want:" >&2; echo "$stamps" >&2; exit 1 ;; esac
	done
	echo "release-check: $(basename "$host_bin") version: commit, commit time, Go version stamped; reproducible"
fi

echo "== release-check: $CHECK_PLATFORMS built again elsewhere, unsigned"
RELEASE_PLATFORMS=$CHECK_PLATFORMS GO=$GO scripts/release.sh "$tmp/b" >/dev/null
status=0
while read -r hash name; do
	want=$(awk -v n="$name" '$2 == n { print $1 }' "$tmp/a/REBUILD-SHA256SUMS")
	if [ "$hash" = "$want" ]; then
		echo "release-check: $name: the same bytes twice ($hash)"
	else
		echo "release-check: $name is not reproducible: $hash; the first build made $want" >&2
		status=1
	fi
	if ! cmp -s "$tmp/a/$name.cdx.json" "$tmp/b/$name.cdx.json"; then
		echo "release-check: the SBOM of $name differs between the builds" >&2
		status=1
	fi
	case $name in
	*.exe) cmp -s "$tmp/b/$name" "$tmp/a/$name" &&
		{ echo "release-check: the published $name is the unsigned one" >&2; status=1; } ;;
	esac
done <"$tmp/b/REBUILD-SHA256SUMS"
grep -q 'The Windows binaries are not signed' "$tmp/b/RELEASE-NOTES.md" 2>/dev/null ||
	[ ! -e "$tmp/b/RELEASE-NOTES.md" ] || { echo "release-check: the unsigned release's notes do not say so" >&2; exit 1; }
exit $status
