using System.Text.Json.Nodes;
using NodeOps.Catalog;
using NodeOps.Secrets;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// Secret script parameters: their values are encrypted into the execution payload at submission, opened only when
/// the node command is built, and shown everywhere else as <see cref="Mask"/>.
/// </summary>
public static class ScriptSecrets
{
    public const string Mask = "******";

    public static ScriptPayload CreatePayload(ScriptSnapshot script, IReadOnlyDictionary<string, string> values, ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(protector);
        var secret = SecretNames(script);
        var plain = values.Where(v => !secret.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        var sealedValues = values.Where(v => secret.Contains(v.Key)).ToDictionary(v => v.Key, v => protector.Protect(v.Value, Purpose(v.Key)), StringComparer.Ordinal);
        return new ScriptPayload(script.Id, script.Name, script.Version, script.Language, script.Content, plain, sealedValues.Count == 0 ? null : sealedValues);
    }

    /// <summary>The parameters as status and history show them: secret values masked.</summary>
    public static JsonObject Shown(ScriptSnapshot script, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var secret = SecretNames(script);
        return new JsonObject(values
            .OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => KeyValuePair.Create(v.Key, (JsonNode?)JsonValue.Create(secret.Contains(v.Key) ? Mask : v.Value))));
    }

    /// <summary>The parameters for someone who may see names only: every value masked.</summary>
    public static void MaskAll(JsonObject parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var name in parameters.Select(p => p.Key).ToList())
        {
            parameters[name] = Mask;
        }
    }

    /// <summary>Opens the payload's secret values; only the command builder and the output mask call it.</summary>
    public static IReadOnlyDictionary<string, string> Open(ScriptPayload payload, ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(protector);
        return (payload.ProtectedParameters ?? new Dictionary<string, string>())
            .ToDictionary(p => p.Key, p => protector.Unprotect(p.Value, Purpose(p.Key)), StringComparer.Ordinal);
    }

    /// <summary>Replaces every occurrence of a secret value in node output.</summary>
    public static string Redact(string output, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(secrets);
        foreach (var value in secrets.Where(s => s.Length > 0).OrderByDescending(s => s.Length))
        {
            output = output.Replace(value, Mask, StringComparison.Ordinal);
        }

        return output;
    }

    private static HashSet<string> SecretNames(ScriptSnapshot script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return script.Parameters.Where(p => p.Secret).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The parameter's name is bound into the ciphertext, so one value cannot be replayed as another.</summary>
    private static string Purpose(string name) => "script-parameter:" + name;
}
