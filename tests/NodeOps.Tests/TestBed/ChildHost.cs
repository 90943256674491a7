using NodeOps.Functions.Hosting;

namespace NodeOps.Tests.TestBed;

/// <summary>
/// The test assembly's entry point, so a test can run NodeOps as a separate OS process (and kill it):
/// <c>dotnet NodeOps.Tests.dll --fixture-catalog FILE --Host:Url=... --Host:DataPath=...</c>. The process hosts the
/// real application with the in-test catalog read from FILE. The test runner never calls this.
/// </summary>
public static class ChildHost
{
    public const string CatalogSwitch = "--fixture-catalog";

    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var at = Array.IndexOf(args, CatalogSwitch);
        if (at < 0 || at + 1 >= args.Length)
        {
            Console.Error.WriteLine($"usage: NodeOps.Tests {CatalogSwitch} FILE [--Section:Key=value ...]");
            return 2;
        }

        var catalog = FixtureCatalog.Load(args[at + 1]);
        var rest = args.Where((_, i) => i != at && i != at + 1).ToArray();
        NodeOpsApp.Create(rest, catalog.Register).Run();
        return 0;
    }
}
