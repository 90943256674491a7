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

    /// <summary>An interpreter reading a program that a decoder produced: "base64 -d | sh", "xxd -r -p | bash", Python's exec(b64decode(...)).</summary>
    public const string DecodedToInterpreter = "decoded-to-interpreter";

    /// <summary>An interpreter reading a program fetched from the network: "curl ... | sh", "wget -O- ... | bash", exec(urlopen(...).read()).</summary>
    public const string FetchedToInterpreter = "fetched-to-interpreter";

    /// <summary>Code only known at run time: "eval \"$(...)\"", "sh -c \"$(...)\"", "bash &lt;(...)", "source &lt;(...)".</summary>
    public const string GeneratedCode = "generated-code";

    /// <summary>A destructive command whose operands xargs or parallel supply at run time: "... | xargs rm -rf".</summary>
    public const string DestructiveRuntimeArguments = "destructive-runtime-arguments";

    /// <summary>Strings nested inside commands deeper than the guard follows; blocked because it cannot be judged.</summary>
    public const string NestingTooDeep = "nesting-too-deep";
}
