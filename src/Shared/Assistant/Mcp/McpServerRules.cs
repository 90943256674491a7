using Microsoft.Extensions.Options;
using NodeOps.Assistant.CustomTools;

namespace NodeOps.Assistant.Mcp;

/// <summary>Start-up checks of "Assistant:Mcp:Servers", each failure naming the setting at fault and what is allowed.</summary>
internal sealed class McpServerRules : IValidateOptions<AssistantOptions>
{
    public ValidateOptionsResult Validate(string? name, AssistantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Mcp.Servers.SelectMany(kv => CheckServer(kv.Key, kv.Value)).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static IEnumerable<string> CheckServer(string server, McpServerOptions definition)
    {
        var at = $"Assistant:Mcp:Servers:{server}";
        if (!CustomToolRules.NamePattern().IsMatch(server))
        {
            yield return $"{at}: a server name is lowercase letters, digits, '-' and '_' (at most 64, starting with a letter); its tools are offered as '{server}.<tool>'.";
        }

        var http = !string.IsNullOrEmpty(definition.Url);
        var stdio = !string.IsNullOrEmpty(definition.Command);
        if (http == stdio)
        {
            yield return $"{at}: set either Command (stdio) or Url (streamable HTTP), not both.";
        }
        else if (stdio && !Path.IsPathRooted(definition.Command))
        {
            yield return $"{at}:Command must be the program's absolute path (e.g. /usr/bin/npx).";
        }
        else if (http && !(Uri.TryCreate(definition.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            yield return $"{at}:Url must be an absolute http or https URL.";
        }

        if (!http && !string.IsNullOrEmpty(definition.BearerToken))
        {
            yield return $"{at}:BearerToken applies to a Url server only.";
        }
    }
}
