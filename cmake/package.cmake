# cpack -G DEB (from the build directory): a Debian 12 package of what
# cmake --install installs, under /usr. Depends lists by hand the package of
# each library the binary links (ldd, then dpkg -S; tests/deb_install.sh
# fails when one is missing) plus libclang-common-19-dev: libclang finds
# clang's builtin headers (stddef.h, stdatomic.h) in its resource directory,
# /usr/lib/llvm-19/lib/clang/19, derived from where libclang-19.so.19 is,
# and that package holds them. Minimum versions are dpkg-shlibdeps's.
set(TIMERLINT_MAINTAINER "timerlint maintainers <timerlint@example.org>"
    CACHE STRING "Maintainer field of the .deb")
set(TIMERLINT_HOMEPAGE "https://example.org/timerlint"
    CACHE STRING "Homepage field of the .deb (where the repository is hosted)")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME timerlint)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${TIMERLINT_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "static analyzer for timer and thread lifecycle bugs in C and C++")
set(CPACK_PACKAGE_DESCRIPTION
"timerlint finds timers and threads whose life is not ended on some path:
a timer_create without timer_delete on an error path, a timerfd never
closed, a pthread_create never joined, a timer created on every loop
iteration, a handle released while a worker that uses it may still run.
It is built on libclang 19, reads compile_commands.json or infers flags,
reports in clang's diagnostic format, SARIF, JSON, GitHub annotations or
HTML, and records every scan in SQLite, so that CI can fail on new
findings only. The API families (POSIX timers, pthreads, C11 threads,
std::thread, libuv, libevent, GLib, sd-event, the Linux kernel and more)
are YAML files in /usr/share/timerlint/rules.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # timerlint_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${TIMERLINT_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${TIMERLINT_HOMEPAGE})
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.34), libclang1-19, libclang-common-19-dev, libjson-c5 (>= 0.15), \
libsqlite3-0 (>= 3.5.9), libyaml-0-2, zlib1g (>= 1:1.1.4)")
# The headers of the code it scans, pkg-config for the families' flags,
# git for --changed and baselines named by a ref.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libc6-dev | libc-dev, pkg-config, git")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
