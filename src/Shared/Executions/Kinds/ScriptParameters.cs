using NodeOps.Catalog;
using NodeOps.Errors;
using NodeOps.Runners.Ssh;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// The values a script run gets: what the request gave, then the script's declared defaults. A required parameter
/// with neither is a 400 naming it; a name that is not a shell identifier or a value with a NUL is a 400 too.
/// </summary>
public static class ScriptParameters
{
    public const int MaxValueLength = 64 * 1024;

    public static IReadOnlyDictionary<string, string> Resolve(ScriptSnapshot script, IReadOnlyDictionary<string, string>? provided)
    {
        ArgumentNullException.ThrowIfNull(script);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in provided ?? new Dictionary<string, string>())
        {
            if (!ShellQuoting.IsValidVariableName(name))
            {
                throw NodeOpsException.BadRequest($"parameters.{name}", $"参数名 {name} 必须是字母、数字和下划线组成的标识符，且不能以数字开头");
            }

            if (value.Contains('\0', StringComparison.Ordinal) || value.Length > MaxValueLength)
            {
                throw NodeOpsException.BadRequest($"parameters.{name}", $"参数 {name} 的值无效 (不能包含 NUL，最长 {MaxValueLength} 字符)");
            }

            values[name] = value;
        }

        var missing = new List<string>();
        foreach (var parameter in script.Parameters)
        {
            if (values.ContainsKey(parameter.Name))
            {
                continue;
            }

            if (parameter.Default is not null)
            {
                values[parameter.Name] = parameter.Default;
            }
            else if (parameter.Required)
            {
                missing.Add(parameter.Name);
            }
        }

        if (missing.Count > 0)
        {
            throw new NodeOpsException(ErrorKind.BadRequest, "缺少必需参数: " + string.Join(", ", missing), "parameters")
            {
                Details = missing.Select(m => new FieldError($"parameters.{m}", "必需参数")).ToList(),
            };
        }

        return values;
    }
}
