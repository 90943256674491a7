using NodeOps.Errors;
using NodeOps.Safety.Python;
using NodeOps.Safety.Rules;

namespace NodeOps.Safety;

/// <summary>
/// Blocks destructive commands before they reach a node: deleting or moving system directories, formatting,
/// overwriting or wiping disks, fork bombs, recursive permission changes on system directories, power actions and
/// sysrq. It parses shell words instead of matching substrings, so "echo 'rm -rf /'" passes and "'r''m' -rf /"
/// does not. It is a safety net against mistakes, not a sandbox. Code it cannot see is refused where the input
/// shows it is being hidden: decoded or downloaded text fed to an interpreter ("base64 -d | sh", "curl ... | sh",
/// Python's exec(b64decode(...))), code generated at run time ("eval \"$(...)\"", "bash &lt;(...)"), and destructive
/// commands whose operands xargs or parallel supply at run time. A script file already on the node or a command
/// name in a variable is still not judged. Pure and thread-safe.
/// </summary>
/// <remarks>
/// Decisions where the input leaves doubt:
/// <list type="bullet">
/// <item>Protected paths are "/", the top-level system directories, a few second-level ones (/usr/bin, /usr/lib,
/// /usr/local, /var/lib...), everything inside any of them ("/etc/*"), and the home directory ("~", "~/", "$HOME").</item>
/// <item>A path from an unknown variable ("rm -rf $DIR/") is not judged, except a device chosen at run time
/// ("of=/dev/$DISK", "mkfs $DEV"), which is assumed to be a real one.</item>
/// <item>Strings nested more than eight deep (bash -c, $( ), eval...) are blocked as too deep to judge.</item>
/// <item>An unterminated quote is parsed as if closed at the end, and the text it hides is also judged as code:
/// "echo \"; rm -rf /" is blocked, "echo \"hello" is not.</item>
/// </list>
/// </remarks>
public static class DangerousCommandGuard
{
    /// <summary>The envelope's "message" for a blocked command.</summary>
    public const string ErrorTitle = "命令验证失败";

    /// <summary>The stable machine code of a blocked command.</summary>
    public const string ErrorCode = "DANGEROUS_COMMAND";

    /// <summary>Judges a shell command line (or several lines).</summary>
    public static GuardVerdict Check(string command, GuardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        return GuardEngine.CheckShell(command, options ?? GuardOptions.Default, depth: 0);
    }

    /// <summary>Judges a whole script: shell scripts with the shell rules, Python with <see cref="CheckPython"/>.</summary>
    public static GuardVerdict CheckScript(string content, ScriptLanguage language, GuardOptions? options = null) => language switch
    {
        ScriptLanguage.Shell => Check(content, options),
        ScriptLanguage.Python => CheckPython(content, options),
        _ => throw new ArgumentOutOfRangeException(nameof(language), language, "Unknown script language."),
    };

    /// <summary>
    /// Best effort for Python: string literals passed to os.system, os.popen and subprocess calls are judged as shell
    /// commands; shutil.rmtree, shutil.move and os.rename of system directories and open() of devices for writing
    /// are judged directly. Paths built at run time are not seen.
    /// </summary>
    public static GuardVerdict CheckPython(string source, GuardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return PythonInspector.Check(source, options ?? GuardOptions.Default, depth: 0);
    }

    /// <summary>Throws the 422 error when <paramref name="command"/> is blocked.</summary>
    public static void EnsureAllowed(string command, GuardOptions? options = null) => ThrowIfBlocked(Check(command, options));

    /// <summary>Throws the 422 error when the script is blocked.</summary>
    public static void EnsureScriptAllowed(string content, ScriptLanguage language, GuardOptions? options = null) =>
        ThrowIfBlocked(CheckScript(content, language, options));

    public static void ThrowIfBlocked(GuardVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (verdict.IsBlocked)
        {
            throw ToException(verdict);
        }
    }

    /// <summary>
    /// The error for a blocked verdict: kind Validation (422), message "危险命令已拦截: ...", Title "命令验证失败",
    /// Code "DANGEROUS_COMMAND", and the rule and command in Context.
    /// </summary>
    public static NodeOpsException ToException(GuardVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (!verdict.IsBlocked)
        {
            throw new ArgumentException("The verdict allows the command.", nameof(verdict));
        }

        return new NodeOpsException(ErrorKind.Validation, verdict.Error!, code: ErrorCode)
        {
            Title = ErrorTitle,
            Context = new Dictionary<string, object?>
            {
                ["rule"] = verdict.RuleId,
                ["command"] = verdict.Command,
            },
        };
    }
}
