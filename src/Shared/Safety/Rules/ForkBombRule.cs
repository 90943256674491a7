using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// A function that starts itself at least twice, at least once in a pipe or in the background, multiplies its
/// processes until the node stops answering: ":(){ :|:&amp; };:" under any name. Defining one is blocked even
/// without the call, because no legitimate operation needs it.
/// </summary>
internal static class ForkBombRule
{
    public static string? Find(ShellScript script)
    {
        foreach (var function in script.Functions)
        {
            var calls = function.Body.Where(c => c.Name == function.Name).ToList();
            if (calls.Count >= 2 && calls.Exists(c => c.RunsConcurrently))
            {
                return function.Source;
            }
        }

        return null;
    }
}
