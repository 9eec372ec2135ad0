// Open MPI from Debian (libopenmpi-dev); include and library paths come from pkg-config `ompi`.
#ifndef FLEDGE_CMPI_SHIM_H
#define FLEDGE_CMPI_SHIM_H

#include <mpi.h>

// Open MPI defines these handles as macros over the addresses of global objects, which Swift
// cannot import; these functions hand them over.
static inline MPI_Comm fledge_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype fledge_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype fledge_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype fledge_mpi_int(void) { return MPI_INT; }
static inline MPI_Op fledge_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op fledge_mpi_max(void) { return MPI_MAX; }
static inline MPI_Request fledge_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *fledge_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline MPI_Status *fledge_mpi_statuses_ignore(void) { return MPI_STATUSES_IGNORE; }
static inline void *fledge_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int fledge_mpi_success(void) { return MPI_SUCCESS; }
static inline int fledge_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline int fledge_mpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
static inline int fledge_mpi_thread_multiple(void) { return MPI_THREAD_MULTIPLE; }
static inline MPI_Errhandler fledge_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }

#endif
