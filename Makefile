# Makefile — the set-up commands of the README, as a thin wrapper over meson.
#
#   make demo    install what is missing, build, run examples/demo.sql
#   make test    install what is missing, build, run every test suite
#   make build   install what is missing, build (in ./build)
#   make clean   remove ./build
#   make bench   build-release, then the benchmarks (bench/run.sh; pass
#                options with BENCH_ARGS=--quick, see docs/BENCHMARKS.md)
#
# Missing Debian packages are installed with apt-get when running as root;
# otherwise the missing ones are listed with the command that installs them.
# Without dpkg (not Debian) the check is skipped.

PACKAGES := lemon meson ninja-build pkg-config gcc libc6-dev libcjson-dev \
            libedit-dev libxxhash-dev libsqlite3-dev sqlite3 tmux
BUILD    := build

.PHONY: demo test build clean

demo: build
	./$(BUILD)/shell/eddy -f examples/demo.sql

test: build
	meson test -C $(BUILD) --print-errorlogs

build:
	@command -v dpkg-query >/dev/null || exit 0; \
	missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -q && \
	    apt-get install -y -q --no-install-recommends $$missing; \
	else \
	  echo "missing packages:$$missing"; \
	  echo "install them with: sudo apt-get install$$missing"; \
	  exit 1; \
	fi
	@if [ ! -f $(BUILD)/build.ninja ]; then meson setup $(BUILD); fi
	ninja -C $(BUILD)

clean:
	rm -rf $(BUILD)

.PHONY: bench
bench:
	bash bench/run.sh $(BENCH_ARGS)
