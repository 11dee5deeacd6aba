// Placeholder entry point: the real sample (beam search and extraction over simulated or real providers) comes later.
Console.WriteLine("""
    StreamingBeam console sample

    Usage:
      dotnet run --project samples/StreamingBeam.Samples.Console -- beam "<prompt>" [--seed N]
      dotnet run --project samples/StreamingBeam.Samples.Console -- extract <image.png|image.jpg>

    Not implemented yet: this build only prints this message.
    """);
return 0;
