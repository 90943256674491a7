using System.Globalization;
using System.Text;
using NodeOps.Runners.Ssh;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// What a script run sends to a node. Plain parameters ride on the remote command line as before; secret ones
/// never do (a command line shows in ps on both machines): they travel on stdin ahead of the script, as bash
/// "export NAME=$'\xHH…'" lines that the script's shell evaluates before the script itself. A Python script is
/// then handed to python3 through a here-document with a random delimiter.
/// </summary>
internal static class ScriptInvocation
{
    public static RemoteInvocation Create(ScriptPayload payload, IReadOnlyDictionary<string, string> secrets)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0)
        {
            return RemoteInvocation.ForScript(payload.Language, payload.Content, payload.Parameters);
        }

        var text = new StringBuilder();
        foreach (var (name, value) in secrets.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (!ShellQuoting.IsValidVariableName(name))
            {
                throw new ArgumentException($"Parameter name '{name}' is not a shell identifier.", nameof(secrets));
            }

            text.Append("export ").Append(name).Append("=$'");
            foreach (var b in Encoding.UTF8.GetBytes(value))
            {
                text.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }

            text.Append("'\n");
        }

        if (RemoteInvocation.IsPython(payload.Language))
        {
            var delimiter = "NODEOPS_PYTHON_" + Guid.NewGuid().ToString("N");
            text.Append("exec python3 - <<'").Append(delimiter).Append("'\n").Append(payload.Content);
            text.Append(payload.Content.EndsWith('\n') ? "" : "\n").Append(delimiter).Append('\n');
        }
        else
        {
            text.Append(payload.Content);
        }

        return RemoteInvocation.ForScript("shell", text.ToString(), payload.Parameters);
    }
}
