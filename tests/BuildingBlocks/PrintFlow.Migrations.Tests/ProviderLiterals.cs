using System.Globalization;
using PrintFlow.ServiceDefaults.Migrations;

namespace PrintFlow.Migrations.Tests;

/// <summary>
/// How each provider's migrated schema spells an id and a time in SQL written by hand, in a column and inside a JSON
/// column (SQLite: upper-case text ids and UTC ticks, as ServiceDbContext's conventions store them there).
/// </summary>
internal sealed class ProviderLiterals(DatabaseProvider provider)
{
    public string Id(Guid id) => provider == DatabaseProvider.Postgres ? $"'{id}'" : $"'{id.ToString().ToUpperInvariant()}'";

    public string At(DateTimeOffset at) => provider == DatabaseProvider.Postgres
        ? $"'{at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fff}Z'"
        : at.UtcTicks.ToString(CultureInfo.InvariantCulture);

    public string JsonAt(DateTimeOffset at) => provider == DatabaseProvider.Postgres
        ? $"\"{at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffff}+00:00\""
        : at.UtcTicks.ToString(CultureInfo.InvariantCulture);
}
