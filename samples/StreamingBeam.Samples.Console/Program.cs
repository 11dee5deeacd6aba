using StreamingBeam.Samples.Console;
using StreamingBeam.Samples.Console.Cli;

// Ctrl+C cancels the run: the engine cancels every provider call in flight and the stream ends with OperationCanceledException.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await SampleApp.RunAsync(args, Console.Out, Console.Error, cancellation.Token, SampleEnvironment.FromConsole());
