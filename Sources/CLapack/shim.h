// C interfaces of BLAS (CBLAS, shipped in Debian's libblas) and LAPACK (LAPACKE).
#include <x86_64-linux-gnu/cblas.h>
#include <lapacke.h>
