namespace NodeOps.Workflows;

/// <summary>
/// The dependency graph of a workflow's steps (an edge runs from a step to each step it depends on). Steps without
/// an id, duplicate ids and dependencies on unknown ids are ignored here; the validator reports those separately.
/// </summary>
public static class WorkflowGraph
{
    /// <summary>Every distinct cycle, as the ids along it with the first repeated at the end ("a", "b", "a").</summary>
    public static IReadOnlyList<IReadOnlyList<string>> FindCycles(IReadOnlyList<WorkflowStep?> steps)
    {
        var edges = Edges(steps);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // absent: unvisited, 1: on the path, 2: done
        var path = new List<string>();
        var cycles = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Visit(string id)
        {
            state[id] = 1;
            path.Add(id);
            foreach (var next in edges[id])
            {
                if (!state.TryGetValue(next, out var s))
                {
                    Visit(next);
                }
                else if (s == 1)
                {
                    var cycle = path.Skip(path.IndexOf(next)).Append(next).ToList();
                    if (seen.Add(string.Join('\n', cycle.Skip(1).Order(StringComparer.Ordinal))))
                    {
                        cycles.Add(cycle);
                    }
                }
            }

            path.RemoveAt(path.Count - 1);
            state[id] = 2;
        }

        foreach (var id in edges.Keys)
        {
            if (!state.ContainsKey(id))
            {
                Visit(id);
            }
        }

        return cycles;
    }

    /// <summary>Step ids in an order where every step follows all of its dependencies (ties keep definition order).</summary>
    /// <exception cref="InvalidOperationException">The steps form a cycle.</exception>
    public static IReadOnlyList<string> TopologicalOrder(IReadOnlyList<WorkflowStep?> steps)
    {
        var edges = Edges(steps);
        var remaining = edges.ToDictionary(e => e.Key, e => e.Value.Count, StringComparer.Ordinal);
        var dependents = edges.Keys.ToDictionary(k => k, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var (id, dependencies) in edges)
        {
            foreach (var dependency in dependencies)
            {
                dependents[dependency].Add(id);
            }
        }

        var order = new List<string>(edges.Count);
        var ready = new Queue<string>(edges.Keys.Where(k => remaining[k] == 0));
        while (ready.TryDequeue(out var id))
        {
            order.Add(id);
            foreach (var dependent in dependents[id])
            {
                if (--remaining[dependent] == 0)
                {
                    ready.Enqueue(dependent);
                }
            }
        }

        return order.Count == edges.Count ? order : throw new InvalidOperationException("The workflow's steps form a cycle.");
    }

    /// <summary>Each known id's distinct, known dependencies, in definition order.</summary>
    private static Dictionary<string, List<string>> Edges(IReadOnlyList<WorkflowStep?> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            if (step?.Id is { Length: > 0 } id)
            {
                edges.TryAdd(id, []);
            }
        }

        var filled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            if (step?.Id is not { Length: > 0 } id || !filled.Add(id))
            {
                continue;
            }

            foreach (var dependency in step.Dependencies)
            {
                if (dependency is not null && edges.ContainsKey(dependency) && !edges[id].Contains(dependency, StringComparer.Ordinal))
                {
                    edges[id].Add(dependency);
                }
            }
        }

        return edges;
    }
}
