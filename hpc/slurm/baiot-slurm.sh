# shellcheck shell=bash
# baiot-slurm.sh - shared by the job scripts of hpc/slurm (sourced, not run):
# where the repository and the baiot binary are, the memory request computed
# from the store's size, the self-submission, the launcher and the OpenMP
# environment.  docs/SLURM.md describes the variables.

bs_die() { echo "${BS_NAME:-baiot-slurm}: error: $*" >&2; exit 2; }

# The baiot binary: $BAIOT_BIN, else baiot on PATH, else the repository's
# build: for several tasks its MPI program (build/baiot-mpi, or
# build-mpi/baiot of a -DBAIOT_MPI=ON build), else build/baiot.
bs_find_bin() {
  local ntasks=${SLURM_NTASKS:-${BAIOT_NTASKS:-1}}
  if [ -n "${BAIOT_BIN:-}" ]; then
    :
  elif command -v baiot > /dev/null 2>&1; then
    BAIOT_BIN=$(command -v baiot)
  elif [ "$ntasks" != 1 ] && [ -x "$BS_SRC/build/baiot-mpi" ]; then
    BAIOT_BIN=$BS_SRC/build/baiot-mpi
  elif [ "$ntasks" != 1 ] && [ -x "$BS_SRC/build-mpi/baiot" ]; then
    BAIOT_BIN=$BS_SRC/build-mpi/baiot
  else
    BAIOT_BIN=$BS_SRC/build/baiot
  fi
  [ -x "$BAIOT_BIN" ] || bs_die "no baiot binary at '$BAIOT_BIN' (set BAIOT_BIN)"
  export BAIOT_BIN
}

# Per-task memory in MiB: BAIOT_MEM_MB if set, else BAIOT_MEM_FACTOR times
# the store file's size plus BAIOT_MEM_MARGIN_MB, rounded up.
bs_mem_per_task() {
  local store=$1 bytes
  if [ -n "${BAIOT_MEM_MB:-}" ]; then
    echo "$BAIOT_MEM_MB"
    return
  fi
  bytes=$(stat -L -c %s "$store" 2> /dev/null) || bs_die "cannot read the store '$store'"
  awk -v b="$bytes" -v f="${BAIOT_MEM_FACTOR:-1.5}" -v m="${BAIOT_MEM_MARGIN_MB:-512}" \
    'BEGIN { x = b * f / 1048576; x = (x == int(x)) ? x : int(x) + 1; print x + m }'
}

# Runs sbatch with the given arguments and prints the job id (sbatch
# --parsable), or with BAIOT_DRY_RUN=1 prints the command and a fake id.
bs_sbatch() {
  local extra=()
  # shellcheck disable=SC2206 # BAIOT_SBATCH_ARGS is a word list on purpose
  if [ -n "${BAIOT_SBATCH_ARGS:-}" ]; then extra=($BAIOT_SBATCH_ARGS); fi
  if [ -n "${BAIOT_PARTITION:-}" ]; then extra+=(--partition="$BAIOT_PARTITION"); fi
  if [ -n "${BAIOT_ACCOUNT:-}" ]; then extra+=(--account="$BAIOT_ACCOUNT"); fi
  if [ "${BAIOT_DRY_RUN:-0}" = 1 ]; then
    echo "sbatch ${extra[*]} $*" >&2
    echo "DRYRUN"
    return 0
  fi
  command -v sbatch > /dev/null 2>&1 || bs_die "sbatch not found: run this on a Slurm login node"
  sbatch --parsable "${extra[@]}" "$@" | cut -d';' -f1
}

# The launcher prefix for NTASKS tasks of CPUS cpus, into the array LAUNCH:
#   srun    srun (cpus-per-task passed explicitly: from Slurm 22.05 on srun
#           does not inherit it from sbatch), --cpu-bind=cores when
#           BAIOT_BIND=1, --mpi=$BAIOT_MPI when set (pmix for Open MPI)
#   mpirun  Open MPI's mpirun, one rank per task, CPUS cores each
#   none    the binary directly (one process)
#   other   taken as a command prefix, split on spaces ("mpiexec -n 9")
bs_launcher() {
  local ntasks=$1 cpus=$2
  LAUNCH=()
  case "${BAIOT_LAUNCH:-srun}" in
    srun)
      LAUNCH=(srun --ntasks="$ntasks" --cpus-per-task="$cpus")
      if [ "${BAIOT_BIND:-1}" = 1 ]; then LAUNCH+=(--cpu-bind=cores); fi
      if [ -n "${BAIOT_MPI:-}" ]; then LAUNCH+=(--mpi="$BAIOT_MPI"); fi
      ;;
    mpirun)
      LAUNCH=(mpirun -np "$ntasks")
      if [ "${BAIOT_BIND:-1}" = 1 ]; then LAUNCH+=(--map-by "slot:PE=$cpus" --bind-to core); fi
      if [ "$(id -u)" = 0 ]; then LAUNCH+=(--allow-run-as-root); fi
      ;;
    none | direct | "") ;;
    *)
      # shellcheck disable=SC2206
      LAUNCH=($BAIOT_LAUNCH)
      ;;
  esac
}

# OpenMP: one thread per allocated CPU of the task; with binding, threads
# packed on the task's cores (OMP_PROC_BIND=close, OMP_PLACES=cores).
bs_omp_env() {
  if [ -n "${SLURM_CPUS_PER_TASK:-}" ]; then
    export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK
  elif [ -n "${SLURM_JOB_ID:-}" ]; then
    export OMP_NUM_THREADS=1 # a job without --cpus-per-task: one CPU per task
  else
    export OMP_NUM_THREADS=${BAIOT_CPUS_PER_TASK:-1}
  fi
  if [ "${BAIOT_BIND:-1}" = 1 ]; then
    export OMP_PROC_BIND=${OMP_PROC_BIND:-close}
    export OMP_PLACES=${OMP_PLACES:-cores}
  fi
}

# The nine N-BaIoT devices in UCI order (kernels/base/nbaiot_names.c).
BS_DEVICES=(Danmini_Doorbell Ecobee_Thermostat Ennio_Doorbell Philips_B120N10_Baby_Monitor
  Provision_PT_737E_Security_Camera Provision_PT_838_Security_Camera Samsung_SNH_1011_N_Webcam
  SimpleHome_XCS7_1002_WHT_Security_Camera SimpleHome_XCS7_1003_WHT_Security_Camera)

# A device list (names or 1..9, comma-separated, or "all") as names in UCI
# order, comma-separated; "all" means the devices with rows in the store.
bs_device_list() {
  local store=$1 list=$2 d i names=()
  if [ -z "$list" ] || [ "$list" = all ]; then
    list=$("$BAIOT_BIN" info "$store" | awk '$2 == "all" && $3 > 0 { print $1 }' | paste -sd, -)
    [ -n "$list" ] || bs_die "'$store' has no devices (is it a store?)"
  fi
  for ((i = 0; i < 9; i++)); do
    IFS=, read -ra ds <<< "$list"
    for d in "${ds[@]}"; do
      if [ "$d" = "$((i + 1))" ] || [ "${d,,}" = "${BS_DEVICES[$i],,}" ]; then
        names+=("${BS_DEVICES[$i]}")
        break
      fi
    done
  done
  IFS=, read -ra ds <<< "$list"
  for d in "${ds[@]}"; do
    local known=0
    for ((i = 0; i < 9; i++)); do
      if [ "$d" = "$((i + 1))" ] || [ "${d,,}" = "${BS_DEVICES[$i],,}" ]; then known=1; fi
    done
    [ $known = 1 ] || bs_die "unknown device '$d' (names or 1..9)"
  done
  (IFS=,; echo "${names[*]}")
}
