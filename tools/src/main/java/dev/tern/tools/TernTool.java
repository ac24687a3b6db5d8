package dev.tern.tools;

import dev.tern.tools.monitor.AgentCommand;
import dev.tern.tools.monitor.CountersCommand;
import dev.tern.tools.monitor.DemoCommand;
import dev.tern.tools.monitor.MonitorCommand;
import dev.tern.tools.binlog.BinlogCommand;
import dev.tern.tools.chat.ChatCommand;
import dev.tern.tools.kv.KvCommand;
import dev.tern.tools.kv.KvNodeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the operator commands that {@code bin/tern} runs: each subcommand is a class of its own with
 * {@code --help}. Exit codes: 0 success, 1 failure, 2 bad usage.
 */
@Command(
    name = "tern",
    mixinStandardHelpOptions = true,
    versionProvider = TernVersion.class,
    description = "Tern operator commands.",
    subcommands = {
        CommandLine.HelpCommand.class,
        CountersCommand.class,
        AgentCommand.class,
        MonitorCommand.class,
        DemoCommand.class,
        BinlogCommand.class,
        ChatCommand.class,
        KvCommand.class,
        KvNodeCommand.class,
    })
public final class TernTool implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /**
     * @param args the subcommand and its arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /** @return the command line with every subcommand, for tests that run commands in-process. */
    public static CommandLine commandLine()
    {
        return new CommandLine(new TernTool());
    }
}
