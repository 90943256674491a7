using System.Text;
using Microsoft.Extensions.Logging;
using NodeOps.Errors;
using NodeOps.Features;
using NodeOps.Processes;
using NodeOps.Runners.Ansible;
using NodeOps.Safety;
using NodeOps.Sandbox;

namespace NodeOps.Catalog;

/// <summary>
/// Checks content with the real tools: <c>ansible-playbook --syntax-check</c>, <c>bash -n</c> and Python's
/// <c>compile</c>. A failed check is a 422 on "content" carrying the tool's own message, trimmed and without the
/// private temp paths. ansible-playbook is optional (its check is skipped when it is not installed); bash and
/// python3 are not, because a script that cannot be checked is not accepted. The checks read user content, and
/// ansible-playbook --syntax-check evaluates some of it (a lookup in vars_files runs), so every check runs in the
/// sandbox of Ansible runs, with an environment of its own: nothing of the server's reaches it.
/// </summary>
internal sealed partial class SyntaxChecker(FeatureService features, AnsibleSandbox sandbox, ILogger<SyntaxChecker> logger) : IDisposable
{
    public static readonly TimeSpan AnsibleTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(15);
    private const int MaxMessageChars = 2000;

    // Python reads the script from stdin and compiles it without running it; the message names only the line.
    private const string PythonCheck = """
        import sys
        source = sys.stdin.buffer.read()
        try:
            compile(source, '<script>', 'exec', dont_inherit=True)
        except SyntaxError as e:
            sys.stderr.write('line %s: %s\n' % (e.lineno, e.msg))
            sys.exit(1)
        except ValueError as e:
            sys.stderr.write('%s\n' % e)
            sys.exit(1)
        """;

    // The checks are short but CPU-heavy (ansible-playbook starts a Python interpreter and loads every plugin).
    private readonly SemaphoreSlim _slots = new(2, 2);

    public void Dispose() => _slots.Dispose();

    public async Task CheckPlaybookAsync(string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var binary = (await features.GetAsync(cancellationToken).ConfigureAwait(false)).Ansible.BinaryPath;
        if (!File.Exists(binary))
        {
            LogAnsibleMissing(logger, binary);
            return;
        }

        var directory = Directory.CreateTempSubdirectory("nodeops-syntax-");
        try
        {
            var playbook = Path.Combine(directory.FullName, "playbook.yml");
            var inventory = Path.Combine(directory.FullName, "inventory.ini");
            var config = Path.Combine(directory.FullName, "ansible.cfg");
            await WritePrivateAsync(playbook, content, cancellationToken).ConfigureAwait(false);
            await WritePrivateAsync(inventory, "[all]\nsyntax-check-node ansible_connection=local\n", cancellationToken).ConfigureAwait(false);
            await WritePrivateAsync(config, "[defaults]\nretry_files_enabled = False\n", cancellationToken).ConfigureAwait(false);
            var environment = new Dictionary<string, string?>
            {
                ["ANSIBLE_CONFIG"] = config,
                ["ANSIBLE_LOCAL_TEMP"] = Path.Combine(directory.FullName, "tmp"),
                ["ANSIBLE_NOCOLOR"] = "1",
                ["ANSIBLE_FORCE_COLOR"] = "0",
                ["ANSIBLE_DEPRECATION_WARNINGS"] = "False",
                ["ANSIBLE_SYSTEM_WARNINGS"] = "False",
                ["PYTHONDONTWRITEBYTECODE"] = "1",

                // ansible-core refuses to start without a UTF-8 locale.
                ["LANG"] = "C.UTF-8",
                ["LC_ALL"] = "C.UTF-8",
            };
            environment["HOME"] = directory.FullName;
            var result = await RunAsync(binary, ["--syntax-check", "-i", inventory, playbook], null, environment, directory.FullName, AnsibleTimeout, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw Failed("ansible-playbook --syntax-check", result, directory.FullName, AnsibleTimeout);
            }
        }
        finally
        {
            TryDelete(directory);
        }
    }

    /// <summary>
    /// Checks a script in its language ("shell" or "python"), then runs it past the dangerous-command guard, so a
    /// script that would wipe a node is refused when it is saved and not only when it is run.
    /// </summary>
    public async Task CheckScriptAsync(string language, string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var (tool, arguments, label) = language switch
        {
            ScriptLanguages.Shell => ("bash", new[] { "-n" }, "bash -n"),
            ScriptLanguages.Python => ("python3", new[] { "-I", "-c", PythonCheck }, "python3 compile"),
            _ => throw NodeOpsException.Invalid("language", $"未知语言 '{CatalogRules.Printable(language)}'，可选: shell, python"),
        };
        // A sandboxed check sees only the system's folders, so the tool must be found there (not, say, in a pyenv shim).
        var binary = BoundedProcess.FindOnPath(tool, sandbox.Enabled ? BoundedProcess.SystemPath : null)
            ?? throw new NodeOpsException(ErrorKind.Unavailable, $"服务器未安装 {tool}，无法检查脚本语法");
        var environment = new Dictionary<string, string?> { ["LANG"] = "C.UTF-8", ["LC_ALL"] = "C.UTF-8", ["PYTHONDONTWRITEBYTECODE"] = "1" };
        var folder = Directory.CreateTempSubdirectory("nodeops-syntax-");
        BoundedProcessResult result;
        try
        {
            result = await RunAsync(binary, arguments, content, environment, folder.FullName, ScriptTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            TryDelete(folder);
        }

        if (result.ExitCode != 0)
        {
            throw Failed(label, result with { Stderr = result.Stderr.Replace(binary, tool, StringComparison.Ordinal) }, null, ScriptTimeout);
        }

        var verdict = DangerousCommandGuard.CheckScript(content, language == ScriptLanguages.Python ? ScriptLanguage.Python : ScriptLanguage.Shell);
        if (verdict.IsBlocked)
        {
            throw new NodeOpsException(ErrorKind.Validation, verdict.Error!, "content", DangerousCommandGuard.ErrorCode)
            {
                Title = DangerousCommandGuard.ErrorTitle,
                Context = new Dictionary<string, object?> { ["rule"] = verdict.RuleId, ["command"] = verdict.Command },
            };
        }
    }

    private async Task<BoundedProcessResult> RunAsync(string binary, IReadOnlyList<string> arguments, string? stdin, Dictionary<string, string?> environment, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await sandbox.EnsureAvailableAsync(cancellationToken).ConfigureAwait(false);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            environment["PATH"] = BoundedProcess.SystemPath;
            sandbox.HandOver(workingDirectory);
            var command = sandbox.Command(binary, arguments, workingDirectory);
            var start = new BoundedProcessStart(command.FileName, command.Arguments, timeout)
            {
                Stdin = stdin,
                InheritEnvironment = false,
                Environment = environment,
                WorkingDirectory = workingDirectory,
            };
            return await BoundedProcess.RunAsync(start, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            throw new NodeOpsException(ErrorKind.Unavailable, $"服务器无法运行 {Path.GetFileName(binary)}，无法检查语法");
        }
        finally
        {
            _slots.Release();
        }
    }

    private static NodeOpsException Failed(string tool, BoundedProcessResult result, string? tempDirectory, TimeSpan timeout)
    {
        var message = result.TimedOut
            ? $"{tool} 超过 {timeout.TotalSeconds:0} 秒未完成"
            : $"{tool} 失败: {Clean(result, tempDirectory)}";
        return new NodeOpsException(ErrorKind.Validation, message, "content", "SYNTAX_CHECK_FAILED") { Title = "语法检查失败" };
    }

    /// <summary>The tool's message: warnings dropped, temp paths removed, bounded in length.</summary>
    internal static string Clean(BoundedProcessResult result, string? tempDirectory)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = (result.Stderr.Trim().Length > 0 ? result.Stderr : result.Stdout).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (tempDirectory is not null)
        {
            text = text.Replace(tempDirectory + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)
                .Replace(tempDirectory, "", StringComparison.Ordinal);
        }

        var lines = new StringBuilder();
        var inWarning = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("[WARNING]", StringComparison.Ordinal) || line.StartsWith("[DEPRECATION WARNING]", StringComparison.Ordinal))
            {
                inWarning = true;
                continue;
            }

            // A warning continues on indented lines; anything else ends it.
            if (inWarning && (line.StartsWith(' ') || line.Length == 0))
            {
                continue;
            }

            inWarning = false;
            lines.Append(line.TrimEnd()).Append('\n');
        }

        var message = lines.ToString().Trim();
        if (message.Length == 0)
        {
            message = $"exit code {result.ExitCode}";
        }

        return message.Length > MaxMessageChars ? message[..MaxMessageChars] + "…" : message;
    }

    private static async Task WritePrivateAsync(string path, string content, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            var bytes = new UTF8Encoding(false).GetBytes(content);
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException ex)
        {
            LogCleanupFailed(logger, directory.FullName, ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            LogCleanupFailed(logger, directory.FullName, ex.Message);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "ansible-playbook not found at {Path}; the playbook syntax check is skipped")]
    private static partial void LogAnsibleMissing(ILogger logger, string path);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Could not remove the syntax-check folder {Path}: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string path, string reason);
}
