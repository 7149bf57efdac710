#!/usr/bin/env bash
# Runs the reference system — brms 2.18 / rstan 2.21, the model slowreg
# replaces — on one series with Models/reference/fit_reference.R, and compares
# the result with the shipped reference summary when there is one.
#
# Usage: scripts/reference.sh [--install-only] CASE [OUT_DIR] [SEED]
#   CASE     a directory with raw.csv and prep.csv, or the name of a case in
#            ../shared/reference (short_quarter, year_gaussian, year_outliers, year_bimodal)
#   OUT_DIR  where summary.csv and timing.json go (default: out/reference/CASE)
#   SEED     Stan's seed (default 20240101)
#
# Installs, when missing (apt-get as root or with sudo): r-base-core,
# r-cran-brms, r-cran-rstan; and, once per machine, the link rstan needs to find
# Debian's Boost headers inside the R package BH:
#   ln -s /usr/include /usr/lib/R/site-library/BH/include
# Cost on 2 cores: about a minute to compile the model, one to two to sample a year.
#
# Regenerating a reference fixture (e.g. after changing the reference model):
#   scripts/reference.sh year_gaussian /tmp/ref/year_gaussian
#   cp /tmp/ref/year_gaussian/summary.csv Tests/SamplingTests/Fixtures/reference/year_gaussian/
# (the prepared series, prep.csv, is the input and stays as it is). The run
# prints agree.py's figures against the shipped summary: with another seed,
# MCMC noise alone gave 0.07 (level median), 0.99 (level width), 0.07 / 0.10 /
# 0.12 (predictive median / p05 / p95) and 1.00 (predictive width) on
# short_quarter, inside the bounds of ../shared/reference/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

REFERENCE_DIR=../shared/reference
PACKAGES=(r-base-core r-cran-brms r-cran-rstan)
BH_INCLUDE=/usr/lib/R/site-library/BH/include

install_only=false
if [ "${1:-}" = "--install-only" ]; then install_only=true; shift; fi

need=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need+=("$pkg")
done
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ${#need[@]} -gt 0 ]; then
  echo "reference: installing ${need[*]} (a few hundred MB)" >&2
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ ! -e "$BH_INCLUDE" ]; then
  echo "reference: linking $BH_INCLUDE to /usr/include (Debian's Boost headers for rstan)" >&2
  $SUDO ln -s /usr/include "$BH_INCLUDE"
fi
$install_only && exit 0

if [ $# -lt 1 ]; then sed -n '2,13p' "$0" >&2; exit 2; fi
case_arg=$1
if [ -d "$case_arg" ]; then
  case_dir=$case_arg
elif [ -d "$REFERENCE_DIR/$case_arg" ]; then
  case_dir=$REFERENCE_DIR/$case_arg
else
  echo "reference: $case_arg is neither a directory nor a case in $REFERENCE_DIR" >&2
  exit 2
fi
out_dir=${2:-out/reference/$(basename "$case_dir")}
seed=${3:-20240101}

Rscript Models/reference/fit_reference.R "$case_dir" "$out_dir" "$seed"

# The shipped summary of the same case, if any: how close the regenerated fit is.
if [ -f "$case_dir/summary.csv" ] && [ "$(cd "$case_dir" && pwd)" != "$(cd "$out_dir" && pwd)" ]; then
  echo "reference: agreement with $case_dir/summary.csv:"
  python3 "$REFERENCE_DIR/agree.py" "$case_dir/summary.csv" "$out_dir/summary.csv"
fi
