// oneDNN from Debian's libdnnl-dev (OpenMP runtime). Only the pieces Fledge calls.
#include <oneapi/dnnl/dnnl.h>
#include <stdint.h>

// libgomp's thread-count control; declared here so no compiler-private omp.h is needed.
void omp_set_num_threads(int count);
int omp_get_max_threads(void);

// bf16 x bf16 -> fp32 GEMM, row-major like dnnl_sgemm: C = alpha op(A) op(B) + beta C with bf16
// operands (raw bit patterns) and fp32 accumulation and output. libdnnl 2.6 exports it with C
// linkage (src/common/gemm.cpp, used by oneDNN's own tests) but its public header does not declare
// it; the declaration is copied from there. It returns dnnl_unimplemented on CPUs without AVX-512.
dnnl_status_t dnnl_gemm_bf16bf16f32(char transa, char transb, dnnl_dim_t M, dnnl_dim_t N, dnnl_dim_t K,
                                    float alpha, const uint16_t *A, dnnl_dim_t lda, const uint16_t *B,
                                    dnnl_dim_t ldb, float beta, float *C, dnnl_dim_t ldc);
