using System.Security.Cryptography;
using System.Text;

namespace PrintFlow.ServiceDefaults.Migrations;

/// <summary>
/// One versioned schema change: <c>0002_add_due_date.sql</c> is version 2, named <c>add_due_date</c>. The checksum
/// (SHA-256 of the text with line endings normalised) is recorded when it is applied, so a later edit of an applied
/// script is noticed at start-up instead of silently diverging between databases.
/// </summary>
public sealed record MigrationScript(int Version, string Name, string Sql)
{
    public string FileName => $"{Version:D4}_{Name}.sql";

    public string Checksum => Convert.ToHexStringLower(
        SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>Parses <c>NNNN_name.sql</c>; null for a file that is not a migration.</summary>
    public static MigrationScript? FromFile(string fileName, string sql)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var separator = stem.IndexOf('_');
        if (!fileName.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) || separator <= 0
            || !int.TryParse(stem.AsSpan(0, separator), System.Globalization.NumberStyles.None, null, out var version) || version <= 0)
        {
            return null;
        }

        return new MigrationScript(version, stem[(separator + 1)..], sql);
    }
}
