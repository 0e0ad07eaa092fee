//===- opencl_api.h - OpenCL entry points loaded at run time ----*- C++ -*-===//
//
// The runtime never links libOpenCL: a machine without an OpenCL ICD loader
// must still run CPU bundles. The loader is dlopen'ed on first use and every
// function the driver calls is looked up once. Without the Khronos headers
// at build time the driver still compiles (HCC_HAVE_OPENCL is 0) and simply
// finds no devices.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_DRIVERS_OPENCL_API_H
#define HCC_RUNTIME_DRIVERS_OPENCL_API_H

#if !defined(HCC_RT_NO_OPENCL) && defined(__has_include)
#if __has_include(<CL/cl.h>)
#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>
#define HCC_HAVE_OPENCL 1
#endif
#endif
#ifndef HCC_HAVE_OPENCL
#define HCC_HAVE_OPENCL 0
#endif

namespace hcc {
namespace rt {

/// "CL_OUT_OF_RESOURCES" for -5; "CL error <n>" for codes it does not know.
/// Works without the headers (the codes are fixed by the specification).
const char *openclErrorName(int code);

#if HCC_HAVE_OPENCL

// Every OpenCL function the driver calls; all exist in OpenCL 1.2.
#define HCC_OPENCL_FUNCTIONS(X)                                                \
  X(clGetPlatformIDs)                                                          \
  X(clGetPlatformInfo)                                                         \
  X(clGetDeviceIDs)                                                            \
  X(clGetDeviceInfo)                                                           \
  X(clCreateContext)                                                           \
  X(clReleaseContext)                                                          \
  X(clCreateCommandQueue)                                                      \
  X(clReleaseCommandQueue)                                                     \
  X(clFlush)                                                                   \
  X(clFinish)                                                                  \
  X(clCreateBuffer)                                                            \
  X(clRetainMemObject)                                                         \
  X(clReleaseMemObject)                                                        \
  X(clCreateProgramWithSource)                                                 \
  X(clCreateProgramWithBinary)                                                 \
  X(clBuildProgram)                                                            \
  X(clGetProgramBuildInfo)                                                     \
  X(clGetProgramInfo)                                                          \
  X(clReleaseProgram)                                                          \
  X(clCreateKernel)                                                            \
  X(clGetKernelInfo)                                                           \
  X(clSetKernelArg)                                                            \
  X(clReleaseKernel)                                                           \
  X(clEnqueueNDRangeKernel)                                                    \
  X(clEnqueueWriteBuffer)                                                      \
  X(clEnqueueReadBuffer)                                                       \
  X(clWaitForEvents)                                                           \
  X(clGetEventInfo)                                                            \
  X(clGetEventProfilingInfo)                                                   \
  X(clReleaseEvent)

/// Function pointers into the ICD loader, all non-null.
struct OpenCLApi {
#define HCC_OPENCL_MEMBER(fn) decltype(&::fn) fn = nullptr;
  HCC_OPENCL_FUNCTIONS(HCC_OPENCL_MEMBER)
#undef HCC_OPENCL_MEMBER
};

/// The loaded API, or nullptr when libOpenCL cannot be loaded or lacks a
/// function. Loaded once per process and never unloaded (OpenCL objects may
/// outlive any particular caller).
const OpenCLApi *openclApi();

#endif // HCC_HAVE_OPENCL

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_DRIVERS_OPENCL_API_H
