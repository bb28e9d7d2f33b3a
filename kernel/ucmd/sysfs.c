// SPDX-License-Identifier: GPL-2.0
/* sysfs.c - the framework counters of a device, one value per file in sysfs. */

#include <linux/device.h>
#include <linux/sysfs.h>

#include "ucmd_internal.h"

static struct ucmd_dev *ucmd_from_dev(struct device *dev)
{
	struct miscdevice *misc = dev_get_drvdata(dev);

	return container_of(misc, struct ucmd_dev, misc);
}

static u64 ucmd_stat_sum(struct ucmd_dev *ud, size_t offset)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *(u64 *)((char *)per_cpu_ptr(ud->stats, cpu) + offset);
	return sum;
}

#define UCMD_STAT_ATTR(field)						\
static ssize_t field##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%llu\n",				\
			  ucmd_stat_sum(ucmd_from_dev(dev),		\
					offsetof(struct ucmd_stats, field))); \
}									\
static DEVICE_ATTR_RO(field)

UCMD_STAT_ATTR(issued);
UCMD_STAT_ATTR(completed_sync);
UCMD_STAT_ATTR(completed_async);
UCMD_STAT_ATTR(cancelled);
UCMD_STAT_ATTR(refused);
UCMD_STAT_ATTR(retried);

static ssize_t inflight_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%d\n", ucmd_dev_inflight(ucmd_from_dev(dev)));
}
static DEVICE_ATTR_RO(inflight);

static struct attribute *ucmd_attrs[] = {
	&dev_attr_issued.attr,
	&dev_attr_completed_sync.attr,
	&dev_attr_completed_async.attr,
	&dev_attr_cancelled.attr,
	&dev_attr_refused.attr,
	&dev_attr_retried.attr,
	&dev_attr_inflight.attr,
	NULL,
};

static const struct attribute_group ucmd_attr_group = {
	.name = "ucmd",
	.attrs = ucmd_attrs,
};

static const struct attribute_group *ucmd_groups[] = {
	&ucmd_attr_group,
	NULL,
};

const struct attribute_group **ucmd_sysfs_groups(void)
{
	return ucmd_groups;
}
