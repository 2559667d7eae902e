using PrintFlow.PrinterSimulator;

return await SimulatorProgram.RunAsync(args);
