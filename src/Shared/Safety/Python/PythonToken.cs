namespace NodeOps.Safety.Python;

/// <summary>One Python token; a string token's <see cref="Text"/> is its decoded value.</summary>
internal sealed record PythonToken(PythonTokenKind Kind, string Text, int Start, int End)
{
    public bool IsOperator(string text) => Kind == PythonTokenKind.Operator && Text == text;
}
