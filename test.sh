#!/usr/bin/env bash
# Runs every test of CreditPortal on a fresh machine: installs what is missing, builds, tests.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Ledger]
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests need: Chromium for the Playwright tests, openpyxl to open our .xlsx
# files independently of our own code, aiosmtpd for a real local SMTP server (alert mail).
apt_packages=()
command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium)
/usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1 || apt_packages+=(python3-openpyxl)
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || apt_packages+=(python3-aiosmtpd)
if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "test.sh: installing ${apt_packages[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${apt_packages[@]}"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore
dotnet build CreditPortal.sln -c Release -nologo -clp:ErrorsOnly
dotnet test CreditPortal.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "$@"
