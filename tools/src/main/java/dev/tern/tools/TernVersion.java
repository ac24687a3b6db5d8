package dev.tern.tools;

import picocli.CommandLine;

/**
 * The version printed by {@code tern --version}: the jar's implementation version when built.
 */
public final class TernVersion implements CommandLine.IVersionProvider
{
    public String[] getVersion()
    {
        final String version = TernVersion.class.getPackage().getImplementationVersion();
        return new String[]{ "Tern " + (null != version ? version : "(development build)") };
    }
}
