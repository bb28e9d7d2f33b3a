/* SPDX-License-Identifier: GPL-2.0 */
/* ucmd_trace.h - tracepoints for command issue and completion, for latency tracing. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ucmd

#if !defined(_UCMD_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _UCMD_TRACE_H

#include <linux/tracepoint.h>
#include <linux/ucmd.h>

/*
 * The device, not its name, is passed: the name is loaded only when the
 * event is enabled, not on every command.
 */
TRACE_EVENT(ucmd_issue,
	TP_PROTO(const struct ucmd_dev *ud, u32 cmd_op, bool uring),
	TP_ARGS(ud, cmd_op, uring),
	TP_STRUCT__entry(
		__array(char, dev, 16)
		__field(u32, cmd_op)
		__field(bool, uring)
	),
	TP_fast_assign(
		strscpy(__entry->dev, ud->misc.name, sizeof(__entry->dev));
		__entry->cmd_op = cmd_op;
		__entry->uring = uring;
	),
	TP_printk("dev=%s cmd_op=%#x path=%s", __entry->dev, __entry->cmd_op,
		  __entry->uring ? "uring" : "ioctl")
);

TRACE_EVENT(ucmd_complete,
	TP_PROTO(const struct ucmd_dev *ud, u32 cmd_op, int res, bool async),
	TP_ARGS(ud, cmd_op, res, async),
	TP_STRUCT__entry(
		__array(char, dev, 16)
		__field(u32, cmd_op)
		__field(int, res)
		__field(bool, async)
	),
	TP_fast_assign(
		strscpy(__entry->dev, ud->misc.name, sizeof(__entry->dev));
		__entry->cmd_op = cmd_op;
		__entry->res = res;
		__entry->async = async;
	),
	TP_printk("dev=%s cmd_op=%#x res=%d %s", __entry->dev, __entry->cmd_op,
		  __entry->res, __entry->async ? "async" : "sync")
);

#endif /* _UCMD_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE ucmd_trace
#include <trace/define_trace.h>
