/* SPDX-License-Identifier: Apache-2.0 */
/* What the launcher calls in NuttX and libpython; bindgen reads this. */

#include <nuttx/config.h>

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/mount.h>
#include <sys/boardctl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <nuttx/mm/mm.h>

/* libpython's entry point (Include/pylifecycle.h); declared here rather than
 * by including Python.h, which needs the target's pyconfig.h. */

int Py_BytesMain(int argc, char **argv);

/* The REPL's line input hook (Include/cpython/pythonrun.h) and the calls
 * it needs: lines are PyMem_RawMalloc'ed; signals are checked holding the
 * GIL (Include/pystate.h: PyGILState_STATE is an enum of two values). */

extern char *(*PyOS_ReadlineFunctionPointer)(FILE *, FILE *, const char *);
void *PyMem_RawMalloc(size_t size);
void *PyMem_RawRealloc(void *ptr, size_t new_size);
void PyMem_RawFree(void *ptr);
int PyGILState_Ensure(void);
void PyGILState_Release(int state);
int PyErr_CheckSignals(void);

/* NuttX's line editor (apps/include/system/readline.h), which NSH uses. */

ssize_t readline_fd(char *buf, int buflen, int infd, int outfd);
const char *readline_prompt(const char *prompt);

/* Terminal ioctls are function-like macros, which bindgen cannot expand;
 * enumerators carry their values across. */
enum
{
  PYRS_TIOCSCTTY = TIOCSCTTY,
  PYRS_TIOCGPGRP = TIOCGPGRP,
};
