using System.Globalization;
using System.Text;

namespace NodeOps.Assistant;

/// <summary>What one tool process did: exit code, capped output, whether it hit the timeout or the cap.</summary>
public sealed record ToolRunResult(int ExitCode, string Stdout, string Stderr, bool TimedOut, bool Truncated, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>The text the model sees as the tool's result.</summary>
    public string ForModel()
    {
        var text = new StringBuilder();
        if (TimedOut)
        {
            text.Append(CultureInfo.InvariantCulture, $"[timed out after {Duration.TotalSeconds:0.#} s; output so far follows]\n");
        }
        else if (ExitCode != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"[exit code {ExitCode}]\n");
        }

        text.Append(Stdout);
        if (Stderr.Length > 0)
        {
            if (text.Length > 0 && text[^1] != '\n')
            {
                text.Append('\n');
            }

            text.Append("[stderr]\n").Append(Stderr);
        }

        if (Truncated)
        {
            text.Append("\n[output truncated]");
        }

        return text.Length == 0 ? "(no output)" : text.ToString();
    }

    /// <summary>One line for the stream's tool-result frame.</summary>
    public string Summary()
    {
        var lines = Stdout.Count(c => c == '\n') + (Stdout.Length > 0 && Stdout[^1] != '\n' ? 1 : 0);
        var state = TimedOut ? "timed out" : ExitCode == 0 ? "ok" : $"exit code {ExitCode}";
        var first = (ExitCode == 0 ? Stdout : Stderr).Split('\n', 2)[0];
        if (first.Length > 120)
        {
            first = first[..120] + "…";
        }

        return string.Create(CultureInfo.InvariantCulture, $"{state}, {lines} line(s) in {Duration.TotalMilliseconds:0} ms{(Truncated ? ", truncated" : "")}{(first.Length > 0 ? ": " + first : "")}");
    }
}
