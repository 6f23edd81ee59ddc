#!/usr/bin/env bash
# Runs before `npm test`: installs, from Debian's packages, the real programs the test suite
# drives — Chromium for the HTML reports (and poppler-utils' pdftotext to read their PDF), PostgreSQL for the shared history store — when they are
# missing, so the README's test command works on a fresh machine by itself. Nothing is downloaded
# from anywhere else. Set TRUSTSCAN_CHROMIUM to use another browser binary.
set -euo pipefail

need=()
if [ -n "${TRUSTSCAN_CHROMIUM:-}" ]; then
  [ -x "$TRUSTSCAN_CHROMIUM" ] || { echo "TRUSTSCAN_CHROMIUM=$TRUSTSCAN_CHROMIUM is not an executable" >&2; exit 1; }
elif [ ! -x /usr/bin/chromium ]; then
  need+=(chromium)
fi
# pdftotext reads back the PDF that Chromium prints from the HTML report.
if [ -z "${TRUSTSCAN_PDFTOTEXT:-}" ] && ! command -v pdftotext >/dev/null 2>&1; then
  need+=(poppler-utils)
fi
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need+=(postgresql)
fi
[ ${#need[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "the tests need ${need[*]}: install them with your package manager (this script knows Debian's apt-get)" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "the tests need Debian packages ${need[*]}: run 'sudo apt-get install -y ${need[*]}' once, then npm test" >&2
  exit 1
fi
echo "installing Debian packages for the tests: ${need[*]}" >&2
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
