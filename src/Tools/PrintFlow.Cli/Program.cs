using PrintFlow.Cli;

// Exit codes: 0 quoted, 1 analysed but cannot be priced (too big, no volume), 2 error (bad arguments, unreadable file).
return await CliApp.RunAsync(args, Console.Out, Console.Error);
