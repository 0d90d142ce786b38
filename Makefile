# exoprobe: why can't this application send mail through Microsoft 365?
GO       ?= go
# A release is a tag (v0.1.0); anything else is the next version's development build with its commit.
VERSION  ?= $(shell git describe --tags --exact-match 2>/dev/null || echo 0.1.0-dev+$$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown))
# The commit and its time stamp every build: the commit's time is the build's only time
# (SOURCE_DATE_EPOCH), so that a rebuild of the commit stamps the same bytes.
COMMIT      := $(shell git rev-parse HEAD 2>/dev/null)
COMMIT_TIME := $(shell TZ=UTC git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd 2>/dev/null)
LDFLAGS  := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.commitTime=$(COMMIT_TIME)
BIN      := bin/exoprobe
PLATFORMS := windows/amd64 windows/arm64 linux/amd64 linux/arm64 darwin/amd64 darwin/arm64

.PHONY: build test demo dist release release-check bench fuzz clean

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/exoprobe

# vet, then every test with the race detector.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

# A real run of the real code against the built-in Exchange Online simulator on loopback.
demo: build
	./$(BIN) demo; test $$? -le 2

# Every benchmark; the process-level ones (cmd/exoprobe BenchmarkProcess*) run the binary
# "make build" just made, against the simulator and, when installed, real Postfix beside swaks.
bench: build
	EXOPROBE_BIN=$(CURDIR)/$(BIN) $(GO) test -run '^$$' -bench . -benchmem ./...

# Static binaries with the version stamped, one per platform, in dist/.
dist:
	@mkdir -p dist
	@for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
		echo "dist/exoprobe-$$os-$$arch$$ext"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags '$(LDFLAGS)' \
			-o dist/exoprobe-$$os-$$arch$$ext ./cmd/exoprobe || exit 1; \
	done

# A release of the commit checked out, in dist/: static binaries built reproducibly from a fresh
# clone, REBUILD-SHA256SUMS, the Windows binaries signed when EXOPROBE_SIGN_PFX names a PFX
# (password in EXOPROBE_SIGN_PFX_PASSWORD), a CycloneDX SBOM per binary, the winget and Scoop
# manifests, RELEASE-NOTES.md and SHA256SUMS. See scripts/release.sh.
release:
	$(if $(filter command line environment,$(origin VERSION)),VERSION='$(VERSION)') GO='$(GO)' scripts/release.sh dist

# Proves the release pipeline, as CI runs it: a release signed with a throwaway certificate,
# verified with osslsigncode against its CA, and two platforms built again in another clone,
# with identical checksums. See scripts/release-check.sh.
release-check:
	GO='$(GO)' scripts/release-check.sh

# Every FuzzXxx target for a few seconds, as CI does.
fuzz:
	.ci/fuzz

clean:
	rm -rf bin dist
