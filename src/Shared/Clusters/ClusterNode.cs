namespace NodeOps.Clusters;

/// <summary>A node of a cluster's static inventory: how to reach it over SSH, and its labels.</summary>
public sealed record ClusterNode(string Name, string Address, int Port, IReadOnlyDictionary<string, string> Labels);
