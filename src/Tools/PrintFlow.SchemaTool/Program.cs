using Microsoft.EntityFrameworkCore;
using PrintFlow.SchemaTool;
using PrintFlow.ServiceDefaults.Migrations;

// printflow-schema script <service> <sqlite|postgres>: the create script of the service's current EF model. It made
// each service's 0001_initial.sql; for a later model change, diff it against the migrated schema (the guard test in
// tests/BuildingBlocks/PrintFlow.Migrations.Tests prints that difference) and hand-write the ALTER script.
if (args is not ["script", var service, var providerName])
{
    Console.Error.WriteLine("usage: printflow-schema script <service> <sqlite|postgres>");
    Console.Error.WriteLine($"services: {string.Join(", ", ServiceSchemas.All)}");
    return 2;
}

try
{
    var schema = ServiceSchemas.Find(service);
    var provider = ServiceSchemas.Provider(providerName);
    var connectionString = provider == DatabaseProvider.Postgres ? "Host=localhost;Database=printflow_schema" : "Data Source=:memory:";
    await using var db = schema.Create(provider, connectionString);
    Console.Out.Write(db.Database.GenerateCreateScript().ReplaceLineEndings("\n").TrimEnd() + "\n");
    return 0;
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}
