# exoprobe: why can't this application send mail through Microsoft 365?
GO       ?= go
# A release is a tag (v0.1.0); anything else is the next version's development build with its commit.
VERSION  ?= $(shell git describe --tags --exact-match 2>/dev/null || echo 0.1.0-dev+$$(git rev-parse --short HEAD 2>/dev/null || echo unknown))
LDFLAGS  := -s -w -X main.version=$(VERSION)
BIN      := bin/exoprobe
PLATFORMS := windows/amd64 windows/arm64 linux/amd64 linux/arm64 darwin/amd64 darwin/arm64

.PHONY: build test demo dist bench fuzz clean

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

# Every FuzzXxx target for a few seconds, as CI does.
fuzz:
	.ci/fuzz

clean:
	rm -rf bin dist
