namespace StreamingBeam.Samples.Console.Beam;

/// <summary>
/// Lines that scroll, with one status line kept below them on a terminal: before a line is written the status line is
/// erased (carriage return, ANSI "erase line"), and it is drawn again after. Without a terminal there is no status line
/// and no escape code, only the lines.
/// </summary>
internal sealed class LiveLines(TextWriter output, bool interactive)
{
    private const string EraseLine = "\r\u001b[2K";
    private string _status = string.Empty;

    public void WriteLine(string line)
    {
        if (interactive && _status.Length > 0)
        {
            output.Write(EraseLine);
        }

        output.WriteLine(line);
        if (interactive && _status.Length > 0)
        {
            output.Write(_status);
        }

        output.Flush();
    }

    /// <summary>Replaces the status line (an empty one removes it).</summary>
    public void Status(string status)
    {
        if (!interactive || status == _status)
        {
            return;
        }

        output.Write(EraseLine);
        output.Write(status);
        output.Flush();
        _status = status;
    }
}
