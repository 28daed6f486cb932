#!/usr/bin/env bash
# The benchmark's peers (make bench-smoke runs in make test): llhttp's C sources and
# http-parser's library, from Debian.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends node-llhttp libhttp-parser-dev >/dev/null
