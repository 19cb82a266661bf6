#!/usr/bin/env bash
# Install (when missing) and start a single-node Slurm cluster with job accounting on this machine, as root:
# munged, mariadbd, slurmdbd, slurmctld, slurmd. Idempotent: daemons already running are left alone.
# Ends with status 0 once `sinfo` shows the node idle; anything else is an error (exit 1) with the daemons' logs.
# Settings follow the measured recipe in DESIGN.md section 7 (no systemd, no cgroups: linuxproc tracking, task/none).
# Usage: sudo .ci/slurm/start-cluster.sh        (DEEPCSF_SLURM_STATE=/var/lib/deepcsf-slurm to move the state)
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "start-cluster.sh: run as root (it installs packages and starts daemons)" >&2; exit 1; }
state=${DEEPCSF_SLURM_STATE:-/var/lib/deepcsf-slurm}
started=$(date +%s)

alive() { # alive PIDFILE: the process named there exists and is not a zombie
  [ -s "$1" ] || return 1
  local pid; pid=$(cat "$1")
  [ -r "/proc/$pid/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status"
}
wait_for() { # wait_for SECONDS WHAT COMMAND...: retry COMMAND until it succeeds
  local until=$(( $(date +%s) + $1 )) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$until" ]; then echo "start-cluster.sh: $what did not come up" >&2; return 1; fi
    sleep 0.2
  done
}
fail() {
  echo "start-cluster.sh: $1; logs follow" >&2
  for f in "$state"/log/*.log "$state"/mysql/mariadb.err; do [ -f "$f" ] && { echo "== $f" >&2; tail -n 20 "$f" >&2; }; done
  exit 1
}

# 1. Packages. policy-rc.d exiting 101 stops package scripts from starting services (there is no init system here).
packages=(slurmctld slurmd slurm-client slurmdbd munge mariadb-server)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi

mkdir -p "$state"/{log,run,ctld,spool,mysql} /run/munge /run/mysqld /etc/slurm
host=$(hostname -s)

# 2. munge: a key, then the daemon as user munge.
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
fi
chown munge:munge /etc/munge/munge.key /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
chmod 400 /etc/munge/munge.key; chmod 755 /run/munge
if ! alive /run/munge/munged.pid; then
  echo "== starting munged"
  rm -f /run/munge/munge.socket.2 /run/munge/munged.pid
  runuser -u munge -- /usr/sbin/munged --force
fi
wait_for 10 munged sh -c 'munge -n | unmunge' || fail "munged failed"

# 3. mariadb for slurmdbd's accounting: files inside its own folder, the standard socket, no network.
db="$state/mysql"
if ! alive "$db/mariadb.pid"; then
  echo "== starting mariadbd"
  if [ ! -d "$db/data/mysql" ]; then
    mariadb-install-db --no-defaults --user=root --datadir="$db/data" --auth-root-authentication-method=socket \
      --skip-test-db > "$db/install.log" 2>&1 || { cat "$db/install.log" >&2; fail "mariadb-install-db failed"; }
  fi
  rm -f /run/mysqld/mysqld.sock
  (setsid mariadbd --no-defaults --user=root --datadir="$db/data" --socket=/run/mysqld/mysqld.sock --skip-networking \
     --pid-file="$db/mariadb.pid" --log-error="$db/mariadb.err" --innodb-buffer-pool-size=32M </dev/null >/dev/null 2>&1 &)
fi
wait_for 30 mariadbd mariadb --no-defaults -uroot --socket=/run/mysqld/mysqld.sock -e 'select 1' || fail "mariadbd failed"

# 4. Configuration (rewritten each time; it only depends on this machine).
cat > /etc/slurm/slurmdbd.conf <<CONF
AuthType=auth/munge
DbdHost=localhost
SlurmUser=root
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=root
StorageLoc=slurm_acct_db
PidFile=$state/run/slurmdbd.pid
LogFile=$state/log/slurmdbd.log
CONF
chmod 600 /etc/slurm/slurmdbd.conf
node=$(slurmd -C | head -n 1)
memory=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$node")
node=$(sed "s/RealMemory=[0-9]*/RealMemory=$(( memory * 9 / 10 ))/" <<<"$node")
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=deepcsf
SlurmctldHost=$host
AuthType=auth/munge
SlurmUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0
KillWait=5
MinJobAge=300
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
JobCompType=jobcomp/none
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/run/slurmctld.pid
SlurmdPidFile=$state/run/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
$node
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

# 5. The Slurm daemons, in order; the cluster is registered with the accounting database once.
if ! alive "$state/run/slurmdbd.pid"; then echo "== starting slurmdbd"; slurmdbd; fi
wait_for 30 slurmdbd sacctmgr -n list cluster || fail "slurmdbd failed"
sacctmgr -n -P list cluster format=cluster | grep -qx deepcsf || sacctmgr -i add cluster deepcsf >/dev/null
if ! alive "$state/run/slurmctld.pid"; then echo "== starting slurmctld"; slurmctld; fi
wait_for 30 slurmctld scontrol ping || fail "slurmctld failed"
if ! alive "$state/run/slurmd.pid"; then echo "== starting slurmd"; slurmd; fi
wait_for 30 "the node" sh -c "sinfo -h -N -o %t | grep -qx idle" || {
  scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true
  wait_for 15 "the node" sh -c "sinfo -h -N -o %t | grep -Eqx 'idle|mix|alloc'" || fail "the node is not idle: $(sinfo -h -N -o '%t %E')"
}
echo "slurm cluster up on $host in $(( $(date +%s) - started )) s: $(sinfo -h -o '%P %D nodes, %c cpus, %t')"
