/*
 * src/priv_seccomp.c: the network part's system call filter (libseccomp).
 *
 * An allow list: what the libuv loop (epoll, eventfd, signals, timers),
 * the outbound thread (src/dp_worker.c: clone3/clone, futex, eventfd2,
 * poll, fcntl F_DUPFD_CLOEXEC, read on the TUN, sendmmsg),
 * OpenSSL (getrandom, files of the CA store), libcurl (its resolver
 * thread, the connectivity check's socket), the transports (UDP with
 * sendmmsg/recvmmsg and the error queue, TCP, TLS, SO_BINDTODEVICE),
 * rtnetlink (the path watch), the TUN's read and write, and logging
 * need.  Everything else fails with EPERM rather than killing the
 * process: a library that tries something new gets an error it
 * handles, and execve, ptrace, mount, module loading, bpf, keyctl and
 * the like can never succeed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <seccomp.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/priv.h"

static const int allowed[] = {
	/* memory, threads, time, process */
	SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mprotect),
	SCMP_SYS(mremap), SCMP_SYS(madvise), SCMP_SYS(mlock),
	SCMP_SYS(munlock), SCMP_SYS(futex), SCMP_SYS(clone),
	SCMP_SYS(clone3), SCMP_SYS(set_robust_list), SCMP_SYS(rseq),
	SCMP_SYS(set_tid_address), SCMP_SYS(sched_yield),
	SCMP_SYS(sched_getaffinity), SCMP_SYS(getrandom),
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres),
	SCMP_SYS(gettimeofday), SCMP_SYS(nanosleep),
	SCMP_SYS(clock_nanosleep), SCMP_SYS(getpid), SCMP_SYS(gettid),
	SCMP_SYS(getppid), SCMP_SYS(getuid), SCMP_SYS(geteuid),
	SCMP_SYS(getgid), SCMP_SYS(getegid), SCMP_SYS(uname),
	SCMP_SYS(sysinfo), SCMP_SYS(getrlimit), SCMP_SYS(prlimit64),
	SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(restart_syscall),
	/* signals: libuv's signal pipe, raise() */
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(sigaltstack), SCMP_SYS(tgkill),
	/* the loop */
	SCMP_SYS(epoll_create1), SCMP_SYS(epoll_ctl), SCMP_SYS(epoll_wait),
	SCMP_SYS(epoll_pwait), SCMP_SYS(epoll_pwait2), SCMP_SYS(eventfd2),
	SCMP_SYS(pipe2), SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(select),
	SCMP_SYS(pselect6), SCMP_SYS(timerfd_create),
	SCMP_SYS(timerfd_settime),
	/* descriptors and files (CA store, /etc/hosts, resolv.conf, /proc) */
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(pread64), SCMP_SYS(close), SCMP_SYS(dup), SCMP_SYS(dup3),
	SCMP_SYS(fcntl), SCMP_SYS(ioctl), SCMP_SYS(openat), SCMP_SYS(open),
	SCMP_SYS(newfstatat), SCMP_SYS(fstat), SCMP_SYS(stat),
	SCMP_SYS(lstat), SCMP_SYS(statx), SCMP_SYS(lseek),
	SCMP_SYS(access), SCMP_SYS(faccessat), SCMP_SYS(faccessat2),
	SCMP_SYS(readlink), SCMP_SYS(readlinkat), SCMP_SYS(getdents64),
	SCMP_SYS(getcwd), SCMP_SYS(fstatfs), SCMP_SYS(statfs),
	/* sockets: UDP, TCP, TLS, rtnetlink, the socketpair, nscd */
	SCMP_SYS(socket), SCMP_SYS(connect), SCMP_SYS(bind),
	SCMP_SYS(listen), SCMP_SYS(accept4), SCMP_SYS(shutdown),
	SCMP_SYS(setsockopt), SCMP_SYS(getsockopt), SCMP_SYS(getsockname),
	SCMP_SYS(getpeername), SCMP_SYS(sendto), SCMP_SYS(recvfrom),
	SCMP_SYS(sendmsg), SCMP_SYS(recvmsg), SCMP_SYS(sendmmsg),
	SCMP_SYS(recvmmsg), SCMP_SYS(socketpair),
};

int
priv_seccomp(char *err, size_t err_len)
{
	scmp_filter_ctx ctx;
	unsigned i;
	int rv = 0;

	if ((ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM))) == NULL) {
		snprintf(err, err_len, "seccomp: cannot make a filter");
		return IR_ERR_NOMEM;
	}
	for (i = 0; i < IR_ARRAY_LEN(allowed) && rv == 0; i++)
		if (allowed[i] >= 0)	/* not on this architecture: skip */
			rv = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i],
			    0);
	if (rv == 0)
		rv = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rv != 0) {
		snprintf(err, err_len, "seccomp: %s", strerror(-rv));
		return rv;
	}
	return 0;
}
