#!/usr/bin/env bash
# The measurements behind docs/scaling.md: MPI allreduce time per MB on loopback (shared memory and
# TCP) and the big MLP trained on 1 and 2 ranks. Prints JSON lines. Build first:
#   swift build -c release --product fledge-bench
set -euo pipefail
cd "$(dirname "$0")/../.."
bench=.build/release/fledge-bench
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
echo "{\"load_average\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"cores\": $(nproc)}"
mpirun -np 2 "$bench" allreduce --seconds "${SECONDS_PER_SIZE:-0.5}"
OMPI_MCA_btl=self,tcp mpirun -np 2 -x OMPI_MCA_btl "$bench" allreduce --seconds "${SECONDS_PER_SIZE:-0.5}"
mpirun -np 1 "$bench" ddp --steps "${STEPS:-300}" --threads 1
mpirun -np 1 "$bench" ddp --steps "${STEPS:-300}" --threads 2
mpirun -np 2 "$bench" ddp --steps "${STEPS:-300}" --threads 1
OMPI_MCA_btl=self,tcp mpirun -np 2 -x OMPI_MCA_btl "$bench" ddp --steps "${STEPS:-300}" --threads 1
echo "{\"load_average\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
