namespace NodeOps.Assistant.CustomTools;

/// <summary>Bound from "Assistant:Tools:Custom:&lt;name&gt;": a program the model may run with typed parameters.</summary>
public sealed class CustomToolOptions
{
    public string Description { get; set; } = "";

    /// <summary>
    /// The program and its arguments, never a shell string. An argument that is exactly "{name}" is the slot of
    /// parameter <c>name</c>: the value becomes that one argument, whatever characters it holds; an optional parameter
    /// left out drops its slot. Braces anywhere else are refused at start-up, so nothing is substituted into text.
    /// </summary>
    public List<string> Command { get; set; } = [];

    public Dictionary<string, CustomToolParameterOptions> Parameters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Declared read-only, the tool runs at once; otherwise it is a write (refused in read-only mode, otherwise approved first).</summary>
    public bool ReadOnly { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>One parameter: "string", "integer" or "enum".</summary>
public sealed class CustomToolParameterOptions
{
    public string Type { get; set; } = "string";

    public string Description { get; set; } = "";

    public bool Required { get; set; } = true;

    /// <summary>enum: the allowed values.</summary>
    public List<string> Values { get; set; } = [];

    /// <summary>integer: the allowed range.</summary>
    public long? Minimum { get; set; }

    public long? Maximum { get; set; }

    /// <summary>string: the longest value accepted.</summary>
    public int MaxLength { get; set; } = 256;
}
