namespace PrintFlow.Host.Demo;

public static class DemoFloor
{
    /// <summary>Registers the simulated printers' floor where this process runs MES (it starts nothing unless configured).</summary>
    public static WebApplicationBuilder AddDemoFloor(this WebApplicationBuilder builder, ServiceSelection selection)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(selection);
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (selection.Services.Any(s => s.Name == "mes"))
        {
            // After MES's database initializer, which is registered earlier and so starts first.
            builder.Services.AddSingleton<SimulatedPrinterFloor>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SimulatedPrinterFloor>());
        }

        return builder;
    }
}
