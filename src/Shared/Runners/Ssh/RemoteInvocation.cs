using System.Globalization;

namespace NodeOps.Runners.Ssh;

/// <summary>
/// What runs on the node: the remote command line and what goes to its stdin. Every invocation first reports its
/// process group on stderr (<see cref="PgidMarker"/>, stripped from the output) so that cancel and timeout can
/// signal the whole group, then replaces itself with the real work so the group is the work's own.
/// </summary>
public sealed record RemoteInvocation(string Command, string? StandardInput)
{
    /// <summary>The first stderr line of every invocation: the marker and the remote shell's PID, which sshd made a group leader.</summary>
    public const string PgidMarker = "NODEOPS-PGID:";

    private const string ReportGroup = "printf '" + PgidMarker + "%s\\n' \"$$\" >&2; ";

    /// <summary>A command line, run by the login shell exactly as plain ssh would run it.</summary>
    public static RemoteInvocation ForCommand(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new RemoteInvocation(ReportGroup + "exec \"${SHELL:-/bin/sh}\" -c " + ShellQuoting.Quote(command), null);
    }

    /// <summary>
    /// A script sent on stdin with parameters as environment variables. Names must be shell identifiers; values are
    /// single-quoted, so a value such as $(touch /tmp/pwned) arrives literally. Shell scripts are read whole before
    /// they run (eval of the complete text), so a command inside the script that reads stdin cannot eat the rest of it.
    /// </summary>
    public static RemoteInvocation ForScript(string language, string content, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(parameters);
        var environment = string.Concat(parameters
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p =>
            {
                if (!ShellQuoting.IsValidVariableName(p.Key))
                {
                    throw new ArgumentException($"Parameter name '{p.Key}' is not a shell identifier.", nameof(parameters));
                }

                if (p.Value.Contains('\0', StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Parameter '{p.Key}' holds a NUL character.", nameof(parameters));
                }

                return " " + ShellQuoting.Quote(p.Key + "=" + p.Value);
            }));
        var interpreter = IsPython(language) ? "python3 -" : "bash -c 'eval \"$(cat)\"'";
        return new RemoteInvocation(ReportGroup + "exec env" + environment + " " + interpreter, content);
    }

    /// <summary>Signals a remote process group: TERM, up to three seconds' grace, then KILL.</summary>
    public static RemoteInvocation ForStopGroup(int processGroup)
    {
        var group = "-" + processGroup.ToString(CultureInfo.InvariantCulture);
        return new RemoteInvocation(
            $"kill -TERM -- {group} 2>/dev/null || exit 0; i=0; while [ $i -lt 30 ] && kill -0 -- {group} 2>/dev/null; do sleep 0.1; i=$((i+1)); done; kill -KILL -- {group} 2>/dev/null; exit 0",
            null);
    }

    public static bool IsPython(string language) =>
        language.Equals("python", StringComparison.OrdinalIgnoreCase) || language.Equals("python3", StringComparison.OrdinalIgnoreCase);
}
