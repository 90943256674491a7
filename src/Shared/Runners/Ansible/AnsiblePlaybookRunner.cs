using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Credentials;
using NodeOps.Runners.Ssh;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// Runs ansible-playbook in a private folder as the leader of its own process group. Before it starts, every host
/// has a pinned key (first contact goes through the SSH runner's pool, which pins the key the same way it does for
/// commands), and the run's known_hosts holds exactly the pinned keys, with strict checking on. Progress and
/// results come from the NodeOps callback plugin's JSON lines, tailed while the playbook runs; the human-readable
/// output is passed on for display only. Secrets (the password, the key's passphrase) are scrubbed from both.
/// </summary>
internal sealed class AnsiblePlaybookRunner(
    AnsibleHostKeys hostKeys,
    AnsibleRemoteStop remoteStop,
    AnsibleSandbox sandbox,
    IOptions<AnsibleOptions> options,
    IOptions<SshOptions> sshOptions,
    TimeProvider time,
    ILogger<AnsiblePlaybookRunner> logger) : IAnsibleRunner
{
    private const string CallbackResource = "NodeOps.Runners.Ansible.nodeops_events.py";
    private const int MaxLineChars = 16 * 1024;


    public async Task<AnsibleRunResult> RunAsync(AnsibleRunRequest request, IAnsibleRunObserver observer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);
        var started = time.GetTimestamp();
        using var timeout = new CancellationTokenSource(request.Timeout, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var scrubber = new SecretScrubber(request.Credential);

        if (!AnsibleConfigFile.IsUsablePath(request.TempDir))
        {
            return NotStarted(started, "temp_dir 含有 ansible.cfg 无法表示的字符 (%, ;, 引号或换行)");
        }

        Dictionary<string, Clusters.HostKeyPin> pins;
        Dictionary<string, AnsibleHostFailure> leftOut;
        try
        {
            (pins, leftOut) = await hostKeys.EnsurePinnedAsync(request.ClusterName, request.Hosts, request.Credential, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return Stopped(timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested, null, null, new Dictionary<string, AnsibleHostFailure>(), started);
        }

        var hosts = request.Hosts.Where(h => !leftOut.ContainsKey(h.Name)).ToList();
        if (hosts.Count == 0)
        {
            return new AnsibleRunResult(AnsibleRunOutcome.NotStarted, null, null, leftOut, "没有可连接的节点", time.GetElapsedTime(started));
        }

        try
        {
            await sandbox.EnsureAvailableAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Sandbox.SandboxUnavailableException ex)
        {
            return new AnsibleRunResult(AnsibleRunOutcome.NotStarted, null, null, leftOut, ex.Message, time.GetElapsedTime(started));
        }

        AnsibleRunDirectory directory;
        try
        {
            directory = AnsibleRunDirectory.Create(request.TempDir, request.RunTag, sandbox.NeedsTraversableParent);
        }
        catch (InvalidOperationException ex)
        {
            return new AnsibleRunResult(AnsibleRunOutcome.NotStarted, null, null, leftOut, ex.Message, time.GetElapsedTime(started));
        }

        using var owned = directory;
        using var guard = AnsibleRunGuard.Start(directory.Path, options.Value.SetsidPath);
        var paths = new AnsibleRunPaths(directory.Path);
        AnsibleKeyAgent? agent = null;
        try
        {
            try
            {
                agent = await PrepareAsync(directory, paths, request, hosts, pins, stop.Token).ConfigureAwait(false);
                sandbox.HandOver(paths.Root);
            }
            catch (InvalidOperationException ex)
            {
                return new AnsibleRunResult(AnsibleRunOutcome.NotStarted, null, null, leftOut, ex.Message, time.GetElapsedTime(started));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return Stopped(timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested, null, null, leftOut, started);
            }

            return await ExecuteAsync(request, paths, agent, observer, scrubber, leftOut, started, timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            agent?.Dispose();
            if (!sandbox.Enabled)
            {
                // In the sandbox the masters die with its PID namespace when the playbook ends; only unsandboxed
                // runs leave detached masters behind.
                await AnsibleControlMasters.CloseAsync(paths.ControlSockets, options.Value.SshPath, time).ConfigureAwait(false);
            }
        }
    }

    private async Task<AnsibleKeyAgent?> PrepareAsync(
        AnsibleRunDirectory directory, AnsibleRunPaths paths, AnsibleRunRequest request, List<AnsibleHost> hosts, Dictionary<string, Clusters.HostKeyPin> pins, CancellationToken cancellationToken)
    {
        directory.Folder("callback_plugins");
        directory.Folder("tmp");
        directory.Folder("home");
        directory.Folder("roles");
        directory.Folder("cp");
        directory.WriteFile(Path.Combine("callback_plugins", AnsibleConfigFile.CallbackName + ".py"), CallbackPlugin.Value);

        var knownHosts = new StringBuilder();
        for (var i = 0; i < hosts.Count; i++)
        {
            var pin = pins[hosts[i].Name];
            knownHosts.Append(AnsibleInventory.HostKeyAlias(i)).Append(' ').Append(pin.KeyType).Append(' ').Append(pin.PublicKey).Append('\n');
        }

        directory.WriteFile("known_hosts", knownHosts.ToString());
        var credential = request.Credential;
        var allVars = new JsonObject
        {
            ["ansible_connection"] = "ssh",
            // Tags every module process (and what it starts) on the node with the run, through the environment of the
            // interpreter itself, so a stop finds them even where sshd accepts no environment variables (AnsibleRemoteStop).
            ["ansible_python_interpreter"] = AnsibleRemoteStop.TaggedInterpreter(request.RunTag),
        };
        AnsibleKeyAgent? agent = null;
        if (credential.AuthType == CredentialAuthType.PrivateKey)
        {
            if (string.IsNullOrEmpty(credential.PrivateKey))
            {
                throw new InvalidOperationException("凭据没有私钥");
            }

            var key = credential.PrivateKey.Replace("\r\n", "\n", StringComparison.Ordinal);
            directory.WriteFile("id_key", key.EndsWith('\n') ? key : key + "\n");
            if (string.IsNullOrEmpty(credential.Passphrase))
            {
                allVars["ansible_ssh_private_key_file"] = paths.PrivateKey;
            }
            else
            {
                agent = await AnsibleKeyAgent.StartAsync(directory, paths, sandbox, credential.Passphrase, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            if (string.IsNullOrEmpty(credential.Password))
            {
                throw new InvalidOperationException("凭据没有密码");
            }

            // The password goes to a 0600 vars file, marked unsafe so it is never templated; Ansible hands it to
            // sshpass through a pipe, never on a command line.
            directory.WriteFile("connection_vars.json", new JsonObject
            {
                ["ansible_password"] = AnsibleExtraVars.Unsafe(credential.Password),
                ["ansible_become_password"] = AnsibleExtraVars.Unsafe(credential.Password),
            }.ToJsonString());
        }

        directory.WriteFile("inventory.json", AnsibleInventory.Build(request.ClusterName, hosts, credential.Username, allVars).ToJsonString());
        if (request.ExtraVars is { Count: > 0 })
        {
            directory.WriteFile("extra_vars.json", AnsibleExtraVars.ToUnsafe(request.ExtraVars)!.ToJsonString());
        }

        directory.WriteFile("playbook.yml", request.Playbook);
        directory.WriteFile("events.jsonl", "");
        directory.WriteFile("ansible.cfg", AnsibleConfigFile.Build(paths, request.RunTag, request.Forks, sshOptions.Value.ConnectTimeoutSeconds, agent is not null));
        return agent;
    }

    private async Task<AnsibleRunResult> ExecuteAsync(
        AnsibleRunRequest request,
        AnsibleRunPaths paths,
        AnsibleKeyAgent? agent,
        IAnsibleRunObserver observer,
        SecretScrubber scrubber,
        Dictionary<string, AnsibleHostFailure> leftOut,
        long started,
        CancellationTokenSource timeout,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var arguments = new List<string>();
        if (File.Exists(paths.ConnectionVars))
        {
            arguments.AddRange(["-e", "@" + paths.ConnectionVars]);
        }

        if (File.Exists(paths.ExtraVars))
        {
            arguments.AddRange(["-e", "@" + paths.ExtraVars]);
        }

        arguments.AddRange(request.Arguments.ToCommandLine());
        arguments.Add(paths.Playbook);

        AnsibleProcessGroup group;
        try
        {
            var command = sandbox.Command(request.BinaryPath, arguments, paths.Root);
            group = AnsibleProcessGroup.Start(settings.SetsidPath, command.FileName, command.Arguments, paths.Root, Environment(paths, agent, request.BinaryPath, sandbox.Enabled));
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            Log.StartFailed(logger, request.BinaryPath, ex.Message);
            return new AnsibleRunResult(AnsibleRunOutcome.NotStarted, null, null, leftOut, $"无法启动 ansible-playbook ({request.BinaryPath})", time.GetElapsedTime(started));
        }

        using (group)
        {
            Log.Started(logger, group.GroupId, request.Hosts.Count);
            var errors = new AnsibleErrorLines();
            var stdout = PumpAsync(group.Process.StandardOutput, observer, scrubber, null);
            var stderr = PumpAsync(group.Process.StandardError, observer, scrubber, errors);
            using var tail = new AnsibleEventTail(paths.Events);
            IReadOnlyDictionary<string, AnsibleHostRecap>? recap = null;
            var unreachable = new HashSet<string>(StringComparer.Ordinal);
            void Drain()
            {
                foreach (var runEvent in tail.ReadNew())
                {
                    var clean = scrubber.Scrub(runEvent);
                    if (clean.Pgid is not null)
                    {
                        // The plugin sees its group from inside the sandbox's PID namespace; outside, it is the group
                        // NodeOps started and signals.
                        clean = clean with { Pgid = group.GroupId };
                    }

                    if (clean.Event == AnsibleEvent.Stats)
                    {
                        recap = clean.Hosts;
                    }
                    else if (clean is { Event: AnsibleEvent.HostResult, Status: "unreachable", Host: { } host })
                    {
                        unreachable.Add(host);
                    }

                    observer.OnEvent(clean);
                }
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var exit = group.Process.WaitForExitAsync(CancellationToken.None);
            var stopped = false;
            IReadOnlyDictionary<string, string> unconfirmed = new Dictionary<string, string>();
            while (!exit.IsCompleted)
            {
                try
                {
                    await Task.WhenAny(exit, Task.Delay(settings.EventPollInterval, time, stop.Token)).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }

                Drain();
                if (stop.IsCancellationRequested && !exit.IsCompleted)
                {
                    stopped = true;
                    Log.Stopping(logger, group.GroupId, timeout.IsCancellationRequested ? "timeout" : "stop");
                    await group.StopAsync(settings.StopGrace, time).ConfigureAwait(false);
                    unconfirmed = await remoteStop.StopAsync(request, CancellationToken.None).ConfigureAwait(false);
                    break;
                }
            }

            await exit.ConfigureAwait(false);
            // Workers or ssh clients left in the group after the controller exited (normally none).
            group.KillRemaining();
            await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(5), time, CancellationToken.None)).ConfigureAwait(false);
            Drain();
            if (tail.Skipped > 0)
            {
                Log.EventsSkipped(logger, tail.Skipped);
            }

            var exitCode = group.Process.ExitCode;
            if (stopped)
            {
                return Stopped(timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested, exitCode, recap, leftOut, started) with { StopUnconfirmed = unconfirmed };
            }

            string? error = null;
            if (recap is null)
            {
                var reason = errors.Summary();
                error = string.Create(CultureInfo.InvariantCulture, $"ansible-playbook 退出码 {exitCode}") + (reason.Length > 0 ? ": " + Truncate(reason, 500) : "");
            }

            // Ansible's own message for an unreachable host is often generic (with pipelining, a failed connection
            // shows as "Data could not be sent"); the SSH runner's pool tells a changed host key from a refused login
            // from a closed port.
            var diagnosed = unreachable.Count == 0 ? new Dictionary<string, AnsibleHostFailure>() : await hostKeys.DiagnoseAsync(
                request.ClusterName, request.Hosts.Where(h => unreachable.Contains(h.Name)).ToList(), request.Credential, cancellationToken).ConfigureAwait(false);
            return new AnsibleRunResult(AnsibleRunOutcome.Exited, exitCode, recap, leftOut, error, time.GetElapsedTime(started)) { Unreachable = diagnosed };
        }
    }

    /// <summary>
    /// The run's whole environment, from an allow-list: nothing of the server's own (Secrets__*, Auth__*, storage
    /// connection strings, provider keys) reaches the playbook, whose lookups could read it.
    /// </summary>
    private static Dictionary<string, string?> Environment(AnsibleRunPaths paths, AnsibleKeyAgent? agent, string binaryPath, bool sandboxed)
    {
        var path = Processes.BoundedProcess.SystemPath;
        if (Path.GetDirectoryName(binaryPath) is { Length: > 0 } binaryFolder && !path.Split(':').Contains(binaryFolder))
        {
            path = binaryFolder + ":" + path;
        }

        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["PATH"] = path,
            ["HOME"] = paths.Home,
            ["TMPDIR"] = paths.LocalTemp,
            ["LANG"] = "C.UTF-8",
            ["LC_ALL"] = "C.UTF-8",
            ["PYTHONUNBUFFERED"] = "1",
            ["PYTHONDONTWRITEBYTECODE"] = "1",
            ["ANSIBLE_CONFIG"] = paths.Config,
            ["ANSIBLE_HOST_KEY_CHECKING"] = "True",
            ["ANSIBLE_LOCAL_TEMP"] = paths.LocalTemp,
            ["ANSIBLE_REMOTE_TEMP"] = "~/.ansible/tmp",
            ["ANSIBLE_NOCOLOR"] = "1",
            ["ANSIBLE_FORCE_COLOR"] = "0",
            ["NODEOPS_EVENTS_FILE"] = paths.Events,
            ["NODEOPS_RUN_DIR"] = paths.Root,
        };
        if (!sandboxed)
        {
            // Unsandboxed, the callback plugin watches NodeOps itself and cleans up should it die; in the sandbox
            // (its own PID namespace, where this PID means nothing) bwrap's --die-with-parent does that.
            environment["NODEOPS_PARENT_PID"] = System.Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        }

        if (agent is not null)
        {
            environment["SSH_AUTH_SOCK"] = agent.Socket;
        }

        return environment;
    }

    /// <summary>Passes output on line by line (long lines in pieces), scrubbed; stderr lines are also kept for the error summary.</summary>
    private static async Task PumpAsync(StreamReader reader, IAnsibleRunObserver observer, SecretScrubber scrubber, AnsibleErrorLines? errors)
    {
        var buffer = new char[4096];
        var line = new StringBuilder();
        void Flush()
        {
            var text = scrubber.Scrub(line.ToString());
            line.Clear();
            observer.OnOutput(text + "\n");
            errors?.Add(text);
        }

        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    var c = buffer[i];
                    if (c == '\n')
                    {
                        Flush();
                    }
                    else if (c != '\r')
                    {
                        line.Append(c);
                        if (line.Length >= MaxLineChars)
                        {
                            Flush();
                        }
                    }
                }
            }

            if (line.Length > 0)
            {
                Flush();
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private AnsibleRunResult NotStarted(long started, string error) =>
        new(AnsibleRunOutcome.NotStarted, null, null, new Dictionary<string, AnsibleHostFailure>(), error, time.GetElapsedTime(started));

    private AnsibleRunResult Stopped(bool timedOut, int? exitCode, IReadOnlyDictionary<string, AnsibleHostRecap>? recap, IReadOnlyDictionary<string, AnsibleHostFailure> leftOut, long started) =>
        new(timedOut ? AnsibleRunOutcome.TimedOut : AnsibleRunOutcome.Stopped, exitCode, recap, leftOut,
            timedOut ? "执行超时，已终止 ansible-playbook 进程组" : "已停止，ansible-playbook 进程组已终止", time.GetElapsedTime(started));

    private static string Truncate(string text, int max) => text.Length > max ? text[..max] + "..." : text;

    private static readonly Lazy<string> CallbackPlugin = new(() =>
    {
        using var stream = typeof(AnsiblePlaybookRunner).Assembly.GetManifestResourceStream(CallbackResource)
            ?? throw new InvalidOperationException($"The callback plugin resource {CallbackResource} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    /// <summary>Replaces the credential's secrets wherever they appear in output or event text.</summary>
    private sealed class SecretScrubber(SshCredential credential)
    {
        private const string Mask = "********";
        private readonly string[] _secrets = new[] { credential.Password, credential.Passphrase }
            .Where(s => s is { Length: >= 3 }).Select(s => s!).Distinct(StringComparer.Ordinal).ToArray();

        public string Scrub(string text)
        {
            foreach (var secret in _secrets)
            {
                if (text.Contains(secret, StringComparison.Ordinal))
                {
                    text = text.Replace(secret, Mask, StringComparison.Ordinal);
                }
            }

            return text;
        }

        public AnsibleEvent Scrub(AnsibleEvent runEvent) => _secrets.Length == 0 ? runEvent : runEvent with
        {
            Message = runEvent.Message is null ? null : Scrub(runEvent.Message),
            Task = runEvent.Task is null ? null : Scrub(runEvent.Task),
            Play = runEvent.Play is null ? null : Scrub(runEvent.Play),
        };
    }
}
