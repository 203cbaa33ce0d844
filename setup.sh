#!/bin/sh
# setup.sh — the two set-up commands of the README on a bare Debian 12:
#
#   sh setup.sh demo    install what is missing, build, run the demo
#   sh setup.sh test    install what is missing, build, run every test
#
# A bare Debian has no make; this installs it (as root, with apt-get) and
# hands over to the Makefile, which installs the rest and builds.
set -e
cd "$(dirname "$0")"
if ! command -v make >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends make
  else
    echo "setup.sh: make is missing; install it with: sudo apt-get install make" >&2
    exit 1
  fi
fi
exec make "${@:-demo}"
