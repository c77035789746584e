using MultiLabel.Cli;

return await CommandLine.RunAsync(args);
