namespace NodeOps.Safety;

/// <summary>The stable ids of the guard's rules, as found in <see cref="GuardVerdict.RuleId"/>.</summary>
public static class GuardRuleIds
{
    /// <summary>Recursive delete of "/", a system directory or everything in one (rm -r, find -delete, rsync --delete).</summary>
    public const string DeleteSystemPath = "delete-system-path";

    /// <summary>mkfs, mkfs.*, mke2fs, mkswap on a device.</summary>
    public const string FormatDevice = "format-device";

    /// <summary>dd with of= a block device.</summary>
    public const string DdToDevice = "dd-to-device";

    /// <summary>Redirection, tee or cp onto a block device.</summary>
    public const string WriteToDevice = "write-to-device";

    /// <summary>wipefs -a, shred, blkdiscard or sgdisk --zap-all on a device.</summary>
    public const string WipeDevice = "wipe-device";

    /// <summary>fdisk, sfdisk, parted, gdisk, sgdisk able to write a device's partition table.</summary>
    public const string PartitionDevice = "partition-device";

    /// <summary>A self-replicating shell function such as ":(){ :|:&amp; };:".</summary>
    public const string ForkBomb = "fork-bomb";

    /// <summary>Recursive chmod, chown or chgrp on "/" or a system directory.</summary>
    public const string RecursivePermissionChange = "recursive-permission-change";

    /// <summary>mv of "/" or a system directory.</summary>
    public const string MoveSystemPath = "move-system-path";

    /// <summary>halt, poweroff, reboot, shutdown, init 0/6, systemctl poweroff/reboot/..., kexec -e.</summary>
    public const string PowerAction = "power-action";

    /// <summary>Any write to /proc/sysrq-trigger.</summary>
    public const string SysrqTrigger = "sysrq-trigger";

    /// <summary>Strings nested inside commands deeper than the guard follows; blocked because it cannot be judged.</summary>
    public const string NestingTooDeep = "nesting-too-deep";
}
