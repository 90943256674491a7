using System.Text.RegularExpressions;
using NodeOps.Errors;

namespace NodeOps.Catalog;

/// <summary>
/// Script parameters reach the script as environment variables, so their names must be valid variable names, and
/// must not be names that change how the shell or interpreter itself starts (a "parameter" called LD_PRELOAD or
/// BASH_ENV would run code the script's author never wrote).
/// </summary>
public static partial class ScriptParameterRules
{
    public const int MaxParameters = 50;
    public const int MaxNameLength = 64;
    public const int MaxDescriptionLength = 500;
    public const int MaxDefaultLength = 4096;

    private static readonly HashSet<string> ReservedNames = new(StringComparer.Ordinal)
    {
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "PWD", "OLDPWD", "IFS", "ENV", "BASH_ENV", "BASHOPTS", "SHELLOPTS",
        "PS1", "PS2", "PS4", "PROMPT_COMMAND", "CDPATH", "GLOBIGNORE", "TMPDIR", "PERL5LIB", "PERL5OPT", "NODE_OPTIONS",
        "RUBYOPT", "TERM", "MAIL",
    };

    private static readonly string[] ReservedPrefixes = ["LD_", "DYLD_", "PYTHON", "BASH_FUNC_", "SSH_", "NODEOPS_"];

    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && NameRegex().IsMatch(name) && !IsReserved(name);

    public static void Check(IReadOnlyList<ScriptParameter>? parameters, List<FieldError> errors, string field = "parameters")
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (parameters is null)
        {
            return;
        }

        if (parameters.Count > MaxParameters)
        {
            errors.Add(new FieldError(field, $"最多 {MaxParameters} 个参数"));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            var at = $"{field}[{i}]";
            if (parameter is null)
            {
                errors.Add(new FieldError(at, "参数不能为 null"));
                continue;
            }

            if (string.IsNullOrEmpty(parameter.Name) || parameter.Name.Length > MaxNameLength || !NameRegex().IsMatch(parameter.Name))
            {
                errors.Add(new FieldError(at + ".name", $"参数名 '{CatalogRules.Printable(parameter.Name ?? "")}' 不是有效的环境变量名 (字母、数字、下划线，不以数字开头，最多 {MaxNameLength} 个字符)"));
            }
            else if (IsReserved(parameter.Name))
            {
                errors.Add(new FieldError(at + ".name", $"参数名 {parameter.Name} 是保留的环境变量名，会改变 shell 或解释器的行为"));
            }
            else if (!seen.Add(parameter.Name))
            {
                errors.Add(new FieldError(at + ".name", $"参数名 {parameter.Name} 重复"));
            }

            if (parameter.Description is { } description
                && (description.Length > MaxDescriptionLength || description.Any(c => char.IsControl(c) && c is not ('\n' or '\t'))))
            {
                errors.Add(new FieldError(at + ".description", $"参数描述最多 {MaxDescriptionLength} 个字符，且不能包含控制字符"));
            }

            if (parameter.Default is { } value && (value.Length > MaxDefaultLength || value.Contains('\0', StringComparison.Ordinal)))
            {
                errors.Add(new FieldError(at + ".default", $"默认值最多 {MaxDefaultLength} 个字符，且不能包含 NUL"));
            }
            else if (parameter.Secret && parameter.Default is not null)
            {
                errors.Add(new FieldError(at + ".default", "secret 参数不能有默认值 (默认值会以明文保存在目录中)"));
            }
        }
    }

    /// <summary>True for names that change how the shell or interpreter starts; refused at declaration and at run time.</summary>
    public static bool IsReserved(string name) =>
        ReservedNames.Contains(name) || ReservedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NameRegex();
}
