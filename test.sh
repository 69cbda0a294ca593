#!/usr/bin/env bash
# Runs every test of CreditPortal on a fresh machine: installs what is missing, builds, tests.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Ledger]
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests need: Chromium for the Playwright tests, openpyxl to open our .xlsx
# files independently of our own code, aiosmtpd for a real local SMTP server (alert mail), PostgreSQL for
# the second pass below (each test process starts a throwaway cluster of its own; the package's own service
# is not used).
apt_packages=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || apt_packages+=(postgresql)
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

# The ledger, API, report and webhook tests again, every database on PostgreSQL (issue #16). Tests about SQLite itself
# (its WAL, file, query plans and locks) carry the trait Database=SqliteOnly and are left out here.
if [ $# -eq 0 ]; then
  echo "test.sh: the ledger, API, report and webhook tests on PostgreSQL"
  CREDITPORTAL_TEST_DATABASE=PostgreSQL dotnet test CreditPortal.Tests -c Release --no-build -nologo --logger "console;verbosity=normal" \
    --filter "(FullyQualifiedName~CreditPortal.Tests.Ledger|FullyQualifiedName~CreditPortal.Tests.Api|FullyQualifiedName~CreditPortal.Tests.Reports|FullyQualifiedName~CreditPortal.Tests.Webhooks)&Database!=SqliteOnly"
fi
