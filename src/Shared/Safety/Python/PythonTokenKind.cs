namespace NodeOps.Safety.Python;

internal enum PythonTokenKind
{
    Name,
    String,
    Number,
    Operator,
}
