using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NodeOps.Errors;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// extra_vars: checked at submission, and written for ansible-playbook with every string marked unsafe
/// (Ansible's "__ansible_unsafe" JSON form), so a value reaches the play literally: "{{ lookup('pipe', ...) }}"
/// in a value is text, never a template run on the NodeOps host. Names must be plain variable names, and
/// Ansible's own variables (ansible_*: connection, user, host-key options; magic variables) may not be set.
/// </summary>
public static partial class AnsibleExtraVars
{
    public const string Field = "extra_vars";
    public const int MaxJsonLength = 64 * 1024;
    private const string UnsafeMarker = "__ansible_unsafe";

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "hostvars", "groups", "group_names", "inventory_hostname", "inventory_hostname_short", "inventory_dir", "inventory_file",
        "play_hosts", "playbook_dir", "role_name", "role_path", "omit", "environment", "vars", "item", "lookup", "query",
    };

    public static void Validate(JsonObject? extraVars)
    {
        if (extraVars is null)
        {
            return;
        }

        if (extraVars.ToJsonString().Length > MaxJsonLength)
        {
            throw NodeOpsException.BadRequest(Field, $"extra_vars 最大 {MaxJsonLength / 1024} KiB");
        }

        foreach (var (name, _) in extraVars)
        {
            if (!VariableName().IsMatch(name))
            {
                throw NodeOpsException.BadRequest($"{Field}.{name}", $"extra_vars 的变量名无效: {name} (字母、数字和下划线，不以数字开头)");
            }

            if (name.StartsWith("ansible_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("nodeops_", StringComparison.OrdinalIgnoreCase) || Reserved.Contains(name))
            {
                throw NodeOpsException.BadRequest($"{Field}.{name}", $"extra_vars 不能设置 Ansible 的保留变量: {name}");
            }
        }
    }

    /// <summary>The same values with every string wrapped as unsafe; numbers, booleans and null stay as they are.</summary>
    public static JsonNode? ToUnsafe(JsonNode? value) => value switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, ToUnsafe(p.Value)))),
        JsonArray array => new JsonArray(array.Select(ToUnsafe).ToArray()),
        JsonValue scalar when scalar.TryGetValue<string>(out var text) => Unsafe(text),
        _ => value.DeepClone(),
    };

    public static JsonObject Unsafe(string text) => new() { [UnsafeMarker] = text };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();
}
