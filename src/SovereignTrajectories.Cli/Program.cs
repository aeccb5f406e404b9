using SovereignTrajectories.Cli;

return await CommandCatalog.Build().Parse(args).InvokeAsync();
