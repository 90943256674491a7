using System.Text.Json.Nodes;
using NodeOps.Auth;
using NodeOps.Executions;

namespace NodeOps.Functions.Apis;

/// <summary>Trims what a status or history view shows to the caller, e.g. a script run's parameter values to a viewer.</summary>
internal delegate void ExecutionViewLimit(JsonObject view, ExecutionRecord execution, Actor caller);
