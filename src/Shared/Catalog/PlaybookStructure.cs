using NodeOps.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NodeOps.Catalog;

/// <summary>
/// The structural rules for playbook content, checked before any tool runs: it parses as YAML and is a list of
/// plays, each a mapping with <c>hosts</c>. Aliases are never expanded (only top-level nodes are visited), so a
/// "billion laughs" document costs nothing.
/// </summary>
public static class PlaybookStructure
{
    /// <returns>The plays when the structure is sound (for further checks on the same parse), otherwise null.</returns>
    public static YamlSequenceNode? Check(string content, List<FieldError> errors, string field = "content")
    {
        ArgumentNullException.ThrowIfNull(errors);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(content));
        }
        catch (YamlException ex)
        {
            errors.Add(new FieldError(field, $"YAML 解析失败 (第 {ex.Start.Line} 行, 第 {ex.Start.Column} 列): {Reason(ex)}"));
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            errors.Add(new FieldError(field, $"Playbook 必须恰好包含一个 YAML 文档，实际为 {stream.Documents.Count} 个"));
            return null;
        }

        if (stream.Documents[0].RootNode is not YamlSequenceNode plays)
        {
            errors.Add(new FieldError(field, "Playbook 必须是 play 的列表 (YAML 序列)"));
            return null;
        }

        if (plays.Children.Count == 0)
        {
            errors.Add(new FieldError(field, "Playbook 至少需要一个 play"));
            return null;
        }

        for (var i = 0; i < plays.Children.Count; i++)
        {
            var play = plays.Children[i];
            var where = $"第 {i + 1} 个 play (第 {play.Start.Line} 行)";
            if (play is not YamlMappingNode mapping)
            {
                errors.Add(new FieldError(field, $"{where} 必须是映射"));
                continue;
            }

            if (mapping.Children.ContainsKey(new YamlScalarNode("import_playbook")) || mapping.Children.ContainsKey(new YamlScalarNode("ansible.builtin.import_playbook")))
            {
                errors.Add(new FieldError(field, $"{where} 使用了 import_playbook: Playbook 必须自包含"));
                continue;
            }

            if (!mapping.Children.TryGetValue(new YamlScalarNode("hosts"), out var hosts) || hosts is YamlScalarNode { Value: null or "" })
            {
                errors.Add(new FieldError(field, $"{where} 缺少 hosts"));
            }
        }

        return plays;
    }

    /// <summary>YamlDotNet prefixes its messages with both positions; the position is already in ours.</summary>
    private static string Reason(YamlException ex)
    {
        var message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }
}
