package dev.tern.tools.binlog;

import dev.tern.storage.binlog.Binlog;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;

/**
 * The arguments every {@code tern binlog} command takes: where the binlog is and how large its records may be.
 */
final class BinlogLocation
{
    @Parameters(index = "0", paramLabel = "DIR", description = "The node's directory (holding binlog/) or the binlog directory.")
    private File dir;

    @Option(names = "--max-record-length", paramLabel = "BYTES", description = "Largest record to expect (default: ${DEFAULT-VALUE}).")
    private int maxRecordLength = BinlogCommand.DEFAULT_MAX_RECORD_LENGTH;

    File dir()
    {
        return dir;
    }

    int maxRecordLength()
    {
        return maxRecordLength;
    }

    /**
     * @return the binlog, opened read-only.
     * @throws CommandLine.ParameterException when the directory holds no binlog.
     */
    Binlog open(final CommandLine commandLine)
    {
        return BinlogCommand.open(commandLine, dir, maxRecordLength);
    }
}
