#!/usr/bin/env bash
# scripts/release.sh OUTDIR: a release of the commit checked out, into OUTDIR (make release).
#
# It builds from a fresh clone of HEAD in a temporary directory, so that what is built is the
# commit and nothing else: static binaries (CGO_ENABLED=0) with -trimpath, -buildvcs=false and
# every stamp (version, commit, commit time as SOURCE_DATE_EPOCH) from the commit, so that the
# same commit built with the same Go gives the same bytes wherever it is built. Then:
#   REBUILD-SHA256SUMS  the binaries as built (what a rebuild must match)
#   Authenticode        the Windows binaries signed with osslsigncode when EXOPROBE_SIGN_PFX names a
#                       PFX (its password in EXOPROBE_SIGN_PFX_PASSWORD, read from the environment
#                       and handed to osslsigncode on its standard input, never on a command line);
#                       EXOPROBE_SIGN_TIMESTAMP_URL adds an RFC 3161 time stamp; EXOPROBE_SIGN_CAFILE
#                       makes the script verify the signatures against that CA
#   *.cdx.json          a CycloneDX SBOM per binary (cyclonedx-gomod, pinned below)
#   winget/, scoop/     the manifests with the published binaries' hashes (tools/release)
#   RELEASE-NOTES.md    what was built, whether it is signed, how to verify
#   SHA256SUMS          every file above
# RELEASE_PLATFORMS (default: all six) chooses the platforms; the manifests need both Windows ones.
# RELEASE_COMMIT builds that commit instead of HEAD (the work tree does not matter then).
# Network: the Go module proxy only (modules and cyclonedx-gomod).
set -euo pipefail

CYCLONEDX_GOMOD=github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@v1.10.0
GO=${GO:-go}
PLATFORMS=${RELEASE_PLATFORMS:-windows/amd64 windows/arm64 linux/amd64 linux/arm64 darwin/amd64 darwin/arm64}

out=${1:?usage: scripts/release.sh OUTDIR}
repo=$(git rev-parse --show-toplevel)
if [ -n "${RELEASE_COMMIT:-}" ]; then
	commit=$(git -C "$repo" rev-parse --verify "$RELEASE_COMMIT^{commit}")
else
	if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
		echo "release: the tree has uncommitted changes; a release is built from a commit: commit or stash them" \
			"(or name the commit in RELEASE_COMMIT)" >&2
		exit 1
	fi
	commit=$(git -C "$repo" rev-parse HEAD)
fi
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct "$commit")}
commit_time=$(TZ=UTC git -C "$repo" log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd "$commit")
version=${VERSION:-$(git -C "$repo" describe --tags --exact-match "$commit" 2>/dev/null || echo "0.1.0-dev+$(git -C "$repo" rev-parse --short=12 "$commit")")}
version=${version#v}
go_version=$($GO env GOVERSION)

sha256() { if command -v sha256sum >/dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi; }

work=$(mktemp -d "${TMPDIR:-/tmp}/exoprobe-release.XXXXXX")
trap 'rm -rf "$work"' EXIT
git clone -q --no-checkout "$repo" "$work/src"
git -C "$work/src" -c advice.detachedHead=false checkout -q "$commit"
mkdir -p "$out" "$work/build" "$work/bin"
out=$(cd "$out" && pwd)
rm -rf "${out:?}"/exoprobe-* "$out/winget" "$out/scoop" "$out/SHA256SUMS" "$out/REBUILD-SHA256SUMS" "$out/RELEASE-NOTES.md"

echo "release: exoprobe $version, commit $commit ($commit_time), $go_version"
ldflags="-s -w -buildid= -X main.version=$version -X main.commit=$commit -X main.commitTime=$commit_time -X main.reproducible=true"
names=()
for p in $PLATFORMS; do
	os=${p%/*} arch=${p#*/} ext=
	[ "$os" = windows ] && ext=.exe
	name=exoprobe-$os-$arch$ext
	names+=("$name")
	(cd "$work/src" && CGO_ENABLED=0 GOOS=$os GOARCH=$arch GOFLAGS=-mod=readonly \
		$GO build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$work/build/$name" ./cmd/exoprobe)
	echo "release: built $name (${SECONDS}s)"
done
(cd "$work/build" && sha256 "${names[@]}") >"$out/REBUILD-SHA256SUMS"
cp "${names[@]/#/$work/build/}" "$out/"

signed_by=
if [ -n "${EXOPROBE_SIGN_PFX:-}" ]; then
	command -v osslsigncode >/dev/null || { echo "release: EXOPROBE_SIGN_PFX is set but osslsigncode is not installed" >&2; exit 1; }
	[ -r "$EXOPROBE_SIGN_PFX" ] || { echo "release: cannot read EXOPROBE_SIGN_PFX ($EXOPROBE_SIGN_PFX)" >&2; exit 1; }
	export EXOPROBE_SIGN_PFX_PASSWORD=${EXOPROBE_SIGN_PFX_PASSWORD:-}
	signed_by=$(openssl pkcs12 -in "$EXOPROBE_SIGN_PFX" -passin env:EXOPROBE_SIGN_PFX_PASSWORD -nokeys -clcerts 2>/dev/null |
		openssl x509 -noout -subject -nameopt RFC2253 | sed 's/^subject=//')
	[ -n "$signed_by" ] || { echo "release: cannot read the certificate in EXOPROBE_SIGN_PFX (wrong EXOPROBE_SIGN_PFX_PASSWORD?)" >&2; exit 1; }
	for name in "${names[@]}"; do
		case $name in *.exe) ;; *) continue ;; esac
		ts=()
		[ -n "${EXOPROBE_SIGN_TIMESTAMP_URL:-}" ] && ts=(-ts "$EXOPROBE_SIGN_TIMESTAMP_URL")
		printf '%s' "$EXOPROBE_SIGN_PFX_PASSWORD" | osslsigncode sign -pkcs12 "$EXOPROBE_SIGN_PFX" -readpass - \
			-h sha256 -n exoprobe -i https://github.com/exoprobe/exoprobe "${ts[@]}" \
			-in "$work/build/$name" -out "$work/signed-$name" >/dev/null
		mv "$work/signed-$name" "$out/$name"
		if [ -n "${EXOPROBE_SIGN_CAFILE:-}" ]; then
			osslsigncode verify -CAfile "$EXOPROBE_SIGN_CAFILE" -in "$out/$name" >/dev/null ||
				{ echo "release: the signature of $name does not verify against $EXOPROBE_SIGN_CAFILE" >&2; exit 1; }
			echo "release: signed $name ($signed_by); verified against $EXOPROBE_SIGN_CAFILE"
		else
			echo "release: signed $name ($signed_by)"
		fi
	done
else
	echo "release: EXOPROBE_SIGN_PFX is not set: the Windows binaries are not signed (RELEASE-NOTES.md says so)"
fi

# The SBOMs: the tool is installed once from the module proxy, at the pinned version.
GOOS= GOARCH= GOBIN="$work/bin" $GO install "$CYCLONEDX_GOMOD"
# They run side by side: the licence detection of one takes some seconds, mostly waiting.
pids=()
for p in $PLATFORMS; do
	os=${p%/*} arch=${p#*/} ext=
	[ "$os" = windows ] && ext=.exe
	(cd "$work/src" && CGO_ENABLED=0 GOOS=$os GOARCH=$arch "$work/bin/cyclonedx-gomod" app -json -licenses \
		-noserial -notimestamp -main cmd/exoprobe -output "$out/exoprobe-$os-$arch$ext.cdx.json" . \
		>"$work/sbom-$os-$arch.log" 2>&1 || { cat "$work/sbom-$os-$arch.log" >&2; exit 1; }) &
	pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
echo "release: a CycloneDX SBOM per binary (*.cdx.json) (${SECONDS}s)"

if [[ " $PLATFORMS " == *" windows/amd64 "* && " $PLATFORMS " == *" windows/arm64 "* ]]; then
	(cd "$work/src" && $GO run ./tools/release manifests -dist "$out" -version "$version" -commit "$commit" \
		-commit-time "$commit_time" -go-version "$go_version" -signed-by "$signed_by" ${RELEASE_URL:+-url "$RELEASE_URL"})
else
	echo "release: not both Windows platforms built: no winget or Scoop manifest, no release notes"
fi

(cd "$out" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | while read -r f; do sha256 "$f"; done) >"$work/SHA256SUMS"
mv "$work/SHA256SUMS" "$out/SHA256SUMS"
echo "release: $out/SHA256SUMS (${SECONDS}s)"
