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
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

/* libpython's entry point (Include/pylifecycle.h); declared here rather than
 * by including Python.h, which needs the target's pyconfig.h. */

int Py_BytesMain(int argc, char **argv);

/* Terminal ioctls are function-like macros, which bindgen cannot expand;
 * enumerators carry their values across. */
enum
{
  PYRS_TIOCSCTTY = TIOCSCTTY,
  PYRS_TIOCGPGRP = TIOCGPGRP,
};
