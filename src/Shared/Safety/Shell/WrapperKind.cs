namespace NodeOps.Safety.Shell;

/// <summary>How a command runs the command it names in its arguments.</summary>
internal enum WrapperKind
{
    /// <summary>Runs nothing else (or names nothing to run).</summary>
    None,

    /// <summary>Changes only the context and then runs its argument words as a command (sudo, env, nice, timeout...).</summary>
    Transparent,

    /// <summary>Runs commands taken from its input or a string (xargs, find -exec, bash -c, eval, ssh, python -c...).</summary>
    Delegating,
}
