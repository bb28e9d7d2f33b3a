/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libucmd.h - libucmd: drive ucmd devices through io_uring commands (IORING_OP_URING_CMD) and ioctl(2). */
#ifndef LIBUCMD_H
#define LIBUCMD_H

/*
 * libucmd is a thin layer over liburing.  Rings are plain liburing rings
 * (struct io_uring): set one up with ucmd_ring_init() or with liburing
 * directly, submit and reap with liburing, and use libucmd only for what is
 * specific to uring commands:
 *
 *   - the SQE command area (the "payload"): 16 bytes on a normal ring,
 *     80 bytes on an IORING_SETUP_SQE128 ring, starting at sqe->cmd;
 *   - the second result (res2) of a command, in cqe->big_cqe[0] on an
 *     IORING_SETUP_CQE32 ring;
 *   - the framework counters in /sys/class/misc/<name>/ucmd/;
 *   - UCMD_VEC, the framework's vectored command;
 *   - the sessions and operations of /dev/ucrypto (<ucmd/ucrypto.h>).
 *
 * Every function that can fail returns a negative errno value on failure
 * (never -1 with errno) and 0 or a non-negative result on success.
 *
 * A command's result (cqe->res, or the return value of ioctl(2)) is an int
 * that is either a negative errno or the command's own result.  A command
 * whose result can be negative (for example a counter) is therefore
 * ambiguous in the range -4095..-1 on both paths; that is a property of the
 * kernel interfaces, not of this library.
 *
 * Threads: libucmd keeps no state of its own except a counter of calls (an
 * atomic), so every function is safe to call from several threads at once as
 * long as each ring (struct io_uring) is used by one thread at a time: a
 * liburing ring is not thread-safe, and ucmd_call_uring() (and the functions
 * that call it) both submit to and reap from the ring it is given.  Use one
 * ring per thread, or hold a lock of your own around every use of a shared
 * ring.  The functions that take no ring (ioctl calls, counters, devices) may
 * be used concurrently on the same file descriptor.
 *
 * Where io_uring is not available (kernel.io_uring_disabled, a seccomp
 * filter, a kernel without it), ucmd_ring_init() fails with -EPERM or
 * -ENOSYS; every command of a ucmd device also runs through ioctl(2), with
 * the same command number: ucmd_call_ioctl(), ucmd_vec_call_ioctl(), and a
 * NULL ring for the ucmd_crypto_*() calls.
 *
 * Example (error handling left out; link with `pkg-config --libs libucmd`):
 *
 *	#include <libucmd.h>
 *	#include <fcntl.h>
 *	#include <ucmd/ucmd_demo.h>
 *
 *	struct io_uring ring;
 *	uint64_t res2;
 *	int64_t delta = 5;
 *	int fd = ucmd_open(UCMD_DEMO_DEVICE, O_RDWR);
 *
 *	ucmd_ring_init(&ring, 64, UCMD_RING_CQE32);
 *	// synchronous: result 5 (the new value), res2 5
 *	int ret = ucmd_call_uring(&ring, fd, UCMD_DEMO_ADD, &delta, sizeof(delta), &res2);
 *	// the same command through ioctl(2): result 10
 *	ret = ucmd_call_ioctl(fd, UCMD_DEMO_ADD, &delta);
 *
 *	// asynchronous: queue many, reap with liburing
 *	struct ucmd_demo_sleep s = { .nsec = 1000000, .tag = 42 };
 *	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
 *	ucmd_prep(&ring, sqe, fd, UCMD_DEMO_SLEEP, &s, sizeof(s));
 *	io_uring_sqe_set_data64(sqe, 1);
 *	io_uring_submit(&ring);
 *	struct io_uring_cqe *cqe;
 *	io_uring_wait_cqe(&ring, &cqe);	// cqe->res 0, ucmd_cqe_res2(&ring, cqe) 42
 *	io_uring_cqe_seen(&ring, cqe);
 */

/*
 * liburing.h selects the feature macros glibc needs for its own types, which
 * only works before any other system header.  Include <libucmd.h> first (or
 * build with -D_GNU_SOURCE).  A program built with a strict -std=c11 that
 * included a glibc header before has ISO C only: then the two POSIX names
 * liburing.h needs (sigset_t, AT_FDCWD) come from here.
 */
#if defined(__GLIBC__) && !defined(__USE_POSIX)
#include <bits/types/sigset_t.h>
#ifndef AT_FDCWD
#define AT_FDCWD -100 /* <fcntl.h>'s, hidden from ISO C */
#endif
#endif
#include <liburing.h>
#if !defined(IORING_SETUP_CQE32) || !defined(IORING_SETUP_SQE128)
#error "libucmd needs liburing 2.2 or later (SQE128/CQE32 rings)"
#endif
/* UCMD_VERSION_MAJOR, _MINOR, _PATCH, _STRING, _NUMBER: the version of these headers. */
#include <ucmd/version.h>
/* ucmd's user ABIs, installed in ucmd's own directory (never in <linux/...>). */
#include <ucmd/ucmd.h>
#include <ucmd/ucrypto.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Ring setup flags understood by ucmd_ring_init(); any other IORING_SETUP_* passes through. */
#define UCMD_RING_SQE128 IORING_SETUP_SQE128 /* 80-byte payloads */
#define UCMD_RING_CQE32 IORING_SETUP_CQE32 /* second result (res2) */

/*
 * user_data of the SQEs that ucmd_call_uring() (and every synchronous call on
 * a ring) submits: the upper 32 bits of UCMD_CALL_USER_DATA ("ucmd"), a number
 * of its own in the lower 32.  A completion whose user_data
 * UCMD_IS_CALL_USER_DATA() accepts belongs to libucmd: a program that reaps it
 * (a call that returned before its completion arrived left it, see
 * ucmd_call_uring()) drops it; the next synchronous call on the ring drops
 * those it meets itself.
 */
#define UCMD_CALL_USER_DATA 0x75636d6463616c6cULL /* "ucmdcall" */
#define UCMD_CALL_USER_DATA_MASK 0xffffffff00000000ULL
#define UCMD_IS_CALL_USER_DATA(user_data) \
	(((user_data)&UCMD_CALL_USER_DATA_MASK) == (UCMD_CALL_USER_DATA & UCMD_CALL_USER_DATA_MASK))

/**
 * ucmd_version() - the version of the libucmd that runs
 *
 * Return: the version, "MAJOR.MINOR.PATCH" (a static string).  Compare with
 * UCMD_VERSION_STRING, the version of the headers a program was built with (a
 * newer library runs programs built for an older one).
 */
const char *ucmd_version(void);

/**
 * ucmd_version_number() - the version of the libucmd that runs, as a number
 *
 * Return: (major << 16) | (minor << 8) | patch, comparable with
 * UCMD_VERSION_NUMBER.
 */
unsigned int ucmd_version_number(void);

/**
 * ucmd_open() - open a ucmd device node
 * @path: device node, e.g. "/dev/ucmd-demo"
 * @flags: open(2) flags, e.g. O_RDWR or O_RDONLY; O_CLOEXEC is always added
 *
 * Return: the file descriptor, or -errno.
 */
int ucmd_open(const char *path, int flags);

/**
 * ucmd_ring_init() - set up an io_uring for uring commands
 * @ring: the liburing ring to initialise (tear down with io_uring_queue_exit())
 * @entries: submission queue size
 * @setup_flags: IORING_SETUP_* flags, e.g. UCMD_RING_SQE128 | UCMD_RING_CQE32;
 *	passed to the kernel unchanged
 *
 * Return: 0, or -errno: -EINVAL typically means the kernel does not know a
 * flag (e.g. SQE128/CQE32 before Linux 5.19); -EPERM io_uring is disabled for
 * this process (sysctl kernel.io_uring_disabled is 2, or 1 and the process is
 * neither in kernel.io_uring_group nor CAP_SYS_ADMIN) or a seccomp filter
 * refuses it; -ENOSYS the kernel has no io_uring (or a container hides it).
 * Every ucmd command runs through ioctl(2) too: see ucmd_call_ioctl().
 */
int ucmd_ring_init(struct io_uring *ring, unsigned int entries, unsigned int setup_flags);

/**
 * ucmd_ring_payload_size() - size of the SQE command area of a ring
 * @ring: a ring set up with ucmd_ring_init() or liburing
 *
 * Return: UCMD_SQE128_PAYLOAD (80) on an SQE128 ring, UCMD_SQE_PAYLOAD (16) otherwise.
 */
size_t ucmd_ring_payload_size(const struct io_uring *ring);

/**
 * ucmd_ring_has_res2() - whether completions on @ring carry a second result
 * @ring: a ring set up with ucmd_ring_init() or liburing
 *
 * Return: true on an IORING_SETUP_CQE32 ring.
 */
bool ucmd_ring_has_res2(const struct io_uring *ring);

/**
 * ucmd_prep() - prepare an SQE as a uring command with an inline payload
 * @ring: the ring @sqe belongs to (decides whether the area is 16 or 80 bytes)
 * @sqe: an SQE from io_uring_get_sqe(@ring)
 * @fd: the device's file descriptor
 * @cmd_op: the command number (the same number as for ioctl(2))
 * @payload: @len bytes copied to the start of the command area; may be NULL if @len is 0
 * @len: at most ucmd_ring_payload_size(@ring)
 *
 * The whole SQE is cleared first, so the command-area bytes after @len are
 * zero, as ucmd devices require.  user_data is 0: set it afterwards with
 * io_uring_sqe_set_data64() (or sqe flags such as IOSQE_ASYNC).
 *
 * Return: 0, or -EINVAL if @len is too large for the ring (or @payload is
 * NULL with a non-zero @len).  On failure the SQE is turned into an
 * IORING_OP_NOP, so that submitting it anyway is harmless.
 */
int ucmd_prep(const struct io_uring *ring, struct io_uring_sqe *sqe, int fd, uint32_t cmd_op,
	      const void *payload, size_t len);

/**
 * ucmd_prep_ptr() - prepare an SQE as a uring command whose payload is a pointer
 * @ring: the ring @sqe belongs to
 * @sqe: an SQE from io_uring_get_sqe(@ring)
 * @fd: the device's file descriptor
 * @cmd_op: the command number (the same number as for ioctl(2))
 * @ptr: user pointer stored as a __u64 in payload bytes 0-7 (the convention of
 *	_IOR commands); the memory must stay valid until the command completes
 *
 * Return: 0 (cannot fail on a valid ring).
 */
int ucmd_prep_ptr(const struct io_uring *ring, struct io_uring_sqe *sqe, int fd, uint32_t cmd_op,
		  const void *ptr);

/**
 * ucmd_cqe_res2() - second result of a completed uring command
 * @ring: the ring the CQE was reaped from
 * @cqe: the completion
 *
 * Return: cqe->big_cqe[0] on an IORING_SETUP_CQE32 ring, 0 on other rings
 * (which have no room for a second result).
 */
uint64_t ucmd_cqe_res2(const struct io_uring *ring, const struct io_uring_cqe *cqe);

/**
 * ucmd_call_uring() - run one uring command synchronously
 * @ring: the ring; it may have requests of the caller's in flight, and
 *	completions not yet reaped (they are left as they are)
 * @fd: the device's file descriptor
 * @cmd_op: the command number (the same number as for ioctl(2))
 * @payload: @len bytes for the command area, as for ucmd_prep(); may be NULL if @len is 0
 * @len: at most ucmd_ring_payload_size(@ring)
 * @res2: if not NULL, receives the second result (0 unless CQE32)
 *
 * Gets an SQE (submitting what the caller queued if the SQ ring is full),
 * submits it together with anything else queued, with a user_data of its own
 * (see UCMD_CALL_USER_DATA), waits for its completion (retrying waits
 * interrupted by signals) and takes exactly that completion out of the CQ
 * ring: completions of other requests that arrived before it stay there,
 * unseen and in their order, for the caller to reap with liburing as usual.
 * For a command that takes a pointer, pass a uint64_t holding (uintptr_t)ptr
 * as an 8-byte payload.  No other thread may use @ring meanwhile (see
 * "Threads" in libucmd(3)); rings set up with IORING_SETUP_CQE_MIXED or
 * IORING_SETUP_SQE_MIXED are refused.
 *
 * When the result is one of the errors below, the command did not run, except
 * for -EOVERFLOW and errors of waiting (the last group).
 *
 * Return: the command's result (cqe->res: >= 0, or a negative errno from the
 * device, e.g. -EOPNOTSUPP for a file without uring commands).  Before
 * submitting: -EINVAL @len does not fit (or a NULL @ring or @payload, or a
 * mixed ring); -EBUSY no free SQE even after submitting what was queued (an
 * SQPOLL ring that is behind).  Submitting: the errors of io_uring_enter()
 * (-EAGAIN, -ENOMEM, -EBUSY, ...), or -EAGAIN if the kernel took only the
 * SQEs queued before this one; the SQE then is a NOP, which the caller's next
 * submission completes with a user_data that UCMD_IS_CALL_USER_DATA() accepts.
 * Waiting: -EOVERFLOW when the CQ ring is full of the caller's completions, so
 * that the command's cannot be posted: it ran or runs, and its completion
 * (UCMD_IS_CALL_USER_DATA()) comes once the caller reaped others; or another
 * error of io_uring_enter() while waiting (the command may still run).
 */
int ucmd_call_uring(struct io_uring *ring, int fd, uint32_t cmd_op, const void *payload, size_t len,
		    uint64_t *res2);

/**
 * ucmd_call_ioctl() - run one command through ioctl(2)
 * @fd: the device's file descriptor
 * @cmd: the command number
 * @arg: the ioctl argument: a pointer for _IOR/_IOW commands, may be NULL for _IO
 *
 * Return: ioctl's non-negative result, or -errno.
 */
int ucmd_call_ioctl(int fd, unsigned long cmd, void *arg);

/**
 * ucmd_prep_fixed() - make a prepared uring command use a registered buffer
 * @sqe: an SQE prepared by ucmd_prep(), ucmd_prep_ptr() or ucmd_crypto_prep()
 * @buf_index: the index of a buffer registered on the ring
 *	(io_uring_register_buffers())
 *
 * Sets IORING_URING_CMD_FIXED and sqe->buf_index.  The command's data
 * addresses (for /dev/ucrypto: struct ucrypto_op's src and dst) must then
 * lie inside that registered buffer; the device reads and writes its pages
 * without pinning them per command.  Only commands that take a data buffer
 * accept it: others fail with -EINVAL.  An index with no buffer, or a range
 * outside the buffer, fails the command with -EFAULT.
 *
 * Return: 0, or -EINVAL for a NULL @sqe, an SQE that is not a uring
 * command, or an index above 65535.
 */
int ucmd_prep_fixed(struct io_uring_sqe *sqe, unsigned int buf_index);

/**
 * struct ucmd_stats - the framework counters of one device
 * @issued: commands handed to the driver
 * @completed_sync: commands completed by the driver's handler returning
 * @completed_async: commands completed later (after -EIOCBQUEUED)
 * @cancelled: queued commands cancelled (ring exit, task exit)
 * @refused: driver mistakes the framework refused (a token completed twice,
 *	a bad result, a synchronous return of -EIOCBQUEUED...): see the guide's
 *	"Driver mistakes are refused" and the kernel's warning for which one
 * @inflight: queued commands not yet completed or cancelled
 * @retried: UCMD_RETRY returns (the command was issued again; since 1.1)
 *
 * When nothing is in flight, issued == completed_sync + completed_async + cancelled.
 * A program built against libucmd 1.0 has the struct without @retried; the
 * library's LIBUCMD_1 versions of the readers fill only that part.
 */
struct ucmd_stats {
	uint64_t issued;
	uint64_t completed_sync;
	uint64_t completed_async;
	uint64_t cancelled;
	uint64_t refused;
	uint64_t inflight;
	uint64_t retried;
};

/**
 * ucmd_stats_read() - read a device's framework counters from sysfs
 * @dev: misc device name ("ucmd-demo") or its node ("/dev/ucmd-demo", whose
 *	last path component is taken as the name)
 * @st: filled in on success
 *
 * Reads /sys/class/misc/<name>/ucmd/<counter> (UCMD_SYSFS_DIR), one file
 * after the other: the result is not an atomic snapshot.  inflight is read
 * first, so that when it is 0 (and nobody issues new commands) the other
 * counters include everything that was in flight.
 *
 * Return: 0, or -errno (-ENOENT if the device or its counters do not exist,
 * -EINVAL if a file does not hold one decimal number).
 */
int ucmd_stats_read(const char *dev, struct ucmd_stats *st);

/**
 * ucmd_stats_read_dir() - read framework counters from a directory
 * @dir: directory holding the counter files (issued, completed_sync, ...)
 * @st: filled in on success
 *
 * Return: as ucmd_stats_read().
 */
int ucmd_stats_read_dir(const char *dir, struct ucmd_stats *st);

/**
 * ucmd_dev_sysfs() - the sysfs directory of the character device open at @fd
 * @fd: any open file
 * @dir: receives "/sys/dev/char/MAJOR:MINOR" (a symbolic link to the device's
 *	directory), NUL-terminated
 * @len: size of @dir (64 bytes are always enough)
 *
 * Needs no sysfs: the name is made from fstat(2)'s st_rdev.
 *
 * Return: 0, or -errno: -ENOTTY @fd is not a character device, -ENAMETOOLONG
 * @dir is too small, -EINVAL a NULL @dir, or what fstat(2) failed with.
 */
int ucmd_dev_sysfs(int fd, char *dir, size_t len);

/**
 * ucmd_dev_name() - the name of the ucmd device open at @fd
 * @fd: any open file
 * @name: receives the device's name, e.g. "ucmd-demo" or "ucrypto" (the last
 *	component of the ucmd_dev_sysfs() link's target), NUL-terminated
 * @len: size of @name
 *
 * A ucmd device is a character device whose sysfs directory has the
 * framework's "ucmd" attribute group (the counters, see ucmd_stats_read()).
 * Programs use this, or ucmd_dev_check(), to make sure what they opened is the
 * device they mean: other files may accept io_uring commands and complete
 * them with 0 (/dev/null does since Linux 6.0), which would read as success.
 *
 * Return: 0, or -errno: -ENOTTY @fd is not a character device, -ENODEV it is
 * one but not a ucmd device (no "ucmd" directory), -ENOENT sysfs is not
 * mounted at /sys (nothing can be told), -ENAMETOOLONG @name is too small,
 * -EINVAL a NULL @name.
 */
int ucmd_dev_name(int fd, char *name, size_t len);

/**
 * ucmd_dev_check() - check that @fd is the ucmd device called @name
 * @fd: any open file
 * @name: the expected name, e.g. "ucrypto" for UCRYPTO_DEVICE; NULL accepts
 *	any ucmd device
 *
 * Return: 0 if it is, -ENXIO if @fd is a ucmd device of another name (read it
 * with ucmd_dev_name()), or the errors of ucmd_dev_name().
 */
int ucmd_dev_check(int fd, const char *name);

/**
 * ucmd_vec_entry_init() - fill one UCMD_VEC sub-command
 * @e: the entry; cleared first (result and res2 start at 0)
 * @cmd_op: the sub-command
 * @payload: @len bytes copied to @e->payload (rest zero); may be NULL if @len is 0
 * @len: at most 16
 *
 * Return: 0, or -EINVAL if @len is larger than the entry's payload.
 */
int ucmd_vec_entry_init(struct ucmd_vec_entry *e, uint32_t cmd_op, const void *payload, size_t len);

/**
 * ucmd_vec_prep() - prepare an SQE as a UCMD_VEC command
 * @ring: the ring @sqe belongs to
 * @sqe: an SQE from io_uring_get_sqe(@ring)
 * @fd: the device's file descriptor
 * @entries: @nr sub-commands; must stay valid until the command completes,
 *	when each entry's result and res2 have been written back
 * @nr: 1 to UCMD_VEC_MAX
 *
 * Return: 0, or -EINVAL for a bad @nr or NULL @entries (the SQE then is a NOP).
 */
int ucmd_vec_prep(const struct io_uring *ring, struct io_uring_sqe *sqe, int fd,
		  struct ucmd_vec_entry *entries, uint32_t nr);

/**
 * ucmd_vec_call_uring() - run a UCMD_VEC synchronously through io_uring
 * @ring: as for ucmd_call_uring()
 * @fd: the device's file descriptor
 * @entries: @nr sub-commands; results and res2 are written back to them
 * @nr: 1 to UCMD_VEC_MAX
 *
 * Return: the number of entries that ran, or -errno (-ENOTTY: the device
 * does not implement UCMD_VEC).
 */
int ucmd_vec_call_uring(struct io_uring *ring, int fd, struct ucmd_vec_entry *entries, uint32_t nr);

/**
 * ucmd_vec_call_ioctl() - run a UCMD_VEC through ioctl(2)
 * @fd: the device's file descriptor
 * @entries: @nr sub-commands; results and res2 are written back to them
 * @nr: 1 to UCMD_VEC_MAX
 *
 * Return: as ucmd_vec_call_uring().
 */
int ucmd_vec_call_ioctl(int fd, struct ucmd_vec_entry *entries, uint32_t nr);

/**
 * ucmd_crypto_session_create() - create a /dev/ucrypto session (UCRYPTO_SESSION_CREATE)
 * @ring: NULL to use ioctl(2), else a ring for one synchronous uring command
 *	(as for ucmd_call_uring())
 * @fd: an open /dev/ucrypto (UCRYPTO_DEVICE)
 * @alg: the algorithm, as the kernel crypto API spells it: "sha256",
 *	"hmac(sha256)", "cbc(aes)", "gcm(aes)"
 * @type: UCRYPTO_TYPE_HASH, UCRYPTO_TYPE_SKCIPHER or UCRYPTO_TYPE_AEAD, or 0
 *	to try them in that order
 * @key: @key_len bytes of key; may be NULL if @key_len is 0
 * @key_len: at most UCRYPTO_MAX_KEY_SIZE
 * @flags: UCRYPTO_SESSION_ALLOW_ASYNC or 0
 * @tag_len: AEAD tag length, 0 for the algorithm's largest (must be 0 for
 *	other types)
 * @out: if not NULL, receives on success the session as the device filled it
 *	in (id, type, flags, tag_len, digest_size, iv_size, block_size); its
 *	pointer fields are 0.  Untouched on failure.
 *
 * The session lives until ucmd_crypto_session_destroy() or until @fd is
 * closed.  To learn the name of the implementation chosen, issue
 * UCRYPTO_SESSION_CREATE with ucmd_call_ioctl() and a driver buffer instead.
 *
 * Return: the session id (> 0), or -errno: -ENOENT no such algorithm (of
 * @type), -EINVAL a key the algorithm refuses (or bad @flags, @type,
 * @tag_len, a NULL @alg), -ENOKEY a keyed hash without key, -EMFILE too many
 * sessions on @fd, -EPROTO the file answered 0, which no ucrypto session id
 * is (it is not /dev/ucrypto: /dev/null, for one, completes every uring
 * command with 0; ucmd_dev_check() tells beforehand).
 */
int ucmd_crypto_session_create(struct io_uring *ring, int fd, const char *alg, uint32_t type,
			       const void *key, uint32_t key_len, uint32_t flags, uint32_t tag_len,
			       struct ucrypto_session *out);

/**
 * ucmd_crypto_session_destroy() - destroy a /dev/ucrypto session (UCRYPTO_SESSION_DESTROY)
 * @ring: NULL for ioctl(2), else as for ucmd_crypto_session_create()
 * @fd: the file the session was created on
 * @id: the session id
 *
 * Operations in flight on the session finish first; the key is wiped.
 *
 * Return: 0, or -errno (-ENOENT: no such session on @fd).
 */
int ucmd_crypto_session_destroy(struct io_uring *ring, int fd, uint32_t id);

/**
 * ucmd_crypto_prep() - prepare an SQE as a /dev/ucrypto operation
 * @ring: the ring @sqe belongs to
 * @sqe: an SQE from io_uring_get_sqe(@ring)
 * @fd: an open /dev/ucrypto
 * @cmd: UCRYPTO_HASH, UCRYPTO_ENCRYPT or UCRYPTO_DECRYPT
 * @op: the operation; it, and every buffer it points to, must stay valid
 *	until the command completes (the device reads @op when the command is
 *	issued, which may be after io_uring_submit() returned)
 *
 * The payload is a pointer to @op (ucmd_prep_ptr()).  The completion's res is
 * the operation's result: the digest size or the cipher length, or -errno
 * (-EBADMSG: an AEAD tag did not match; nothing was written).
 *
 * Return: 0, or -EINVAL for another @cmd or a NULL @op (the SQE then is a NOP).
 */
int ucmd_crypto_prep(const struct io_uring *ring, struct io_uring_sqe *sqe, int fd, uint32_t cmd,
		     const struct ucrypto_op *op);

/**
 * ucmd_crypto_call() - run one /dev/ucrypto operation synchronously
 * @ring: NULL to use ioctl(2), else a ring for one synchronous uring command
 *	(ucmd_call_uring() with the pointer as its payload)
 * @fd: an open /dev/ucrypto
 * @cmd: UCRYPTO_HASH, UCRYPTO_ENCRYPT or UCRYPTO_DECRYPT
 * @op: the operation (see struct ucrypto_op); not modified
 *
 * Return: the bytes written to op->dst (the digest size for UCRYPTO_HASH,
 * op->len for the ciphers), or -errno: -EBADMSG an AEAD tag did not match
 * (nothing was written), -ENOENT no such session, -EMSGSIZE op->len or
 * op->aad_len above UCRYPTO_MAX_LEN, -EINVAL a field the session's type does
 * not take or a length its mode refuses, also for another @cmd or a NULL @op;
 * -EPROTO a UCRYPTO_HASH that answered 0, which no digest size is (the file
 * is not /dev/ucrypto).
 */
int ucmd_crypto_call(struct io_uring *ring, int fd, uint32_t cmd, const struct ucrypto_op *op);

/**
 * ucmd_crypto_hash_update() - hash data of any size into a session's stream
 * @ring: NULL for ioctl(2), else a ring with nothing else in flight: the
 *	pieces go as uring commands linked in order (IOSQE_IO_LINK), as many
 *	in one submission as the ring has SQEs (at most 16)
 * @fd: an open /dev/ucrypto
 * @id: a hash session whose flags have UCRYPTO_SESSION_STREAM
 * @flags: UCRYPTO_OP_INIT to start the session's stream with these bytes,
 *	UCRYPTO_OP_FINAL to end it after them, both (the digest of @src alone),
 *	or 0 to go on with the open stream
 * @src: @len bytes (may be NULL if @len is 0)
 * @len: any size: sent in pieces of UCRYPTO_MAX_LEN bytes
 * @digest: with UCRYPTO_OP_FINAL, receives the digest (the session's
 *	digest_size bytes); else NULL
 *
 * Call it as often as the data comes: once with UCRYPTO_OP_INIT, then with
 * 0, and once with UCRYPTO_OP_FINAL (which may carry the last bytes, or
 * none).  A session has one stream; hash two at once with two sessions.
 *
 * Return: the digest size with UCRYPTO_OP_FINAL, else 0; or -errno:
 * -EALREADY INIT while the stream is open, -EBADFD no open stream (never
 * started, or already finalised: "final twice", "update after final"),
 * -EBUSY another operation is on the stream (or @ring had other SQEs
 * queued), -EOPNOTSUPP the session does not stream (an asynchronous hash),
 * -EINVAL bad @flags or a NULL pointer where bytes are due, -EFAULT;
 * -EPROTO the file answered 0 (it is not /dev/ucrypto).  An error while
 * hashing ends the stream: start again with UCRYPTO_OP_INIT.
 */
int ucmd_crypto_hash_update(struct io_uring *ring, int fd, uint32_t id, uint32_t flags,
			    const void *src, size_t len, void *digest);

/**
 * ucmd_crypto_cipher_chain() - en- or decrypt data of any size, in pieces, chaining the IV
 * @ring: as for ucmd_crypto_hash_update()
 * @fd: an open /dev/ucrypto
 * @id: a cipher session whose flags have UCRYPTO_SESSION_STREAM (cbc, ctr)
 * @cmd: UCRYPTO_ENCRYPT or UCRYPTO_DECRYPT
 * @flags: UCRYPTO_OP_IV_OUT to leave in @iv the IV that continues after
 *	@len bytes (then @len must be a multiple of the block size: 16 for
 *	cbc(aes) and ctr(aes)), for another call to go on; 0 for the end of
 *	the data, which may then take any length the mode accepts
 * @src: @len bytes of input
 * @dst: @len bytes of output; may be @src
 * @len: any size: pieces of UCRYPTO_MAX_LEN bytes, each handing its output
 *	IV on to the next
 * @iv: the session's iv_size bytes: the IV to start from; updated as the
 *	pieces go (with @flags 0 its final content is that before the last piece)
 *
 * The result equals one operation over all the bytes with the first IV.
 * xts(...) defines no IV to chain and AEADs are one-shot: -EOPNOTSUPP.
 *
 * Return: 0, or -errno (as ucmd_crypto_call(); -EINVAL also for @len not a
 * multiple of the block size with UCRYPTO_OP_IV_OUT, -EPROTO a piece
 * answered 0).  On error, @dst may hold the output of the pieces before.
 */
int ucmd_crypto_cipher_chain(struct io_uring *ring, int fd, uint32_t id, uint32_t cmd,
			     uint32_t flags, const void *src, void *dst, size_t len, void *iv);

/*
 * ---- event streams (multishot uring commands, Linux 7.x) ----
 *
 * A stream command (e.g. UCMD_DEMO_WATCH) is one SQE that completes many
 * times: each event is a CQE with IORING_CQE_F_MORE whose data is in a
 * provided buffer (IORING_CQE_F_BUFFER, the buffer id in the CQE's flags);
 * the last CQE has no IORING_CQE_F_MORE.  struct ucmd_bufs is a buffer ring
 * registered as one provided-buffer group; give each buffer back with
 * ucmd_bufs_recycle() once its event is read, or the group runs dry and
 * the stream ends with -ENOBUFS.
 */

/* uring_cmd_flags bit of a multishot command (liburing before 2.8 lacks the name). */
#define UCMD_URING_CMD_MULTISHOT (1U << 1)

/**
 * struct ucmd_bufs - a provided-buffer ring: @nr buffers of @size bytes in group @bgid
 * @br: the ring shared with the kernel
 * @mem: the buffers, one after the other
 * @nr: buffers (a power of two)
 * @size: bytes per buffer
 * @bgid: the buffer group id
 */
struct ucmd_bufs {
	struct io_uring_buf_ring *br;
	void *mem;
	unsigned int nr;
	size_t size;
	uint16_t bgid;
};

/**
 * ucmd_bufs_init() - allocate @nr buffers of @size bytes and register them as group @bgid
 * @ring: the ring
 * @b: filled in
 * @bgid: the group id to use in ucmd_prep_stream()
 * @nr: a power of two, at most 32768
 * @size: bytes per buffer (for UCMD_DEMO_WATCH: sizeof(struct ucmd_demo_event))
 *
 * Return: 0, or -errno (-EINVAL for bad sizes; what io_uring_register_buf_ring() returns,
 * e.g. -EEXIST for a group id in use).
 */
int ucmd_bufs_init(struct io_uring *ring, struct ucmd_bufs *b, uint16_t bgid, unsigned int nr,
		   size_t size);

/**
 * ucmd_bufs_data() - the buffer a CQE's event is in
 * Return: a pointer to it (cqe->res bytes are the event), or NULL if the CQE has no buffer.
 */
void *ucmd_bufs_data(const struct ucmd_bufs *b, const struct io_uring_cqe *cqe);

/**
 * ucmd_bufs_recycle() - give the buffer of @cqe back to the group
 * Return: 0, or -EINVAL if the CQE has no buffer of @b.
 */
int ucmd_bufs_recycle(struct ucmd_bufs *b, const struct io_uring_cqe *cqe);

/**
 * ucmd_bufs_free() - unregister the group and free the buffers
 * @ring: the ring, or NULL (or one already torn down) to free the memory only
 * @b: the buffers; zeroed
 * Return: 0, or what io_uring_unregister_buf_ring() returned.
 */
int ucmd_bufs_free(struct io_uring *ring, struct ucmd_bufs *b);

/**
 * ucmd_prep_stream() - prepare an SQE as a stream command on buffer group @bgid
 * @ring, @sqe, @fd, @cmd_op, @payload, @len: as for ucmd_prep()
 * @bgid: the provided-buffer group events go to (ucmd_bufs_init())
 *
 * Sets IORING_URING_CMD_MULTISHOT and IOSQE_BUFFER_SELECT.  Kernels without
 * multishot uring commands (before 6.18) fail the SQE in io_uring itself.
 *
 * Return: as ucmd_prep().
 */
int ucmd_prep_stream(const struct io_uring *ring, struct io_uring_sqe *sqe, int fd, uint32_t cmd_op,
		     const void *payload, size_t len, uint16_t bgid);

/**
 * ucmd_crypto_call_fixed() - ucmd_crypto_call() with a registered buffer
 * @ring: a ring with nothing else in flight, on which the buffer is registered
 * @fd, @cmd, @op: as for ucmd_crypto_call(); op->src and op->dst must lie
 *	inside the registered buffer @buf_index
 * @buf_index: as for ucmd_prep_fixed()
 *
 * Return: as ucmd_crypto_call(); also -EFAULT when op->src or op->dst is
 * not inside the buffer, or no buffer has that index; -EINVAL for a NULL
 * @ring or an index above 65535.
 */
int ucmd_crypto_call_fixed(struct io_uring *ring, int fd, uint32_t cmd, const struct ucrypto_op *op,
			   unsigned int buf_index);

#ifdef __cplusplus
}
#endif

#endif /* LIBUCMD_H */
