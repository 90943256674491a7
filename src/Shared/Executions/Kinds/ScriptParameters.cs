using NodeOps.Catalog;
using NodeOps.Errors;
using NodeOps.Runners.Ssh;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// The values a script run gets: what the request gave, then the script's declared defaults. Only declared names
/// are accepted, because each one becomes an environment variable of the script: an undeclared "LD_PRELOAD" or
/// "BASH_ENV" would run code the script's author never wrote. Names the catalog refuses at declaration are refused
/// here too, even when a stored declaration holds one. Every problem is a 400 naming the parameter.
/// </summary>
public static class ScriptParameters
{
    public const int MaxValueLength = 64 * 1024;

    public static IReadOnlyDictionary<string, string> Resolve(ScriptSnapshot script, IReadOnlyDictionary<string, string>? provided)
    {
        ArgumentNullException.ThrowIfNull(script);
        var declared = script.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var errors = new List<FieldError>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in provided ?? new Dictionary<string, string>())
        {
            if (!ShellQuoting.IsValidVariableName(name))
            {
                errors.Add(new FieldError($"parameters.{name}", $"参数名 {name} 必须是字母、数字和下划线组成的标识符，且不能以数字开头"));
            }
            else if (!declared.Contains(name))
            {
                var known = declared.Count == 0 ? "脚本没有声明任何参数" : "已声明: " + string.Join(", ", declared.Order(StringComparer.Ordinal));
                errors.Add(new FieldError($"parameters.{name}", $"脚本 {script.Name} 没有声明参数 {name} ({known})"));
            }
            else if (value is null || value.Contains('\0', StringComparison.Ordinal) || value.Length > MaxValueLength)
            {
                errors.Add(new FieldError($"parameters.{name}", $"参数 {name} 的值无效 (不能为 null 或包含 NUL，最长 {MaxValueLength} 字符)"));
            }
            else
            {
                values[name] = value;
            }
        }

        var missing = new List<string>();
        foreach (var parameter in script.Parameters)
        {
            if (values.ContainsKey(parameter.Name) || provided?.ContainsKey(parameter.Name) == true)
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

        // A declaration stored before these names were refused (or written around the catalog) must not reach the node.
        foreach (var name in values.Keys.Where(n => !ScriptParameterRules.IsValidName(n)).ToList())
        {
            errors.Add(new FieldError($"parameters.{name}", $"参数名 {name} 是保留或无效的环境变量名，会改变 shell 或解释器的行为"));
        }

        NodeOpsException.ThrowIfAny(errors, ErrorKind.BadRequest);
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
