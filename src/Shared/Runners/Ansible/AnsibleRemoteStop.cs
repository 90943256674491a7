using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using NodeOps.Runners.Ssh;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// Stops what a cancelled or timed-out run left running on its nodes, then checks. Killing ansible-playbook stops
/// nothing remote: a task's processes have no tty, so no hangup reaches them. A run's remote processes carry
/// LC_NODEOPS_RUN={tag} in their environment, put there twice: by the interpreter every module starts with
/// (<see cref="TaggedInterpreter"/>, which needs nothing of sshd) and by ssh's SetEnv (which sshd accepts with the
/// usual AcceptEnv LC_*). The run's own process groups are found on the node and signalled, TERM then KILL, and
/// nothing else; then the node is scanned again. Where the run's processes could not all be seen (raw or script
/// tasks, a playbook's own interpreter, become without sudo for the stop) or not all stopped, or the node could
/// not be reached, the node's result says so instead of claiming a clean stop.
/// </summary>
internal sealed partial class AnsibleRemoteStop(ISshRunner ssh, ILogger<AnsibleRemoteStop> logger)
{
    public const string Variable = "LC_NODEOPS_RUN";
    private const string ReportMarker = "NODEOPS-STOP";
    private static readonly TimeSpan PerNode = TimeSpan.FromSeconds(20);

    /// <summary>The interpreter every Python module runs with: env sets the tag, which the module's children inherit.</summary>
    public static string TaggedInterpreter(string runTag) => $"/usr/bin/env {Variable}={CheckedTag(runTag)} python3";

    /// <returns>The hosts where the stop could not be confirmed, with the reason.</returns>
    public async Task<IReadOnlyDictionary<string, string>> StopAsync(AnsibleRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var become = UsesBecome().IsMatch(request.Playbook);
        var untracked = UntrackedTasks().IsMatch(request.Playbook)
            ? "该 playbook 含 raw/script 任务或自定义 ansible_python_interpreter，这些进程无法识别，无法确认已全部停止"
            : null;
        var invocation = RemoteInvocation.ForCommand(Command(request.RunTag, become));
        var unconfirmed = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        using var slots = new SemaphoreSlim(Math.Max(1, request.Forks));
        await Task.WhenAll(request.Hosts.Select(async host =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var target = new SshTarget(request.ClusterName, host.Name, host.Address, host.Port, request.Credential);
                var result = await ssh.RunAsync(new SshRunRequest(target, invocation, PerNode, 4096), cancellationToken).ConfigureAwait(false);
                var why = Verdict(result, become) ?? untracked;
                if (why is not null)
                {
                    unconfirmed[host.Name] = why;
                    Log.RemoteStopFailed(logger, request.ClusterName, host.Name, why);
                }
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
        return unconfirmed;
    }

    /// <summary>Null when the node reported none of the run's processes left; otherwise why the stop is not confirmed.</summary>
    internal static string? Verdict(SshRunResult result, bool become)
    {
        if (result.Outcome != SshRunOutcome.Exited)
        {
            return "停止后无法连接节点确认任务进程已结束 (" + (result.Message ?? result.Outcome.ToString()) + ")";
        }

        var report = ReportLine().Match(result.Stdout);
        if (!report.Success)
        {
            return "停止后节点没有报告检查结果，无法确认任务进程已结束";
        }

        var remaining = int.Parse(report.Groups["remaining"].Value, CultureInfo.InvariantCulture);
        if (remaining > 0)
        {
            return $"节点上仍有 {remaining} 个该运行的进程无法停止";
        }

        if (become && report.Groups["root"].Value != "1")
        {
            return "任务以 become 运行，而登录用户无法免密 sudo，以 root 运行的任务进程无法确认已停止";
        }

        return null;
    }

    /// <summary>The stop script, run through sudo -n when the playbook becomes root and sudo allows it.</summary>
    internal static string Command(string runTag, bool become)
    {
        var script = Script(runTag);
        return become
            ? $"if sudo -n true 2>/dev/null; then exec sudo -n sh -c {ShellQuoting.Quote(script)}; else exec sh -c {ShellQuoting.Quote(script)}; fi"
            : script;
    }

    /// <summary>
    /// POSIX sh: signal the process group of every process whose environment holds the run's tag (TERM, then KILL
    /// to what is left), then count what still carries it, and report.
    /// </summary>
    internal static string Script(string runTag) => $$"""
        tag='{{Variable}}={{CheckedTag(runTag)}}'; found=0; left=0
        scan() {
          for d in /proc/[0-9]*; do
            p=${d#/proc/}
            [ "$p" = "$$" ] && continue
            tr '\0' '\n' < "$d/environ" 2>/dev/null | grep -qxF "$tag" || continue
            s=$(cat "$d/stat" 2>/dev/null) || continue
            s=${s##*) }
            set -- $s
            [ "$1" = Z ] && continue
            [ "$3" -gt 1 ] 2>/dev/null || continue
            found=1; left=$((left+1))
            [ -n "$sig" ] && { kill -"$sig" -- "-$3" 2>/dev/null || kill -"$sig" "$p" 2>/dev/null; }
          done
        }
        sig=TERM; scan
        if [ "$found" = 1 ]; then sleep 1; left=0; sig=KILL; scan; sleep 0.3; fi
        left=0; sig=; scan
        root=0; [ "$(id -u)" = 0 ] && root=1
        echo "{{ReportMarker}} remaining=$left root=$root"
        exit 0
        """;

    private static string CheckedTag(string runTag)
    {
        if (runTag.Length == 0 || !runTag.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("A run tag is letters and digits.", nameof(runTag));
        }

        return runTag;
    }

    [GeneratedRegex(ReportMarker + @" remaining=(?<remaining>\d+) root=(?<root>[01])")]
    private static partial Regex ReportLine();

    [GeneratedRegex(@"^\s*-?\s*become\s*:\s*(true|yes|on|1)\b", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex UsesBecome();

    [GeneratedRegex(@"^\s*-?\s*((ansible\.(builtin|legacy)\.)?(raw|script)\s*:|.*\bansible_python_interpreter\b)", RegexOptions.Multiline)]
    private static partial Regex UntrackedTasks();
}
