#!/usr/bin/env bash
# slurm-test.sh: a quantloop sweep on a real one-node Slurm cluster, as a
# job array of shards (docs/slurm/sweep.sbatch) merged by a dependent
# job, must equal the same sweep run on one machine, byte for byte: the
# run listings (csv and json, with and without the sweep's deflated
# Sharpe ratios) and every run's exported row.
#
# Run as root from anywhere in the repository; it exits 0 when the stores
# agree. It installs Debian's slurmctld, slurmd, slurm-client and munge
# when missing, writes a one-node slurm.conf (this host, non-cgroup
# plugins) in a temporary folder, starts munged (unless one answers
# already), slurmctld and slurmd itself, and stops the daemons it started,
# by PID, on every exit. SLURM_TEST_SHARDS sets the number of shards (4).
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "slurm-test.sh: FAIL: must run as root (it installs and starts the Slurm and munge daemons)" >&2
  exit 1
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
shards=${SLURM_TEST_SHARDS:-4}
tmp=$(mktemp -d /tmp/quantloop-slurm.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    for f in "$tmp"/log/*.log "$tmp"/work/sweep-*.out "$tmp"/work/merge-*.out; do
      [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }
    done >&2
    echo "slurm-test.sh: FAIL (status $status); files kept in $tmp" >&2
  else
    rm -rf "$tmp"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== Slurm and munge"
missing=()
for p in slurmctld:slurmctld slurmd:slurmd sbatch:slurm-client munged:munge; do
  command -v "${p%%:*}" >/dev/null || missing+=("${p#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
PATH=$PATH:/usr/sbin

if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  chown munge:munge /etc/munge/munge.key 2>/dev/null || true
  chmod 400 /etc/munge/munge.key
fi
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge /etc/munge 2>/dev/null || true
  munged_user=munge
  id munge >/dev/null 2>&1 || munged_user=root
  if [ "$munged_user" = root ]; then
    munged --foreground --force >"$tmp/munged.log" 2>&1 &
  else
    setpriv --reuid=munge --regid=munge --init-groups munged --foreground >"$tmp/munged.log" 2>&1 &
  fi
  pids+=($!)
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null
fi

host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/log" "$tmp/work"
export SLURM_CONF=$tmp/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=quantloop-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=${SLURM_TEST_PORT:-6917}
SlurmdPort=$((${SLURM_TEST_PORT:-6917} + 1))
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SchedulerParameters=kill_invalid_depend
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=30 State=UP
CONF
slurmctld -D -i -f "$SLURM_CONF" >>"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >>"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 150); do
  state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
  case "$state" in idle*|mix*|alloc*) break;; esac
  sleep 0.2
done
sinfo -h -n "$host" -o '%n %t %c' | grep -Eq 'idle|mix|alloc' || { echo "the node did not come up: $(sinfo 2>&1)" >&2; exit 1; }
echo "one node up: $(sinfo -h -o '%n %c CPUs %t')"

echo "== build quantloop"
(cd "$repo" && CGO_ENABLED=0 go build -o "$tmp/quantloop" ./cmd/quantloop)
ql=$tmp/quantloop

# The sweep: every task runs in work/, where the data and the config are,
# so the data paths (part of each run's id) are those of the local sweep.
work=$tmp/work
cp -r "$repo/testdata/daily" "$work/daily"
cat >"$work/sweep.yaml" <<YAML
data:
  files: [daily/AAA.csv, daily/BBB.csv]
strategy:
  name: smacross
  params: {mode: longshort}
sizing:
  pct: 10
YAML
sweep_args=(--config sweep.yaml --grid strategy.params.fast=4:16:4 --grid strategy.params.slow=20:40:10 --where 'fast < slow')

echo "== the sweep on one machine"
(cd "$work" && "$ql" sweep "${sweep_args[@]}" --store local.db >local.txt)

echo "== the sweep as a Slurm array of $shards shards, merged by a dependent job"
array=$(cd "$work" && sbatch --parsable --array=0-$((shards - 1)) --chdir="$work" \
  --export=ALL,QUANTLOOP="$ql" "$repo/docs/slurm/sweep.sbatch" "${sweep_args[@]}")
array=${array%%;*}
echo "array job $array"
(cd "$work" && timeout 300 sbatch --wait --parsable --dependency=afterok:"$array" --chdir="$work" \
  --output="$work/merge-%j.out" --wrap "$ql runs merge shard-*.db --into merged.db" >/dev/null) \
  || { echo "the merge job failed or the array did not finish: $(squeue 2>&1)" >&2; exit 1; }
for i in $(seq 0 $((shards - 1))); do
  test -s "$work/shard-$i.db" || { echo "shard $i wrote no store" >&2; exit 1; }
done

echo "== compare the merged store with the local one"
id=$(awk '/^quantloop sweep /{print $3; exit}' "$work/local.txt")
[ -n "$id" ] || { echo "no sweep id in the local sweep's output" >&2; exit 1; }
compare() { # compare NAME ARGS...: the same output from both stores
  local name=$1; shift
  "$ql" "$@" --store "$work/local.db" >"$work/local.$name"
  "$ql" "$@" --store "$work/merged.db" >"$work/merged.$name"
  cmp "$work/local.$name" "$work/merged.$name" || { echo "$name differs" >&2; diff "$work/local.$name" "$work/merged.$name" | head -20 >&2; exit 1; }
}
compare list.csv runs list --format csv
compare list.json runs list --format json
compare sweep.csv runs list --sweep "$id" --format csv
n=0
for run in $(tail -n +2 "$work/local.list.csv" | cut -d, -f1); do
  compare "export-$run.json" runs export "$run" --format json
  n=$((n + 1))
done
runs=$(($(wc -l <"$work/local.list.csv") - 1))
[ "$runs" -gt "$shards" ] || { echo "only $runs runs: the test needs more runs than shards" >&2; exit 1; }
echo "slurm-test.sh: OK: $runs runs in $shards Slurm array tasks, merged, equal the local sweep (listings and $n exports)"
