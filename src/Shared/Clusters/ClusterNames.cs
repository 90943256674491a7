using System.Net;
using System.Text.RegularExpressions;

namespace NodeOps.Clusters;

/// <summary>
/// The shapes of cluster names, node names, node addresses and labels. Names end up in table keys, file names and
/// SSH arguments, so they are held to a small character set: no path separators, no control characters, and never
/// a leading '-' that a command-line tool could read as an option.
/// </summary>
public static partial class ClusterNames
{
    public const int MaxClusterNameLength = 63;
    public const int MaxNodeNameLength = 253;
    public const string ClusterNameRule = "集群名只能包含小写字母、数字、. _ -，以字母或数字开头和结尾，最多 63 个字符";
    public const string NodeNameRule = "节点名只能包含字母、数字、. _ -，以字母或数字开头和结尾，最多 253 个字符";

    public static bool IsValidClusterName(string? name) => name is { Length: > 0 and <= MaxClusterNameLength } && ClusterNameRegex().IsMatch(name);

    public static bool IsValidNodeName(string? name) => name is { Length: > 0 and <= MaxNodeNameLength } && NodeNameRegex().IsMatch(name);

    /// <summary>An IPv4 or IPv6 literal, or a DNS host name.</summary>
    public static bool IsValidAddress(string? address) =>
        address is { Length: > 0 and <= 253 }
        && (IPAddress.TryParse(address, out _) && !address.StartsWith('-') || HostNameRegex().IsMatch(address));

    /// <summary>Kubernetes label syntax: an optional DNS prefix and "/", a name of up to 63 characters; values likewise.</summary>
    public static bool IsValidLabelKey(string? key) => key is { Length: > 0 and <= 317 } && LabelKeyRegex().IsMatch(key);

    public static bool IsValidLabelValue(string? value) => value is not null && (value.Length == 0 || value.Length <= 63 && LabelValueRegex().IsMatch(value));

    [GeneratedRegex("^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$")]
    private static partial Regex ClusterNameRegex();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")]
    private static partial Regex NodeNameRegex();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex HostNameRegex();

    [GeneratedRegex("^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelKeyRegex();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelValueRegex();
}
