using System.Reflection;

namespace PrintFlow.ServiceDefaults.Migrations;

/// <summary>
/// The migration scripts a service ships in its own assembly: <c>Data/Migrations/{Sqlite|Postgres}/NNNN_name.sql</c>,
/// embedded as <c>migrations/{provider}/NNNN_name.sql</c> by src/Services/Directory.Build.targets; a building block's
/// stream is embedded as <c>migrations/{stream}/{provider}/NNNN_name.sql</c>.
/// </summary>
public static class EmbeddedMigrations
{
    public const string Prefix = "migrations/";

    public static IReadOnlyList<MigrationScript> Load(Assembly assembly, DatabaseProvider provider, string? stream = null)
    {
        var folder = stream is null ? $"{Prefix}{provider}/" : $"{Prefix}{stream}/{provider}/";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var name = resource.Replace('\\', '/');
            if (!name.StartsWith(folder, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            using var resourceStream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(resourceStream);
            var fileName = name[folder.Length..];
            scripts.Add(MigrationScript.FromFile(fileName, reader.ReadToEnd())
                ?? throw new InvalidOperationException(
                    $"{assembly.GetName().Name}: migration '{fileName}' is not named NNNN_name.sql (for example 0002_add_due_date.sql)."));
        }

        if (stream is not null && scripts.Count == 0)
        {
            throw new InvalidOperationException($"{assembly.GetName().Name} embeds no {provider} scripts of the {stream} migration stream ({folder}).");
        }

        return Ordered(scripts, $"{assembly.GetName().Name} ({provider})");
    }

    /// <summary>Sorts scripts by version and refuses two scripts with one version.</summary>
    public static IReadOnlyList<MigrationScript> Ordered(IEnumerable<MigrationScript> scripts, string owner)
    {
        var ordered = scripts.OrderBy(s => s.Version).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Version == ordered[i - 1].Version)
            {
                throw new InvalidOperationException(
                    $"{owner}: migrations {ordered[i - 1].FileName} and {ordered[i].FileName} have the same version.");
            }
        }

        return ordered;
    }
}
