#!/usr/bin/env bash
# test_slurm.sh - the Slurm job scripts of hpc/slurm on a real one-node Slurm
# brought up here: munged and slurmctld + slurmd on localhost (configuration
# hpc/slurm/test/slurm.conf.in; state, logs and the munge socket in a
# temporary folder; no cgroups), then
#   1. hpc/slurm/bulk.sbatch on a small simulated store (2 devices): the
#      results equal a single-process baiot bulk on the same store (reports
#      apart from "created" and "timings", summary apart from "seconds");
#   2. hpc/slurm/array.sbatch (one device per array task) and its gather job
#      (--dependency=afterok): the gathered summary.json equals the bulk one
#      apart from seconds and folder, summary.md likewise;
#   3. the same submitted by hand with plain sbatch (--dependency=afterany),
#      a device missing from the store: the gather lists it as failed with
#      baiot bulk's error message, and exits 1;
#   4. with the MPI program (BAIOT_MPI_BIN): the bulk job on 2 ranks under
#      srun --mpi=pmix and under mpirun, results as in 1;
#   5. hpc/slurm/detect.sbatch (bulk --detect, the Gaussian mixture, with
#      --pooled), and with the MPI program on 2 ranks: the detectors' reports
#      and summary equal a single-process baiot bulk --detect.
# Opt-in: runs when slurmctld, slurmd, munged, sbatch are installed and the
# test is root (or has passwordless sudo); else skipped (exit 77).
# BAIOT_SLURM_TEST=0 skips it.  Every daemon and job is stopped on exit.
set -euo pipefail
: "${BAIOT_BIN:?}" "${BAIOT_SRC:?}"
skip() { echo "SKIP: $*"; exit 77; }
[ "${BAIOT_SLURM_TEST:-1}" != 0 ] || skip "BAIOT_SLURM_TEST=0"
PATH=$PATH:/usr/sbin:/sbin
for t in slurmctld slurmd munged munge sbatch squeue scontrol scancel python3; do
  command -v "$t" > /dev/null 2>&1 || skip "$t not found (Debian: apt-get install slurm-wlm munge)"
done
SUDO=()
if [ "$(id -u)" != 0 ]; then
  sudo -n true 2> /dev/null || skip "the Slurm daemons need root (or passwordless sudo)"
  SUDO=(sudo -n)
fi

# Every process this test starts carries this marker in its environment
# (the daemons, their job steps and the jobs): the teardown kills exactly
# those that are left.
tmp=$(mktemp -d /tmp/baiot-slurm.XXXXXX)
export BAIOT_SLURM_TEST_DIR=$tmp
BAIOT_BIN=$(cd "$(dirname "$BAIOT_BIN")" && pwd)/$(basename "$BAIOT_BIN")
export BAIOT_BIN
# The test may itself run inside a Slurm job: forget it.
for v in $(compgen -v SLURM_); do unset "$v"; done
export SLURM_CONF=$tmp/slurm.conf
pids=()
t_start=$(date +%s)

teardown() {
  local rc=$? p
  set +e
  if [ -f "$SLURM_CONF" ] && [ -n "$(squeue -h -o %i 2> /dev/null)" ]; then
    squeue -h -o %i 2> /dev/null | xargs -r scancel 2> /dev/null
    for _ in $(seq 20); do [ -z "$(squeue -h -o %i 2> /dev/null)" ] && break; sleep 0.5; done
  fi
  for ((p = ${#pids[@]} - 1; p >= 0; p--)); do "${SUDO[@]}" kill "${pids[$p]}" 2> /dev/null; done
  [ -f "$tmp/munge/munged.pid" ] && "${SUDO[@]}" kill "$(cat "$tmp/munge/munged.pid")" 2> /dev/null
  for _ in $(seq 20); do
    local left=0
    for p in "${pids[@]}"; do "${SUDO[@]}" kill -0 "$p" 2> /dev/null && left=1; done
    [ $left = 0 ] && break
    sleep 0.25
  done
  # Anything left over (a job step, a job's process) by the marker.
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" = $$ ] && continue
    if "${SUDO[@]}" cat "/proc/$p/environ" 2> /dev/null | tr '\0' '\n' | grep -qxF "BAIOT_SLURM_TEST_DIR=$tmp"; then
      "${SUDO[@]}" kill -9 "$p" 2> /dev/null
    fi
  done
  if [ $rc != 0 ] && [ $rc != 77 ]; then
    echo "--- logs ($tmp/log) ---"
    for f in "$tmp"/log/* "$tmp"/munge/munged.log "$tmp"/work/*.out; do
      [ -f "$f" ] && { echo "== $f"; tail -n 25 "$f"; }
    done
  fi
  "${SUDO[@]}" rm -rf "$tmp"
  echo "test_slurm: $(($(date +%s) - t_start)) s"
  exit $rc
}
trap teardown EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*"; exit 1; }
waitfor() { # seconds description command...
  local n=$1 what=$2
  shift 2
  for ((i = 0; i < n * 4; i++)); do
    "$@" > /dev/null 2>&1 && return 0
    sleep 0.25
  done
  fail "$what: not within $n s"
}

# --- munge: a fresh key, the socket in the temporary folder (every folder
# on its path must be searchable by all, as munged checks) ---
mkdir -p "$tmp"/{munge,state,spool,run,log,work}
chmod 755 "$tmp" "$tmp/munge"
"${SUDO[@]}" dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
"${SUDO[@]}" chmod 600 "$tmp/munge/munge.key"
"${SUDO[@]}" munged --socket="$tmp/munge/munge.socket" --key-file="$tmp/munge/munge.key" \
  --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munge/munged.log" --seed-file="$tmp/munge/munged.seed" ||
  skip "munged does not start here: $(tail -n 1 "$tmp/munge/munged.log" 2> /dev/null)"
waitfor 10 "munged" sh -c "munge -n -S '$tmp/munge/munge.socket' | unmunge -S '$tmp/munge/munge.socket'"

# --- slurm.conf from the template: free ports, this host, 2 CPUs ---
read -r port1 port2 < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s:
    x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
host=$(hostname -s)
cpus=$(nproc)
[ "$cpus" -gt 2 ] && cpus=2
mem=$(awk '/^MemTotal:/ { m = int($2 / 1024 * 0.8); print (m > 4096 ? 4096 : m) }' /proc/meminfo)
mpi=none
compgen -G "/usr/lib*/*/slurm-wlm/mpi_pmix.so" > /dev/null || compgen -G "/usr/lib*/slurm/mpi_pmix.so" > /dev/null &&
  mpi=pmix
sed -e "s|@DIR@|$tmp|g" -e "s|@HOST@|$host|g" -e "s|@CPUS@|$cpus|g" -e "s|@MEMORY@|$mem|g" \
  -e "s|@CTLD_PORT@|$port1|g" -e "s|@SLURMD_PORT@|$port2|g" -e "s|@MPI@|$mpi|g" \
  "$BAIOT_SRC/hpc/slurm/test/slurm.conf.in" > "$SLURM_CONF"

"${SUDO[@]}" env BAIOT_SLURM_TEST_DIR="$tmp" slurmctld -D -i -f "$SLURM_CONF" > "$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
waitfor 30 "slurmctld answering" scontrol ping
"${SUDO[@]}" env BAIOT_SLURM_TEST_DIR="$tmp" slurmd -D -f "$SLURM_CONF" > "$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
node_idle() { sinfo -h -n "$host" -o %T | grep -qx idle; }
waitfor 30 "node $host idle" node_idle
echo "ok: one-node Slurm up ($host, $cpus CPUs, $mem MiB, ports $port1/$port2, MpiDefault=$mpi)"

# --- the data and the single-process reference ---
cd "$tmp/work"
"$BAIOT_BIN" synth -q --devices Provision_PT_737E_Security_Camera,Danmini_Doorbell --scale 0.01 -o "$tmp/work/s.h5"
"$BAIOT_BIN" bulk "$tmp/work/s.h5" -o ref -q > /dev/null
"$BAIOT_BIN" bulk "$tmp/work/s.h5" --detect --pooled -o ref-detect -q > /dev/null
"$BAIOT_BIN" bulk "$tmp/work/s.h5" --devices Danmini_Doorbell,Ennio_Doorbell -o ref-fail -q > /dev/null 2>&1 &&
  fail "baiot bulk with a device missing from the store succeeded"

# Waits for jobs to leave the queue; prints nothing, fails on the timeout.
wait_jobs() { # seconds jobid...
  local n=$1
  shift
  for ((i = 0; i < n * 2; i++)); do
    local q
    q=$(squeue -h -o %i 2> /dev/null | tr '\n' ' ')
    local busy=0
    for j in "$@"; do
      case " $q" in *" $j "* | *" ${j}_"*) busy=1 ;; esac
    done
    [ $busy = 0 ] && return 0
    sleep 0.5
  done
  squeue
  fail "jobs $* not done within $n s"
}
job_state() { scontrol show job "$1" | tr ' ' '\n' | sed -n 's/^JobState=//p' | sort -u | paste -sd, -; }

slurm=$BAIOT_SRC/hpc/slurm
# One CPU per task, so that two jobs run side by side on the two CPUs.  The
# node binds nothing (TaskPlugin=task/none): the bulk job asks for binding
# all the same (the default; srun warns), the array jobs not (BAIOT_BIND=0).
export BAIOT_CPUS_PER_TASK=1 BAIOT_TIME=00:10:00
bulk_id=$("$slurm/bulk.sbatch" "$tmp/work/s.h5" slurm-bulk)
read -r arr_id gat_id < <(BAIOT_BIND=0 "$slurm/array.sbatch" "$tmp/work/s.h5" slurm-array)
# The same by hand, as docs/SLURM.md shows (plain sbatch: the job finds
# hpc/slurm through Slurm's record of the script), with a device missing
# from the store and the gather after any end of the array.
arr2_id=$(BAIOT_BIND=0 BAIOT_DEVICES=Danmini_Doorbell,Ennio_Doorbell sbatch --parsable --array=0-1 \
  --cpus-per-task=1 --mem=600M --time=10:00 "$slurm/array.sbatch" "$tmp/work/s.h5" slurm-array-fail)
gat2_id=$(sbatch --parsable --dependency="afterany:$arr2_id" --kill-on-invalid-dep=yes \
  "$slurm/gather.py" slurm-array-fail --devices Danmini_Doorbell,Ennio_Doorbell)
det_ids=("$("$slurm/detect.sbatch" "$tmp/work/s.h5" slurm-detect --pooled)")
for j in "$bulk_id" "$arr_id" "$gat_id" "$arr2_id" "$gat2_id" "${det_ids[0]}"; do
  [ -n "$j" ] || fail "a submission failed"
done
echo "submitted: bulk $bulk_id, array $arr_id + gather $gat_id, array $arr2_id + gather $gat2_id"
# With the MPI program (BAIOT_MPI_BIN, set by CMake when MPI is found): the
# bulk job on two ranks, launched by srun --mpi=pmix and by mpirun.
mpi_ids=()
if [ -n "${BAIOT_MPI_BIN:-}" ] && [ -x "$BAIOT_MPI_BIN" ] && [ "$mpi" = pmix ]; then
  mpi_ids+=("$(BAIOT_BIN=$BAIOT_MPI_BIN BAIOT_NTASKS=2 BAIOT_MPI=pmix BAIOT_BIND=0 \
    "$slurm/bulk.sbatch" "$tmp/work/s.h5" slurm-bulk-pmix)")
  if command -v mpirun > /dev/null 2>&1; then
    mpi_ids+=("$(BAIOT_BIN=$BAIOT_MPI_BIN BAIOT_NTASKS=2 BAIOT_LAUNCH=mpirun BAIOT_BIND=0 \
      "$slurm/bulk.sbatch" "$tmp/work/s.h5" slurm-bulk-mpirun)")
  fi
  det_ids+=("$(BAIOT_BIN=$BAIOT_MPI_BIN BAIOT_NTASKS=2 BAIOT_MPI=pmix BAIOT_BIND=0 \
    "$slurm/detect.sbatch" "$tmp/work/s.h5" slurm-detect-pmix --pooled)")
  echo "submitted: MPI bulk jobs ${mpi_ids[*]} (2 ranks: srun --mpi=pmix, mpirun), MPI detect job ${det_ids[1]}"
else
  echo "note: no MPI bulk job (BAIOT_MPI_BIN unset or Slurm without pmix)"
fi
wait_jobs 150 "$bulk_id" "$arr_id" "$gat_id" "$arr2_id" "$gat2_id" "${mpi_ids[@]}" "${det_ids[@]}"
echo "jobs done after $(($(date +%s) - t_start)) s"

[ "$(job_state "$bulk_id")" = COMPLETED ] || fail "bulk job $bulk_id: $(job_state "$bulk_id")"
[ "$(job_state "$arr_id")" = COMPLETED ] || fail "array job $arr_id: $(job_state "$arr_id")"
[ "$(job_state "$gat_id")" = COMPLETED ] || fail "gather job $gat_id: $(job_state "$gat_id")"
[ "$(job_state "$arr2_id")" = "COMPLETED,FAILED" ] || fail "array job $arr2_id: $(job_state "$arr2_id") (one task should fail)"
[ "$(job_state "$gat2_id")" = FAILED ] || fail "gather job $gat2_id: $(job_state "$gat2_id") (should fail: a device failed)"
for j in "${mpi_ids[@]}"; do
  [ "$(job_state "$j")" = COMPLETED ] || fail "MPI bulk job $j: $(job_state "$j")"
  grep -q "2 task(s) x 1 thread(s)" "baiot-bulk-$j.out" || fail "MPI bulk job $j: not 2 tasks of 1 CPU"
done
for j in "${det_ids[@]}"; do
  [ "$(job_state "$j")" = COMPLETED ] || fail "detect job $j: $(job_state "$j")"
done
echo "ok: job states"
grep -q "1 task(s) x 1 thread(s)" "baiot-bulk-$bulk_id.out" || fail "bulk job: OMP_NUM_THREADS not from SLURM_CPUS_PER_TASK"

mpi_dirs=()
[ ${#mpi_ids[@]} -ge 1 ] && mpi_dirs+=(slurm-bulk-pmix)
[ ${#mpi_ids[@]} -ge 2 ] && mpi_dirs+=(slurm-bulk-mpirun)
python3 - ref slurm-bulk slurm-array ref-fail slurm-array-fail "${mpi_dirs[@]}" <<'PY'
import json, sys
ref, bulk, arr, ref_fail, arr_fail = sys.argv[1:6]
mpi = sys.argv[6:]
bad = []

def load(p):
    with open(p) as f:
        return json.load(f)

def summary(d):
    s = load(d + "/summary.json")
    for r in s["runs"]:
        assert r["report"].startswith(d + "/"), r["report"]
        r["report"] = r["report"][len(d) + 1:]
        del r["seconds"]
    return s

def md(d):
    out = []
    for line in open(d + "/summary.md"):
        cells = line.split("|")
        if len(cells) == 9 and cells[1].strip() not in ("device", "---"):
            cells[6] = " T "  # time (s)
            cells[7] = cells[7].replace(" " + d + "/", " ")
        out.append("|".join(cells))
    return out

def report(p):
    r = load(p)
    r.pop("created")
    r.pop("timings")
    return r

want = summary(ref)
devices = [r["device"] for r in want["runs"]]
if devices != ["Danmini_Doorbell", "Provision_PT_737E_Security_Camera"] or want["failed"]:
    bad.append("reference summary: %s" % want)
for name, d in [("bulk job", bulk), ("array + gather", arr)] + [("MPI bulk job (%s)" % d, d) for d in mpi]:
    got = summary(d)
    if got != want:
        bad.append("%s: summary.json differs:\n  %s\n  %s" % (name, got, want))
    if md(d) != md(ref):
        bad.append("%s: summary.md differs:\n%s\n%s" % (name, "".join(md(d)), "".join(md(ref))))
    for dev in devices:
        a, b = report("%s/%s-3class/report.json" % (d, dev)), report("%s/%s-3class/report.json" % (ref, dev))
        if a != b:
            keys = [k for k in set(a) | set(b) if a.get(k) != b.get(k)]
            bad.append("%s: %s report.json differs in %s" % (name, dev, keys))
got, want = summary(arr_fail), summary(ref_fail)
if got != want or want["failed"] != 1 or "Ennio_Doorbell" not in want["runs"][1].get("error", ""):
    bad.append("failing array + gather: summary.json differs:\n  %s\n  %s" % (got, want))
if md(arr_fail) != md(ref_fail):
    bad.append("failing array + gather: summary.md differs:\n%s\n%s" % ("".join(md(arr_fail)), "".join(md(ref_fail))))
for b in bad:
    print("FAIL:", b)
if not bad:
    print("ok: bulk job%s and array + gather equal baiot bulk (reports, summary.json, summary.md)"
          % ("s (1 process, %d ranks under %s)" % (2, " and ".join(m.split("-")[-1] for m in mpi)) if mpi else ""))
    print("ok: a failing device is listed by the gather as by baiot bulk")
sys.exit(1 if bad else 0)
PY
det_dirs=(slurm-detect)
[ ${#det_ids[@]} -ge 2 ] && det_dirs+=(slurm-detect-pmix)
python3 - ref-detect "${det_dirs[@]}" <<'PY2' || fail "detect.sbatch results differ from baiot bulk --detect"
import json, os, sys
ref, dirs = sys.argv[1], sys.argv[2:]
bad = []

def load(p, drop=()):
    with open(p) as f:
        d = json.load(f)
    for k in drop:
        d.pop(k, None)
    return d

def summary(d):
    s = load(d + "/summary.json")
    for r in s["runs"]:
        for k in ("seconds", "train_seconds", "rank"):
            r.pop(k, None)
    return s

want = summary(ref)
if [r["device"] for r in want["runs"]] != ["Danmini_Doorbell", "Provision_PT_737E_Security_Camera", "pooled"]:
    bad.append("reference: %s" % want)
for d in dirs:
    if summary(d) != want:
        bad.append("%s: summary.json differs" % d)
    for r in want["runs"]:
        a = load(os.path.join(d, r["report"], "detect.json"), ("timings",))
        b = load(os.path.join(ref, r["report"], "detect.json"), ("timings",))
        if a != b:
            bad.append("%s: %s detect.json differs in %s" % (d, r["report"], [k for k in a if a[k] != b.get(k)]))
for b in bad:
    print("FAIL:", b)
if not bad:
    print("ok: detect.sbatch (%s) equals baiot bulk --detect (reports and summary)" % ", ".join(dirs))
sys.exit(1 if bad else 0)
PY2
