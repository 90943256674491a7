namespace NodeOps.Runners.Ssh;

/// <summary>POSIX shell quoting: a quoted word is taken literally by sh, bash, dash and zsh, whatever it holds.</summary>
public static class ShellQuoting
{
    /// <summary>Wraps text in single quotes; an embedded single quote becomes '\'' (close, escaped quote, reopen).</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Environment variable names the remote side accepts: a shell identifier.</summary>
    public static bool IsValidVariableName(string name) =>
        name.Length is > 0 and <= 128
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
