# Emscripten-wide settings, included by the root CMakeLists.txt only under emcmake.
#
# Speed first: Eigen code built with -Os/-Oz ran 8-40x slower than at -O3 for a 6-35% size
# saving (notes/toolchain.md), so every build type that optimizes uses -O3. Size is trimmed
# by other means (no filesystem, no assertions, exceptions off), set on the module target in
# bindings/wasm/CMakeLists.txt.

foreach(config RELEASE MINSIZEREL RELWITHDEBINFO)
  string(REGEX REPLACE "(^| )-O[0-9sz]( |$)" " " CMAKE_CXX_FLAGS_${config} "${CMAKE_CXX_FLAGS_${config}}")
  string(APPEND CMAKE_CXX_FLAGS_${config} " -O3")
  string(REGEX REPLACE "(^| )-O[0-9sz]( |$)" " " CMAKE_EXE_LINKER_FLAGS_${config} "${CMAKE_EXE_LINKER_FLAGS_${config}}")
  string(APPEND CMAKE_EXE_LINKER_FLAGS_${config} " -O3")
endforeach()

# WASM SIMD (128-bit): LLVM auto-vectorizes with it. Exceptions off everywhere: Debian's
# Emscripten has no exception catching, so a throw would abort the module; -fno-exceptions
# turns a stray try/throw into a compile error instead of a runtime abort.
add_compile_options(-msimd128 -fno-exceptions)
add_link_options(-msimd128 -fno-exceptions)

# ---- optional: Eigen's SSE2 kernels under WASM ------------------------------------------------
# Eigen 3.4 has no WASM SIMD backend, so with -msimd128 alone its own vector code stays off.
# Emscripten maps SSE2 intrinsics to WASM SIMD, so -msse2 turns Eigen's SSE2 path on, given two
# fixes made here from the installed headers (so an Eigen upgrade is re-checked, not forgotten):
#  - an empty mmintrin.h first on the include path (Emscripten has no MMX header, and clang's
#    x86 one fails to compile for wasm32);
#  - a copy of Eigen/src/Core/arch/SSE/PacketMath.h whose pmin/pmax do not take the inline-asm
#    branch meant for GCC < 6.3 (clang reports itself as GCC 4.2). The copy sits in a mirror of
#    the Eigen tree made of symlinks, because Eigen includes it by a relative path.
# bindings/wasm/bindings.cpp fails to compile if the option is on and Eigen's SSE2 path is not.
# Measured here (Node 20, warm, medians): on bare Eigen kernels, products and Cholesky were
# 13-23% faster at N >= 200 but LLT and matrix-vector products up to 2x slower at N <= 50. A
# first engine-level run (estimate, min-variance, max-sharpe, frontier at N = 20, 100, 300) saw
# no difference beyond the 20% run-to-run noise; it was timed before V8 had tiered the module
# up (bench/run.mjs, WARMUP_MS). Tiered up, the npm package's optimize (long-only min variance,
# Float64Array covariance; fastest of 100-500 calls, the two builds alternated twice in the same
# minutes, with the 16-register blocking below) took 5.8-5.9 ms with it against 6.5-7.0 ms
# without at N = 500 (the covariance's Cholesky certification dominates), 0.243 against
# 0.271-0.275 ms at N = 100, 0.049-0.051 against 0.050-0.056 ms at N = 20, and a 50-point
# frontier at N = 100 2.18-2.21 against 2.22-2.26 ms, for an 8% larger .wasm (961 -> 1036 KB).
# So: on by default. (A build directory configured before this default keeps its cached OFF:
# reconfigure with -DBALLAST_WASM_EIGEN_SSE2=ON.)
option(BALLAST_WASM_EIGEN_SSE2 "Use Eigen's SSE2 kernels (mapped to WASM SIMD) in the WASM build" ON)

if(BALLAST_WASM_EIGEN_SSE2)
  get_target_property(_eigen_include Eigen3::Eigen INTERFACE_INCLUDE_DIRECTORIES)
  list(GET _eigen_include 0 _eigen_include)
  set(_shim ${CMAKE_BINARY_DIR}/eigen-sse2-include)
  set(_packet_math ${_eigen_include}/Eigen/src/Core/arch/SSE/PacketMath.h)
  if(NOT EXISTS ${_packet_math})
    message(FATAL_ERROR "BALLAST_WASM_EIGEN_SSE2: ${_packet_math} not found")
  endif()

  # Mirror Eigen/ with symlinks, with real directories down to the one patched file.
  set(_src ${_eigen_include}/Eigen)
  set(_dst ${_shim}/Eigen)
  foreach(_step src Core arch SSE PacketMath.h)
    file(MAKE_DIRECTORY ${_dst})
    file(GLOB _entries RELATIVE ${_src} ${_src}/*)
    foreach(_entry IN LISTS _entries)
      if(NOT _entry STREQUAL _step AND NOT IS_SYMLINK ${_dst}/${_entry})
        file(CREATE_LINK ${_src}/${_entry} ${_dst}/${_entry} SYMBOLIC)
      endif()
    endforeach()
    set(_src ${_src}/${_step})
    set(_dst ${_dst}/${_step})
  endforeach()

  file(READ ${_packet_math} _text)
  set(_guard "#if EIGEN_COMP_GNUC && EIGEN_COMP_GNUC < 63")
  string(REGEX MATCHALL "${_guard}\n" _found "${_text}")
  list(LENGTH _found _count)
  if(NOT _count EQUAL 4)
    message(FATAL_ERROR "BALLAST_WASM_EIGEN_SSE2: expected 4 '${_guard}' branches in ${_packet_math}, "
                        "found ${_count}; this Eigen version needs the patch re-checked")
  endif()
  string(REPLACE "${_guard}\n" "${_guard} && !defined(__EMSCRIPTEN__)  // patched by cmake/wasm.cmake\n" _text "${_text}")
  file(WRITE ${_shim}/Eigen/src/Core/arch/SSE/PacketMath.h.tmp "${_text}")
  file(COPY_FILE ${_shim}/Eigen/src/Core/arch/SSE/PacketMath.h.tmp ${_shim}/Eigen/src/Core/arch/SSE/PacketMath.h
       ONLY_IF_DIFFERENT)
  file(REMOVE ${_shim}/Eigen/src/Core/arch/SSE/PacketMath.h.tmp)
  file(WRITE ${_shim}/mmintrin.h "// Empty: Emscripten has no MMX; Eigen includes this before emmintrin.h.\n")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_packet_math})

  include_directories(BEFORE SYSTEM ${_shim})
  add_compile_options(-msse2)
  # Eigen sizes its matrix-product register blocks from the register count, which its SSE
  # header takes as 2 * sizeof(void*): 8 on wasm32, 16 on x86-64. With 8 the products sum in
  # another order than the native build's, and the WASM and native results (tests/js
  # wasm-vs-native, 1e-12 and identical iteration counts) drifted apart. V8 maps WASM SIMD
  # values to the 16 XMM registers of x86-64, so 16 is also what the hardware has.
  add_compile_definitions(BALLAST_WASM_EIGEN_SSE2 EIGEN_ARCH_DEFAULT_NUMBER_OF_REGISTERS=16)
endif()
