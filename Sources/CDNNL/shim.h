// oneDNN from Debian's libdnnl-dev (OpenMP runtime). Only the pieces Fledge calls.
#include <oneapi/dnnl/dnnl.h>

// libgomp's thread-count control; declared here so no compiler-private omp.h is needed.
void omp_set_num_threads(int count);
int omp_get_max_threads(void);
