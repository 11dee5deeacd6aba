using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace StreamingBeam.Snippets.Tests.Harness;

/// <summary>
/// The assemblies a block is compiled against: the .NET reference assemblies, StreamingBeam, and the packages the block
/// names, each with its dependencies.
/// </summary>
/// <remarks>
/// <para>StreamingBeam's own packages come from the packed <c>.nupkg</c> files in <c>artifacts/packages</c> (what a user
/// installs, with the dependencies its nuspec declares) when <c>CI</c> or <c>STREAMINGBEAM_SNIPPETS_FROM_PACKAGES</c> is
/// <c>true</c>; .ci/run packs before it tests. Otherwise they come from this project's references to the src projects,
/// so that a local run never compiles against a stale pack.</para>
/// <para>Every other package comes from this test project's own restore (its deps.json lists each package's assemblies
/// and dependencies), so a block can use only the packages this project references.</para>
/// </remarks>
internal sealed class SnippetReferences
{
    public static readonly string[] OwnPackages = ["StreamingBeam", "StreamingBeam.Extensions.AI", "StreamingBeam.Redis", "StreamingBeam.Testing"];

    private static readonly Lazy<SnippetReferences> Shared = new(() => Create(RepositoryRoot.Find()));

    private readonly Dictionary<string, MetadataReference> _framework;
    private readonly Dictionary<string, Library> _libraries;
    private readonly Dictionary<string, MetadataReference> _byPath = new(StringComparer.Ordinal);

    private SnippetReferences(Dictionary<string, MetadataReference> framework, Dictionary<string, Library> libraries, string origin)
    {
        _framework = framework;
        _libraries = libraries;
        Origin = origin;
    }

    public static SnippetReferences Instance => Shared.Value;

    /// <summary>Gets where StreamingBeam's assemblies come from, for messages.</summary>
    public string Origin { get; }

    public static bool FromPackages =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        || string.Equals(Environment.GetEnvironmentVariable("STREAMINGBEAM_SNIPPETS_FROM_PACKAGES"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets the references for a block that names <paramref name="packages"/> (StreamingBeam is always there).</summary>
    public IReadOnlyList<MetadataReference> For(IEnumerable<string> packages)
    {
        var references = new Dictionary<string, MetadataReference>(_framework, StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>(packages.Prepend("StreamingBeam"));
        while (pending.TryPop(out var id))
        {
            if (!seen.Add(id))
            {
                continue;
            }

            if (!_libraries.TryGetValue(id, out var library))
            {
                throw new InvalidOperationException(
                    $"The package {id} is not one this test project references; add it to StreamingBeam.Snippets.Tests.csproj (and its version to Directory.Packages.props).");
            }

            foreach (var (name, reference) in library.Assemblies)
            {
                references.TryAdd(name, reference); // the framework's own assembly wins over a package's copy
            }

            foreach (var dependency in library.Dependencies)
            {
                pending.Push(dependency);
            }
        }

        return [.. references.Values];
    }

    private static SnippetReferences Create(string root)
    {
        var framework = FrameworkReferences();
        var libraries = new Dictionary<string, Library>(StringComparer.OrdinalIgnoreCase);
        var self = new SnippetReferences(framework, libraries, FromPackages ? Path.Combine(root, "artifacts", "packages") : "the src projects' build output");
        self.ReadDepsJson();
        if (FromPackages)
        {
            foreach (var id in OwnPackages)
            {
                libraries[id] = ReadPackage(Path.Combine(root, "artifacts", "packages"), id);
            }
        }

        return self;
    }

    private void ReadDepsJson()
    {
        var depsFile = Path.Combine(AppContext.BaseDirectory, typeof(SnippetReferences).Assembly.GetName().Name + ".deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        var target = deps.RootElement.GetProperty("targets").EnumerateObject().First().Value;
        foreach (var entry in target.EnumerateObject())
        {
            var name = entry.Name[..entry.Name.IndexOf('/', StringComparison.Ordinal)];
            var dependencies = entry.Value.TryGetProperty("dependencies", out var d) ? d.EnumerateObject().Select(p => p.Name).ToList() : [];
            var assemblies = new List<(string, MetadataReference)>();
            if (entry.Value.TryGetProperty("runtime", out var runtime))
            {
                foreach (var asset in runtime.EnumerateObject())
                {
                    var path = Path.Combine(AppContext.BaseDirectory, Path.GetFileName(asset.Name));
                    if (File.Exists(path))
                    {
                        assemblies.Add((Path.GetFileNameWithoutExtension(path), FromFile(path)));
                    }
                }
            }

            _libraries[name] = new Library(assemblies, dependencies);
        }
    }

    private MetadataReference FromFile(string path)
    {
        if (!_byPath.TryGetValue(path, out var reference))
        {
            reference = MetadataReference.CreateFromFile(path);
            _byPath[path] = reference;
        }

        return reference;
    }

    /// <summary>Reads one of StreamingBeam's packed packages: its net10.0 assembly and its nuspec's dependencies.</summary>
    private static Library ReadPackage(string folder, string id)
    {
        var nupkg = Directory.Exists(folder)
            ? Directory.GetFiles(folder, id + ".*.nupkg")
                .Where(f => char.IsAsciiDigit(Path.GetFileName(f)[(id.Length + 1)..][0]))
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault()
            : null;
        if (nupkg is null)
        {
            throw new InvalidOperationException(
                $"No {id} package in {folder}. Under CI=true the snippets compile against the packed packages: run 'dotnet pack -c Release -o artifacts/packages' first (.ci/run does).");
        }

        using var zip = ZipFile.OpenRead(nupkg);
        var dll = zip.GetEntry($"lib/net10.0/{id}.dll") ?? throw new InvalidOperationException($"{nupkg} has no lib/net10.0/{id}.dll.");
        using var stream = new MemoryStream();
        using (var entry = dll.Open())
        {
            entry.CopyTo(stream);
        }

        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        XDocument nuspec;
        using (var entry = nuspecEntry.Open())
        {
            nuspec = XDocument.Load(entry);
        }

        var dependencies = nuspec.Descendants()
            .Where(e => e.Name.LocalName == "group" && (string?)e.Attribute("targetFramework") == "net10.0")
            .Elements()
            .Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string)e.Attribute("id")!)
            .ToList();
        var reference = MetadataReference.CreateFromImage(stream.ToArray(), filePath: $"{Path.GetFileName(nupkg)}/lib/net10.0/{id}.dll");
        return new Library([(id, reference)], dependencies);
    }

    /// <summary>The reference assemblies of the .NET version the tests run on, from the SDK's targeting pack; the
    /// runtime's own assemblies if there is no targeting pack.</summary>
    private static Dictionary<string, MetadataReference> FrameworkReferences()
    {
        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var version = Environment.Version;
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var refDirectory = Directory.Exists(packs)
            ? Directory.GetDirectories(packs, $"{version.Major}.{version.Minor}.*")
                .Select(d => Path.Combine(d, "ref", $"net{version.Major}.{version.Minor}"))
                .Where(Directory.Exists)
                .OrderByDescending(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(d))), out var v) ? v : new Version())
                .FirstOrDefault()
            : null;
        var files = refDirectory is not null
            ? Directory.GetFiles(refDirectory, "*.dll")
            : ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Where(f => f.StartsWith(runtimeDirectory, StringComparison.Ordinal)).ToArray();
        return files.ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => (MetadataReference)MetadataReference.CreateFromFile(f), StringComparer.OrdinalIgnoreCase);
    }

    private sealed record Library(IReadOnlyList<(string Name, MetadataReference Reference)> Assemblies, IReadOnlyList<string> Dependencies);
}
