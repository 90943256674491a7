using System.Globalization;
using System.Text.Json.Nodes;

namespace NodeOps.Tests.TestBed;

/// <summary>
/// Server-side printing: the meta.k8s.io/v1 Table that kubectl asks for when it prints human-readable output,
/// with the columns the real API server uses for each type (wide-only columns at priority 1).
/// </summary>
internal static class FakeKubeApiServerTables
{
    public static JsonObject Render(FakeKubeResource resource, IReadOnlyList<JsonObject> objects, DateTimeOffset now, bool includeFullObject, string resourceVersion)
    {
        var (columns, cells) = Columns(resource, now);
        var definitions = new JsonArray();
        foreach (var (name, type, priority) in columns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = name,
                ["type"] = type,
                ["format"] = name == "Name" ? "name" : "",
                ["description"] = "",
                ["priority"] = priority,
            });
        }

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cellArray = new JsonArray();
            foreach (var cell in cells(obj))
            {
                cellArray.Add(cell);
            }

            rows.Add(new JsonObject
            {
                ["cells"] = cellArray,
                ["object"] = includeFullObject
                    ? obj.DeepClone()
                    : new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = obj["metadata"]!.DeepClone(),
                    },
            });
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    private static ((string Name, string Type, int Priority)[] Columns, Func<JsonObject, JsonNode?[]> Cells) Columns(FakeKubeResource resource, DateTimeOffset now)
    {
        if (resource == FakeKubeApiServerResources.Nodes)
        {
            return (
                [("Name", "string", 0), ("Status", "string", 0), ("Roles", "string", 0), ("Age", "string", 0), ("Version", "string", 0),
                 ("Internal-IP", "string", 1), ("External-IP", "string", 1), ("OS-Image", "string", 1), ("Kernel-Version", "string", 1), ("Container-Runtime", "string", 1)],
                n => [Name(n), NodeStatus(n), NodeRoles(n), Age(n, now), Text(n, "status", "nodeInfo", "kubeletVersion"),
                      Address(n, "InternalIP"), Address(n, "ExternalIP"), Text(n, "status", "nodeInfo", "osImage"),
                      Text(n, "status", "nodeInfo", "kernelVersion"), Text(n, "status", "nodeInfo", "containerRuntimeVersion")]);
        }

        if (resource == FakeKubeApiServerResources.Pods)
        {
            return (
                [("Name", "string", 0), ("Ready", "string", 0), ("Status", "string", 0), ("Restarts", "string", 0), ("Age", "string", 0),
                 ("IP", "string", 1), ("Node", "string", 1), ("Nominated Node", "string", 1), ("Readiness Gates", "string", 1)],
                p => [Name(p), PodReady(p), PodStatus(p), PodRestarts(p), Age(p, now),
                      Text(p, "status", "podIP") is { } ip && ip.GetValue<string>().Length > 0 ? ip : "<none>",
                      Text(p, "spec", "nodeName") is { } node && node.GetValue<string>().Length > 0 ? node : "<none>", "<none>", "<none>"]);
        }

        if (resource == FakeKubeApiServerResources.Namespaces)
        {
            return ([("Name", "string", 0), ("Status", "string", 0), ("Age", "string", 0)],
                ns => [Name(ns), Text(ns, "status", "phase"), Age(ns, now)]);
        }

        if (resource == FakeKubeApiServerResources.Events)
        {
            return (
                [("Last Seen", "string", 0), ("Type", "string", 0), ("Reason", "string", 0), ("Object", "string", 0), ("Message", "string", 0)],
                e => [Since(e["lastTimestamp"]?.GetValue<string>(), now), Text(e, "type"), Text(e, "reason"),
                      $"{e["involvedObject"]?["kind"]?.GetValue<string>()?.ToLowerInvariant()}/{e["involvedObject"]?["name"]?.GetValue<string>()}", Text(e, "message")]);
        }

        if (resource == FakeKubeApiServerResources.PodDisruptionBudgets)
        {
            return (
                [("Name", "string", 0), ("Min Available", "string", 0), ("Max Unavailable", "string", 0), ("Allowed Disruptions", "integer", 0), ("Age", "string", 0)],
                b => [Name(b), b["spec"]?["minAvailable"]?.ToString() ?? "N/A", b["spec"]?["maxUnavailable"]?.ToString() ?? "N/A", 0, Age(b, now)]);
        }

        return ([("Name", "string", 0), ("Age", "string", 0)], o => [Name(o), Age(o, now)]);
    }

    private static JsonNode? Name(JsonObject o) => o["metadata"]?["name"]?.DeepClone();

    private static JsonNode? Text(JsonObject o, params string[] path)
    {
        JsonNode? node = o;
        foreach (var segment in path)
        {
            node = node?[segment];
        }

        return node is JsonValue ? node.DeepClone() : "";
    }

    private static JsonNode Age(JsonObject o, DateTimeOffset now) => Since(o["metadata"]?["creationTimestamp"]?.GetValue<string>(), now);

    /// <summary>The API server's short duration: "45s", "12m", "3h", "5d".</summary>
    private static JsonNode Since(string? stamp, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return "<unknown>";
        }

        var age = now - at;
        return age.TotalSeconds < 0 ? "0s"
            : age.TotalMinutes < 2 ? $"{(int)age.TotalSeconds}s"
            : age.TotalHours < 2 ? $"{(int)age.TotalMinutes}m"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    private static JsonNode NodeStatus(JsonObject node)
    {
        var ready = (node["status"]?["conditions"] as JsonArray)?
            .FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready")?["status"]?.GetValue<string>();
        var status = ready == "True" ? "Ready" : "NotReady";
        return node["spec"]?["unschedulable"]?.GetValue<bool>() == true ? status + ",SchedulingDisabled" : status;
    }

    private static JsonNode NodeRoles(JsonObject node)
    {
        var roles = (node["metadata"]?["labels"] as JsonObject)?
            .Select(kv => kv.Key)
            .Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
            .Select(k => k["node-role.kubernetes.io/".Length..])
            .ToList() ?? [];
        return roles.Count == 0 ? "<none>" : string.Join(',', roles);
    }

    private static JsonNode Address(JsonObject node, string type) =>
        (node["status"]?["addresses"] as JsonArray)?.FirstOrDefault(a => a?["type"]?.GetValue<string>() == type)?["address"]?.GetValue<string>() ?? "<none>";

    private static JsonNode PodReady(JsonObject pod)
    {
        var statuses = pod["status"]?["containerStatuses"] as JsonArray ?? [];
        var total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? statuses.Count;
        var ready = statuses.Count(s => s?["ready"]?.GetValue<bool>() == true);
        return $"{ready}/{total}";
    }

    private static JsonNode PodStatus(JsonObject pod)
    {
        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            return "Terminating";
        }

        var waiting = (pod["status"]?["containerStatuses"] as JsonArray)?
            .Select(s => s?["state"]?["waiting"]?["reason"]?.GetValue<string>())
            .FirstOrDefault(r => r is not null);
        return waiting ?? pod["status"]?["phase"]?.GetValue<string>() ?? "Unknown";
    }

    private static JsonNode PodRestarts(JsonObject pod) =>
        ((pod["status"]?["containerStatuses"] as JsonArray)?.Sum(s => s?["restartCount"]?.GetValue<int>() ?? 0) ?? 0).ToString(CultureInfo.InvariantCulture);
}
