namespace StreamingBeam.Snippets.Tests.Harness;

internal static class RepositoryRoot
{
    /// <summary>Finds the folder that holds StreamingBeam.sln, above the test's output folder.</summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StreamingBeam.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No StreamingBeam.sln above {AppContext.BaseDirectory}.");
    }
}
