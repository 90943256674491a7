using NodeOps.Processes;

namespace NodeOps.Assistant;

/// <summary>
/// The assistant's tools on <see cref="BoundedProcess"/>: a program that cannot start makes the tool unavailable,
/// and the run comes back as the <see cref="ToolRunResult"/> the agent reports.
/// </summary>
internal static class ToolProcess
{
    public static async Task<ToolRunResult> RunAsync(BoundedProcessStart start, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        try
        {
            var run = await BoundedProcess.RunAsync(start, time, cancellationToken).ConfigureAwait(false);
            return new ToolRunResult(run.ExitCode, run.Stdout, run.Stderr, run.TimedOut, run.Truncated, run.Duration);
        }
        catch (FileNotFoundException ex)
        {
            var cause = ex.InnerException ?? ex;
            throw new ToolUnavailableException($"{Path.GetFileName(start.FileName)} 无法启动：{cause.Message}", cause);
        }
    }
}
